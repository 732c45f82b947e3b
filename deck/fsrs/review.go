package fsrs

import (
	"math"
	"time"
)

// review holds what every grade of one review shares: the card before and
// (partly) after, the elapsed days, the retrievability and the fuzz seed.
type review struct {
	s       *Scheduler
	last    Card // the card as given (State normalised)
	cur     Card // last with Reps+1, LastReview = now and ElapsedDays set
	now     time.Time
	key     string
	elapsed int
	mem     Memory  // memory before the review; zero for a new card
	r       float64 // retrievability at the review (not used for a new card)

	memo [4]Memory // memory after each grade, once computed
	have [4]bool
	fuzz float64 // fuzz factor in [0, 1), once computed (fuzzSet)

	fuzzSet bool
}

func (s *Scheduler) begin(c Card, key string, now time.Time) review {
	if c.State < New || c.State > Relearning {
		c.State = New
	}
	rv := review{s: s, last: c, cur: c, now: now, key: key}
	if c.State != New {
		rv.mem = Memory{Stability: c.Stability, Difficulty: c.Difficulty}
		if !c.LastReview.IsZero() {
			rv.elapsed = max(0, s.DayIndex(now)-s.DayIndex(c.LastReview))
		}
		if !rv.mem.IsNew() {
			rv.r = forgettingCurve(s.decay, s.factor, float64(rv.elapsed), ClampStability(c.Stability))
		}
	}
	if rv.last.Step < 0 {
		rv.last.Step = 0
	}
	rv.cur.LastReview = now
	rv.cur.Reps++
	rv.cur.ElapsedDays = rv.elapsed
	return rv
}

// memory is the memory state after grade g.
func (rv *review) memory(g Rating) Memory {
	if !rv.have[g-1] {
		rv.memo[g-1] = nextMemory(&rv.s.p.W, rv.mem, float64(rv.elapsed), g, rv.s.p.EnableShortTerm, rv.r)
		rv.have[g-1] = true
	}
	return rv.memo[g-1]
}

// next is the card after grade g, with its new memory state and nothing else
// decided yet.
func (rv *review) next(g Rating) Card {
	nc := rv.cur
	m := rv.memory(g)
	nc.Stability, nc.Difficulty = m.Stability, m.Difficulty
	return nc
}

func (rv *review) grade(g Rating) Card {
	if !rv.s.p.EnableShortTerm {
		return rv.longTerm(g)
	}
	switch rv.last.State {
	case Review:
		nc := rv.next(g)
		if g == Again {
			rv.applySteps(&nc, g, Relearning)
			nc.Lapses++
			return nc
		}
		hard := rv.interval(rv.memory(Hard).Stability)
		good := rv.interval(rv.memory(Good).Stability)
		hard = min(hard, good)
		good = max(good, hard+1)
		ivl := good
		switch g {
		case Hard:
			ivl = hard
		case Easy:
			ivl = max(rv.interval(rv.memory(Easy).Stability), good+1)
		}
		rv.toReview(&nc, ivl)
		return nc
	case Relearning:
		nc := rv.next(g)
		rv.applySteps(&nc, g, Relearning)
		return nc
	default: // New, Learning
		nc := rv.next(g)
		rv.applySteps(&nc, g, Learning)
		return nc
	}
}

// longTerm is ts-fsrs's long-term scheduler, used with short-term off: every
// grade from every state gets a day interval, kept in order
// again <= hard < good < easy.
func (rv *review) longTerm(g Rating) Card {
	var ivl [4]int
	for i := Again; i <= max(g, Hard); i++ {
		ivl[i-1] = rv.interval(rv.memory(i).Stability)
	}
	ivl[0] = min(ivl[0], ivl[1])
	ivl[1] = max(ivl[1], ivl[0]+1)
	ivl[2] = max(ivl[2], ivl[1]+1)
	ivl[3] = max(ivl[3], ivl[2]+1)
	nc := rv.next(g)
	rv.toReview(&nc, ivl[g-1])
	if g == Again && rv.last.State != New {
		nc.Lapses++
	}
	return nc
}

func (rv *review) toReview(nc *Card, days int) {
	nc.State = Review
	nc.Step = 0
	nc.ScheduledDays, nc.Due = rv.dueIn(days)
}

// dueIn is the interval and due date days after now.
func (rv *review) dueIn(days int) (int, time.Time) {
	return days, rv.s.addDays(rv.now, days)
}

// interval is the fuzzed interval in days for stability st.
func (rv *review) interval(st float64) int {
	p := &rv.s.p
	ivl := nextInterval(st, rv.s.modifier, p.MaximumInterval)
	if !p.EnableFuzz || ivl < 3 { // ts-fsrs: no fuzz below 2.5 days
		return ivl
	}
	lo, hi := FuzzRange(float64(ivl), rv.elapsed, p.MaximumInterval)
	if !rv.fuzzSet {
		rv.fuzz, rv.fuzzSet = fuzzFactor(rv.key, rv.cur.Reps), true
	}
	return int(math.Floor(rv.fuzz*float64(hi-lo+1) + float64(lo)))
}

