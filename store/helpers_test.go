package store

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// t0 is the tests' clock start.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// checkFile runs bbolt's tx.Check on a closed database file.
func checkFile(t testing.TB, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Errorf("check %s: open: %v", path, err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for cerr := range tx.Check() {
			t.Errorf("check %s: %v", path, cerr)
		}
		return nil
	})
	if err != nil {
		t.Errorf("check %s: %v", path, err)
	}
}

// dbPath returns a path in a fresh temp dir; cleanup checks the file with
// tx.Check if it exists then.
func dbPath(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "opsdeck.db")
	t.Cleanup(func() {
		if _, err := os.Stat(path); err == nil {
			checkFile(t, path)
		}
	})
	return path
}

// openAt opens path (UTC days) and closes it at cleanup, before the check.
// knownIDs are cards that tests suspend or edit without grading first: the
// store refuses actions on cards it does not know, so they are built in.
var knownIDs = []deck.Card{{ID: "k8s/pods"}, {ID: "a/b"}, {ID: "c/four"}, {ID: "k8s/new"}, {ID: "k8s/drain"}, {ID: "k8s/drain-c2"}}

// knownOpts are Options that make knownIDs built-in cards.
func knownOpts() *Options { return &Options{Builtin: []deck.Deck{{ID: "known", Cards: knownIDs}}} }

func openAt(t testing.TB, path string) *Store {
	t.Helper()
	o := knownOpts()
	o.Location = time.UTC
	s, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		// A test may have closed it; dbPath's cleanup checks the file then.
		if err := s.Check(); err != nil && !errors.Is(err, berrors.ErrDatabaseNotOpen) {
			t.Error(err)
		}
		_ = s.Close()
	})
	return s
}

// newStore opens a fresh store in a temp dir.
func newStore(t testing.TB) (*Store, string) {
	t.Helper()
	path := dbPath(t)
	return openAt(t, path), path
}

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func mustGrade(t testing.TB, s *Store, id string, r fsrs.Rating, at time.Time) GradeResult {
	t.Helper()
	res, err := s.Grade(id, r, at, 7*time.Second)
	if err != nil {
		t.Fatalf("Grade(%s, %d, %v): %v", id, r, at, err)
	}
	return res
}

func mustProgress(t testing.TB, s *Store, id string) (deck.Progress, bool) {
	t.Helper()
	p, ok, err := s.Progress(id)
	if err != nil {
		t.Fatal(err)
	}
	return p, ok
}

func isOpenErr(err, kind error) bool {
	var oe *OpenError
	return errors.As(err, &oe) && errors.Is(err, kind)
}

// rawUpdate writes with bbolt directly, past the Store's refusal to write
// after damage: tests that damage a record and repair it.
func rawUpdate(t testing.TB, s *Store, fn func(*bolt.Tx) error) {
	t.Helper()
	db, release, err := s.acquire(true)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}
