package stats

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Input is what the statistics are computed from.
type Input struct {
	Now time.Time
	// Sched gives the day boundaries (day-start hour and location), the
	// desired retention and the retrievability model.
	Sched *fsrs.Scheduler
	// Decks are the areas to report, in report order. A review counts when
	// the deck part of its card ID ("<deck-id>/<slug>") is one of them.
	Decks []DeckInfo
	// Progress by card ID; a card without an entry is new.
	Progress map[string]deck.Progress
	// EachCard, when set, streams the cards instead of the decks' CardIDs
	// and Progress (which are then ignored): it calls fn for each card with
	// the index of its deck in Decks and its progress (nil: never touched,
	// so new), in the decks' card order, and returns its own error. fn must
	// not keep p.
	EachCard func(fn func(deck int, p *deck.Progress)) error
	// Reviews is the review log, oldest first (any order works, a little
	// slower). Entries with a rating outside 1-4 are ignored.
	Reviews []deck.Review
	// EachReview, when set, streams the review log instead of Reviews
	// (which is then ignored): it calls fn for each entry, oldest first,
	// and returns fn's first error or its own. fn must not keep r.
	EachReview func(fn func(r *deck.Review) error) error
	// CardsOnly: only the card counts and due cards are wanted (the decks
	// list), so no card's retrievability is computed (the retrievability,
	// knowledge, stability and difficulty figures stay empty).
	CardsOnly bool
}

// DeckInfo names a deck and its cards.
type DeckInfo struct {
	ID      string
	Title   string
	Builtin bool
	CardIDs []string
}

// DeckInfoOf returns the DeckInfo of d.
func DeckInfoOf(d deck.Deck) DeckInfo {
	ids := make([]string, len(d.Cards))
	for i, c := range d.Cards {
		ids[i] = c.ID
	}
	return DeckInfo{ID: d.ID, Title: d.Title, Builtin: d.Builtin, CardIDs: ids}
}

// Result holds the JSON report and the chart data of every area.
type Result struct {
	Report Report
	Decks  []Charts // parallel to Report.Decks
	Total  Charts
}

// young/mature boundary, in days, for cards and for true retention.
const matureDays = 21

// Days in Anki's true-retention periods, counting today.
const (
	weekDays  = 7
	monthDays = 30
	yearDays  = 365
)

// area accumulates one area's figures.
type area struct {
	st     AreaStats
	ch     Charts
	rsum   float64
	rn     int
	days   []int // distinct study days (day indexes), in the order seen
	sorted bool  // days is ascending so far

}

func newArea() *area { return &area{ch: newCharts(), sorted: true} }

// clock holds the day boundaries around now.
type clock struct {
	s          *fsrs.Scheduler
	today      int         // day index of now
	todayStart time.Time   // start of today
	starts     []time.Time // starts[k]: start of day today+k, k = 0..ForecastDays
	cellToday  int         // index of today in Activity.Cells
	cellStarts [HeatmapWeeks * 7]time.Time
	// cache of the last day looked up
	lo, hi time.Time
	idx    int
}

func nextDayStart(s *fsrs.Scheduler, dayStart time.Time) time.Time {
	// A day lasts 23 to 25 hours, so 36 hours on lies inside the next day.
	return s.DayStart(dayStart.Add(36 * time.Hour))
}

func newClock(s *fsrs.Scheduler, now time.Time) *clock {
	c := &clock{s: s, today: s.DayIndex(now), todayStart: s.DayStart(now)}
	c.starts = make([]time.Time, ForecastDays+1)
	c.starts[0] = c.todayStart
	for k := 1; k <= ForecastDays; k++ {
		c.starts[k] = nextDayStart(s, c.starts[k-1])
	}
	loc := s.Params().Location
	if loc == nil {
		loc = time.UTC
	}
	ts := c.todayStart.In(loc)
	weekday := (int(ts.Weekday()) + 6) % 7 // Monday 0
	c.cellToday = (HeatmapWeeks-1)*7 + weekday
	for i := range c.cellStarts {
		c.cellStarts[i] = ts.AddDate(0, 0, i-c.cellToday)
	}
	c.lo, c.hi, c.idx = c.todayStart, c.starts[1], c.today
	return c
}

// dayOf returns the day index of t.
func (c *clock) dayOf(t time.Time) int {
	if !t.Before(c.lo) && t.Before(c.hi) {
		return c.idx
	}
	c.idx = c.s.DayIndex(t)
	c.lo = c.s.DayStart(t)
	c.hi = nextDayStart(c.s, c.lo)
	return c.idx
}

