package study

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

// countedStore is a store with two built-in decks (a, b: 30 cards each),
// custom cards joining a, two custom decks (titled so that they sort
// against their IDs), and every kind of card state: learning, review,
// relearning, suspended, buried, flagged, a leech-free lapse, a deleted
// custom card with history, a progress record of a built-in card that is
// no longer in its deck, and a deck that is all new.
func countedStore(t *testing.T) (*store.Store, time.Time) {
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
	path := filepath.Join(t.TempDir(), "db")
	// A built-in card graded by an older version of the decks, then
	// dropped from them: its progress stays, it is no card.
	old := append([]deck.Deck(nil), decks...)
	old[1].Cards = append(append([]deck.Card(nil), decks[1].Cards...), deck.Card{ID: "b/gone", Deck: "b", Slug: "gone", Front: "q", Back: "a"})
	st, err := store.Open(path, &store.Options{Builtin: old, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Grade("b/gone", fsrs.Good, t0.Add(-48*time.Hour), time.Second); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = store.Open(path, &store.Options{Builtin: decks, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var custom []deck.Card
	for i := 0; i < 10; i++ {
		custom = append(custom, deck.Card{ID: fmt.Sprintf("a/x%02d", i), Deck: "a", Front: fmt.Sprintf("extra %d", i), Back: "b"})
	}
	for i := 0; i < 15; i++ {
		custom = append(custom, deck.Card{ID: fmt.Sprintf("zz/c%02d", i), Deck: "zz", Front: fmt.Sprintf("zz %d", i), Back: "b"})
	}
	for i := 0; i < 5; i++ {
		custom = append(custom, deck.Card{ID: fmt.Sprintf("new-only/c%02d", i), Deck: "new-only", Front: fmt.Sprintf("n %d", i), Back: "b"})
	}
	for _, c := range custom {
		if err := st.AddCard(c); err != nil {
			t.Fatal(err)
		}
	}
	// Over two weeks, grade cards of every deck with every rating.
	ratings := []fsrs.Rating{fsrs.Good, fsrs.Again, fsrs.Hard, fsrs.Easy, fsrs.Good, fsrs.Good}
	ids := []string{"a/c00", "a/c01", "a/c02", "a/c03", "a/x01", "a/x02", "b/c00", "b/c05", "b/c06", "zz/c00", "zz/c03", "zz/c04", "zz/c09"}
	for day := 0; day < 14; day++ {
		for k, id := range ids {
			if (day+k)%3 == 0 {
				continue
			}
			at := t0.Add(time.Duration(day-14)*24*time.Hour + time.Duration(k)*time.Minute)
			if _, err := st.Grade(id, ratings[(day+k)%len(ratings)], at, 5*time.Second); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range []string{"a/c00", "b/c01", "zz/c01"} {
		if _, err := st.Grade(id, fsrs.Again, t0.Add(-time.Hour), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"a/c10", "zz/c03", "b/c06"} {
		if err := st.SetSuspended(id, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Bury("a/c11", t0.Add(20*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.Bury("zz/c04", t0.Add(20*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteCard("a/x02"); err != nil { // graded, then deleted
		t.Fatal(err)
	}
	set, _ := st.Settings()
	set.NewPerDay, set.ReviewsPerDay = 4, 9
	set.Decks = map[string]deck.DeckOptions{"zz": {NewPerDay: 2, ReviewsPerDay: 3}}
	if err := st.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	return st, t0
}

// TestCountedLibraryAgrees: LoadCounts (the figures from one pass over the
// progress records, no card held) gives the dashboard, the decks list, the
// statistics and one deck's figures exactly as Load does, at several times
// of the day, with the plan's pace on and off.
func TestCountedLibraryAgrees(t *testing.T) {
	st, now := countedStore(t)
	for _, pace := range []bool{false, true} {
		if pace {
			set, _ := st.Settings()
			set.PlanPace = true
			if err := st.SaveSettings(set); err != nil {
				t.Fatal(err)
			}
			if err := st.SetInterviewDate(now.AddDate(0, 0, 10).Format("2006-01-02")); err != nil {
				t.Fatal(err)
			}
		}
		for _, at := range []time.Time{now, now.Add(5 * time.Hour), now.Add(30 * time.Hour), now.AddDate(0, 0, 9)} {
			name := fmt.Sprintf("pace %v at %s", pace, at.Format(time.RFC3339))
			full, err := Load(st, at)
			if err != nil {
				t.Fatal(err)
			}
			got, err := LoadCounts(st, at, true)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Counted() || full.Counted() {
				t.Fatalf("%s: counted %v, full %v", name, got.Counted(), full.Counted())
			}
			if got.Progress != nil || got.Decks[0].Cards != nil {
				t.Fatalf("%s: a counted library holds cards", name)
			}
			if got.Cards != full.Cards || got.Cards != 60+10-1+15+5 {
				t.Fatalf("%s: %d cards, full %d", name, got.Cards, full.Cards)
			}
			ids := func(l *Library) (out []string) {
				for _, d := range l.Decks {
					out = append(out, d.ID+"|"+d.Title+fmt.Sprint(d.Builtin))
				}
				return out
			}
			if !reflect.DeepEqual(ids(got), ids(full)) {
				t.Fatalf("%s: decks %v, full %v", name, ids(got), ids(full))
			}
			if !reflect.DeepEqual(got.Dash, full.Dash) {
				t.Fatalf("%s: dashboard\ncounted %+v\nfull    %+v", name, got.Dash, full.Dash)
			}
			if full.Dash.Total.Counts.Total() == 0 || full.Dash.Total.Recall == nil {
				t.Fatalf("%s: nothing to compare: %+v", name, full.Dash.Total)
			}
			a, err1 := got.DeckList()
			b, err2 := full.DeckList()
			if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: decks list\ncounted %+v (%v)\nfull    %+v (%v)", name, a, err1, b, err2)
			}
			sa, err1 := got.ComputeStats()
			sb, err2 := full.ComputeStats()
			if err1 != nil || err2 != nil || !reflect.DeepEqual(sa, sb) {
				t.Fatalf("%s: statistics differ (%v, %v):\n%+v\n%+v", name, err1, err2, sa.Report.Total, sb.Report.Total)
			}
			for _, id := range []string{"a", "zz", "new-only"} {
				oa, ob := got.Only(id), full.Only(id)
				if oa.Cards != ob.Cards || !reflect.DeepEqual(oa.Dash, ob.Dash) {
					t.Fatalf("%s: deck %s: %d cards %+v, full %d %+v", name, id, oa.Cards, oa.Dash, ob.Cards, ob.Dash)
				}
				ra, err1 := oa.ComputeStats()
				rb, err2 := ob.ComputeStats()
				if err1 != nil || err2 != nil || !reflect.DeepEqual(ra, rb) {
					t.Fatalf("%s: deck %s: statistics differ", name, id)
				}
			}
		}
	}
}

// A counted library says so when asked for what it does not hold; with a
// sibling option on it is not counted (the counts are the queues' own) and
// is Load (full) or LoadOutline.
func TestCountedLibraryLimits(t *testing.T) {
	st, now := countedStore(t)
	lib, err := LoadCounts(st, now, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Queue("", now); !errors.Is(err, errCounted) {
		t.Fatalf("queue of a counted library: %v", err)
	}
	if _, err := lib.Session("a", now); !errors.Is(err, errCounted) {
		t.Fatalf("session of a counted library: %v", err)
	}
	if _, err := lib.Search("deck:a", "", now); !errors.Is(err, errCounted) {
		t.Fatalf("search of a counted library: %v", err)
	}
	if _, err := lib.Info("a/c00", now); !errors.Is(err, errCounted) {
		t.Fatalf("info of a counted library: %v", err)
	}
	set, _ := st.Settings()
	set.BuryNew = true
	if err := st.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	for _, full := range []bool{true, false} {
		lib, err := LoadCounts(st, now, full)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := Load(st, now)
		if lib.Counted() || !reflect.DeepEqual(lib.Dash, want.Dash) {
			t.Fatalf("with burying (full %v): counted %v, dash %+v, want %+v", full, lib.Counted(), lib.Dash, want.Dash)
		}
		var front string
		for _, c := range lib.Decks[0].Cards {
			if strings.HasPrefix(c.ID, "a/x") {
				front = c.Front
			}
		}
		if (front != "") != full {
			t.Fatalf("with burying (full %v): a custom card's text %q", full, front)
		}
	}
}
