package tui

import (
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Repo is what the screens need from storage. *store.Store satisfies it;
// tests use an in-memory fake. Each method that changes data is one
// transaction.
type Repo interface {
	// Decks is the library: built-in decks (with the user's edits) and custom decks.
	Decks() ([]deck.Deck, error)
	AllProgress() (map[string]deck.Progress, error)
	Settings() (deck.Settings, error)
	SaveSettings(deck.Settings) error
	// Scheduler is built from the stored settings.
	Scheduler() (*fsrs.Scheduler, error)
	// Reviews in [from, to), oldest first; a zero bound is open.
	Reviews(from, to time.Time) ([]deck.Review, error)
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
}
