package store

import (
	"errors"
	"testing"
	"time"

	"opsdeck/deck/fsrs"

	bolt "go.etcd.io/bbolt"
)

func TestInterviewDate(t *testing.T) {
	path := dbPath(t)
	s := openAt(t, path)
	if d, err := s.InterviewDate(); err != nil || d != "" {
		t.Fatalf("new file: %q, %v; want no date", d, err)
	}
	if err := s.SetInterviewDate("2027-01-15"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.InterviewDate(); d != "2027-01-15" {
		t.Fatalf("date = %q", d)
	}
	for _, bad := range []string{"", "2027-13-01", "15/01/2027", "2027-01-15x"} {
		if err := s.SetInterviewDate(bad); err == nil {
			t.Errorf("SetInterviewDate(%q) accepted", bad)
		}
	}
	if d, _ := s.InterviewDate(); d != "2027-01-15" {
		t.Fatalf("a refused date changed it: %q", d)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearInterviewDate(); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.InterviewDate(); d != "" {
		t.Fatalf("after clear: %q", d)
	}
	// A damaged value is reported, not guessed at.
	rawUpdate(t, s, func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kInterview, []byte("soon")) })
	if _, err := s.InterviewDate(); !errors.Is(err, ErrDamaged) {
		t.Errorf("damaged date: %v", err)
	}
	if err := s.Verify(); err == nil {
		t.Error("Verify passed a damaged date")
	}
	if err := s.ClearInterviewDate(); !errors.Is(err, ErrDamaged) {
		t.Errorf("a store that found damage wrote: %v", err)
	}
	// Repair by hand, so that the cleanup's check passes.
	rawUpdate(t, s, func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Delete(kInterview) })
}

// TestPractice: cram and mock grades are kept apart: the card's progress,
// the review log and the undo ring are untouched; a mock scorecard keeps.
func TestPractice(t *testing.T) {
	s := openAt(t, dbPath(t))
	id := "kubernetes/qos"
	if _, err := s.Grade(id, fsrs.Good, t0, time.Second); err != nil {
		t.Fatal(err)
	}
	before, _, _ := s.Progress(id)
	p, err := s.AddPractice(Cram, id, fsrs.Again, t0.Add(time.Hour), 7*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPractice(Mock, id, fsrs.Good, t0.Add(2*time.Hour), 80*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPractice(Cram, id, 5, t0, 0); err == nil {
		t.Error("grade 5 accepted")
	}
	after, _, _ := s.Progress(id)
	if before != after {
		t.Errorf("practice changed the progress:\n%+v\n%+v", before, after)
	}
	revs, _ := s.Reviews(time.Time{}, time.Time{})
	if len(revs) != 1 {
		t.Errorf("%d reviews in the log, want the 1 study review", len(revs))
	}
	log, err := s.PracticeLog()
	if err != nil || len(log) != 2 || log[0].Kind != Cram || log[0].Rating != fsrs.Again || log[0].Duration != 7*time.Second ||
		log[0].CardID != id || !log[0].At.Equal(t0.Add(time.Hour)) || log[1].Kind != Mock {
		t.Fatalf("practice log %+v %v", log, err)
	}
	if err := s.UndoPractice(p.Key); err != nil {
		t.Fatal(err)
	}
	if log, _ := s.PracticeLog(); len(log) != 1 || log[0].Kind != Mock {
		t.Errorf("after undo: %+v", log)
	}
	if err := s.UndoPractice(p.Key); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("second undo: %v", err)
	}
	// The study grade is still the one Undo reverses.
	if got, err := s.Undo(); err != nil || got != id {
		t.Errorf("Undo = %q, %v", got, err)
	}
	m := MockRecord{Start: t0, Minutes: 20, Areas: []MockArea{{ID: "kubernetes", Answered: 4, Passed: 3, OverBudget: 1}}}
	if err := s.SaveMock(m); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Mocks()
	if err != nil || len(ms) != 1 || !ms[0].Start.Equal(t0) || ms[0].Areas[0] != m.Areas[0] {
		t.Fatalf("mocks %+v %v", ms, err)
	}
	if a, p := ms[0].Answered(); a != 4 || p != 3 {
		t.Errorf("totals %d %d", a, p)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestPlanPaceSettingKeeps(t *testing.T) {
	s := openAt(t, dbPath(t))
	st, _ := s.Settings()
	if st.PlanPace {
		t.Fatal("on by default")
	}
	st.PlanPace = true
	if err := s.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Settings(); !got.PlanPace {
		t.Error("plan pace not kept")
	}
}
