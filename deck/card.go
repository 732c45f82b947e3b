// Package deck is opsdeck's domain: cards and decks, the deck-file parser,
// stable card IDs, and (in sub-packages) the FSRS-6 model and scheduler and
// the statistics over review logs. It imports the standard library only and
// never reads the clock.
package deck

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

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
	// Added is when a custom card was added (zero when unknown: built-in
	// cards, and cards added before opsdeck kept the time).
	Added time.Time
	// GUID is the Anki note GUID the card came from or goes to, when it is
	// not the card's own note ID (deck/slug): importers match a card by it.
	GUID string
	// NoMeta says the card comes from a format that cannot carry Source
	// and AsOf (an Anki file): an importer keeps the stored ones.
	NoMeta bool
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
	Flag        int // 0 (none) to MaxFlag: Anki's coloured flags (FlagNames)
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
	// PlanPace makes the interview plan's pace (PlanPace) the new-card
	// limit while an interview date is set.
	PlanPace bool

	// NewIgnoresReviewLimit: new cards are shown whatever the review limit
	// leaves (Anki's "New cards ignore review limit", off by default).
	NewIgnoresReviewLimit bool
	// SpaceAnswersGood: Space or Enter on the answer side answers Good
	// (Anki's default); off, they only reveal.
	SpaceAnswersGood bool
	// Anki's sibling burying (all off by default): answering a card of a
	// cloze note hides the note's other new, review or interday-learning
	// cards until tomorrow.
	BuryNew, BuryReview, BuryInterday bool
	// Decks holds "this deck" overrides (Anki's per-deck limits), by deck ID.
	Decks map[string]DeckOptions
}

// DeckOptions override the collection's daily limits and desired retention
// for one deck (Anki's "This deck" limits); a zero DesiredRetention keeps
// the collection's.
type DeckOptions struct {
	NewPerDay        int
	ReviewsPerDay    int
	DesiredRetention float64
}

// For returns the settings that apply to a session of deckID ("" for
// everything): the collection's, with the deck's overrides.
func (st Settings) For(deckID string) Settings {
	o, ok := st.Decks[deckID]
	if deckID == "" || !ok {
		return st
	}
	st.NewPerDay, st.ReviewsPerDay = o.NewPerDay, o.ReviewsPerDay
	if o.DesiredRetention > 0 {
		st.DesiredRetention = o.DesiredRetention
	}
	return st
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
		SpaceAnswersGood: true,
	}
}

// GradeResult is what grading a card did.
type GradeResult struct {
	Before     Progress // the card's progress before the grade
	After      Progress // and after
	Review     Review   // the review-log entry written
	CardNumber int64    // the card's stable number (the revlog CSV card_id)
	Leech      bool     // the card just became a leech (tell the user)
	Suspended  bool     // ...and was suspended (LeechAction = LeechSuspend)
}

// Undone is what an undo reversed: the action (one of the Undo* names) and
// the cards it touched (the first is the card to show again).
type Undone struct {
	Action  string
	CardIDs []string
}

// The actions undo knows.
const (
	UndoGrade   = "grade"
	UndoBury    = "bury"
	UndoSuspend = "suspend"
	UndoEdit    = "edit"
	UndoDelete  = "delete"
	UndoAdd     = "add"
)

// CardID is the first card the undone action touched ("" if none).
func (u Undone) CardID() string {
	if len(u.CardIDs) == 0 {
		return ""
	}
	return u.CardIDs[0]
}

// TodayDone counts, in reviews done since today's day start, the new cards
// studied and the review cards answered: what Anki's daily limits subtract.
func TodayDone(today []Review) (newDone, reviewsDone int) {
	for _, r := range today {
		switch fsrs.State(r.StateBefore) {
		case fsrs.New:
			newDone++
		case fsrs.Review:
			reviewsDone++
		}
	}
	return newDone, reviewsDone
}

// Merge is the library the user studies: the built-in decks with edit
// applied to each card (nil: as they are), then the custom decks in
// natural order of their titles (Extra 2 before Extra 10); custom cards of
// a deck with a built-in ID join that deck.
func Merge(builtin, custom []Deck, edit func(Card) Card) []Deck {
	custom = slices.Clone(custom)
	slices.SortStableFunc(custom, func(a, b Deck) int {
		if c := NaturalCompare(strings.ToLower(a.titleOrID()), strings.ToLower(b.titleOrID())); c != 0 {
			return c
		}
		return NaturalCompare(a.ID, b.ID)
	})
	out := make([]Deck, 0, len(builtin)+len(custom))
	at := map[string]int{}
	for _, d := range builtin {
		d.Builtin = true
		cards := make([]Card, len(d.Cards))
		for i, c := range d.Cards {
			if edit != nil {
				c = edit(c)
			}
			cards[i] = c
		}
		d.Cards = cards
		at[d.ID] = len(out)
		out = append(out, d)
	}
	for _, d := range custom {
		if i, ok := at[d.ID]; ok {
			out[i].Cards = append(out[i].Cards, d.Cards...)
			continue
		}
		d.Builtin = false
		at[d.ID] = len(out)
		out = append(out, d)
	}
	return out
}

// FormatInterval writes a wait as Anki shows it on its answer buttons:
// "<1m", "10m", "2h", "3d", "1.5mo", "2.1y".
func FormatInterval(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Round(time.Minute)/time.Minute))
	case d < day:
		return fmt.Sprintf("%dh", int(d.Round(time.Hour)/time.Hour))
	}
	days := float64(d) / float64(day)
	switch {
	case days < 30:
		return fmt.Sprintf("%dd", int(days+0.5))
	case days < 365:
		return trimZero(fmt.Sprintf("%.1fmo", days/30))
	}
	return trimZero(fmt.Sprintf("%.1fy", days/365))
}

func trimZero(s string) string { return strings.Replace(s, ".0", "", 1) }

func (d Deck) titleOrID() string {
	if d.Title != "" {
		return d.Title
	}
	return d.ID
}

// NaturalCompare orders strings as people read them: runs of digits by
// their value, so "extra 2" comes before "extra 10".
func NaturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return cmpInt(len(na), len(nb))
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmpInt(int(a[0]), int(b[0]))
		}
		a, b = a[1:], b[1:]
	}
	return cmpInt(len(a), len(b))
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SplitTags is the one reading of a list of tags, in deck files, on the
// command line and in the app: separated by commas or spaces (so a tag has
// no space, as in Anki), trimmed, each once.
func SplitTags(s string) []string {
	var tags []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}
