package store

import (
	"testing"
	"testing/fstest"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

func parseMap(t *testing.T, files fstest.MapFS) []deck.Deck {
	t.Helper()
	ds, err := deck.ParseFS(files)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestDeckEditsKeepProgress: a built-in deck file changes between two
// versions of opsdeck. A reworded card keeps its ID, schedule and history;
// a removed card is no longer shown but its history stays; an added card
// is new.
func TestDeckEditsKeepProgress(t *testing.T) {
	v1 := fstest.MapFS{"k.md": {Data: []byte("# K\nid: k\n\n## a\nQ: Old wording?\nA: Old answer.\n\n## b\nQ: Soon removed?\nA: Yes.\n")}}
	v2 := fstest.MapFS{"k.md": {Data: []byte("# K\nid: k\n\n## a\nQ: New wording?\nA: New answer.\n\n## c\nQ: Added?\nA: Yes.\n")}}
	path := dbPath(t)
	s, err := Open(path, &Options{Builtin: parseMap(t, v1)})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mustGrade(t, s, "k/a", fsrs.Good, t0)
	mustGrade(t, s, "k/a", fsrs.Good, t0.Add(10*time.Minute))
	mustGrade(t, s, "k/b", fsrs.Again, t0)
	before, _ := mustProgress(t, s, "k/a")
	s.Close()

	s, err = Open(path, &Options{Builtin: parseMap(t, v2)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.Decks()
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]deck.Card{}
	for _, c := range ds[0].Cards {
		shown[c.ID] = c
	}
	if c, ok := shown["k/a"]; !ok || c.Front != "New wording?" {
		t.Fatalf("reworded card: %+v", c)
	}
	if _, ok := shown["k/b"]; ok {
		t.Fatal("a removed card is still shown")
	}
	if _, ok := shown["k/c"]; !ok {
		t.Fatal("the added card is missing")
	}
	after, ok := mustProgress(t, s, "k/a")
	if !ok || after != before {
		t.Fatalf("reworded card lost its schedule: %+v -> %+v", before, after)
	}
	if _, ok := mustProgress(t, s, "k/c"); ok {
		t.Fatal("the added card must be new")
	}
	revs, err := s.Reviews(time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b int
	for _, r := range revs {
		switch r.CardID {
		case "k/a":
			a++
		case "k/b":
			b++
		}
	}
	if a != 2 || b != 1 {
		t.Fatalf("history: k/a %d reviews, k/b %d; want 2 and 1", a, b)
	}
	if _, ok := mustProgress(t, s, "k/b"); !ok {
		t.Fatal("the removed card's state is gone from the database")
	}
}

// TestImportOfBuiltinCardsIsAnEdit: importing a built-in card's ID stores an
// edit, not a second card; importing its own text changes nothing.
func TestImportOfBuiltinCardsIsAnEdit(t *testing.T) {
	b := parseMap(t, fstest.MapFS{"k.md": {Data: []byte("# K\nid: k\n\n## a\nQ: Q?\nA: A.\n")}})
	s, err := Open(dbPath(t), &Options{Builtin: b})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.ImportCards(b)
	if err != nil || res.Unchanged != 1 || res.Added != 0 {
		t.Fatalf("same text: %+v %v", res, err)
	}
	ed := []deck.Deck{{ID: "k", Title: "K", Cards: []deck.Card{{ID: "k/a", Deck: "k", Slug: "a", Front: "Q?", Back: "Better A."}}}}
	if res, err = s.ImportCards(ed); err != nil || res.Updated != 1 {
		t.Fatalf("edit: %+v %v", res, err)
	}
	ds, _ := s.Decks()
	if len(ds) != 1 || len(ds[0].Cards) != 1 || ds[0].Cards[0].Back != "Better A." {
		t.Fatalf("decks after edit import: %+v", ds)
	}
}
