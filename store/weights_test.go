package store

import (
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

func TestApplyWeightsRecomputesMemoryFromHistory(t *testing.T) {
	s, _ := newStore(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	grades := []struct {
		days int
		r    fsrs.Rating
	}{{0, fsrs.Good}, {0, fsrs.Good}, {2, fsrs.Good}, {9, fsrs.Again}, {9, fsrs.Good}, {20, fsrs.Hard}}
	for _, g := range grades {
		mustGrade(t, s, "k/a", g.r, t0.AddDate(0, 0, g.days).Add(time.Duration(g.r)*time.Minute))
	}
	mustGrade(t, s, "k/b", fsrs.Easy, t0)
	before, _ := mustProgress(t, s, "k/a")

	w := fsrs.DefaultWeights
	w[8], w[11], w[20] = 1.5, 1.8, 0.3
	n, err := s.ApplyWeights(w, false)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("recomputed %d cards, want 2", n)
	}
	// The expected state: the same history replayed with the new weights.
	st, _ := s.Settings()
	p, err := ParamsFor(st, s.loc)
	if err != nil {
		t.Fatal(err)
	}
	if p.W != w {
		t.Fatalf("stored weights %v, want %v", p.W, w)
	}
	sched, _ := fsrs.NewScheduler(p)
	var want fsrs.Card
	for _, g := range grades {
		want = sched.Next(want, "k/a", t0.AddDate(0, 0, g.days).Add(time.Duration(g.r)*time.Minute), g.r)
	}
	after, _ := mustProgress(t, s, "k/a")
	if after.Sched.Stability != want.Stability || after.Sched.Difficulty != want.Difficulty {
		t.Fatalf("S, D = %v, %v; want %v, %v", after.Sched.Stability, after.Sched.Difficulty, want.Stability, want.Difficulty)
	}
	if after.Sched.Stability == before.Sched.Stability {
		t.Fatal("new weights left the stability as it was")
	}
	if !after.Sched.Due.Equal(before.Sched.Due) || after.Sched.ScheduledDays != before.Sched.ScheduledDays || after.Sched.Reps != before.Sched.Reps {
		t.Fatalf("due or interval changed without reschedule: %+v -> %+v", before.Sched, after.Sched)
	}
	if _, err := s.Undo(); err == nil {
		t.Fatal("undo history must be cleared: it holds states from the old weights")
	}
	// Reschedule: the interval follows the new stability from the last review.
	if _, err := s.ApplyWeights(w, true); err != nil {
		t.Fatal(err)
	}
	re, _ := mustProgress(t, s, "k/a")
	days := fsrs.NextInterval(w[20], re.Sched.Stability, st.DesiredRetention, st.MaximumInterval)
	if re.Sched.ScheduledDays != days || !re.Sched.Due.Equal(re.Sched.LastReview.AddDate(0, 0, days)) {
		t.Fatalf("rescheduled to %d days, due %v; want %d days from %v", re.Sched.ScheduledDays, re.Sched.Due, days, re.Sched.LastReview)
	}
	// Bad weights are refused and nothing changes.
	bad := w
	bad[4] = 99
	if _, err := s.ApplyWeights(bad, false); err == nil {
		t.Fatal("out-of-range weights accepted")
	}
	if st2, _ := s.Settings(); st2.Weights[4] != w[4] {
		t.Fatal("refused weights were saved")
	}
}
