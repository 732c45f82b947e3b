package fsrs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestFuzzRangePublished(t *testing.T) {
	for _, c := range []struct{ ivl, lo, hi int }{{7, 5, 9}, {20, 17, 23}, {100, 93, 107}} {
		lo, hi := FuzzRange(float64(c.ivl), 0, 36500)
		if lo != c.lo || hi != c.hi {
			t.Errorf("FuzzRange(%d) = [%d, %d], want [%d, %d]", c.ivl, lo, hi, c.lo, c.hi)
		}
	}
	// Kept above the elapsed days, and within the maximum.
	if lo, hi := FuzzRange(20, 19, 36500); lo != 20 || hi != 23 {
		t.Errorf("FuzzRange(20, elapsed 19) = [%d, %d], want [20, 23]", lo, hi)
	}
	if lo, hi := FuzzRange(100, 0, 100); lo != 93 || hi != 100 {
		t.Errorf("FuzzRange(100, max 100) = [%d, %d], want [93, 100]", lo, hi)
	}
	if lo, hi := FuzzRange(3, 0, 36500); lo != 2 || hi != 4 {
		t.Errorf("FuzzRange(3) = [%d, %d], want [2, 4]", lo, hi)
	}
}

// A new card graded Easy graduates with the interval of S0(4) = w3; with
// w3 = I and r = 0.9 that interval is I, fuzzed.
func TestFuzzedIntervalInPublishedRanges(t *testing.T) {
	for _, c := range []struct{ ivl, lo, hi int }{{7, 5, 9}, {20, 17, 23}, {100, 93, 107}} {
		p := DefaultParams()
		p.W[3] = float64(c.ivl)
		s := mustScheduler(t, p)
		unfuzzed := mustScheduler(t, func() Params { q := p; q.EnableFuzz = false; return q }())
		if got := unfuzzed.Next(Card{}, "k", t0, Easy).ScheduledDays; got != c.ivl {
			t.Fatalf("unfuzzed interval %d, want %d", got, c.ivl)
		}
		seen := map[int]int{}
		for i := 0; i < 5000; i++ {
			key := fmt.Sprintf("deck-%d/card-%d", i%7, i)
			got := s.Next(Card{}, key, t0, Easy)
			d := got.ScheduledDays
			if d < c.lo || d > c.hi {
				t.Fatalf("I=%d, key %q: fuzzed to %d, outside [%d, %d]", c.ivl, key, d, c.lo, c.hi)
			}
			if !got.Due.Equal(t0.AddDate(0, 0, d)) {
				t.Fatalf("due %v for %d days", got.Due, d)
			}
			seen[d]++
		}
		// Every day of the range is drawn, roughly uniformly.
		n := c.hi - c.lo + 1
		for d := c.lo; d <= c.hi; d++ {
			if k := seen[d]; k < 5000/n/2 {
				t.Errorf("I=%d: %d drawn %d times in 5000, want about %d", c.ivl, d, k, 5000/n)
			}
		}
	}
}

func TestFuzzDeterministic(t *testing.T) {
	s := mustScheduler(t, DefaultParams())
	c := Card{State: Review, Stability: 30, Difficulty: 5, Reps: 4, LastReview: t0.AddDate(0, 0, -30)}
	a := s.Next(c, "aws/s3-classes", t0, Good)
	for i := 0; i < 10; i++ {
		if b := s.Next(c, "aws/s3-classes", t0, Good); b != a {
			t.Fatalf("same key and review count, different results: %+v vs %+v", a, b)
		}
	}
	// The seed depends on the key and on the review count.
	differs := func(f func(i int) Card) bool {
		for i := 1; i < 50; i++ {
			if f(i).ScheduledDays != a.ScheduledDays {
				return true
			}
		}
		return false
	}
	if !differs(func(i int) Card { return s.Next(c, fmt.Sprintf("k%d", i), t0, Good) }) {
		t.Error("the fuzz does not depend on the key")
	}
	if !differs(func(i int) Card { d := c; d.Reps += i; return s.Next(d, "aws/s3-classes", t0, Good) }) {
		t.Error("the fuzz does not depend on the review count")
	}
}

// randomCase draws a scheduler and a card in any state, from rng.
func randomCase(rng *rand.Rand) (Params, Card, time.Time) {
	p := DefaultParams()
	p.EnableShortTerm = rng.IntN(3) > 0
	p.EnableFuzz = rng.IntN(2) == 0
	p.DesiredRetention = 0.7 + 0.29*rng.Float64()
	p.MaximumInterval = []int{30, 365, 36500}[rng.IntN(3)]
	p.DayStartHour = rng.IntN(24)
	stepSets := [][]time.Duration{nil, {10 * time.Minute}, {time.Minute, 10 * time.Minute},
		{5 * time.Minute, 30 * time.Minute, 24 * time.Hour}, {time.Minute, 10 * time.Minute, time.Hour}}
	p.LearningSteps = stepSets[rng.IntN(len(stepSets))]
	p.RelearningSteps = stepSets[rng.IntN(3)]
	if rng.IntN(4) == 0 {
		p.RelearningSteps = []time.Duration{10 * time.Minute, time.Hour}
	}
	for i := range p.W {
		if rng.IntN(4) == 0 {
			lo, hi := WeightRange(&p.W, i, len(p.RelearningSteps), p.EnableShortTerm)
			p.W[i] = lo + (hi-lo)*rng.Float64()
		}
	}
	p.W = ClipWeights(p.W, len(p.RelearningSteps), p.EnableShortTerm) // w17/w18 ceiling after edits

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
	c := Card{State: State(rng.IntN(4))}
	if c.State != New {
		c.Stability = math.Exp(rng.Float64()*math.Log(36500/0.001)) * 0.001
		c.Difficulty = 1 + 9*rng.Float64()
		c.Step = rng.IntN(4)
		c.Reps = 1 + rng.IntN(40)
		c.Lapses = rng.IntN(c.Reps)
		ago := time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour)))
		if rng.IntN(3) == 0 {
			ago = time.Duration(rng.Int64N(int64(6 * time.Hour))) // same day, often
		}
		c.LastReview = now.Add(-ago)
		c.ScheduledDays = rng.IntN(100)
		c.ElapsedDays = rng.IntN(100)
		c.Due = c.LastReview.Add(time.Duration(c.ScheduledDays) * 24 * time.Hour)
	}
	return p, c, now
}