// forecastDay returns the forecast day of a due time (0 for today and
// overdue), and false when it lies after the forecast.
func (c *clock) forecastDay(due time.Time) (int, bool) {
	if due.Before(c.starts[1]) {
		return 0, true
	}
	k := sort.Search(len(c.starts), func(i int) bool { return due.Before(c.starts[i]) })
	if k == len(c.starts) {
		return 0, false
	}
	return k - 1, true
}

// Compute computes every figure of the report and the charts.
func Compute(in Input) (*Result, error) {
	if in.Sched == nil {
		return nil, errors.New("stats: no scheduler")
	}
	p := in.Sched.Params()
	clk := newClock(in.Sched, in.Now)

	total := newArea()
	areas := make([]*area, len(in.Decks))
	byID := make(map[string]int, len(in.Decks))
	for i, d := range in.Decks {
		areas[i] = newArea()
		byID[d.ID] = i
	}
	initActivity(&total.ch.Activity, clk)
	for _, a := range areas {
		initActivity(&a.ch.Activity, clk)
	}

	if in.EachCard != nil {
		var bad bool
		err := in.EachCard(func(i int, p *deck.Progress) {
			if i < 0 || i >= len(areas) {
				bad = true
				return
			}
			if p == nil {
				addCard(areas[i], total, deck.Progress{}, false, in, clk)
				return
			}
			addCard(areas[i], total, *p, true, in, clk)
		})
		if err != nil {
			return nil, err
		}
		if bad {
			return nil, errors.New("stats: a card of a deck not in the report")
		}
	} else {
		for i, d := range in.Decks {
			for _, id := range d.CardIDs {
				pr, ok := in.Progress[id]
				addCard(areas[i], total, pr, ok, in, clk)
			}
		}
	}

	add := func(r *deck.Review) error {
		if r.Rating < 1 || r.Rating > 4 {
			return nil
		}
		j := deckOf(r.CardID, in.Decks, byID)
		if j < 0 {
			return nil
		}
		day := clk.dayOf(r.At)
		areas[j].addReview(r, day, clk)
		total.addReview(r, day, clk)
		return nil
	}
	if in.EachReview != nil {
		if err := in.EachReview(add); err != nil {
			return nil, err
		}
	} else {
		for i := range in.Reviews {
			add(&in.Reviews[i])
		}
	}

	res := &Result{Report: Report{
		Now:              in.Now,
		DayStartsAtHour:  p.DayStartHour,
		DesiredRetention: p.DesiredRetention,
		Decks:            make([]DeckStats, len(in.Decks)),
	}, Decks: make([]Charts, len(in.Decks))}
	for i, d := range in.Decks {
		a := areas[i]
		a.finish(in, clk)
		res.Report.Decks[i] = DeckStats{ID: d.ID, Title: d.Title, Builtin: d.Builtin, AreaStats: a.st}
		res.Decks[i] = a.ch
	}
	total.finish(in, clk)
	res.Report.Total = total.st
	res.Total = total.ch
	return res, nil
}

// deckOf returns the index in decks of the deck of a card ID
// ("<deck-id>/<slug>"), or -1.
func deckOf(cardID string, decks []DeckInfo, byID map[string]int) int {
	if len(decks) <= 16 { // a scan beats hashing for the usual few decks
		for j := range decks {
			id := decks[j].ID
			if len(cardID) > len(id) && cardID[len(id)] == '/' && cardID[:len(id)] == id {
				return j
			}
		}
		return -1
	}
	k := strings.IndexByte(cardID, '/')
	if k < 0 {
		return -1
	}
	if j, ok := byID[cardID[:k]]; ok {
		return j
	}
	return -1
}

func initActivity(a *Activity, clk *clock) {
	a.Today = clk.cellToday
	for i := range a.Cells {
		a.Cells[i] = Day{Start: clk.cellStarts[i], Future: i > clk.cellToday}
	}
}

