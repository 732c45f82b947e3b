package fsrs

import (
	"math"
	"sort"
	"time"
)

// The workload simulator: the FSRS memory model run forward, a day at a
// time, over a collection of cards with daily limits and a desired
// retention, as Anki's simulator and fsrs-rs's simulate do. A simulated
// learner (a Learner) gives the grades. Time is counted in days from the
// simulation's start (day 0 is today), so nothing here reads the clock.
//
// The model, per card:
//   - a new card is introduced on a day its group's new-card quota allows:
//     its first grade comes from the learner, then it is graded Good on
//     each remaining learning step the same day (short-term stability),
//     and it graduates with the interval of its stability;
//   - a review card due on a day is reviewed (overdue ones first, within
//     the daily review limit): Again is a lapse followed by a Good on each
//     relearning step the same day; any other grade a success;
//   - intervals are the scheduler's (desired retention, maximum interval),
//     without fuzz.

// SimCard is one card as the simulator sees it.
type SimCard struct {
	Group   int     // the card's group (area), for limits and figures
	Mem     Memory  // memory state; zero for a card never reviewed
	LastDay int     // day of the last review (<= 0; counts elapsed days)
	LastAt  float64 // exact time of the last review, in days (<= 0)
	Due     int     // day the card is due (may be < 0: overdue)
	Skip    bool    // never studied (suspended): only counted in recall
}

// SimCardOf is the simulator's view of c at now: its memory, when it was
// last reviewed and when it is due, in days from now (days counted as the
// scheduler counts them).
func (s *Scheduler) SimCardOf(c Card, group int, now time.Time) SimCard {
	sc := SimCard{Group: group}
	if c.State == New || c.LastReview.IsZero() || !(c.Stability > 0) {
		return sc
	}
	today := s.DayIndex(now)
	sc.Mem = Memory{Stability: c.Stability, Difficulty: c.Difficulty}
	sc.LastDay = s.DayIndex(c.LastReview) - today
	sc.LastAt = -now.Sub(c.LastReview).Hours() / 24
	if sc.LastAt > 0 {
		sc.LastAt, sc.LastDay = 0, 0
	}
	sc.Due = s.DayIndex(c.Due) - today
	return sc
}

// Learner gives the simulated grade of a card: card is its index in the
// simulation, n the number of its review in the simulation (0 for the
// first), r the predicted recall (NaN for a card never reviewed).
type Learner func(card, n int, r float64) Rating

// First and review grade probabilities of fsrs-rs's simulator defaults:
// a new card's first grade Again/Hard/Good/Easy, and a recalled card's
// Hard/Good/Easy.
var (
	FirstRatingProb  = [4]float64{0.24, 0.094, 0.495, 0.171}
	ReviewRatingProb = [3]float64{0.224, 0.631, 0.145}
)

// HashLearner is a deterministic learner: it recalls a card with the
// probability r (Again otherwise) and picks grades with FirstRatingProb and
// ReviewRatingProb, drawing from a hash of seed, card and n instead of a
// random source, so any two runs (a simulation and a replay through the
// scheduler) see the same learner.
func HashLearner(seed uint64) Learner {
	return func(card, n int, r float64) Rating {
		u := unit(seed, uint64(card), uint64(n), 0)
		if math.IsNaN(r) {
			return pick(u, FirstRatingProb[:], Again)
		}
		if u >= r {
			return Again
		}
		return pick(unit(seed, uint64(card), uint64(n), 1), ReviewRatingProb[:], Hard)
	}
}

func pick(u float64, probs []float64, first Rating) Rating {
	acc := 0.0
	for i, p := range probs {
		acc += p
		if u < acc {
			return first + Rating(i)
		}
	}
	return first + Rating(len(probs)-1)
}

