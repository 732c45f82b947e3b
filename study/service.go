package study

import (
	"fmt"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

// Reader is what Library reads from the store (*store.Store, or a test fake).
type Reader interface {
	Decks() ([]deck.Deck, error)
	AllProgress() (map[string]deck.Progress, error)
	Settings() (deck.Settings, error)
	Scheduler() (*fsrs.Scheduler, error)
	Reviews(from, to time.Time) ([]deck.Review, error)
}

// Service is the application layer over one open store: every user action
// of a study session or the card editor, and the library both front ends
// show. Each method that changes data is one store transaction.
type Service struct {
	st *store.Store
}

// New returns the service over st.
func New(st *store.Store) *Service { return &Service{st: st} }

// Store is the store the service works on.
func (s *Service) Store() *store.Store { return s.st }

// Load reads the library at now: the decks, every card's progress, the
// settings and scheduler, the review log and the dashboard's figures.
func (s *Service) Load(now time.Time) (*Library, error) { return Load(s.st, now) }

// Grade records a review of cardID (one transaction: state, log, undo).
func (s *Service) Grade(cardID string, r fsrs.Rating, now time.Time, took time.Duration) (deck.GradeResult, error) {
	return s.st.Grade(cardID, r, now, took)
}

// Undo reverses the newest grade and returns its card's ID.
func (s *Service) Undo() (string, error) { return s.st.Undo() }

// Bury hides the card until until (the next day start).
func (s *Service) Bury(id string, until time.Time) error { return s.st.Bury(id, until) }

// SetSuspended suspends or unsuspends the card.
func (s *Service) SetSuspended(id string, suspended bool) error {
	return s.st.SetSuspended(id, suspended)
}

// Settings are the stored study settings.
func (s *Service) Settings() (deck.Settings, error) { return s.st.Settings() }

// SaveSettings validates and stores the settings.
func (s *Service) SaveSettings(st deck.Settings) error { return s.st.SaveSettings(st) }

// AddCard stores a new card (made by NewCard).
func (s *Service) AddCard(c deck.Card) error { return s.st.AddCard(c) }

// EditCard stores the new text of an existing card; its schedule stays.
func (s *Service) EditCard(c deck.Card) error { return s.st.EditCard(c) }

// DeleteCard deletes a custom card (or hides a built-in one); its history stays.
func (s *Service) DeleteCard(id string) error { return s.st.DeleteCard(id) }

// ApplyWeights saves w and recomputes every card's memory state.
func (s *Service) ApplyWeights(w [21]float64, reschedule bool) (int, error) {
	return s.st.ApplyWeights(w, reschedule)
}

// SetInterviewDate stores the interview date ("YYYY-MM-DD"); package plan
// decides whether a date is acceptable (plan.ParseDate).
func (s *Service) SetInterviewDate(day string) error { return s.st.SetInterviewDate(day) }

// ClearInterviewDate removes the interview date.
func (s *Service) ClearInterviewDate() error { return s.st.ClearInterviewDate() }

// AddPractice records a cram or mock grade; the card's schedule and
// memory state stay as they are.
func (s *Service) AddPractice(kind store.PracticeKind, cardID string, r fsrs.Rating, now time.Time, took time.Duration) (store.Practice, error) {
	return s.st.AddPractice(kind, cardID, r, now, took)
}

// UndoPractice deletes a cram or mock grade (AddPractice's key).
func (s *Service) UndoPractice(key []byte) error { return s.st.UndoPractice(key) }

// PracticeLog is every cram and mock grade, oldest first.
func (s *Service) PracticeLog() ([]store.Practice, error) { return s.st.PracticeLog() }

// SaveMock stores a mock interview's scorecard.
func (s *Service) SaveMock(m store.MockRecord) error { return s.st.SaveMock(m) }

// Mocks are the saved mock interviews, oldest first.
func (s *Service) Mocks() ([]store.MockRecord, error) { return s.st.Mocks() }

// SplitTags is the one reading of a tags field: comma separated, trimmed,
// empty ones dropped.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// NewCard makes a new custom card from what the user typed: the text
// normalised, a stable slug from the question, and the checks every card
// passes before it is stored.
func NewCard(deckID, front, back string, tags []string) (deck.Card, error) {
	if !deck.ValidID(deckID) {
		return deck.Card{}, fmt.Errorf("deck %q: use lowercase letters, digits and '-'", deckID)
	}
	c := deck.Card{Deck: deckID, Front: deck.NormalizeText(front), Back: deck.NormalizeText(back), Tags: tags}
	c.Slug = deck.SlugFor(c.Front)
	c.ID = deck.CardID(c.Deck, c.Slug)
	if err := deck.CheckCard(c); err != nil {
		return deck.Card{}, err
	}
	return c, nil
}
