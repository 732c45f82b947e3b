package store

import (
	"errors"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// A custom deck can be renamed and deleted; deleting keeps its history.
func TestRenameAndDeleteCustomDeck(t *testing.T) {
	s, _ := newStore(t)
	for _, slug := range []string{"one", "two"} {
		if err := s.AddCard(deck.Card{Deck: "extra-1", Slug: slug, Front: "Q " + slug, Back: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddCard(deck.Card{Deck: "extra-10", Slug: "one", Front: "Q", Back: "A"}); err != nil {
		t.Fatal(err)
	}
	mustGrade(t, s, "extra-1/one", fsrs.Good, t0)
	if err := s.RenameDeck("extra-1", "Azure networking"); err != nil {
		t.Fatal(err)
	}
	decks, _ := s.CustomDecks()
	if decks[0].ID != "extra-1" || decks[0].Title != "Azure networking" || len(decks[0].Cards) != 2 {
		t.Fatalf("after rename: %+v", decks[0])
	}
	if err := s.RenameDeck("nope", "x"); !errors.Is(err, ErrNotCustomDeck) {
		t.Fatalf("rename of a missing deck: %v", err)
	}
	n, err := s.DeleteDeck("extra-1")
	if err != nil || n != 2 {
		t.Fatalf("delete: %d %v", n, err)
	}
	decks, _ = s.CustomDecks()
	if len(decks) != 1 || decks[0].ID != "extra-10" {
		t.Fatalf("extra-10 must stay (a prefix is not a deck): %+v", decks)
	}
	if _, ok := mustProgress(t, s, "extra-1/one"); ok {
		t.Error("progress kept")
	}
	var entries []LogEntry
	_ = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error { entries = append(entries, e); return nil })
	if len(entries) != 1 || !entries[0].Orphaned || entries[0].CardID != "extra-1/one" {
		t.Fatalf("history after delete: %+v", entries)
	}
	if _, err := s.DeleteDeck("extra-1"); !errors.Is(err, ErrNotCustomDeck) {
		t.Fatalf("second delete: %v", err)
	}
}