// unit is a hash of its arguments in [0, 1) (splitmix64 finalisers).
func unit(a, b, c, d uint64) float64 {
	x := a ^ 0x9e3779b97f4a7c15
	for _, v := range [3]uint64{b, c, d} {
		x = mix64(x ^ mix64(v+0x632be59bd9b4e019))
	}
	return float64(x>>11) / (1 << 53)
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// SimConfig configures Simulate.
type SimConfig struct {
	Days             int     // study days simulated: 0 .. Days-1
	At               float64 // when recall is measured, in days (>= Days-1 usually)
	Groups           int     // number of groups; a card's Group is in [0, Groups)
	NewPerDay        []int   // new cards a day, per group
	ReviewsPerDay    int     // reviews a day over all groups; 0: no limit
	DesiredRetention float64 // 0: the scheduler's
	Learner          Learner // nil: HashLearner(1)
}

// SimDay is one simulated day of one group.
type SimDay struct {
	New     int // new cards introduced
	Reviews int // reviews of cards due (day reviews)
	Steps   int // same-day learning and relearning steps
	Lapses  int // reviews graded Again
}

// SimResult is what Simulate found.
type SimResult struct {
	Days   [][]SimDay // [day][group]
	Recall []float64  // per group: the sum of predicted recall at At
	Seen   []int      // per group: cards reviewed at least once by At
}

// Simulate runs the model over cards (which it does not change) with the
// scheduler's weights, steps and maximum interval.
func (s *Scheduler) Simulate(cards []SimCard, cfg SimConfig) SimResult {
	p := &s.p
	w := &p.W
	modifier := s.modifier
	if cfg.DesiredRetention > 0 && cfg.DesiredRetention < 1 {
		modifier = intervalModifier(s.decay, s.factor, cfg.DesiredRetention)
	}
	learner := cfg.Learner
	if learner == nil {
		learner = HashLearner(1)
	}
	groups := max(cfg.Groups, 1)
	days := max(cfg.Days, 0)
	res := SimResult{Days: make([][]SimDay, days), Recall: make([]float64, groups), Seen: make([]int, groups)}
	for d := range res.Days {
		res.Days[d] = make([]SimDay, groups)
	}
	lsteps, rsteps := len(p.LearningSteps), len(p.RelearningSteps)

	mem := make([]Memory, len(cards))
	lastDay := make([]int32, len(cards))
	lastAt := make([]float64, len(cards))
	reps := make([]int32, len(cards))
	// Day buckets of due cards; cards due after the last day are not kept.
	buckets := make([][]int32, days)
	type due struct{ day, i int }
	var initial []due
	fresh := make([][]int32, groups) // new cards per group, in order
	for i, c := range cards {
		mem[i], lastDay[i], lastAt[i] = c.Mem, int32(c.LastDay), c.LastAt
		if c.Skip {
			continue
		}
		g := min(max(c.Group, 0), groups-1)
		if c.Mem.IsNew() {
			fresh[g] = append(fresh[g], int32(i))
			continue
		}
		if c.Due < days {
			initial = append(initial, due{c.Due, i})
		}
	}
	sort.Slice(initial, func(a, b int) bool {
		x, y := initial[a], initial[b]
		return x.day < y.day || x.day == y.day && x.i < y.i
	})
	for _, x := range initial {
		buckets[max(x.day, 0)] = append(buckets[max(x.day, 0)], int32(x.i))
	}
	schedule := func(i int32, d, ivl int) {
		if nd := d + ivl; nd < days {
			buckets[nd] = append(buckets[nd], i)
		}
	}
	interval := func(st float64) int { return nextInterval(st, modifier, p.MaximumInterval) }
	goodSteps := func(m Memory, n int) Memory {
		for k := 0; k < n; k++ {
			m = nextMemory(w, m, 0, Good, true, 1)
		}
		return m
	}
	var carry []int32
	for d := 0; d < days; d++ {
		day := res.Days[d]
		queue := append(carry, buckets[d]...)
		buckets[d] = nil
		n := len(queue)
		if cfg.ReviewsPerDay > 0 && n > cfg.ReviewsPerDay {
			n = cfg.ReviewsPerDay
		}
		carry = append([]int32(nil), queue[n:]...)
		for _, i := range queue[:n] {
			c := &cards[i]
			g := min(max(c.Group, 0), groups-1)
			m := mem[i]
			elapsed := float64(max(0, d-int(lastDay[i])))
			r := forgettingCurve(s.decay, s.factor, elapsed, ClampStability(m.Stability))
			exact := forgettingCurve(s.decay, s.factor, math.Max(0, float64(d)-lastAt[i]), ClampStability(m.Stability))
			grade := learner(int(i), int(reps[i]), exact)
			reps[i]++
			m = nextMemory(w, m, elapsed, grade, true, r)
			day[g].Reviews++
			if grade == Again {
				day[g].Lapses++
				if rsteps > 0 {
					m = goodSteps(m, rsteps)
					day[g].Steps += rsteps
				}
			}
			mem[i], lastDay[i], lastAt[i] = m, int32(d), float64(d)
			schedule(i, d, interval(m.Stability))
		}
		for g := 0; g < groups; g++ {
			quota := 0
			if g < len(cfg.NewPerDay) {
				quota = cfg.NewPerDay[g]
			}
			for ; quota > 0 && len(fresh[g]) > 0; quota-- {
				i := fresh[g][0]
				fresh[g] = fresh[g][1:]
				grade := learner(int(i), 0, math.NaN())
				reps[i] = 1
				m := nextMemory(w, Memory{}, 0, grade, true, 0)
				more := 0
				switch {
				case lsteps == 0 || grade == Easy:
				case grade == Good:
					more = lsteps - 1
				default:
					more = lsteps
				}
				m = goodSteps(m, more)
				day[g].New++
				day[g].Steps += more
				mem[i], lastDay[i], lastAt[i] = m, int32(d), float64(d)
				schedule(i, d, interval(m.Stability))
			}
		}
	}
	for i, c := range cards {
		g := min(max(c.Group, 0), groups-1)
		m := mem[i]
		if m.IsNew() {
			continue
		}
		res.Seen[g]++
		t := math.Max(0, cfg.At-lastAt[i])
		if r := forgettingCurve(s.decay, s.factor, t, ClampStability(m.Stability)); !math.IsNaN(r) {
			res.Recall[g] += r
		}
	}
	return res
}
