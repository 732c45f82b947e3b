package store

import (
	"strings"
	"testing"

	"opsdeck/deck"
)

// A database from before 64-bit IDs: re-importing the same Anki file
// updates its cards (no duplicates), and a different question that shared
// the old ID does not take the stored card over.
func TestLegacyIDsKept(t *testing.T) {
	a := "What is the meaning of item number 23895 in the big list?"
	b := "What is the meaning of item number 44581 in the big list?"
	if deck.LegacySlugFor(a) != deck.LegacySlugFor(b) {
		t.Fatalf("the issue's pair does not collide under the old hash: %s %s", deck.LegacySlugFor(a), deck.LegacySlugFor(b))
	}
	s := openAt(t, dbPath(t))
	old := func(q string) deck.Card {
		slug := deck.LegacySlugFor(q)
		return deck.Card{ID: "mine/" + slug, Deck: "mine", Slug: slug, Front: q, Back: "old answer"}
	}
	cloze := "{{c1::Pods}} hold {{c2::containers}}"
	oldCloze := []deck.Card{}
	for k := 1; k <= 2; k++ {
		slug := deck.LegacySlugFor(cloze)
		front, back := deck.RenderCloze(cloze, k, "")
		oldCloze = append(oldCloze, deck.Card{ID: deck.ClozeID("mine", slug, k), Deck: "mine", Slug: slug, Kind: deck.Cloze, Text: cloze, Index: k, Front: front, Back: back})
	}
	if _, err := s.ImportCards([]deck.Deck{{ID: "mine", Title: "Mine", Cards: append([]deck.Card{old(a)}, oldCloze...)}}); err != nil {
		t.Fatal(err)
	}
	// The same questions through today's parser: new 64-bit IDs.
	decks, err := deck.ParseAnki("old.txt", strings.NewReader("#separator:tab\n#deck:Mine\n"+a+"\tnew answer\n"+cloze+"\t\n"), deck.AnkiOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportCards(decks)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 0 || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("re-import: %+v, want 0 added, 1 updated, 2 unchanged", res)
	}
	ds, err := s.Decks()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		if d.ID == "mine" {
			for _, c := range d.Cards {
				ids = append(ids, c.ID)
			}
		}
	}
	if len(ids) != 3 {
		t.Fatalf("cards %v", ids)
	}
	// b shares a's old ID but is another question: it is added.
	decks, err = deck.ParseAnki("b.txt", strings.NewReader("#separator:tab\n#deck:Mine\n"+b+"\tb answer\n"), deck.AnkiOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res, err = s.ImportCards(decks); err != nil || res.Added != 1 {
		t.Fatalf("different question: %+v %v", res, err)
	}
}