// applySteps places nc on the (re)learning step grade g leads to, or
// graduates it to Review. It is ts-fsrs's applyLearningSteps with Anki's
// rules where the two differ (rslib/src/scheduler/states/steps.rs and
// learning.rs): see stepFor for Hard, and when Good graduates too, Easy is
// at least Good's interval + 1 day.
func (rv *review) applySteps(nc *Card, g Rating, to State) {
	steps := rv.steps()
	d, next := stepFor(steps, rv.last.State, rv.last.Step, g)
	switch {
	case d > 0 && d < 24*time.Hour:
		nc.State = to
		nc.Step = next
		nc.ScheduledDays = 0
		nc.Due = rv.now.Add(d)
	case d >= 24*time.Hour: // a step of a day or more: Review for that long
		nc.State = Review
		nc.Step = next
		days := min(int(d/(24*time.Hour)), rv.s.p.MaximumInterval)
		nc.ScheduledDays, nc.Due = rv.dueIn(days)
		if nc.ScheduledDays == int(d/(24*time.Hour)) {
			nc.Due = rv.now.Add(d)
		}
	default:
		nc.State = Review
		nc.Step = 0
		ivl := rv.interval(nc.Stability)
		if g == Easy && rv.goodGraduates() {
			ivl = max(ivl, rv.interval(rv.memory(Good).Stability)+1)
		}
		nc.ScheduledDays, nc.Due = rv.dueIn(ivl)
	}
}

// steps are the steps the card's next grade moves along: the relearning
// steps for a review or relearning card, else the learning steps.
func (rv *review) steps() []time.Duration {
	if rv.last.State == Relearning || rv.last.State == Review {
		return rv.s.p.RelearningSteps
	}
	return rv.s.p.LearningSteps
}

// goodGraduates says whether Good on this (re)learning card leaves the
// steps for a day interval (Anki's learning.rs answer_easy: Easy's minimum
// is then Good + 1).
func (rv *review) goodGraduates() bool {
	d, _ := stepFor(rv.steps(), rv.last.State, rv.last.Step, Good)
	return d == 0
}

// AnkiStepRule names the rule by which Anki's learning state machine (and
// so opsdeck) schedules grade g of c differently from ts-fsrs, or "" when
// the two agree. The reference-vector test skips the due date of exactly
// these cases and the Anki delay tables check them instead.
func (s *Scheduler) AnkiStepRule(c Card, g Rating) string {
	if !s.p.EnableShortTerm || c.State == Review {
		return ""
	}
	if c.State < New || c.State > Relearning {
		c.State = New
	}
	rv := review{s: s, last: c}
	rv.last.Step = max(rv.last.Step, 0)
	steps := rv.steps()
	switch g {
	case Hard:
		if rv.last.Step > 0 && rv.last.Step < len(steps) {
			return "hard repeats a later step"
		}
		if len(steps) == 1 && steps[0] > 48*time.Hour {
			return "hard on a lone step is at most a day longer"
		}
	case Easy:
		if rv.goodGraduates() {
			return "easy is at least good + 1 day"
		}
	}
	return ""
}

// stepFor is the wait and next step index for grade g from step cur, or 0
// when the grade leaves the steps: Anki's LearningSteps (steps.rs), with
// ts-fsrs's rounding of the first step's Hard delay to whole minutes.
// Again goes back to the first step; Hard stays: on the first step it
// waits the average of the first two steps (1.5x a lone step, but at most
// a day more, rounded to whole days past a day), on a later step it
// repeats that step; Good moves to the next step if there is one; Easy
// always leaves. From Review only Again has a step: the relearning step at
// the card's step index.
func stepFor(steps []time.Duration, state State, cur int, g Rating) (time.Duration, int) {
	n := len(steps)
	if n == 0 || cur >= n {
		return 0, 0
	}
	if state == Review {
		if g == Again {
			return steps[cur], 0
		}
		return 0, 0
	}
	switch g {
	case Again:
		return steps[0], 0
	case Hard:
		if cur > 0 {
			return steps[cur], cur
		}
		var h time.Duration
		if n == 1 {
			h = min(steps[0]*3/2, steps[0]+24*time.Hour)
		} else {
			h = (steps[0] + steps[1]) / 2
		}
		const day = 24 * time.Hour
		switch {
		case h > day: // Anki's maybe_round_in_days
			h = (h + day/2) / day * day
		case h >= time.Minute: // ts-fsrs's Math.round on minutes
			h = (h + 30*time.Second) / time.Minute * time.Minute
		}
		return h, cur
	case Good:
		if cur+1 < n {
			return steps[cur+1], cur + 1
		}
	}
	return 0, 0
}
