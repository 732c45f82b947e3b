// Package deck is opsdeck's domain: cards and decks, the deck-file parser,
// stable card IDs, and (in sub-packages) the FSRS-6 model and scheduler and
// the statistics over review logs. It imports the standard library only and
// never reads the clock.
package deck

import (
	"fmt"
	"strings"
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

// GradeResult is what grading a card did.
type GradeResult struct {
	Before     Progress // the card's progress before the grade
	After      Progress // and after
	Review     Review   // the review-log entry written
	CardNumber int64    // the card's stable number (the revlog CSV card_id)
	Leech      bool     // the card just became a leech (tell the user)
	Suspended  bool     // ...and was suspended (LeechAction = LeechSuspend)
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
// applied to each card (nil: as they are), then the custom decks; custom
// cards of a deck with a built-in ID join that deck.
func Merge(builtin, custom []Deck, edit func(Card) Card) []Deck {
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
