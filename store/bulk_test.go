package store

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

func bulkStore(t *testing.T) *Store {
	t.Helper()
	b := []deck.Deck{{ID: "k8s", Title: "K8s", Builtin: true, Cards: []deck.Card{
		{ID: "k8s/pods", Deck: "k8s", Slug: "pods", Front: "Pods?", Back: "Yes", Tags: []string{"core"}},
		{ID: "k8s/qos", Deck: "k8s", Slug: "qos", Front: "QoS?", Back: "Three"},
	}}}
	s, err := Open(dbPath(t), &Options{Location: time.UTC, Builtin: b})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		s.Close()
	})
	return s
}

// snapshot is every card's progress and text, to compare before and after.
func snapshot(t *testing.T, s *Store) (map[string]deck.Progress, []deck.Deck) {
	t.Helper()
	p, err := s.AllProgress()
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Decks()
	if err != nil {
		t.Fatal(err)
	}
	return p, d
}

// A bulk action over built-in and custom cards, new and studied, is one
// undo entry that restores every record exactly, after grades too.
func TestBulkIsOneUndoableAction(t *testing.T) {
	s := bulkStore(t)
	if err := s.AddCard(deck.Card{ID: "mine/a", Front: "A?", Back: "a", Tags: []string{"x"}, Added: t0}); err != nil {
		t.Fatal(err)
	}
	mustGrade(t, s, "k8s/pods", fsrs.Good, t0)
	p0, d0 := snapshot(t, s)
	ids := []string{"k8s/pods", "k8s/qos", "mine/a", "k8s/pods"}
	n, err := s.Bulk("suspend+tag", ids, func(c *deck.Card, p *deck.Progress) error {
		p.Suspended = true
		p.Flag = 4
		c.Tags = append(c.Tags, "bulk")
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("Bulk: %d %v", n, err)
	}
	if err := s.Verify(); err != nil {
		t.Fatalf("verify with a bulk undo record in the ring: %v", err)
	}
	p1, d1 := snapshot(t, s)
	for _, id := range []string{"k8s/pods", "k8s/qos", "mine/a"} {
		if !p1[id].Suspended || p1[id].Flag != 4 {
			t.Errorf("%s: %+v", id, p1[id])
		}
	}
	for _, d := range d1 {
		for _, c := range d.Cards {
			if !slices.Contains(c.Tags, "bulk") {
				t.Errorf("%s tags %v", c.ID, c.Tags)
			}
		}
	}
	if d1[1].Cards[0].Added != t0 {
		t.Errorf("added time lost: %v", d1[1].Cards[0].Added)
	}
	u, err := s.UndoLast()
	if err != nil || u.Action != "suspend+tag" || !reflect.DeepEqual(u.CardIDs, []string{"k8s/pods", "k8s/qos", "mine/a"}) {
		t.Fatalf("undo: %+v %v", u, err)
	}
	p2, d2 := snapshot(t, s)
	if !reflect.DeepEqual(p2, p0) || !reflect.DeepEqual(d2, d0) {
		t.Errorf("undo did not restore:\n%+v\n%+v\nwant\n%+v\n%+v", p2, d2, p0, d0)
	}
	// The next undo is the grade before it, then the add.
	if id, err := s.Undo(); err != nil || id != "k8s/pods" {
		t.Fatalf("then the grade: %q %v", id, err)
	}
	if u, err := s.UndoLast(); err != nil || u.Action != deck.UndoAdd || u.CardID() != "mine/a" {
		t.Fatalf("then the add: %+v %v", u, err)
	}
	if _, err := s.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("nothing left: %v", err)
	}
}

func TestBulkErrorsChangeNothing(t *testing.T) {
	s := bulkStore(t)
	p0, d0 := snapshot(t, s)
	boom := errors.New("boom")
	calls := 0
	_, err := s.Bulk("x", []string{"k8s/pods", "k8s/qos"}, func(c *deck.Card, p *deck.Progress) error {
		calls++
		p.Suspended = true
		if calls == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := s.Bulk("x", []string{"k8s/pods", "nope/card"}, func(*deck.Card, *deck.Progress) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if _, err := s.Bulk("x", []string{"k8s/pods"}, func(_ *deck.Card, p *deck.Progress) error { p.Flag = 8; return nil }); err == nil {
		t.Fatal("flag 8 accepted")
	}
	p1, d1 := snapshot(t, s)
	if !reflect.DeepEqual(p1, p0) || !reflect.DeepEqual(d1, d0) {
		t.Error("a failed bulk action changed data")
	}
	// No change: no undo entry.
	if n, err := s.Bulk("noop", []string{"k8s/qos"}, func(*deck.Card, *deck.Progress) error { return nil }); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	if _, err := s.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("a no-op made an undo entry: %v", err)
	}
}

func TestFlagRoundTrip(t *testing.T) {
	s := bulkStore(t)
	for f := 0; f <= deck.MaxFlag; f++ {
		if err := s.SetFlag("k8s/qos", f); err != nil {
			t.Fatal(err)
		}
		if p, _ := mustProgress(t, s, "k8s/qos"); p.Flag != f {
			t.Fatalf("flag %d read back as %d", f, p.Flag)
		}
	}
	if err := s.SetFlag("k8s/qos", 8); err == nil {
		t.Fatal("flag 8 accepted")
	}
	// A grade keeps the flag, and undoing it too.
	mustGrade(t, s, "k8s/qos", fsrs.Good, t0)
	if p, _ := mustProgress(t, s, "k8s/qos"); p.Flag != deck.MaxFlag {
		t.Fatalf("grade dropped the flag: %+v", p)
	}
}

// A custom card keeps its added time through an edit without it and a
// re-import of the same text (files do not carry it).
func TestAddedTimeSurvivesEditAndImport(t *testing.T) {
	s := bulkStore(t)
	c := deck.Card{ID: "mine/a", Front: "A?", Back: "a", Added: t0}
	if err := s.AddCard(c); err != nil {
		t.Fatal(err)
	}
	c.Added = time.Time{}
	c.Back = "b"
	if err := s.EditCard(c); err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportCards([]deck.Deck{{ID: "mine", Title: "mine", Cards: []deck.Card{{ID: "mine/a", Deck: "mine", Slug: "a", Front: "A?", Back: "b"}}}})
	if err != nil || res.Unchanged != 1 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	_, d := snapshot(t, s)
	for _, dk := range d {
		for _, c := range dk.Cards {
			if c.ID == "mine/a" && !c.Added.Equal(t0) {
				t.Fatalf("added %v", c.Added)
			}
		}
	}
}
