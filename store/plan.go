package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// kInterview is meta/"interview": the interview date, "YYYY-MM-DD" (a
// calendar date, read in the store's Location). Absent: no date.
var kInterview = []byte("interview")

// DateLayout is the layout of the stored interview date.
const DateLayout = deck.DateLayout

// checkDate reports whether v is a calendar date "YYYY-MM-DD".
func checkDate(v string) error {
	if _, err := time.Parse(DateLayout, v); err != nil {
		return fmt.Errorf("%q is not a date YYYY-MM-DD", v)
	}
	return nil
}

// InterviewDate returns the stored interview date ("YYYY-MM-DD"), or ""
// when none is set.
func (s *Store) InterviewDate() (string, error) {
	var out string
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bMeta).Get(kInterview)
		if v == nil {
			return nil
		}
		if err := checkDate(string(v)); err != nil {
			return fmt.Errorf("%w: interview date: %v", ErrDamaged, err)
		}
		out = string(v)
		return nil
	})
	return out, err
}

// SetInterviewDate stores the interview date ("YYYY-MM-DD"; whether it
// lies ahead is the caller's rule), in one transaction.
func (s *Store) SetInterviewDate(day string) error {
	if err := checkDate(day); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kInterview, []byte(day)) })
}

// ClearInterviewDate removes the interview date, in one transaction.
func (s *Store) ClearInterviewDate() error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Delete(kInterview) })
}
