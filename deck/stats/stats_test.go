package stats

import (
	"math"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// The test world: a user in UTC+2 whose days start at 04:00 local time.
// "Now" is Wednesday 2026-03-11 10:00 local, so today runs from
// 2026-03-11 04:00 to 2026-03-12 04:00 local.
var zone = time.FixedZone("UTC+2", 2*3600)

func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, zone)
}

var testNow = at(2026, 3, 11, 10, 0)

func testScheduler(t testing.TB) *fsrs.Scheduler {
	t.Helper()
	p := fsrs.DefaultParams()
	p.EnableFuzz = false
	p.DayStartHour = 4
	p.Location = zone
	s, err := fsrs.NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sched builds a card state reviewed `days` whole days (of 24 h) before
// testNow, so the elapsed time is the same whether it is counted in day
// boundaries or in fractional days.
func sched(state fsrs.State, scheduledDays int, s float64, days int, due time.Time) fsrs.Card {
	return fsrs.Card{
		State: state, ScheduledDays: scheduledDays, Stability: s, Difficulty: 5,
		LastReview: testNow.Add(-time.Duration(days) * 24 * time.Hour), Due: due, Reps: 1,
	}
}

// Retrievability R(t, S) published in ../shared/fsrs/README.md for the
// default parameters: (t, S) -> R.
const (
	r0_1 = 1.0       // R(0, 1)
	r1_2 = 0.9403443 // R(1, 2)
	r2_3 = 0.9253786 // R(2, 3)
	r3_4 = 0.9185229 // R(3, 4)
	r4_4 = 0.9       // R(4, 4)
	r5_2 = 0.8261359 // R(5, 2)
)

func rev(card string, t time.Time, rating, stateBefore, lastInterval int) deck.Review {
	return deck.Review{CardID: card, At: t, Rating: rating, StateBefore: stateBefore,
		LastInterval: lastInterval, Duration: 10 * time.Second}
}

const (
	sNew, sLearn, sReview = 0, 1, 2
)

// world is the hand-built collection every figure below is worked out from.
func world(t testing.TB) Input {
	tomorrow4 := at(2026, 3, 12, 4, 0) // next day start
	prog := map[string]deck.Progress{
		// k8s ----------------------------------------------------------
		// a: young (interval 20 < 21), due 09:00 today; R(4, 4).
		"k8s/a": {Sched: sched(fsrs.Review, 20, 4, 4, at(2026, 3, 11, 9, 0))},
		// b: mature (interval 21 is mature), due 03:59 tomorrow morning,
		// which is still today (day starts at 04:00); R(5, 2).
		"k8s/b": {Sched: sched(fsrs.Review, 21, 2, 5, at(2026, 3, 12, 3, 59))},
		// c: mature, due exactly at the next day start: tomorrow; R(1, 2).
		"k8s/c": {Sched: sched(fsrs.Review, 30, 2, 1, tomorrow4)},
		// d: learning, due later today (10:10): due today; R(2, 3).
		"k8s/d": {Sched: sched(fsrs.Learning, 0, 3, 2, at(2026, 3, 11, 10, 10))},
		// e: new (no progress at all).
		// f: suspended leech, overdue since yesterday: not due, not in the
		// forecast, but still remembered: R(3, 4).
		"k8s/f": {Sched: sched(fsrs.Review, 10, 4, 3, at(2026, 3, 10, 12, 0)), Suspended: true, Leech: true},
		// g: young, overdue, but buried until the next day start: not due
		// today, in the forecast tomorrow; R(0, 1).
		"k8s/g": {Sched: sched(fsrs.Review, 5, 1, 0, at(2026, 3, 9, 12, 0)), BuriedUntil: tomorrow4},
		// h: relearning, overdue since yesterday 12:00: due today and
		// overdue; R(5, 2).
		"k8s/h": {Sched: sched(fsrs.Relearning, 0, 2, 5, at(2026, 3, 10, 12, 0))},
		// ops ----------------------------------------------------------
		// x: mature, due 2026-03-20 12:00 = forecast day 9; R(4, 4).
		"ops/x": {Sched: sched(fsrs.Review, 45, 4, 4, at(2026, 3, 20, 12, 0))},
		// y: mature, due 2026-05-01: after the 30-day forecast; R(1, 2).
		"ops/y": {Sched: sched(fsrs.Review, 100, 2, 1, at(2026, 5, 1, 12, 0))},
		// w: learning, due 04:30 today; R(2, 3).
		"ops/w": {Sched: sched(fsrs.Learning, 0, 3, 2, at(2026, 3, 11, 4, 30))},
		// v: learning since its first review now, due 10:05; R(0, 1).
		"ops/v": {Sched: sched(fsrs.Learning, 0, 1, 0, at(2026, 3, 11, 10, 5))},
		// n1: new, no progress; n2: new with a stored state; n3: new and
		// buried until tomorrow (not available today).
		"ops/n2": {Sched: fsrs.Card{State: fsrs.New}},
		"ops/n3": {Sched: fsrs.Card{State: fsrs.New}, BuriedUntil: tomorrow4},
		// a card of a deck that is not reported
		"gone/z": {Sched: sched(fsrs.Review, 3, 1, 1, testNow)},
	}
	reviews := []deck.Review{
		// #11 365 days ago: all only (young pass)
		rev("ops/y", at(2025, 3, 11, 12, 0), 3, sReview, 10),
		// #10 364 days ago: year (young fail)
		rev("ops/y", at(2025, 3, 12, 12, 0), 1, sReview, 10),
		// #9 30 days ago: year, not month (young pass)
		rev("ops/y", at(2026, 2, 9, 12, 0), 3, sReview, 3),
		// #8 29 days ago: month (young pass)
		rev("ops/y", at(2026, 2, 10, 12, 0), 3, sReview, 3),
		// #7 7 days ago: month, not week (mature fail)
		rev("ops/x", at(2026, 3, 4, 12, 0), 1, sReview, 30),
		// #6 6 days ago: week (mature pass: Hard is a pass)
		rev("ops/x", at(2026, 3, 5, 12, 0), 2, sReview, 30),
		// learning steps 5, 4 and 3 days ago: not in true retention
		rev("ops/w", at(2026, 3, 6, 12, 0), 3, sLearn, 0),
		rev("ops/w", at(2026, 3, 7, 12, 0), 3, sLearn, 0),
		rev("ops/w", at(2026, 3, 8, 12, 0), 3, sLearn, 0),
		// (no review on 2026-03-09, 2 days ago: the streak breaks)
		// #1 today 03:59 local is still yesterday (young pass)
		rev("k8s/a", at(2026, 3, 11, 3, 59), 3, sReview, 5),
		// #2 today 04:00: today (young fail)
		rev("k8s/a", at(2026, 3, 11, 4, 0), 1, sReview, 5),
		// ignored: a deck that is not reported, and a rating outside 1-4
		rev("gone/z", at(2026, 3, 11, 8, 0), 1, sReview, 50),
		rev("k8s/b", at(2026, 3, 11, 8, 30), 0, sReview, 50),
		// #3 today: interval 21 is mature (pass)
		rev("k8s/b", at(2026, 3, 11, 9, 0), 3, sReview, 21),
		// #4 today: interval 20 is young (pass)
		rev("k8s/c", at(2026, 3, 11, 9, 10), 4, sReview, 20),
		// #5 today: a learning step (interval 0): not counted
		rev("k8s/d", at(2026, 3, 11, 9, 20), 3, sLearn, 0),
		// a new card introduced today, now
		rev("ops/v", testNow, 3, sNew, 0),
	}
	return Input{
		Now:   testNow,
		Sched: testScheduler(t),
		Decks: []DeckInfo{
			{ID: "k8s", Title: "Kubernetes", Builtin: true, CardIDs: []string{"k8s/a", "k8s/b", "k8s/c", "k8s/d", "k8s/e", "k8s/f", "k8s/g", "k8s/h"}},
			{ID: "ops", Title: "Ops", CardIDs: []string{"ops/x", "ops/y", "ops/w", "ops/v", "ops/n1", "ops/n2", "ops/n3"}},
		},
		Progress: prog,
		Reviews:  reviews,
	}
}

func compute(t testing.TB) *Result {
	t.Helper()
	res, err := Compute(world(t))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestCardCountsAndDue(t *testing.T) {
	res := compute(t)
	k8s, ops, tot := res.Report.Decks[0], res.Report.Decks[1], res.Report.Total
	// k8s: new e; learning d, h; young a (20), g (5); mature b (21),
	// c (30); suspended f (only as suspended); leech f. 1+2+2+2+1 = 8.
	if want := (CardCounts{Total: 8, New: 1, Learning: 2, Young: 2, Mature: 2, Suspended: 1, Leeches: 1}); k8s.Cards != want {
		t.Errorf("k8s cards = %+v, want %+v", k8s.Cards, want)
	}
	// ops: new n1, n2, n3; learning w, v; mature x (45), y (100).
	if want := (CardCounts{Total: 7, New: 3, Learning: 2, Mature: 2}); ops.Cards != want {
		t.Errorf("ops cards = %+v, want %+v", ops.Cards, want)
	}
	if want := (CardCounts{Total: 15, New: 4, Learning: 4, Young: 2, Mature: 4, Suspended: 1, Leeches: 1}); tot.Cards != want {
		t.Errorf("total cards = %+v, want %+v", tot.Cards, want)
	}
	// due today, k8s: a (09:00), b (03:59 tomorrow < 04:00), d (10:10),
	// h (overdue) = 4; not c (04:00 tomorrow), f (suspended), g (buried).
	// ops: w (04:30), v (10:05) = 2. Total 6.
	for _, c := range []struct {
		name      string
		got, want int
	}{{"k8s", k8s.DueToday, 4}, {"ops", ops.DueToday, 2}, {"total", tot.DueToday, 6}} {
		if c.got != c.want {
			t.Errorf("%s due_today = %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestRetrievabilityAndKnowledge(t *testing.T) {
	res := compute(t)
	// k8s reviewed cards: a R(4,4) .9 + b R(5,2) .8261359 + c R(1,2)
	// .9403443 + d R(2,3) .9253786 + f R(3,4) .9185229 + g R(0,1) 1 +
	// h R(5,2) .8261359 = 6.3365176 over 7 cards; e (new) counts 0.
	k8sSum := r4_4 + r5_2 + r1_2 + r2_3 + r3_4 + r0_1 + r5_2
	// ops: x .9 + y .9403443 + w .9253786 + v 1 = 3.7657229 over 4 cards.
	opsSum := r4_4 + r1_2 + r2_3 + r0_1
	for _, c := range []struct {
		name string
		a    AreaStats
		sum  float64
		n    int
	}{
		{"k8s", res.Report.Decks[0].AreaStats, 6.3365176, 7},
		{"ops", res.Report.Decks[1].AreaStats, 3.7657229, 4},
		{"total", res.Report.Total, 10.1022405, 11},
	} {
		if !near(c.a.Knowledge, c.sum) {
			t.Errorf("%s knowledge = %.7f, want %.7f", c.name, c.a.Knowledge, c.sum)
		}
		if c.a.Retrievability == nil || !near(*c.a.Retrievability, c.sum/float64(c.n)) {
			t.Errorf("%s retrievability = %v, want %.7f", c.name, c.a.Retrievability, c.sum/float64(c.n))
		}
	}
	if !near(k8sSum, 6.3365176) || !near(opsSum, 3.7657229) {
		t.Fatalf("hand sums are wrong: %v %v", k8sSum, opsSum)
	}
	// Retrievability histogram of the total: b, h (.826) in [.8, .9);
	// c, y (.940), d, w (.925), f (.919), g, v (1) in [.9, 1]; a and x
	// are R(4, 4) = .9 up to rounding, on the edge of the two.
	h := res.Total.Retrievability
	if h.N != 11 || h.Buckets[8].Count+h.Buckets[9].Count != 11 ||
		(h.Buckets[8].Count != 2 && h.Buckets[8].Count != 4) {
		t.Errorf("retrievability histogram = %+v", h)
	}
}

func TestNoReviewedCardsGivesNullRetrievability(t *testing.T) {
	in := world(t)
	in.Decks = append(in.Decks, DeckInfo{ID: "fresh", Title: "Fresh", CardIDs: []string{"fresh/1", "fresh/2"}})
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Report.Decks[2]
	if f.Retrievability != nil || f.Knowledge != 0 || f.Cards.New != 2 {
		t.Errorf("fresh deck = %+v, want null retrievability, 0 knowledge, 2 new", f.AreaStats)
	}
}

func pf(p, f int) PassFail { return PassFail{Pass: p, Fail: f} }

func TestTrueRetention(t *testing.T) {
	res := compute(t)
	// k8s: #1 yesterday (03:59) young pass; #2 today young fail; #3 today
	// mature pass (21); #4 today young pass (20); #5 learning: not counted.
	k8s := TrueRetention{
		Today:     Retention{Young: pf(1, 1), Mature: pf(1, 0)},
		Yesterday: Retention{Young: pf(1, 0)},
		Week:      Retention{Young: pf(2, 1), Mature: pf(1, 0)},
		Month:     Retention{Young: pf(2, 1), Mature: pf(1, 0)},
		Year:      Retention{Young: pf(2, 1), Mature: pf(1, 0)},
		All:       Retention{Young: pf(2, 1), Mature: pf(1, 0)},
	}
	// ops: #6 6 days ago mature pass (week); #7 7 days ago mature fail
	// (month); #8 29 days ago young pass (month); #9 30 days ago young
	// pass (year); #10 364 days ago young fail (year); #11 365 days ago
	// young pass (all only); w's steps and v's first review: not counted.
	ops := TrueRetention{
		Week:  Retention{Mature: pf(1, 0)},
		Month: Retention{Young: pf(1, 0), Mature: pf(1, 1)},
		Year:  Retention{Young: pf(2, 1), Mature: pf(1, 1)},
		All:   Retention{Young: pf(3, 1), Mature: pf(1, 1)},
	}
	// total = k8s + ops (the gone/z review and the rating-0 entry are ignored)
	tot := TrueRetention{
		Today:     Retention{Young: pf(1, 1), Mature: pf(1, 0)},
		Yesterday: Retention{Young: pf(1, 0)},
		Week:      Retention{Young: pf(2, 1), Mature: pf(2, 0)},
		Month:     Retention{Young: pf(3, 1), Mature: pf(2, 1)},
		Year:      Retention{Young: pf(4, 2), Mature: pf(2, 1)},
		All:       Retention{Young: pf(5, 2), Mature: pf(2, 1)},
	}
	for _, c := range []struct {
		name      string
		got, want TrueRetention
	}{
		{"k8s", res.Report.Decks[0].TrueRetention, k8s},
		{"ops", res.Report.Decks[1].TrueRetention, ops},
		{"total", res.Report.Total.TrueRetention, tot},
	} {
		if c.got != c.want {
			t.Errorf("%s true retention =\n%+v\nwant\n%+v", c.name, c.got, c.want)
		}
	}
	// Rate: total month young 3/(3+1) = 75%.
	if r, ok := tot.Month.Young.Rate(); !ok || r != 0.75 {
		t.Errorf("rate = %v %v", r, ok)
	}
	if _, ok := (PassFail{}).Rate(); ok {
		t.Error("empty rate is defined")
	}
}

func TestReviewCountsAndTime(t *testing.T) {
	res := compute(t)
	// k8s: #1..#5 = 5, today #2..#5 = 4 (#1 at 03:59 is yesterday).
	// ops: #6..#11 (6) + w's 3 steps + v = 10, today v = 1.
	for _, c := range []struct {
		name string
		got  ReviewCounts
		want ReviewCounts
	}{
		{"k8s", res.Report.Decks[0].Reviews, ReviewCounts{Today: 4, All: 5}},
		{"ops", res.Report.Decks[1].Reviews, ReviewCounts{Today: 1, All: 10}},
		{"total", res.Report.Total.Reviews, ReviewCounts{Today: 5, All: 15}},
	} {
		if c.got != c.want {
			t.Errorf("%s reviews = %+v, want %+v", c.name, c.got, c.want)
		}
	}
	// 10 s each: k8s today 4 x 10 s, all 5 x 10 s.
	a := res.Decks[0].Activity
	if a.TimeToday != 40*time.Second || a.TimeAll != 50*time.Second {
		t.Errorf("k8s time today %v all %v, want 40s 50s", a.TimeToday, a.TimeAll)
	}
}

func TestActivityCalendarAndStreaks(t *testing.T) {
	res := compute(t)
	a := res.Total.Activity
	// 2026-03-11 is a Wednesday: row 2 of the last (53rd) week column.
	if a.Today != 52*7+2 {
		t.Fatalf("today cell = %d, want %d", a.Today, 52*7+2)
	}
	if got := a.Cells[a.Today].Start; got.Year() != 2026 || got.Month() != 3 || got.Day() != 11 {
		t.Errorf("today cell date = %v", got)
	}
	// Cells after today (Thu-Sun) are future; today is not.
	if a.Cells[a.Today].Future || !a.Cells[a.Today+1].Future || !a.Cells[len(a.Cells)-1].Future {
		t.Error("future flags wrong")
	}
	// Per day: today 5 (#2, #3, #4, #5, v); yesterday 1 (#1 at 03:59);
	// 2 days ago 0; 3, 4, 5 days ago 1 each (w); 6 and 7 days ago 1 (x);
	// 29, 30, 364 days ago 1 (y); 365 days ago 1 = cell 366-365 = 1.
	want := map[int]int{0: 5, 1: 1, 2: 0, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 0, 29: 1, 30: 1, 364: 1, 365: 1, 366: 0}
	for off, n := range want {
		if got := a.Cells[a.Today-off].Reviews; got != n {
			t.Errorf("reviews %d days ago = %d, want %d", off, got, n)
		}
	}
	// 364 days = 52 weeks before Wednesday 2026-03-11 is Wednesday
	// 2025-03-12, in row 2 of the first column.
	if d := a.Cells[a.Today-364].Start; a.Today-364 != 2 || d.Month() != 3 || d.Day() != 12 || d.Weekday() != time.Wednesday {
		t.Errorf("cell 364 days ago = %v", d)
	}
	// Days studied: today, 1, 3, 4, 5, 6, 7, 29, 30, 364, 365 = 11.
	// Current streak: today + yesterday = 2 (2 days ago is missed).
	// Longest: 3..7 days ago = 5.
	if a.DaysStudied != 11 || a.CurrentStreak != 2 || a.LongestStreak != 5 {
		t.Errorf("days %d, current %d, longest %d; want 11, 2, 5", a.DaysStudied, a.CurrentStreak, a.LongestStreak)
	}
	// ops alone: today (v), then nothing yesterday or 2 days ago: current 1.
	if o := res.Decks[1].Activity; o.CurrentStreak != 1 || o.LongestStreak != 5 {
		t.Errorf("ops current %d longest %d; want 1, 5", o.CurrentStreak, o.LongestStreak)
	}
}

func TestCurrentStreakEndsYesterday(t *testing.T) {
	in := world(t)
	in.Decks = in.Decks[1:] // ops
	in.Reviews = nil
	// reviews 1, 2 and 3 days ago, none yet today: the streak is 3 and
	// still current; given out of order on purpose.
	for _, d := range []int{2, 1, 3, 3} {
		in.Reviews = append(in.Reviews, rev("ops/x", testNow.AddDate(0, 0, -d), 3, sReview, 5))
	}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Total.Activity; a.CurrentStreak != 3 || a.LongestStreak != 3 || a.DaysStudied != 3 {
		t.Errorf("current %d longest %d days %d; want 3 3 3", a.CurrentStreak, a.LongestStreak, a.DaysStudied)
	}
	// Moved one day back (2, 3, 4 days ago): yesterday was missed, so
	// the current streak is 0 while the longest stays 3.
	for i := range in.Reviews {
		in.Reviews[i].At = in.Reviews[i].At.AddDate(0, 0, -1)
	}
	res, _ = Compute(in)
	if a := res.Total.Activity; a.CurrentStreak != 0 || a.LongestStreak != 3 {
		t.Errorf("current %d longest %d; want 0 3", a.CurrentStreak, a.LongestStreak)
	}
}

func TestForecast(t *testing.T) {
	res := compute(t)
	// k8s: today a, b, d, h = 4 (h overdue: due yesterday); tomorrow c
	// (04:00) and g (buried until 04:00 tomorrow) = 2; f is suspended and
	// left out although overdue; e is new.
	k := res.Decks[0].Forecast
	if k.Days[0] != 4 || k.Overdue != 1 || k.Days[1] != 2 || k.Later != 0 || sum(k.Days[:]) != 6 {
		t.Errorf("k8s forecast = %+v", k)
	}
	// ops: today w, v = 2; x on 2026-03-20 = day 9; y later.
	o := res.Decks[1].Forecast
	if o.Days[0] != 2 || o.Overdue != 0 || o.Days[9] != 1 || o.Later != 1 || sum(o.Days[:]) != 3 {
		t.Errorf("ops forecast = %+v", o)
	}
	// Daily load, unsuspended review/relearning cards, 1/max(1, interval):
	// k8s a 1/20 + b 1/21 + c 1/30 + g 1/5 + h 1/1 (interval 0)
	//   = .05 + .047619048 + .033333333 + .2 + 1 = 1.330952381;
	// ops x 1/45 + y 1/100 = .022222222 + .01 = .032222222.
	if !near(k.DailyLoad, 1.330952381) || !near(o.DailyLoad, 0.032222222) ||
		!near(res.Total.Forecast.DailyLoad, 1.363174603) {
		t.Errorf("daily load k8s %v ops %v total %v", k.DailyLoad, o.DailyLoad, res.Total.Forecast.DailyLoad)
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func TestButtonsAndDistributions(t *testing.T) {
	res := compute(t)
	b := res.Total.ButtonsAll.Counts
	// learning: #5, w x3, v all Good = [0 0 5 0];
	// young (review, interval < 21): #1 Good, #2 Again, #4 Easy, #8 Good,
	// #9 Good, #10 Again, #11 Good = [2 0 4 1];
	// mature: #3 Good, #6 Hard, #7 Again = [1 1 1 0].
	if want := [3][4]int{{0, 0, 5, 0}, {2, 0, 4, 1}, {1, 1, 1, 0}}; b != want {
		t.Errorf("buttons all = %v, want %v", b, want)
	}
	// last 30 days drop #9 (30 days ago), #10, #11: young [1 0 2 1].
	if want := [3][4]int{{0, 0, 5, 0}, {1, 0, 2, 1}, {1, 1, 1, 0}}; res.Total.ButtonsMonth.Counts != want {
		t.Errorf("buttons month = %v, want %v", res.Total.ButtonsMonth.Counts, want)
	}
	// Intervals of review cards: g 5 (4-6), f 10 (7-13), a 20 (14-20),
	// b 21 (21-29), c 30 and x 45 (30-59), y 100 (90-179); mean 231/7 = 33.
	h := res.Total.Intervals
	counts := map[string]int{}
	for _, bk := range h.Buckets {
		counts[bk.Label] = bk.Count
	}
	want := map[string]int{"<2": 0, "2": 0, "3": 0, "4-6": 1, "7-13": 1, "14-20": 1, "21-29": 1, "30-59": 2, "60-89": 0, "90-179": 1, "180-364": 0, "365+": 0}
	if len(counts) != len(want) {
		t.Errorf("interval buckets %v", counts)
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("interval bucket %q = %d, want %d", k, counts[k], n)
		}
	}
	if h.N != 7 || h.Mean != 33 {
		t.Errorf("intervals N %d mean %v, want 7, 33", h.N, h.Mean)
	}
	// Stability of the 11 reviewed cards: S 1 (g, v) -> "1-2"; 2 (b, c,
	// h, y) -> "2-3"; 3 (d, w) and 4 (a, f, x) -> "3-7".
	s := res.Total.Stability
	if s.Buckets[1].Count != 2 || s.Buckets[2].Count != 4 || s.Buckets[3].Count != 5 || s.N != 11 {
		t.Errorf("stability = %+v", s.Buckets)
	}
	// Difficulty 5 for all: bucket "5-6".
	if d := res.Total.Difficulty; d.Buckets[4].Label != "5-6" || d.Buckets[4].Count != 11 {
		t.Errorf("difficulty = %+v", d.Buckets)
	}
}

func TestNoScheduler(t *testing.T) {
	if _, err := Compute(Input{Now: testNow}); err == nil {
		t.Error("Compute without a scheduler succeeded")
	}
}

func TestDeckOf(t *testing.T) {
	// Both lookups (a scan for few decks, a map for many) agree: the deck
	// is the part of the card ID before the first "/".
	for _, n := range []int{3, 20} {
		decks := make([]DeckInfo, n)
		byID := map[string]int{}
		for i := range decks {
			decks[i].ID = string(rune('a'+i)) + "x"
			byID[decks[i].ID] = i
		}
		for id, want := range map[string]int{"ax/1": 0, "bx/card": 1, "bx": -1, "b/x": -1, "bxx/1": -1, "": -1, "cx/": 2} {
			if got := deckOf(id, decks, byID); got != want {
				t.Errorf("%d decks: deckOf(%q) = %d, want %d", n, id, got, want)
			}
		}
	}
}
