package study

import (
	"fmt"
	"sort"
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

// Version changes with every write to the database by any process (the
// store's last transaction ID): a front end that stays open polls it to
// see other opsdecks' changes.
func (s *Service) Version() (uint64, error) { return s.st.Version() }

// Store is the store the service works on.
func (s *Service) Store() *store.Store { return s.st }

// Load reads the library at now: the decks, every card's progress, the
// settings and scheduler, the review log and the dashboard's figures.
//
// Over a store opened with its structure check in the background (the
// app), the check starts once a whole library is read (store.StartCheck):
// the app's first frame and the cards right after it do not share the
// disk and the two cores with it, and it is done long before a first
// grade (every write waits for it).
func (s *Service) Load(now time.Time) (*Library, error) {
	defer s.st.StartCheck()
	return Load(s.st, now)
}

// LoadCounts is Load for the figures alone (LoadCounts): the dashboard's
// first frame (full: its fallback is Load), decks and stats (!full: their
// fallback is LoadOutline).
// When it had to read the whole library, the background check starts
// after it, as after Load.
func (s *Service) LoadCounts(now time.Time, full bool) (*Library, error) {
	lib, err := LoadCounts(s.st, now, full)
	if err != nil || !lib.Counted() {
		s.st.StartCheck()
	}
	return lib, err
}

// LoadOutline is Load without the custom cards' text (LoadOutline), for
// the figures that only count cards.
func (s *Service) LoadOutline(now time.Time) (*Library, error) { return LoadOutline(s.st, now) }

// Grade records a review of cardID (one transaction: state, log, undo).
func (s *Service) Grade(cardID string, r fsrs.Rating, now time.Time, took time.Duration) (deck.GradeResult, error) {
	return s.st.Grade(cardID, r, now, took)
}

// Undo reverses the newest action of any kind (one transaction) and says
// what it was.
func (s *Service) Undo() (deck.Undone, error) { return s.st.UndoLast() }

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

// RenameDeck gives a custom deck a new title (trimmed, one line, not
// empty); its ID, cards and history stay.
func (s *Service) RenameDeck(id, title string) error {
	title = strings.Join(strings.Fields(deck.SafeText(title)), " ")
	if title == "" {
		return fmt.Errorf("deck %s: the title is empty", id)
	}
	return s.st.RenameDeck(id, title)
}

// DeleteDeck deletes a custom deck and its cards; their history stays. It
// returns the number of cards deleted.
func (s *Service) DeleteDeck(id string) (int, error) { return s.st.DeleteDeck(id) }

// ApplyWeights saves w and recomputes every card's memory state.
func (s *Service) ApplyWeights(w [21]float64, reschedule bool) (int, error) {
	return s.st.ApplyWeights(w, reschedule)
}

// SplitTags is the one reading of a tags field (deck.SplitTags): commas or
// spaces.
func SplitTags(s string) []string { return deck.SplitTags(s) }

// AddCards stores the cards of a new note (made by NewNote) in one
// transaction.
func (s *Service) AddCards(cs []deck.Card) error { return s.st.AddCards(cs) }

// EditCards stores the new text of a note's cards (made by EditNote) in one
// transaction; their schedules stay.
func (s *Service) EditCards(cs []deck.Card) error { return s.st.EditCards(cs) }

// NoteText is what the form edits for c: a cloze card's note (its source
// text with the {{cN::...}} deletions, and the extra), a basic card's
// front and back.
func NoteText(c deck.Card) (front, back string) {
	if c.Kind == deck.Cloze {
		return c.Text, c.Extra
	}
	return c.Front, c.Back
}

// Siblings are the cards of c's note in decks (c alone for a basic card),
// in deletion order.
func Siblings(decks []deck.Deck, c deck.Card) []deck.Card {
	if c.Kind != deck.Cloze {
		return []deck.Card{c}
	}
	key := deck.NoteKey(c)
	var out []deck.Card
	for _, d := range decks {
		if d.ID != c.Deck {
			continue
		}
		for _, x := range d.Cards {
			if x.Kind == deck.Cloze && deck.NoteKey(x) == key {
				out = append(out, x)
			}
		}
	}
	if len(out) == 0 {
		return []deck.Card{c}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// EditNote is the note of siblings (Siblings) with the text the user typed:
// for a cloze note, the source text, extra and tags of every card at once,
// their IDs (and so schedules) kept; for a basic card, its front, back and
// tags. A cloze note keeps its deletion numbers (each card's schedule hangs
// on one) and a basic card stays basic: either change is a new note.
func EditNote(siblings []deck.Card, front, back string, tags []string) ([]deck.Card, error) {
	if len(siblings) == 0 {
		return nil, fmt.Errorf("no card to edit")
	}
	front, back = deck.NormalizeText(front), deck.NormalizeText(back)
	first := siblings[0]
	if first.Kind != deck.Cloze {
		if deck.IsClozeText(front) {
			return nil, fmt.Errorf("a basic card cannot become a cloze note: add the cloze text as a new card")
		}
		c := first
		c.Front, c.Back, c.Tags = front, back, tags
		if err := deck.CheckCard(c); err != nil {
			return nil, err
		}
		return []deck.Card{c}, nil
	}
	nums, err := deck.ClozeNumbers(front)
	if err != nil {
		return nil, err
	}
	var have []int
	for _, c := range siblings {
		have = append(have, c.Index)
	}
	if fmt.Sprint(nums) != fmt.Sprint(have) {
		return nil, fmt.Errorf("the note's deletions are %s; keep them (a card's schedule hangs on each) and add other deletions as a new note", clozeList(have))
	}
	out := make([]deck.Card, len(siblings))
	for i, c := range siblings {
		c.Text, c.Extra, c.Tags = front, back, tags
		c.Front, c.Back = deck.RenderCloze(front, c.Index, back)
		if err := deck.CheckCard(c); err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func clozeList(nums []int) string {
	parts := make([]string, len(nums))
	for i, k := range nums {
		parts[i] = fmt.Sprintf("c%d", k)
	}
	return strings.Join(parts, ", ")
}

// NewNote makes the cards of a new custom note from what the user typed: a
// cloze note when the front has {{cN::...}} deletions (the back is then
// the optional extra), else one basic card (NewCard).
func NewNote(deckID, front, back string, tags []string) ([]deck.Card, error) {
	if !deck.IsClozeText(front) {
		if strings.TrimSpace(back) == "" && strings.TrimSpace(front) != "" {
			return nil, fmt.Errorf("empty answer: a basic card needs a back (or write the front as a cloze text with {{c1::...}})")
		}
		c, err := NewCard(deckID, front, back, tags)
		if err != nil {
			return nil, err
		}
		return []deck.Card{c}, nil
	}
	if !deck.ValidID(deckID) {
		return nil, fmt.Errorf("deck %q: use lowercase letters, digits and '-'", deckID)
	}
	base := deck.Card{Deck: deckID, Kind: deck.Cloze, Text: deck.NormalizeText(front), Extra: deck.NormalizeText(back), Tags: tags}
	base.Slug = deck.SlugFor(base.Text)
	if err := deck.CheckCard(base); err != nil {
		return nil, err
	}
	return deck.ClozeCards(base)
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
