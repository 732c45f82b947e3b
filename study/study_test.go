package study

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// twoDecks is a store with decks a (30 cards) and b (30 cards), settings
// of 5 new and 10 reviews a day.
func twoDecks(t *testing.T) *Service {
	t.Helper()
	var decks []deck.Deck
	for _, id := range []string{"a", "b"} {
		d := deck.Deck{ID: id, Title: "Deck " + id}
		for i := 0; i < 30; i++ {
			slug := fmt.Sprintf("c%02d", i)
			d.Cards = append(d.Cards, deck.Card{ID: deck.CardID(id, slug), Deck: id, Slug: slug, Front: "q" + slug, Back: "a"})
		}
		decks = append(decks, d)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), &store.Options{Builtin: decks, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set, _ := st.Settings()
	set.NewPerDay, set.ReviewsPerDay = 5, 10
	if err := st.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	return New(st)
}

func mustLoad(t *testing.T, s *Service, now time.Time) *Library {
	t.Helper()
	lib, err := s.Load(now)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// Limits: one deck counts what was studied in that deck today against its
// own limit; everything counts all decks against the collection's.
func TestLimitsPerDeckAndForEverything(t *testing.T) {
	s := twoDecks(t)
	for i := 0; i < 3; i++ { // three new cards of a today
		if _, err := s.Grade(fmt.Sprintf("a/c%02d", i), fsrs.Good, t0.Add(time.Duration(i)*time.Minute), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	lib := mustLoad(t, s, t0.Add(time.Hour))
	// (new cards studied today count against the review limit too, as in Anki)
	if n, r := lib.Limits("a", lib.Now); n != 2 || r != 7 {
		t.Errorf("a: %d new, %d reviews left; want 2, 7", n, r)
	}
	if n, _ := lib.Limits("b", lib.Now); n != 5 {
		t.Errorf("b: %d new left; want 5 (its own limit)", n)
	}
	if n, _ := lib.Limits("", lib.Now); n != 2 {
		t.Errorf("everything: %d new left; want 2", n)
	}
	// The dashboard's figures are the queues' counts.
	for i, d := range lib.Decks {
		q, err := lib.Queue(d.ID, lib.Now)
		if err != nil {
			t.Fatal(err)
		}
		if got := lib.Dash.Decks[i].Counts; got != q.Counts() {
			t.Errorf("%s: dashboard %+v, queue %+v", d.ID, got, q.Counts())
		}
	}
	q, _ := lib.Queue("", lib.Now)
	if lib.Dash.Total.Counts != q.Counts() {
		t.Errorf("total: dashboard %+v, queue %+v", lib.Dash.Total.Counts, q.Counts())
	}
	list, err := lib.DeckList()
	if err != nil || list.Decks[1].NewToday != 5 || list.Decks[0].NewToday != 2 {
		t.Errorf("deck list %+v %v", list, err)
	}
	if _, err := lib.Queue("nope", lib.Now); err == nil {
		t.Error("a session of an unknown deck")
	}
	// A new day starts over.
	if n, _ := mustLoad(t, s, t0.AddDate(0, 0, 1)).Limits("a", t0.AddDate(0, 0, 1)); n != 5 {
		t.Errorf("next day: %d new left", n)
	}
}

// A session's bookkeeping: grade, undo, bury, suspend.
func TestSessionGradeUndoBurySuspend(t *testing.T) {
	s := twoDecks(t)
	lib := mustLoad(t, s, t0)
	sess, err := lib.Session("a", t0)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Title != "Deck a" || sess.Queue.Counts().New != 5 || sess.CanUndo() {
		t.Fatalf("new session: %q %+v", sess.Title, sess.Queue.Counts())
	}
	it, _ := sess.Next(t0)
	res, err := s.Grade(it.Card.ID, fsrs.Again, t0, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sess.Graded(it, fsrs.Again, 3*time.Second, res)
	if c := sess.Queue.Counts(); c.New != 4 || c.Learning != 1 || sess.Reviewed() != 1 || sess.Correct() != 0 {
		t.Fatalf("after Again: %+v reviewed %d", c, sess.Reviewed())
	}
	u, err := s.Undo()
	if err != nil {
		t.Fatal(err)
	}
	back, err := sess.Undone(u)
	if err != nil || back.Card.ID != it.Card.ID || back.Progress.Sched.State != fsrs.New {
		t.Fatalf("undone: %+v %v", back, err)
	}
	if next, _ := sess.Next(t0); next.Card.ID != it.Card.ID || sess.Reviewed() != 0 || sess.Spent() != 0 {
		t.Fatalf("the undone card is not next: %s", next.Card.ID)
	}
	if _, err := sess.Undone(deck.Undone{Action: deck.UndoGrade, CardIDs: []string{"a/c09"}}); !errors.Is(err, ErrForeignUndo) {
		t.Fatalf("an undo this session did not make: %v", err)
	}
	// Burying or suspending a new card does not use up a new card: the
	// next one takes its place (Anki).
	sess.Removed(it, DayEnd(lib.Sched, t0))
	if c := sess.Queue.Counts(); c.New != 5 {
		t.Fatalf("after bury: %+v", c)
	}
	it2, _ := sess.Next(t0)
	if it2.Card.ID == it.Card.ID {
		t.Fatal("the buried card is still next")
	}
	sess.Removed(it2, time.Time{})
	if c := sess.Queue.Counts(); c.New != 5 {
		t.Fatalf("after suspend: %+v", c)
	}
}

func TestNewCard(t *testing.T) {
	c, err := NewCard("my-deck", "What?\r\n", "That.", SplitTags(" a, ,b "))
	if err != nil || c.ID != deck.CardID("my-deck", c.Slug) || c.Front != "What?" || len(c.Tags) != 2 {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := NewCard("My Deck", "q", "a", nil); err == nil {
		t.Error("a bad deck ID was accepted")
	}
	if _, err := NewCard("d", "q", "", nil); err == nil {
		t.Error("an empty answer was accepted")
	}
}

// Anki's sibling burying outlasts the session: with "bury new siblings"
// on, a new load the same day (a restart, another process) still hides the
// note's other new cards once one was graded, the dashboard counts what the
// queue holds, and undoing the grade brings them back.
func TestSiblingBuryingOutlastsTheSession(t *testing.T) {
	d := deck.Deck{ID: "n", Title: "Notes"}
	base := deck.Card{Deck: "n", Slug: "pdb", Text: "{{c1::cordon}} then {{c2::evict}} then {{c3::drain}}"}
	cloze, err := deck.ClozeCards(base)
	if err != nil {
		t.Fatal(err)
	}
	d.Cards = append(cloze, deck.Card{ID: "n/basic", Deck: "n", Slug: "basic", Front: "q", Back: "a"})
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), &store.Options{Builtin: []deck.Deck{d}, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, _ := st.Settings()
	set.BuryNew = true
	if err := st.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	s := New(st)
	newIDs := func(lib *Library) []string {
		q, err := lib.Queue("n", lib.Now)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for {
			it, ok := q.Next(lib.Now)
			if !ok {
				break
			}
			if it.Progress.Sched.State == fsrs.New {
				ids = append(ids, it.Card.ID)
			}
			q.Remove(it.Card.ID)
		}
		return ids
	}
	lib := mustLoad(t, s, t0)
	if got := newIDs(lib); len(got) != 2 {
		t.Fatalf("at the start: %v (one card of the note, and the basic card)", got)
	}
	if _, err := s.Grade(cloze[0].ID, fsrs.Easy, t0, time.Second); err != nil { // graduates: gone from today
		t.Fatal(err)
	}
	later := t0.Add(time.Hour)
	lib = mustLoad(t, s, later)
	if got := newIDs(lib); len(got) != 1 || got[0] != "n/basic" {
		t.Fatalf("after grading a sibling, a new load offers %v; want only n/basic", got)
	}
	q, _ := lib.Queue("n", later)
	if lib.Dash.Decks[0].Counts != q.Counts() {
		t.Fatalf("dashboard %+v, queue %+v", lib.Dash.Decks[0].Counts, q.Counts())
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if got := newIDs(mustLoad(t, s, later)); len(got) != 2 {
		t.Fatalf("after undoing the grade: %v", got)
	}
	if got := newIDs(mustLoad(t, s, t0.AddDate(0, 0, 1))); len(got) != 2 {
		t.Fatalf("the next day: %v", got)
	}
}
