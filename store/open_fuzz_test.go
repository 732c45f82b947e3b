package store

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"opsdeck/deck"
)

var fuzzSeedDB = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "opsdeck-fuzz-open-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "seed.db")
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		return nil, err
	}
	for i := range 40 {
		if _, err := s.Grade(fixtureCardID(i), 3, t0.Add(time.Duration(i)*time.Hour), time.Second); err != nil {
			return nil, err
		}
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// FuzzOpenDamaged overwrites bytes of a small healthy database at an offset
// and opens it, writable and read-only, then reads and checks it: no panic
// may escape (tx.Check's own goroutine included), and a file refused as
// damaged is left as it was.
//
//	go test -run '^$' -fuzz FuzzOpenDamaged -fuzztime 60s ./store/
func FuzzOpenDamaged(f *testing.F) {
	seed, err := fuzzSeedDB()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint32(4096*2+16), []byte{0xff, 0xff})
	f.Add(uint32(16+32), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint32(4096*3+8), []byte{0x02, 0x00})
	f.Fuzz(func(t *testing.T, off uint32, patch []byte) {
		data := append([]byte(nil), seed...)
		if len(patch) > 4096 {
			patch = patch[:4096]
		}
		o := int(off % uint32(len(data)))
		copy(data[o:], patch)
		path := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, ro := range []bool{true, false} {
			s, err := Open(path, &Options{ReadOnly: ro, Location: time.UTC, Timeout: time.Second})
			if err != nil {
				var oe *OpenError
				if !errors.As(err, &oe) {
					t.Fatalf("read-only %v: not an *OpenError: %v", ro, err)
				}
				continue
			}
			_, _ = s.AllProgress()
			_, _ = s.Decks()
			_, _ = s.WalkCards(func(int) func(*deck.Progress) { return func(*deck.Progress) {} })
			_, _ = s.Reviews(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Time{})
			_, _ = s.CheckAll()
			_ = s.Close()
		}
	})
}
