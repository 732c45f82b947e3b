package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What the consistency checks cost on the 1M-review fixture:
//
//	go test -run '^$' -bench 'TxCheck|Verify|StoreCheck|OpenWritable' -benchtime 3x ./store/
func BenchmarkTxCheck1M(b *testing.B) {
	path, _ := largeFixture(b)
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for b.Loop() {
		if err := db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				return err
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify1M(b *testing.B) {
	path, _ := largeFixture(b)
	s, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if err := s.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStoreCheck1M(b *testing.B) {
	path, _ := largeFixture(b)
	s, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := s.CheckAll(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenWritable1M is a writable Open with its structure check;
// BenchmarkOpenNoCheck1M without it (what Open cost before issue 11).
func BenchmarkOpenWritable1M(b *testing.B) {
	path, _ := largeFixture(b)
	for b.Loop() {
		s, err := Open(path, &Options{Location: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkOpenNoCheck1M(b *testing.B) {
	path, _ := largeFixture(b)
	for b.Loop() {
		s, err := Open(path, &Options{Location: time.UTC, NoOpenCheck: true})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkOpenReadOnly1M(b *testing.B) {
	path, _ := largeFixture(b)
	for b.Loop() {
		s, err := Open(path, &Options{Location: time.UTC, ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
