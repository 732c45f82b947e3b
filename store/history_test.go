package store

import (
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

func TestImportWithHistoryIsOneTransaction(t *testing.T) {
	s, path := newStore(t)
	d := deck.Deck{ID: "anki", Title: "Anki", Cards: []deck.Card{
		{ID: "anki/a", Deck: "anki", Slug: "a", Front: "A?", Back: "a", GUID: "g1"},
		{ID: "anki/b", Deck: "anki", Slug: "b", Front: "B?", Back: "b"},
	}}
	t0 := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	hist := []CardHistory{
		{CardID: "anki/a", Reviews: []HistoryReview{{At: t0, Rating: fsrs.Good}, {At: t0.Add(72 * time.Hour), Rating: fsrs.Again}, {At: t0.Add(73 * time.Hour), Rating: fsrs.Good}}},
		{CardID: "anki/b", Suspended: true},
	}
	// A history of a card that is not imported: an error, nothing written.
	before := fileHash(t, path)
	bad := append(hist, CardHistory{CardID: "anki/zzz", Reviews: []HistoryReview{{At: t0, Rating: fsrs.Good}}})
	if _, _, err := s.ImportWithHistory(true, feedAll([]deck.Deck{d}), bad); err == nil {
		t.Fatal("a history of an unknown card was accepted")
	}
	if _, _, err := s.ImportWithHistory(true, feedAll([]deck.Deck{d}), []CardHistory{{CardID: "anki/a", Reviews: []HistoryReview{{At: t0, Rating: 5}}}}); err == nil {
		t.Fatal("grade 5 accepted")
	}
	if fileHash(t, path) != before {
		t.Fatal("a failed import changed the file")
	}
	res, hres, err := s.ImportWithHistory(true, feedAll([]deck.Deck{d}), hist)
	if err != nil || res.Added != 2 || hres.Cards != 2 || hres.Reviews != 3 {
		t.Fatalf("%+v %+v %v", res, hres, err)
	}
	sch, _ := s.Scheduler()
	var want fsrs.Card
	for _, r := range hist[0].Reviews {
		want = sch.Next(want, "anki/a", r.At, r.Rating)
	}
	p, _ := mustProgress(t, s, "anki/a")
	if p.Sched != want {
		t.Fatalf("stored %+v, replay %+v", p.Sched, want)
	}
	if pb, ok := mustProgress(t, s, "anki/b"); !ok || !pb.Suspended || pb.Sched.Reps != 0 {
		t.Fatalf("b: %+v", pb)
	}
	if n, _ := s.ReviewCount(); n != 3 {
		t.Fatalf("%d reviews", n)
	}
	// The front edited in Anki, same GUID: the card keeps its ID and its
	// history, and the import's history is not added twice.
	d2 := deck.Deck{ID: "anki", Cards: []deck.Card{{ID: "anki/a2", Deck: "anki", Slug: "a2", Front: "A, edited?", Back: "a", GUID: "g1"}}}
	res, hres, err = s.ImportWithHistory(true, feedAll([]deck.Deck{d2}), []CardHistory{{CardID: "anki/a2", Reviews: hist[0].Reviews}})
	if err != nil || res.Updated != 1 || res.Added != 0 || hres.Kept != 1 || hres.Reviews != 0 {
		t.Fatalf("re-import: %+v %+v %v", res, hres, err)
	}
	if n, _ := s.ReviewCount(); n != 3 {
		t.Fatalf("%d reviews after re-import", n)
	}
}
