// Package plan is opsdeck's interview plan: the interview date, the
// readiness forecast per area (predicted recall now, on the day if nothing
// more is studied, and on the day if the plan is followed), the pacing plan
// (new cards, reviews and minutes a day) and the desired-retention
// trade-off ("help me decide"). It reads a study.Library and runs the FSRS
// simulator of deck/fsrs; both front ends print what it computes.
package plan

import (
	"fmt"
	"math"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
	"opsdeck/study"
)

// ConsolidationDays is how long before the interview every new card has
// been introduced (deck's rule).
const ConsolidationDays = deck.ConsolidationDays

// Retentions are the desired retentions Decide compares (Settings' range).
var Retentions = []float64{0.80, 0.83, 0.85, 0.87, 0.90, 0.93, 0.95, 0.97}

// DefaultSecondsPerCard is the time a card takes when the log has none.
const DefaultSecondsPerCard = 15.0

// maxAnswer caps one review's time in the average (Anki's default
// maximum answer time), so a card left open over lunch does not count.
const maxAnswer = 60 * time.Second

// minOwnReviews is how many reviews an area needs before its own average
// time per card is used instead of the collection's.
const minOwnReviews = 20

// Figures are one row of the plan: an area or the total. Without a date
// only Cards, Seen and RecallNow are filled; the others are null in JSON.
type Figures struct {
	Cards         int      `json:"cards"`
	Seen          int      `json:"seen"`
	RecallNow     float64  `json:"recall_now"`
	RecallIdle    *float64 `json:"recall_on_date_if_idle"`
	RecallOnPlan  *float64 `json:"recall_on_date_on_plan"`
	NewPerDay     *int     `json:"new_per_day"`
	ReviewsPerDay *int     `json:"reviews_per_day"`
	MinutesPerDay *float64 `json:"minutes_per_day"`
}

// Area is one deck's row.
type Area struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Figures
}

// Plan is the `plan --json` document (docs/cli.md) and what the Plan
// screen shows. Forecast reports whether the forecast fields are filled
// (a date ahead).
type Plan struct {
	Now           time.Time `json:"now"`
	InterviewDate *string   `json:"interview_date"`
	DaysLeft      *int      `json:"days_left"`
	Areas         []Area    `json:"areas"`
	Total         Figures   `json:"total"`

	// LearnDays are the days from today over which the new cards are
	// introduced (the days left less ConsolidationDays, at least 1).
	LearnDays int `json:"-"`
	// Hint tells a user with no reviews how to start ("" otherwise).
	Hint string `json:"-"`
}

// Forecast reports whether the plan has a forecast: a date after today.
func (p *Plan) Forecast() bool { return p.Total.RecallIdle != nil }

// DateError is an interview date that cannot be used.
type DateError struct{ Msg string }

func (e *DateError) Error() string { return e.Msg }

// ParseDate checks an interview date typed by the user: a calendar date
// YYYY-MM-DD after today (days counted as the scheduler counts them). It
// returns the date as stored.
func ParseDate(v string, sched *fsrs.Scheduler, now time.Time) (string, error) {
	t, err := time.Parse(store.DateLayout, v)
	if err != nil {
		return "", &DateError{fmt.Sprintf("interview date %q: want a date YYYY-MM-DD, such as %s", v,
			now.AddDate(0, 1, 0).Format(store.DateLayout))}
	}
	day := t.Format(store.DateLayout)
	switch n := daysLeft(day, sched, now); {
	case n == 0:
		return "", &DateError{fmt.Sprintf("interview date %s is today: choose a day after today", day)}
	case n < 0:
		return "", &DateError{fmt.Sprintf("interview date %s is in the past: choose a day after today", day)}
	}
	return day, nil
}

// When is the moment the forecast is for: 9 AM on the interview date, in
// the scheduler's time zone (or the day's start, when that is later).
func When(day string, sched *fsrs.Scheduler) time.Time {
	t, _ := deck.InterviewTime(day, sched)
	return t
}

// daysLeft is the number of scheduling days from now's to the interview's.
func daysLeft(day string, sched *fsrs.Scheduler, now time.Time) int {
	return deck.InterviewDaysLeft(day, sched, now)
}

