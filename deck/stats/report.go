// Package stats computes opsdeck's per-area statistics from card progress
// and the review log: card counts, due counts, true retention (as Anki
// computes it), FSRS retrievability and knowledge, review activity, the due
// forecast, answer buttons and distributions. It also renders them: a plain
// table for `opsdeck stats` and block-character charts for the TUI.
//
// Everything is pure: the time is passed in (Input.Now) and day boundaries
// come from the fsrs.Scheduler (its day-start hour and location).
package stats

import "time"

// Report is the document printed by `opsdeck stats --json`. Its encoding is
// the shape in docs/cli.md, key for key; nothing else belongs in it.
type Report struct {
	Now              time.Time   `json:"now"`
	DayStartsAtHour  int         `json:"day_starts_at_hour"`
	DesiredRetention float64     `json:"desired_retention"`
	Decks            []DeckStats `json:"decks"`
	Total            AreaStats   `json:"total"`
}

// DeckStats are one deck's figures.
type DeckStats struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Builtin bool   `json:"builtin"`
	AreaStats
}

// AreaStats are the figures of one area (a deck, or all decks together).
type AreaStats struct {
	Cards    CardCounts `json:"cards"`
	DueToday int        `json:"due_today"`
	// Retrievability is the mean predicted recall now over the cards
	// reviewed at least once; nil (JSON null) when there are none.
	Retrievability *float64 `json:"retrievability"`
	// Knowledge is the sum of predicted recall now over the area's cards
	// (new cards count 0): how many of them you would recall now.
	Knowledge     float64       `json:"knowledge"`
	Reviews       ReviewCounts  `json:"reviews"`
	TrueRetention TrueRetention `json:"true_retention"`
}

// CardCounts splits an area's cards by state. The categories new, learning,
// young, mature and suspended do not overlap (a suspended card counts only
// as suspended, as in Anki's card-count chart), so they add up to Total.
// Leeches is a flag across them.
type CardCounts struct {
	Total     int `json:"total"`
	New       int `json:"new"`
	Learning  int `json:"learning"` // learning and relearning
	Young     int `json:"young"`    // review, scheduled interval < 21 days
	Mature    int `json:"mature"`   // review, scheduled interval >= 21 days
	Suspended int `json:"suspended"`
	Leeches   int `json:"leeches"`
}

// ReviewCounts counts review-log entries.
type ReviewCounts struct {
	Today int `json:"today"`
	All   int `json:"all"`
}

// PassFail counts passed (Hard, Good, Easy) and failed (Again) reviews.
type PassFail struct {
	Pass int `json:"pass"`
	Fail int `json:"fail"`
}

// Rate returns pass / (pass + fail), and false when there are no reviews.
func (p PassFail) Rate() (float64, bool) {
	n := p.Pass + p.Fail
	if n == 0 {
		return 0, false
	}
	return float64(p.Pass) / float64(n), true
}

// Retention splits a period's counted reviews by the interval before them:
// young under 21 days, mature from 21 days.
type Retention struct {
	Young  PassFail `json:"young"`
	Mature PassFail `json:"mature"`
}

// TrueRetention is true retention over Anki's periods, counted in
// scheduling days: today, yesterday, the last 7, 30 and 365 days including
// today, and all time.
type TrueRetention struct {
	Today     Retention `json:"today"`
	Yesterday Retention `json:"yesterday"`
	Week      Retention `json:"week"`
	Month     Retention `json:"month"`
	Year      Retention `json:"year"`
	All       Retention `json:"all"`
}

// DeckList is the document printed by `opsdeck decks --json`.
type DeckList struct {
	Decks []DeckListEntry `json:"decks"`
}

// DeckListEntry is one deck of DeckList.
type DeckListEntry struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Builtin  bool       `json:"builtin"`
	Cards    CardCounts `json:"cards"`
	DueToday int        `json:"due_today"`
	NewToday int        `json:"new_today"`
}
