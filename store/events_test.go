package store

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck/fsrs"
)

// With sync on, a grade's event is written in the grade's own
// transaction, and an undo of it is a retraction; check verifies the log.
func TestEventsInTheActionsTransaction(t *testing.T) {
	s := openAt(t, dbPath(t))
	if _, err := s.Grade("k8s/pods", fsrs.Good, t0, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, evs, _ := s.OwnEvents(0); len(evs) != 0 {
		t.Fatalf("events with sync off: %v", evs)
	}
	if err := s.EnableSync("dev-0001"); err != nil {
		t.Fatal(err)
	}
	_, base, err := s.OwnEvents(0)
	if err != nil || len(base) != 2 || base[0].Kind != EvGrade || base[1].Key != "settings" {
		t.Fatalf("baseline %+v %v", base, err)
	}
	v0, _ := s.Version()
	if _, err := s.Grade("k8s/pods", fsrs.Hard, t0.Add(time.Hour), time.Second); err != nil {
		t.Fatal(err)
	}
	if v1, _ := s.Version(); v1 != v0+1 {
		t.Errorf("the grade and its event took %d commits", v1-v0)
	}
	if _, err := s.UndoLast(); err != nil {
		t.Fatal(err)
	}
	_, evs, _ := s.OwnEvents(2)
	if len(evs) != 2 || evs[0].Kind != EvGrade || evs[0].Seq != 3 || evs[1].Kind != EvRetract || evs[1].RefAt != evs[0].At {
		t.Fatalf("events %+v", evs)
	}
	// A grade that fails writes no event.
	if _, err := s.Grade("k8s/pods", 9, t0, 0); err == nil {
		t.Fatal("grade 9 accepted")
	}
	if seq, _, _ := s.EventStats(); seq != 4 {
		t.Errorf("own seq %d, want 4", seq)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, s, func(tx *bolt.Tx) error { return tx.Bucket(bEvents).Put(eventKey("dev-0001", 99), []byte("{")) })
	if err := s.Check(); !errors.Is(err, ErrDamaged) {
		t.Errorf("check of a damaged event: %v", err)
	}
	rawUpdate(t, s, func(tx *bolt.Tx) error { return tx.Bucket(bEvents).Delete(eventKey("dev-0001", 99)) })
}
