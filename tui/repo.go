package tui

import (
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
	"opsdeck/study"
)

// Repo is what the screens need from the application layer. *study.Service
// satisfies it; only main knows both. Each method that changes data is one
// store transaction.
type Repo interface {
	// Load is one consistent read of the library and the dashboard's
	// figures at now (study.Library).
	Load(now time.Time) (*study.Library, error)
	Settings() (deck.Settings, error)
	SaveSettings(deck.Settings) error
	Grade(cardID string, r fsrs.Rating, now time.Time, took time.Duration) (deck.GradeResult, error)
	// Undo reverses the newest grade and returns its card's ID.
	Undo() (cardID string, err error)
	AddCard(c deck.Card) error
	EditCard(c deck.Card) error
	DeleteCard(id string) error
	SetSuspended(id string, suspended bool) error
	Bury(id string, until time.Time) error
	// ApplyWeights saves w as the FSRS parameters and recomputes every
	// card's memory state from its history (and, with reschedule, each
	// review card's due date), in one transaction; it returns the number
	// of cards recomputed.
	ApplyWeights(w [21]float64, reschedule bool) (int, error)

	// Apply does a bulk action to the cards (one transaction, undone as
	// one action by UndoLast) and returns how many changed.
	Apply(ids []string, a study.Action, now time.Time) (int, error)
	// UndoLast reverses the newest grade or bulk action and says which.
	UndoLast() (study.Undone, error)
	// SetFlag sets a card's flag (0-7; 0 clears it).
	SetFlag(id string, flag int) error
	// Info is a card's info at now (state, memory, history, curve).
	Info(id string, now time.Time) (stats.CardInfo, error)
}

var _ Repo = (*study.Service)(nil)
