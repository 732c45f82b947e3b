package fsrs

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// learnerRun studies cards with the real scheduler, day by day: due cards
// first (a day review each, graded by the learner), then up to newPerDay
// new cards; every learning or relearning step is graded Good the same
// day. It returns the day reviews of each day. n[i] counts the learner's
// calls for card i, as Simulate counts them.
type learnerRun struct {
	s     *Scheduler
	cards []Card
	n     []int
	next  int // the next new card
	learn Learner
}

func (lr *learnerRun) day(at time.Time, newPerDay int) (reviews int) {
	end := lr.s.DayStart(at).Add(36 * time.Hour)
	end = lr.s.DayStart(end)
	steps := func(i int, t time.Time) {
		c := lr.cards[i]
		for c.State == Learning || c.State == Relearning {
			if !c.Due.Before(end) {
				break
			}
			t = c.Due
			c = lr.s.Next(c, fmt.Sprint(i), t, Good)
		}
		lr.cards[i] = c
	}
	for i := range lr.cards {
		c := lr.cards[i]
		if c.State == New || !c.Due.Before(end) {
			continue
		}
		r := lr.s.Retrievability(c, at)
		g := lr.learn(i, lr.n[i], r)
		lr.n[i]++
		lr.cards[i] = lr.s.Next(c, fmt.Sprint(i), at, g)
		reviews++
		steps(i, at)
	}
	for k := 0; k < newPerDay && lr.next < len(lr.cards); k++ {
		i := lr.next
		lr.next++
		g := lr.learn(i, lr.n[i], math.NaN())
		lr.n[i]++
		lr.cards[i] = lr.s.Next(lr.cards[i], fmt.Sprint(i), at, g)
		steps(i, at)
	}
	return reviews
}

func newRun(t testing.TB, cards int, seed uint64) *learnerRun {
	p := DefaultParams()
	s, err := NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	return &learnerRun{s: s, cards: make([]Card, cards), n: make([]int, cards), learn: HashLearner(seed)}
}

// TestSimulateMatchesReplay: after a two-month history, the simulator's
// reviews a day over the first week are within 10% of what the same
// deterministic learner does through the real scheduler (fuzz and all).
func TestSimulateMatchesReplay(t *testing.T) {
	lr := newRun(t, 700, 3)
	start := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	for d := 0; d < 60; d++ {
		lr.day(start.AddDate(0, 0, d), 10)
	}
	now := start.AddDate(0, 0, 60)
	sim := make([]SimCard, len(lr.cards))
	for i, c := range lr.cards {
		sim[i] = lr.s.SimCardOf(c, 0, now)
	}
	// The replay continues the same learner with fresh call counts.
	lr.n = make([]int, len(lr.cards))
	lr.learn = HashLearner(11)
	const week = 7
	replay := 0
	for d := 0; d < week; d++ {
		replay += lr.day(now.AddDate(0, 0, d), 10)
	}
	res := lr.s.Simulate(sim, SimConfig{Days: week, At: week, Groups: 1, NewPerDay: []int{10}, Learner: HashLearner(11)})
	got := 0
	for _, d := range res.Days {
		got += d[0].Reviews
	}
	t.Logf("reviews in the first week: simulated %d, replayed %d", got, replay)
	if replay == 0 || math.Abs(float64(got-replay)) > 0.1*float64(replay) {
		t.Errorf("simulated %d reviews in the first week, the replay did %d: more than 10%% apart", got, replay)
	}
	for _, d := range res.Days {
		if d[0].New != 10 {
			t.Errorf("new cards a day = %d, want 10", d[0].New)
		}
	}
}

// TestSimulateIdleAndPure: with no study days recall at a later time is
// at most recall now, and Simulate leaves its input alone.
func TestSimulateIdleAndPure(t *testing.T) {
	lr := newRun(t, 200, 5)
	start := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	for d := 0; d < 60; d++ {
		lr.day(start.AddDate(0, 0, d), 5)
	}
	now := start.AddDate(0, 0, 60)
	sim := make([]SimCard, len(lr.cards))
	for i, c := range lr.cards {
		sim[i] = lr.s.SimCardOf(c, i%2, now)
	}
	before := append([]SimCard(nil), sim...)
	at0 := lr.s.Simulate(sim, SimConfig{Groups: 2})
	at30 := lr.s.Simulate(sim, SimConfig{At: 30, Groups: 2})
	for g := 0; g < 2; g++ {
		if at30.Recall[g] > at0.Recall[g] {
			t.Errorf("group %d: recall in 30 idle days %.3f > now %.3f", g, at30.Recall[g], at0.Recall[g])
		}
		if at0.Recall[g] <= 0 {
			t.Errorf("group %d: no recall now", g)
		}
	}
	// Recall now is the scheduler's retrievability summed.
	var want [2]float64
	for i, c := range lr.cards {
		want[i%2] += lr.s.Retrievability(c, now)
	}
	for g := range want {
		if math.Abs(want[g]-at0.Recall[g]) > 1e-6 {
			t.Errorf("group %d: recall now %.6f, the scheduler says %.6f", g, at0.Recall[g], want[g])
		}
	}
	for i := range sim {
		if sim[i] != before[i] {
			t.Fatalf("Simulate changed card %d", i)
		}
	}
	// Studying helps: 30 days at 5 new a day end above idling.
	on := lr.s.Simulate(sim, SimConfig{Days: 30, At: 30, Groups: 2, NewPerDay: []int{5, 5}})
	for g := 0; g < 2; g++ {
		if on.Recall[g] <= at30.Recall[g] {
			t.Errorf("group %d: on plan %.2f, idle %.2f", g, on.Recall[g], at30.Recall[g])
		}
	}
}

// TestSimulateReviewLimit: the daily review limit holds and carries the
// rest over.
func TestSimulateReviewLimit(t *testing.T) {
	s, _ := NewScheduler(DefaultParams())
	cards := make([]SimCard, 100)
	for i := range cards {
		cards[i] = SimCard{Mem: Memory{Stability: 3, Difficulty: 5}, LastDay: -3, LastAt: -3, Due: 0}
	}
	res := s.Simulate(cards, SimConfig{Days: 3, At: 3, Groups: 1, ReviewsPerDay: 40})
	for d, day := range res.Days {
		if day[0].Reviews != 40 && d < 2 {
			t.Errorf("day %d: %d reviews, want the limit 40", d, day[0].Reviews)
		}
	}
}

func BenchmarkSimulate100k(b *testing.B) {
	s, _ := NewScheduler(DefaultParams())
	cards := make([]SimCard, 100000)
	for i := range cards {
		g := i % 7
		if i%5 == 0 {
			cards[i] = SimCard{Group: g}
			continue
		}
		st := 1 + float64(i%60)
		cards[i] = SimCard{Group: g, Mem: Memory{Stability: st, Difficulty: 5}, LastDay: -(i % 20), LastAt: -float64(i % 20), Due: int(st) - i%20}
	}
	cfg := SimConfig{Days: 45, At: 45, Groups: 7, NewPerDay: []int{60, 60, 60, 60, 60, 60, 60}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Simulate(cards, cfg)
	}
}
