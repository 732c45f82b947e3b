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
	// Undo reverses the newest action of any kind (a grade, bury, suspend,
	// edit, delete or add) and says what it was.
	Undo() (deck.Undone, error)
	AddCard(c deck.Card) error
	EditCard(c deck.Card) error
	// AddCards adds a new note's cards, EditCards saves a note's cards
	// (every card of a cloze note at once), each in one transaction.
	AddCards(cs []deck.Card) error
	EditCards(cs []deck.Card) error
	DeleteCard(id string) error
	// RenameDeck retitles a custom deck; DeleteDeck deletes one with its
	// cards (their history stays) and says how many cards went.
	RenameDeck(id, title string) error
	DeleteDeck(id string) (int, error)
	SetSuspended(id string, suspended bool) error
	Bury(id string, until time.Time) error
	// ApplyWeights saves w as the FSRS parameters and recomputes every
	// card's memory state from its history (and, with reschedule, each
	// review card's due date), in one transaction; it returns the number
	// of cards recomputed.
	ApplyWeights(w [21]float64, reschedule bool) (int, error)
	// SetInterviewDate stores the interview date ("YYYY-MM-DD", checked by
	// plan.ParseDate); ClearInterviewDate removes it.
	SetInterviewDate(day string) error
	ClearInterviewDate() error
	// Cram and mock grades (the schedule stays) and mock scorecards.
	AddPractice(kind deck.PracticeKind, cardID string, r fsrs.Rating, now time.Time, took time.Duration) (deck.Practice, error)
	UndoPractice(key []byte) error
	SaveMock(m deck.MockRecord) error
	Mocks() ([]deck.MockRecord, error)

	// Apply does a bulk action to the cards (one transaction, undone as
	// one action by Undo) and returns how many changed.
	Apply(ids []string, a study.Action, now time.Time) (int, error)
	// SetFlag sets a card's flag (0-7; 0 clears it).
	SetFlag(id string, flag int) error
	// Info is a card's info at now (state, memory, history, curve).
	Info(id string, now time.Time) (stats.CardInfo, error)
}

var _ Repo = (*study.Service)(nil)
