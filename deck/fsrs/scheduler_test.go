package fsrs

import (
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

func mustScheduler(t testing.TB, p Params) *Scheduler {
	t.Helper()
	s, err := NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func noFuzz() Params {
	p := DefaultParams()
	p.EnableFuzz = false
	return p
}

// The README's scheduler sequence: steps 1m 10m, no fuzz, each review at
// its due time.
func TestSchedulerPublishedSequence(t *testing.T) {
	s := mustScheduler(t, noFuzz())
	grades := []Rating{Good, Good, Good, Good, Good, Good, Again, Again, Good, Good, Good, Good, Good}
	want := []int{0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21}
	c := Card{State: New, Due: t0}
	now := t0
	for i, g := range grades {
		c = s.Next(c, "k", now, g)
		if c.ScheduledDays != want[i] {
			t.Fatalf("review %d (grade %d): scheduled %d days, want %d (card %+v)", i, g, c.ScheduledDays, want[i], c)
		}
		if c.Reps != i+1 {
			t.Errorf("review %d: reps %d", i, c.Reps)
		}
		now = c.Due
	}
	if c.Lapses != 1 {
		t.Errorf("lapses = %d, want 1", c.Lapses)
	}
}

func TestLearningSteps(t *testing.T) {
	s := mustScheduler(t, noFuzz())
	c := Card{State: New, Due: t0}
	p := s.Preview(c, "k", t0)
	check := func(name string, got Card, state State, step int, wait time.Duration, days int) {
		t.Helper()
		if got.State != state || got.Step != step || !got.Due.Equal(t0.Add(wait)) || got.ScheduledDays != days {
			t.Errorf("%s: got state %d step %d due +%v days %d, want state %d step %d due +%v days %d",
				name, got.State, got.Step, got.Due.Sub(t0), got.ScheduledDays, state, step, wait, days)
		}
	}
	check("new/again", p[0], Learning, 0, time.Minute, 0)
	check("new/hard", p[1], Learning, 0, 6*time.Minute, 0) // (1m + 10m)/2, rounded
	check("new/good", p[2], Learning, 1, 10*time.Minute, 0)
	check("new/easy", p[3], Review, 0, 8*24*time.Hour, 8) // S0(4) = 8.2956
	for g := Again; g <= Easy; g++ {
		if p[g-1].Reps != 1 || p[g-1].Lapses != 0 || !p[g-1].LastReview.Equal(t0) {
			t.Errorf("new/%d: reps %d lapses %d last review %v", g, p[g-1].Reps, p[g-1].Lapses, p[g-1].LastReview)
		}
	}

	// From the second (last) step: Again restarts, Hard stays, Good graduates.
	c = p[2]
	p = s.Preview(c, "k", t0)
	check("step 1/again", p[0], Learning, 0, time.Minute, 0)
	check("step 1/hard", p[1], Learning, 1, 10*time.Minute, 0) // Anki: Hard repeats a later step
	if p[2].State != Review || p[2].ScheduledDays < 1 || p[2].Step != 0 {
		t.Errorf("step 1/good: %+v, want a graduated Review card", p[2])
	}
	if p[3].State != Review || p[3].ScheduledDays < p[2].ScheduledDays {
		t.Errorf("step 1/easy: %+v", p[3])
	}
}

func TestLoneStepHard(t *testing.T) {
	p := noFuzz()
	p.LearningSteps = []time.Duration{10 * time.Minute}
	p.RelearningSteps = []time.Duration{5 * time.Minute}
	s := mustScheduler(t, p)
	c := s.Next(Card{}, "k", t0, Hard)
	if c.State != Learning || !c.Due.Equal(t0.Add(15*time.Minute)) {
		t.Errorf("lone 10m step, Hard: %+v, want Learning due in 15m", c)
	}
	c = s.Next(c, "k", t0.Add(15*time.Minute), Good) // no next step: graduate
	if c.State != Review || c.ScheduledDays < 1 {
		t.Fatalf("lone step, Good: %+v, want Review", c)
	}
	now := c.Due
	c = s.Next(c, "k", now, Again)
	if c.State != Relearning || !c.Due.Equal(now.Add(5*time.Minute)) || c.Lapses != 1 {
		t.Fatalf("review Again: %+v, want Relearning in 5m with a lapse", c)
	}
	h := s.Next(c, "k", now.Add(5*time.Minute), Hard)
	if h.State != Relearning || !h.Due.Equal(now.Add(5*time.Minute).Add(8*time.Minute)) { // 7.5m rounded up
		t.Errorf("relearning Hard: %+v, want Relearning in 8m", h)
	}
	g := s.Next(c, "k", now.Add(5*time.Minute), Good)
	if g.State != Review || g.Lapses != 1 || g.ScheduledDays < 1 {
		t.Errorf("relearning Good: %+v, want Review", g)
	}
}

func TestNoRelearningSteps(t *testing.T) {
	p := noFuzz()
	p.RelearningSteps = nil
	s := mustScheduler(t, p)
	c := Card{State: Review, Stability: 20, Difficulty: 5, ScheduledDays: 20, Reps: 5,
		LastReview: t0.AddDate(0, 0, -20), Due: t0}
	a := s.Next(c, "k", t0, Again)
	if a.State != Review || a.ScheduledDays < 1 || a.Lapses != 1 || a.Step != 0 {
		t.Errorf("Again without relearning steps: %+v, want Review with a day interval and a lapse", a)
	}
	if !a.Due.Equal(t0.AddDate(0, 0, a.ScheduledDays)) {
		t.Errorf("due %v for %d days", a.Due, a.ScheduledDays)
	}
}

func TestDayLongStep(t *testing.T) {
	p := noFuzz()
	p.LearningSteps = []time.Duration{5 * time.Minute, 30 * time.Minute, 24 * time.Hour}
	s := mustScheduler(t, p)
	c := Card{State: Learning, Step: 1, Stability: 2.3, Difficulty: 5, Reps: 2, LastReview: t0.Add(-30 * time.Minute)}
	g := s.Next(c, "k", t0, Good)
	if g.State != Review || g.ScheduledDays != 1 || g.Step != 2 || !g.Due.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("Good onto a 1d step: %+v, want Review for 1 day at step 2", g)
	}
}

func TestReviewIntervalsOrdered(t *testing.T) {
	for _, shortTerm := range []bool{true, false} {
		p := noFuzz()
		p.EnableShortTerm = shortTerm
		s := mustScheduler(t, p)
		for _, c := range []Card{
			{State: New},
			{State: Review, Stability: 0.5, Difficulty: 9.9, LastReview: t0.AddDate(0, 0, -1)},
			{State: Review, Stability: 3, Difficulty: 2, LastReview: t0},
			{State: Review, Stability: 400, Difficulty: 7, LastReview: t0.AddDate(0, 0, -600)},
			{State: Learning, Stability: 1, Difficulty: 5, LastReview: t0.Add(-time.Hour)},
		} {
			pv := s.Preview(c, "k", t0)
			checkOrder(t, c, pv, shortTerm)
		}
	}
}

// checkOrder checks the ordering of the grades' intervals the README
// describes, where they are all day intervals.
func checkOrder(t testing.TB, c Card, pv [4]Card, shortTerm bool) {
	t.Helper()
	a, h, g, e := pv[0].ScheduledDays, pv[1].ScheduledDays, pv[2].ScheduledDays, pv[3].ScheduledDays
	switch {
	case !shortTerm:
		if a < 1 || h < a+1 || g < h+1 || e < g+1 {
			t.Errorf("short-term off, %+v: intervals %d %d %d %d not ordered", c, a, h, g, e)
		}
	case c.State == Review:
		if h < 1 || g < h+1 || e < g+1 {
			t.Errorf("%+v: intervals hard %d good %d easy %d not ordered", c, h, g, e)
		}
	}
}

func TestMaximumInterval(t *testing.T) {
	p := noFuzz()
	p.MaximumInterval = 365
	s := mustScheduler(t, p)
	c := Card{State: Review, Stability: 3000, Difficulty: 3, LastReview: t0.AddDate(0, 0, -365)}
	pv := s.Preview(c, "k", t0)
	// Each grade is capped, then the order pushes Good and Easy past it, as
	// in ts-fsrs (and the reference vectors).
	if pv[1].ScheduledDays != 365 || pv[2].ScheduledDays != 366 || pv[3].ScheduledDays != 367 {
		t.Errorf("intervals %d %d %d, want 365 366 367", pv[1].ScheduledDays, pv[2].ScheduledDays, pv[3].ScheduledDays)
	}
}

func TestShortTermOff(t *testing.T) {
	p := noFuzz()
	p.EnableShortTerm = false
	s := mustScheduler(t, p)
	pv := s.Preview(Card{State: New}, "k", t0)
	for g, c := range pv {
		if c.State != Review || c.ScheduledDays < 1 || c.Lapses != 0 || c.Step != 0 {
			t.Errorf("new card, grade %d, short-term off: %+v, want Review with a day interval", g+1, c)
		}
	}
	// A same-day review: R = 1, so success leaves S as it was.
	c := pv[2]
	again := s.Next(c, "k", t0.Add(time.Hour), Good)
	if again.Stability != c.Stability || again.ElapsedDays != 0 {
		t.Errorf("same-day Good, short-term off: S %v -> %v", c.Stability, again.Stability)
	}
	a := s.Next(c, "k", t0.Add(time.Hour), Again)
	if a.Lapses != 1 || a.State != Review {
		t.Errorf("Again, short-term off: %+v", a)
	}
}

func TestNextDoesNotMutateAndMatchesPreview(t *testing.T) {
	s := mustScheduler(t, DefaultParams())
	c := Card{State: Review, Stability: 12, Difficulty: 6, ScheduledDays: 12, Reps: 7, Lapses: 1,
		LastReview: t0.AddDate(0, 0, -13), Due: t0.AddDate(0, 0, -1)}
	orig := c
	pv := s.Preview(c, "deck/card", t0)
	for g := Again; g <= Easy; g++ {
		n := s.Next(c, "deck/card", t0, g)
		if c != orig {
			t.Fatalf("Next changed its input: %+v", c)
		}
		if n != pv[g-1] {
			t.Errorf("grade %d: Next %+v, Preview %+v", g, n, pv[g-1])
		}
		if n.ElapsedDays != 13 || n.Reps != 8 {
			t.Errorf("grade %d: elapsed %d reps %d, want 13, 8", g, n.ElapsedDays, n.Reps)
		}
	}
}

func TestInvalidRatingPanics(t *testing.T) {
	s := mustScheduler(t, DefaultParams())
	for _, r := range []Rating{0, 5, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("rating %d did not panic", r)
				}
			}()
			s.Next(Card{}, "k", t0, r)
		}()
	}
}