// checkNext checks Next against Preview for every grade, and the
// invariants every result must keep.
func checkNext(t testing.TB, s *Scheduler, c Card, key string, now time.Time) {
	t.Helper()
	orig := c
	pv := s.Preview(c, key, now)
	for g := Again; g <= Easy; g++ {
		n := s.Next(c, key, now, g)
		if c != orig {
			t.Fatalf("Next changed its input card: %+v -> %+v", orig, c)
		}
		if n != pv[g-1] {
			t.Fatalf("card %+v key %q grade %d: Next %+v != Preview %+v", c, key, g, n, pv[g-1])
		}
		bad := ""
		switch {
		case !(n.Stability >= MinStability && n.Stability <= MaxStability):
			bad = "stability out of range"
		case !(n.Difficulty >= 1 && n.Difficulty <= 10):
			bad = "difficulty out of range"
		case n.Reps != c.Reps+1:
			bad = "reps"
		case n.Lapses != c.Lapses && n.Lapses != c.Lapses+1:
			bad = "lapses"
		case !n.LastReview.Equal(now):
			bad = "last review"
		case !n.Due.After(now):
			bad = "due not after now"
		case n.State == Review && n.ScheduledDays < 1:
			bad = "review card with no interval"
		case (n.State == Learning || n.State == Relearning) && (n.ScheduledDays != 0 || n.Due.Sub(now) >= 24*time.Hour):
			bad = "step of a day or more"
		case n.State == New:
			bad = "still new"
		case n.ScheduledDays > s.p.MaximumInterval+3:
			bad = "interval far above the maximum"
		}
		if bad != "" {
			t.Fatalf("card %+v grade %d at %v: %s: %+v", c, g, now, bad, n)
		}
	}
	if c.State == Review || !s.p.EnableShortTerm {
		checkOrder(t, c, pv, s.p.EnableShortTerm)
	}
	// A fuzzed interval stays above the elapsed days when the unfuzzed one is.
	if c.State == Review && s.p.EnableShortTerm {
		good := pv[Good-1]
		raw := nextInterval(good.Stability, s.modifier, s.p.MaximumInterval)
		if raw > good.ElapsedDays && good.ScheduledDays <= good.ElapsedDays {
			t.Fatalf("card %+v: Good fuzzed to %d days, not above the %d elapsed (unfuzzed %d)", c, good.ScheduledDays, good.ElapsedDays, raw)
		}
	}
}

// TestPreviewEqualsNextRandom is the deterministic property test: many
// random schedulers and cards.
func TestPreviewEqualsNextRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := 0; i < n; i++ {
		p, c, now := randomCase(rng)
		s, err := NewScheduler(p)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		checkNext(t, s, c, fmt.Sprintf("deck/card-%d", rng.IntN(1000)), now)
	}
}

// FuzzPreviewEqualsNext: go test -fuzz=FuzzPreviewEqualsNext ./deck/fsrs
func FuzzPreviewEqualsNext(f *testing.F) {
	f.Add(uint8(0), 0.0, 0.0, uint8(0), uint8(0), uint32(0), "k", uint8(0b11))
	f.Add(uint8(2), 20.0, 5.0, uint8(0), uint8(5), uint32(20*24*60), "aws/s3", uint8(0b11))
	f.Add(uint8(1), 2.3, 4.2, uint8(1), uint8(2), uint32(10), "x", uint8(0b01))
	f.Add(uint8(3), 0.5, 9.9, uint8(0), uint8(9), uint32(5), "", uint8(0b110))
	f.Add(uint8(2), 36500.0, 1.0, uint8(2), uint8(200), uint32(1<<31), "long", uint8(0b10))
	f.Fuzz(func(t *testing.T, state uint8, st, d float64, step, reps uint8, ageMin uint32, key string, flags uint8) {
		p := DefaultParams()
		p.EnableShortTerm = flags&1 != 0
		p.EnableFuzz = flags&2 != 0
		if flags&4 != 0 {
			p.LearningSteps = []time.Duration{5 * time.Minute, 30 * time.Minute, 24 * time.Hour}
			p.RelearningSteps = nil
		}
		p.DayStartHour = int(flags>>3) % 24
		s, err := NewScheduler(p)
		if err != nil {
			t.Fatal(err)
		}
		c := Card{State: State(state % 4), Step: int(step % 5), Reps: int(reps)}
		if c.State != New {
			if math.IsNaN(st) || math.IsInf(st, 0) {
				st = 1
			}
			if math.IsNaN(d) || math.IsInf(d, 0) {
				d = 5
			}
			c.Stability = MinStability + math.Mod(math.Abs(st), MaxStability-MinStability)
			c.Difficulty = 1 + math.Mod(math.Abs(d), 9)
			c.Lapses = int(reps / 3)
			c.LastReview = t0.Add(-time.Duration(ageMin) * time.Minute)
		}
		checkNext(t, s, c, key, t0)
	})
}