// addCard counts one card in its deck's area and in the total.
func addCard(a, total *area, pr deck.Progress, known bool, in Input, clk *clock) {
	c := pr.Sched
	if !known {
		c = fsrs.Card{State: fsrs.New}
	}
	buried := known && pr.BuriedUntil.After(in.Now)
	// Reviewed at least once: a card with a state but no last review (bad
	// data) has no retrievability to speak of.
	reviewed := c.State != fsrs.New && !c.LastReview.IsZero() && !in.CardsOnly
	var r float64
	if reviewed {
		r = in.Sched.Retrievability(c, in.Now)
		if math.IsNaN(r) || math.IsInf(r, 0) {
			reviewed = false
		}
	}
	for _, x := range [2]*area{a, total} {
		cc := &x.st.Cards
		cc.Total++
		if pr.Leech {
			cc.Leeches++
		}
		switch {
		case pr.Suspended:
			cc.Suspended++
		case c.State == fsrs.New:
			cc.New++
		case c.State == fsrs.Learning || c.State == fsrs.Relearning:
			cc.Learning++
		case c.ScheduledDays < matureDays:
			cc.Young++
		default:
			cc.Mature++
		}
		if reviewed {
			x.rsum += r
			x.rn++
			x.ch.Retrievability.add(r)
			x.ch.Stability.add(c.Stability)
			x.ch.Difficulty.add(c.Difficulty)
		}
		if c.State == fsrs.Review {
			x.ch.Intervals.add(float64(c.ScheduledDays))
		}
		if pr.Suspended {
			continue
		}
		if c.State == fsrs.New {
			continue
		}
		if c.State == fsrs.Review || c.State == fsrs.Relearning {
			x.ch.Forecast.DailyLoad += 1 / float64(max(1, c.ScheduledDays))
		}
		due := c.Due
		if buried && pr.BuriedUntil.After(due) {
			due = pr.BuriedUntil
		}
		if k, ok := clk.forecastDay(due); ok {
			x.ch.Forecast.Days[k]++
			if due.Before(clk.todayStart) {
				x.ch.Forecast.Overdue++
			}
		} else {
			x.ch.Forecast.Later++
		}
		if !buried && c.Due.Before(clk.starts[1]) {
			x.st.DueToday++
		}
	}
}

func (a *area) addReview(r *deck.Review, day int, clk *clock) {
	off := clk.today - day // days ago; a review after now counts as today
	if off < 0 {
		off = 0
	}
	a.st.Reviews.All++
	act := &a.ch.Activity
	act.TimeAll += r.Duration
	if off == 0 {
		a.st.Reviews.Today++
		act.TimeToday += r.Duration
	}
	if cell := act.Today - off; cell >= 0 {
		act.Cells[cell].Reviews++
		act.Cells[cell].Time += r.Duration
	}
	day = clk.today - off
	if n := len(a.days); n == 0 || a.days[n-1] != day {
		if n > 0 && day < a.days[n-1] {
			a.sorted = false
		}
		a.days = append(a.days, day)
	}

	pass := r.Rating > 1
	kind := KindLearning
	if fsrs.State(r.StateBefore) == fsrs.Review {
		kind = KindYoung
		if r.LastInterval >= matureDays {
			kind = KindMature
		}
	}
	a.ch.ButtonsAll.Counts[kind][r.Rating-1]++
	if off < monthDays {
		a.ch.ButtonsMonth.Counts[kind][r.Rating-1]++
	}

	if r.LastInterval < 1 {
		return
	}
	tr := &a.st.TrueRetention
	count := func(rt *Retention) {
		pf := &rt.Young
		if r.LastInterval >= matureDays {
			pf = &rt.Mature
		}
		if pass {
			pf.Pass++
		} else {
			pf.Fail++
		}
	}
	count(&tr.All)
	if off < yearDays {
		count(&tr.Year)
	}
	if off < monthDays {
		count(&tr.Month)
	}
	if off < weekDays {
		count(&tr.Week)
	}
	switch off {
	case 0:
		count(&tr.Today)
	case 1:
		count(&tr.Yesterday)
	}
}

func (a *area) finish(in Input, clk *clock) {
	if a.rn > 0 {
		m := a.rsum / float64(a.rn)
		a.st.Retrievability = &m
	}
	a.st.Knowledge = a.rsum
	for _, h := range []*Histogram{&a.ch.Intervals, &a.ch.Stability, &a.ch.Difficulty, &a.ch.Retrievability} {
		h.finish()
	}

	days := a.days
	if !a.sorted {
		slices.Sort(days)
		days = slices.Compact(days)
	}
	act := &a.ch.Activity
	act.DaysStudied = len(days)
	run := 0
	for i, d := range days {
		if i > 0 && d == days[i-1]+1 {
			run++
		} else {
			run = 1
		}
		act.LongestStreak = max(act.LongestStreak, run)
	}
	// The current streak ends today, or yesterday when nothing is done yet
	// today (days after today were folded into today).
	if n := len(days); n > 0 && days[n-1] >= clk.today-1 {
		for i := n - 1; i >= 0 && days[i] == days[n-1]-(n-1-i); i-- {
			act.CurrentStreak++
		}
	}
}