func TestSchedulerRetrievability(t *testing.T) {
	s := mustScheduler(t, DefaultParams())
	if r := s.Retrievability(Card{State: New}, t0); r != 0 {
		t.Errorf("new card: R = %v, want 0", r)
	}
	c := Card{State: Review, Stability: 10, Difficulty: 5, LastReview: t0}
	if r := s.Retrievability(c, t0); r != 1 {
		t.Errorf("at the review: R = %v, want 1", r)
	}
	if r := s.Retrievability(c, t0.Add(-time.Hour)); r != 1 {
		t.Errorf("before the review: R = %v, want 1", r)
	}
	if r := s.Retrievability(c, t0.Add(10*24*time.Hour)); math.Abs(r-0.9) > 1e-7 {
		t.Errorf("after S days: R = %v, want 0.9", r)
	}
	// Smooth between whole days, and decreasing.
	prev := 1.0
	for h := 1; h <= 24*30; h++ {
		r := s.Retrievability(c, t0.Add(time.Duration(h)*time.Hour))
		if r >= prev {
			t.Fatalf("R not decreasing at %dh: %v after %v", h, r, prev)
		}
		prev = r
	}
	if want := ForgettingCurve(DefaultWeights[20], 2.5, 10); math.Abs(s.Retrievability(c, t0.Add(60*time.Hour))-want) > 1e-12 {
		t.Errorf("R after 2.5 days = %v, want %v", s.Retrievability(c, t0.Add(60*time.Hour)), want)
	}
}