// Brief is the dashboard's line: the days left and the overall readiness
// (the mean predicted recall now over every card, unseen ones counting 0:
// the plan's total recall now). It costs nothing: the figures are lib's.
// ok is false without a date.
func Brief(lib *study.Library) (days int, readiness float64, ok bool) {
	if lib.Interview == "" {
		return 0, 0, false
	}
	// The dashboard's figures already sum the recall (off the UI goroutine).
	if lib.Cards > 0 {
		readiness = lib.Dash.Total.Knowledge / float64(lib.Cards)
	}
	return daysLeft(lib.Interview, lib.Sched, lib.Now), readiness, true
}

// recall is a card's predicted recall at t, 0 for a card never reviewed
// (as stats' knowledge counts it).
func recall(lib *study.Library, id string, t time.Time) float64 {
	p, ok := lib.Progress[id]
	if !ok || p.Sched.State == fsrs.New || p.Sched.LastReview.IsZero() {
		return 0
	}
	r := lib.Sched.Retrievability(p.Sched, t)
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return 0
	}
	return r
}

// Compute is the plan at lib.Now for lib.Interview (no date: recall now only).
func Compute(lib *study.Library) *Plan {
	return compute(lib, 0)
}

// compute is Compute with the desired retention r (0: the settings').
func compute(lib *study.Library, r float64) *Plan {
	now := lib.Now
	pl := &Plan{Now: now, Areas: make([]Area, len(lib.Decks))}
	for i, d := range lib.Decks {
		a := &pl.Areas[i]
		a.ID, a.Title = d.ID, deck.SafeText(d.Title)
		if a.Title == "" {
			a.Title = d.ID
		}
		a.Cards = len(d.Cards)
		sum := 0.0
		for _, c := range d.Cards {
			if p, ok := lib.Progress[c.ID]; ok && p.Sched.State != fsrs.New && !p.Sched.LastReview.IsZero() {
				a.Seen++
			}
			sum += recall(lib, c.ID, now)
		}
		pl.Total.Cards += a.Cards
		pl.Total.Seen += a.Seen
		pl.Total.RecallNow += sum
		a.RecallNow = frac(sum, a.Cards)
	}
	pl.Total.RecallNow = frac(pl.Total.RecallNow, pl.Total.Cards)
	if lib.Interview == "" {
		if pl.Total.Seen == 0 {
			pl.Hint = "No reviews yet: every card counts 0. Study a deck from the dashboard (or opsdeck review --plain) to start."
		}
		return pl
	}
	day := lib.Interview
	left := daysLeft(day, lib.Sched, now)
	pl.InterviewDate, pl.DaysLeft = &day, &left
	if left <= 0 {
		// The day has come (or gone): nothing left to forecast or pace.
		pl.Hint = fmt.Sprintf("The interview date %s has come: set the next one, or clear it.", day)
		return pl
	}
	days := max(left, 0)
	pl.LearnDays = max(1, days-ConsolidationDays)
	at := When(day, lib.Sched)
	atDays := at.Sub(now).Hours() / 24

	groups := len(lib.Decks)
	cards, unseen := simCards(lib)
	newPerDay := make([]int, groups)
	for g := range newPerDay {
		newPerDay[g] = Pace(unseen[g], left)
	}
	res := lib.Sched.Simulate(cards, fsrs.SimConfig{
		Days: days, At: atDays, Groups: groups, NewPerDay: newPerDay, DesiredRetention: r})
	secs := secondsPerCard(lib)

	var idleT, planT float64
	var revT, newT int
	var minT float64
	for g := range pl.Areas {
		a := &pl.Areas[g]
		idle := 0.0
		for _, c := range lib.Decks[g].Cards {
			idle += recall(lib, c.ID, at)
		}
		idleT += idle
		planT += res.Recall[g]
		reviews, work := 0, 0
		for _, rd := range res.Days {
			reviews += rd[g].Reviews
			work += rd[g].Reviews + rd[g].New + rd[g].Steps
		}
		revDay := perDay(reviews, days)
		mins := round1(float64(work) * secs[g] / 60 / float64(max(days, 1)))
		a.RecallIdle = ptr(frac(idle, a.Cards))
		a.RecallOnPlan = ptr(frac(res.Recall[g], a.Cards))
		a.NewPerDay = ptr(newPerDay[g])
		a.ReviewsPerDay = ptr(revDay)
		a.MinutesPerDay = ptr(mins)
		revT += reviews
		newT += newPerDay[g]
		minT += mins
	}
	t := &pl.Total
	t.RecallIdle = ptr(frac(idleT, t.Cards))
	t.RecallOnPlan = ptr(frac(planT, t.Cards))
	t.NewPerDay = ptr(newT)
	t.ReviewsPerDay = ptr(perDay(revT, days))
	t.MinutesPerDay = ptr(round1(minT))
	if t.Seen == 0 {
		pl.Hint = fmt.Sprintf("No reviews yet: every card counts 0 now. Start today with the plan's %d new cards (Enter on the dashboard, or opsdeck review --plain).", newT)
	}
	return pl
}

