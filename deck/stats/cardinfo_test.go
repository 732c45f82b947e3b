package stats

import (
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

func TestCardInfo(t *testing.T) {
	sch, _ := fsrs.NewScheduler(fsrs.DefaultParams())
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	last := now.Add(-72 * time.Hour)
	p := deck.Progress{Flag: 2, Leech: true, Sched: fsrs.Card{State: fsrs.Review, Due: last.AddDate(0, 0, 10), ScheduledDays: 10,
		Stability: 9, Difficulty: 6, Reps: 2, Lapses: 1, LastReview: last}}
	revs := []deck.Review{{At: last.AddDate(0, 0, -5), Rating: 1, StateBefore: 0, Interval: 0, Stability: 0.2, Difficulty: 7},
		{At: last, Rating: 3, StateBefore: 3, LastInterval: 0, Interval: 10, Stability: 9, Difficulty: 6}}
	ci := CardInfoOf(deck.Card{ID: "k/x", Front: "Q", Tags: []string{"aks"}}, "K", p, revs, sch, now)
	if ci.Retrievability == nil || *ci.Retrievability <= 0.8 || *ci.Retrievability >= 1 || !ci.FirstReview.Equal(revs[0].At) || ci.Elapsed != 3 {
		t.Fatalf("%+v", ci)
	}
	if ci.Curve[0] != 1 || ci.CurveDays < 20 {
		t.Fatalf("curve %v", ci.Curve)
	}
	for i := 1; i < len(ci.Curve); i++ {
		if ci.Curve[i] >= ci.Curve[i-1] {
			t.Fatalf("curve does not fall at %d: %v", i, ci.Curve)
		}
	}
	out := RenderCardInfo(ci, 80, time.UTC)
	for _, want := range []string{"state           review (leech, orange flag)", "interval        10d", "reviews         2, 1 lapses",
		"stability       9.00 days", "history: 2 reviews", "again   new", "good    relearning  0d→10d", "| is now, 3.0 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if cells(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
	// A new card: no memory, no curve.
	ci = CardInfoOf(deck.Card{ID: "k/y"}, "K", deck.Progress{}, nil, sch, now)
	if ci.Retrievability != nil || ci.Curve != nil || !strings.Contains(RenderCardInfo(ci, 80, time.UTC), "due             — (new)") {
		t.Fatalf("new card %+v", ci)
	}
}