// Anki's published delay tables (rslib/src/scheduler/states/steps.rs, test
// delay_secs), indexed as ts-fsrs and opsdeck do (step index = number of
// steps - Anki's remaining steps). One deliberate difference: the first
// step's Hard delay is rounded to whole minutes as ts-fsrs does (the
// reference vectors check it), so Anki's 330s is 6m here.
func TestAnkiDelayTables(t *testing.T) {
	const day = 24 * time.Hour
	m := time.Minute
	tests := []struct {
		steps             []time.Duration
		remaining         int
		again, hard, good time.Duration // 0: the grade leaves the steps
	}{
		{[]time.Duration{10 * m}, 1, 600 * time.Second, 900 * time.Second, 0},
		{[]time.Duration{3 * day}, 1, 3 * day, 4 * day, 0},
		{[]time.Duration{1 * m, 10 * m}, 2, 60 * time.Second, 6 * m /* Anki 330s */, 600 * time.Second},
		{[]time.Duration{1 * m, 10 * m}, 1, 60 * time.Second, 600 * time.Second, 0},
		{[]time.Duration{1 * m, 10 * m, 100 * m}, 3, 60 * time.Second, 6 * m /* Anki 330s */, 600 * time.Second},
		{[]time.Duration{1 * m, 10 * m, 100 * m}, 2, 60 * time.Second, 600 * time.Second, 6000 * time.Second},
		{[]time.Duration{1 * m, 10 * m, 100 * m}, 1, 60 * time.Second, 6000 * time.Second, 0},
	}
	for _, tc := range tests {
		cur := len(tc.steps) - tc.remaining
		for _, state := range []State{Learning, Relearning} {
			for g, want := range map[Rating]time.Duration{Again: tc.again, Hard: tc.hard, Good: tc.good} {
				got, next := stepFor(tc.steps, state, cur, g)
				if got != want {
					t.Errorf("steps %v, step %d, state %d, grade %d: delay %v, want %v", tc.steps, cur, state, g, got, want)
				}
				wantNext := map[Rating]int{Again: 0, Hard: cur, Good: cur + 1}[g]
				if want == 0 {
					wantNext = 0
				}
				if next != wantNext {
					t.Errorf("steps %v, step %d, grade %d: next step %d, want %d", tc.steps, cur, g, next, wantNext)
				}
			}
		}
	}
	// maybe_round_in_days: 1.5 days rounds to 2.
	if got, _ := stepFor([]time.Duration{day, 2 * day}, Learning, 0, Hard); got != 2*day {
		t.Errorf("steps 1d 2d, Hard: %v, want 2d (1.5 days rounded in days)", got)
	}
}

