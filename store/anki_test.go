package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Undo reverses the latest action of any kind, each one transaction: a
// grade, bury, suspend, edit (a custom card, a built-in card, a whole cloze
// note), delete and add, newest first, each restoring exactly what was.
func TestUndoEveryAction(t *testing.T) {
	s, _ := newStore(t)
	custom := deck.Card{Deck: "mine", Slug: "dns-ttl", Front: "What does a TTL control?", Back: "Caching time."}
	type snap struct {
		prog  map[string]deck.Progress
		decks []deck.Deck
		ov    map[string]Override
		revs  int
	}
	take := func() snap {
		p, err := s.AllProgress()
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.CustomDecks()
		o, _ := s.Overrides()
		n, _ := s.ReviewCount()
		return snap{p, d, o, n}
	}
	cloze := []deck.Card{
		{ID: "k8s/drain", Deck: "k8s", Slug: "drain", Kind: deck.Cloze, Index: 1, Text: "{{c1::cordon}} then {{c2::evict}}", Front: "[...] then evict", Back: "[cordon] then evict"},
		{ID: "k8s/drain-c2", Deck: "k8s", Slug: "drain", Kind: deck.Cloze, Index: 2, Text: "{{c1::cordon}} then {{c2::evict}}", Front: "cordon then [...]", Back: "cordon then [evict]"},
	}
	edited := make([]deck.Card, len(cloze))
	for i, c := range cloze {
		c.Text = "{{c1::cordon}} first, then {{c2::evict}}"
		c.Front, c.Back = deck.RenderCloze(c.Text, c.Index, "")
		c.Tags = []string{"ops"}
		edited[i] = c
	}
	steps := []struct {
		action string
		do     func() error
	}{
		{deck.UndoAdd, func() error { return s.AddCard(custom) }},
		{deck.UndoGrade, func() error { _, err := s.Grade("mine/dns-ttl", fsrs.Good, t0, time.Second); return err }},
		{deck.UndoBury, func() error { return s.Bury("mine/dns-ttl", t0.Add(20*time.Hour)) }},
		{deck.UndoSuspend, func() error { return s.SetSuspended("k8s/pods", true) }},
		{deck.UndoEdit, func() error { c := custom; c.Back = "How long resolvers cache it."; return s.EditCard(c) }},
		{deck.UndoEdit, func() error { return s.EditCards(edited) }},
		{deck.UndoDelete, func() error { return s.DeleteCard("mine/dns-ttl") }},
	}
	var snaps []snap
	for _, st := range steps {
		snaps = append(snaps, take())
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.action, err)
		}
	}
	if ov, _ := s.Overrides(); ov["k8s/drain-c2"].Text != edited[1].Text {
		t.Fatalf("cloze note edit not stored on every card: %+v", ov)
	}
	for i := len(steps) - 1; i >= 0; i-- {
		u, err := s.UndoLast()
		if err != nil {
			t.Fatalf("undo %s: %v", steps[i].action, err)
		}
		if u.Action != steps[i].action {
			t.Errorf("undo %d: %s, want %s", i, u.Action, steps[i].action)
		}
		if got := take(); !reflect.DeepEqual(got, snaps[i]) {
			t.Errorf("after undoing %s:\n got  %+v\n want %+v", steps[i].action, got, snaps[i])
		}
	}
	if _, err := s.UndoLast(); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("undo with nothing left: %v", err)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}

// A deck's own desired retention is the one its cards are graded with.
func TestDeckRetentionGrades(t *testing.T) {
	s, _ := newStore(t)
	st := deck.DefaultSettings()
	st.Decks = map[string]deck.DeckOptions{"k8s": {NewPerDay: 20, ReviewsPerDay: 200, DesiredRetention: 0.97}}
	if err := s.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	hi := mustGrade(t, s, "k8s/pods", fsrs.Easy, t0)
	lo := mustGrade(t, s, "azure/vnet", fsrs.Easy, t0)
	if hi.After.Sched.ScheduledDays >= lo.After.Sched.ScheduledDays {
		t.Errorf("retention 0.97: %d days, 0.90: %d days; want fewer at 0.97", hi.After.Sched.ScheduledDays, lo.After.Sched.ScheduledDays)
	}
	got, err := s.Settings()
	if err != nil || got.Decks["k8s"].DesiredRetention != 0.97 {
		t.Errorf("settings round trip: %+v %v", got.Decks, err)
	}
	st.Decks["k8s"] = deck.DeckOptions{NewPerDay: -1}
	if err := s.SaveSettings(st); err == nil {
		t.Error("a negative deck limit was saved")
	}
}
