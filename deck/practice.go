package deck

import (
	"fmt"
	"time"

	"opsdeck/deck/fsrs"
)

// Practice grades: cram and mock-interview grades, which leave a card's
// schedule and memory state alone and are kept apart from the review log.

// PracticeKind says what a practice grade was part of.
type PracticeKind byte

const (
	Cram PracticeKind = 1
	Mock PracticeKind = 2
)

func (k PracticeKind) String() string {
	switch k {
	case Cram:
		return "cram"
	case Mock:
		return "mock"
	}
	return fmt.Sprintf("kind-%d", byte(k))
}

// Practice is one cram or mock grade.
type Practice struct {
	Key      []byte // the store's key, for undo
	Kind     PracticeKind
	CardID   string
	At       time.Time
	Rating   fsrs.Rating
	Duration time.Duration
	// The card as it was (and stays): its state, scheduled interval in
	// days, and number (the revlog CSV card_id).
	State      fsrs.State
	Interval   int
	CardNumber int64
}

// MockArea is one area's line of a mock interview's scorecard.
type MockArea struct {
	ID         string `json:"id"`
	Answered   int    `json:"answered"`
	Passed     int    `json:"passed"`      // graded Hard, Good or Easy
	OverBudget int    `json:"over_budget"` // answers that took longer than their budget
}

// MockRecord is a finished mock interview's scorecard.
type MockRecord struct {
	Start   time.Time  `json:"start"`
	Minutes int        `json:"minutes"`
	Areas   []MockArea `json:"areas"`
}

// Answered and Passed are the scorecard's totals.
func (m MockRecord) Answered() (answered, passed int) {
	for _, a := range m.Areas {
		answered += a.Answered
		passed += a.Passed
	}
	return answered, passed
}
