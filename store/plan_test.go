package store

import (
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestInterviewDate(t *testing.T) {
	path := dbPath(t)
	s := openAt(t, path)
	if d, err := s.InterviewDate(); err != nil || d != "" {
		t.Fatalf("new file: %q, %v; want no date", d, err)
	}
	if err := s.SetInterviewDate("2027-01-15"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.InterviewDate(); d != "2027-01-15" {
		t.Fatalf("date = %q", d)
	}
	for _, bad := range []string{"", "2027-13-01", "15/01/2027", "2027-01-15x"} {
		if err := s.SetInterviewDate(bad); err == nil {
			t.Errorf("SetInterviewDate(%q) accepted", bad)
		}
	}
	if d, _ := s.InterviewDate(); d != "2027-01-15" {
		t.Fatalf("a refused date changed it: %q", d)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearInterviewDate(); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.InterviewDate(); d != "" {
		t.Fatalf("after clear: %q", d)
	}
	// A damaged value is reported, not guessed at.
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kInterview, []byte("soon")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InterviewDate(); !errors.Is(err, ErrDamaged) {
		t.Errorf("damaged date: %v", err)
	}
	if err := s.Verify(); err == nil {
		t.Error("Verify passed a damaged date")
	}
	_ = s.ClearInterviewDate()
}