// Pace is the plan's rule for new cards a day: every one of unseen cards
// introduced at least ConsolidationDays before the interview, daysLeft
// days away (with less time than that, over the days there are).
func Pace(unseen, daysLeft int) int { return deck.PlanPace(unseen, daysLeft) }

// simCards are the library's cards as the simulator sees them, grouped by
// deck, and the number of new cards each deck has to introduce. Suspended
// cards are never studied; a buried card comes back when it is unburied.
func simCards(lib *study.Library) ([]fsrs.SimCard, []int) {
	var out []fsrs.SimCard
	unseen := make([]int, len(lib.Decks))
	today := lib.Sched.DayIndex(lib.Now)
	for g, d := range lib.Decks {
		for _, c := range d.Cards {
			p, ok := lib.Progress[c.ID]
			if !ok {
				out = append(out, fsrs.SimCard{Group: g})
				unseen[g]++
				continue
			}
			sc := lib.Sched.SimCardOf(p.Sched, g, lib.Now)
			sc.Skip = p.Suspended
			if p.BuriedUntil.After(lib.Now) {
				sc.Due = max(sc.Due, lib.Sched.DayIndex(p.BuriedUntil)-today)
			}
			if sc.Mem.IsNew() && !sc.Skip {
				unseen[g]++
			}
			out = append(out, sc)
		}
	}
	return out, unseen
}

// secondsPerCard is each deck's average time per review (capped at
// maxAnswer each), or the collection's when the deck has few reviews, or
// DefaultSecondsPerCard.
func secondsPerCard(lib *study.Library) []float64 {
	idx := make(map[string]int, len(lib.Decks))
	for i, d := range lib.Decks {
		idx[d.ID] = i
	}
	sum := make([]time.Duration, len(lib.Decks))
	n := make([]int, len(lib.Decks))
	var all time.Duration
	allN := 0
	// The log is streamed (a read error leaves the default pace).
	_ = lib.EachReview(func(r *deck.Review) error {
		d := min(max(r.Duration, 0), maxAnswer)
		if d == 0 {
			return nil
		}
		all += d
		allN++
		if i, ok := idx[study.DeckOf(r.CardID)]; ok {
			sum[i] += d
			n[i]++
		}
		return nil
	})
	def := DefaultSecondsPerCard
	if allN > 0 {
		def = all.Seconds() / float64(allN)
	}
	out := make([]float64, len(lib.Decks))
	for i := range out {
		out[i] = def
		if n[i] >= minOwnReviews {
			out[i] = sum[i].Seconds() / float64(n[i])
		}
	}
	return out
}

// Choice is one desired retention's outcome: the minutes a day the plan
// takes and the recall on the day (of all cards).
type Choice struct {
	Retention     float64
	MinutesPerDay float64
	Recall        float64
}

// Decide compares the desired retentions of Retentions on the plan
// ("help me decide"). Without a date it looks DecideDays ahead.
func Decide(lib *study.Library) []Choice {
	l := *lib
	if l.Interview == "" {
		l.Interview = l.Now.In(loc(l.Sched)).AddDate(0, 0, DecideDays).Format(store.DateLayout)
	}
	out := make([]Choice, len(Retentions))
	for i, r := range Retentions {
		p := compute(&l, r)
		out[i] = Choice{Retention: r, MinutesPerDay: *p.Total.MinutesPerDay, Recall: *p.Total.RecallOnPlan}
	}
	return out
}

// DecideDays is how far ahead Decide looks without an interview date.
const DecideDays = 30

func loc(s *fsrs.Scheduler) *time.Location {
	if l := s.Params().Location; l != nil {
		return l
	}
	return time.UTC
}

func frac(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func perDay(total, days int) int {
	if days <= 0 {
		return 0
	}
	return int(math.Round(float64(total) / float64(days)))
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func ptr[T any](v T) *T { return &v }
