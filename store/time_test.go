package store

import (
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// A due date past 2262 wrapped round to 1677 (the card came due at once):
// it is held to April 2262 instead.
func TestFarDueDateSaturates(t *testing.T) {
	for _, due := range []time.Time{
		time.Date(2294, 2, 10, 19, 43, 0, 0, time.UTC),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		rec := progressRec{num: 1, p: deck.Progress{Sched: fsrs.Card{State: fsrs.Review, Due: due, LastReview: t0}}}
		got, ok := decodeProgress(encodeProgress(rec), time.UTC)
		if !ok {
			t.Fatal("undecodable")
		}
		if !got.p.Sched.Due.After(time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("due %v came back as %v", due, got.p.Sched.Due)
		}
	}
	// Inside the range nothing changes.
	due := time.Date(2200, 5, 6, 7, 8, 9, 10, time.UTC)
	got, _ := decodeProgress(encodeProgress(progressRec{num: 1, p: deck.Progress{Sched: fsrs.Card{Due: due}}}), time.UTC)
	if !got.p.Sched.Due.Equal(due) {
		t.Errorf("due %v came back as %v", due, got.p.Sched.Due)
	}
}

// Grading at a clock the store cannot represent is refused, and a grade
// in 2250 (due in the 2280s by the scheduler) leaves the card not due.
func TestGradeFarClock(t *testing.T) {
	s := openAt(t, dbPath(t))
	if _, err := s.Grade("kubernetes/x", fsrs.Good, time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC), time.Second); err == nil {
		t.Error("a grade in 2263 was accepted")
	}
	now := time.Date(2250, 1, 1, 12, 0, 0, 0, time.UTC)
	for range 12 {
		res, err := s.Grade("kubernetes/x", fsrs.Easy, now, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		p, ok, err := s.Progress("kubernetes/x")
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if !p.Sched.Due.After(now) {
			t.Fatalf("graded at %v (scheduler: due %v): stored due %v, the card comes due at once", now, res.After.Sched.Due, p.Sched.Due)
		}
		if now = p.Sched.Due; now.After(time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)) {
			break
		}
	}
}
