// Package deck is opsdeck's domain: cards and decks, the deck-file parser,
// stable card IDs, and (in sub-packages) the FSRS-6 model and scheduler and
// the statistics over review logs. It imports the standard library only and
// never reads the clock.
package deck

import (
	"time"

	"opsdeck/deck/fsrs"
)

// Kind says how a card's front and back were made.
type Kind int

const (
	Basic Kind = iota // a question and an answer
	Cloze             // one deletion of a cloze text
)

// Card is one flashcard's content. Its ID is "<deck-id>/<slug>" and never
// changes when the text is edited.
type Card struct {
	ID     string
	Deck   string // deck ID
	Slug   string
	Kind   Kind
	Front  string // the question, as shown before the answer
	Back   string // the answer
	Tags   []string
	Source string // an https URL, or empty
	AsOf   string // "as of" date of a fact that changes (YYYY-MM or YYYY-MM-DD), or empty
	// Cloze cards only: the raw text with its {{cN::...}} deletions, the
	// deletion number this card tests, and the optional extra text.
	Text  string
	Index int
	Extra string
	Line  int // line of the card's heading in its file (0 when not from a file)
}

// Deck is a named set of cards.
type Deck struct {
	ID          string
	Title       string
	Description string
	Builtin     bool
	File        string // file it was parsed from, if any
	Cards       []Card
}

// Review is one entry of the review log, as the domain sees it.
type Review struct {
	CardID       string
	At           time.Time
	Rating       int // 1-4
	StateBefore  int // fsrs.State before the review
	LastInterval int // scheduled days before the review
	Interval     int // scheduled days after the review
	Stability    float64
	Difficulty   float64
	Duration     time.Duration
	DueAfter     time.Time
}

// Progress is what opsdeck stores about a card besides its content: its
// scheduling state and the user's flags.
type Progress struct {
	CardID      string
	Sched       fsrs.Card
	Suspended   bool
	BuriedUntil time.Time // hidden until this instant (the next day start)
	Leech       bool
}

// LeechAction says what happens when a card becomes a leech.
type LeechAction int

const (
	LeechTag     LeechAction = iota // tag it and tell the user (Anki's default)
	LeechSuspend                    // tag it and suspend it
)

// Settings are the user's study settings (Anki's defaults in DefaultSettings).
type Settings struct {
	DesiredRetention float64
	NewPerDay        int
	ReviewsPerDay    int
	DayStartHour     int
	LearningSteps    []time.Duration
	RelearningSteps  []time.Duration
	LeechThreshold   int
	LeechAction      LeechAction
	MaximumInterval  int
	Weights          []float64 // 21 FSRS parameters; empty means the defaults
}

// DefaultSettings are Anki's defaults.
func DefaultSettings() Settings {
	return Settings{
		DesiredRetention: 0.9,
		NewPerDay:        20,
		ReviewsPerDay:    200,
		DayStartHour:     4,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		LeechThreshold:   8,
		LeechAction:      LeechTag,
		MaximumInterval:  36500,
	}
}