// Anki's learning.rs and relearning.rs: when Good and Easy both graduate,
// Easy's interval is at least Good's + 1 day; the example is a
// relearning card that showed "3 Good 1d  4 Easy 1d".
func TestAnkiEasyAfterGood(t *testing.T) {
	s := mustScheduler(t, noFuzz())
	// A lapsed card on its (only) 10m relearning step.
	c := Card{State: Review, Stability: 3, Difficulty: 8, ScheduledDays: 3, Reps: 4,
		LastReview: t0.AddDate(0, 0, -3), Due: t0}
	c = s.Next(c, "k", t0, Again)
	now := c.Due
	p := s.Preview(c, "k", now)
	if p[2].State != Review || p[3].State != Review {
		t.Fatalf("relearning Good/Easy: %+v / %+v, want both Review", p[2], p[3])
	}
	if p[3].ScheduledDays < p[2].ScheduledDays+1 {
		t.Errorf("relearning: Good %dd, Easy %dd, want Easy >= Good + 1", p[2].ScheduledDays, p[3].ScheduledDays)
	}
	if got := s.AnkiStepRule(c, Easy); got == "" {
		t.Errorf("AnkiStepRule(relearning, Easy) = %q, want a rule", got)
	}
	// Learning, on the last step, with a weak memory.
	l := s.Next(Card{}, "k", t0, Again)
	l = s.Next(l, "k", l.Due, Good)
	p = s.Preview(l, "k", l.Due)
	if p[2].State != Review || p[3].ScheduledDays < p[2].ScheduledDays+1 {
		t.Errorf("learning, last step: Good %+v, Easy %+v, want Easy >= Good + 1", p[2], p[3])
	}
	// On the first step Good does not graduate: no rule.
	if got := s.AnkiStepRule(Card{}, Easy); got != "" {
		t.Errorf("AnkiStepRule(new, Easy) = %q, want none", got)
	}
}
