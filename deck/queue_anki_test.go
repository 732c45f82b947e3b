package deck

import (
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

// clozeNote is a cloze note's n cards in deck d.
func clozeNote(d, slug string, n int) []Card {
	text := ""
	for k := 1; k <= n; k++ {
		text += " {{c" + string(rune('0'+k)) + "::x}}"
	}
	cs, err := ClozeCards(Card{Deck: d, Slug: slug, Text: text})
	if err != nil {
		panic(err)
	}
	return cs
}

var (
	aqNow    = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	aqDayEnd = time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
)

// The one rule of today's limits: reviews first, then new cards within
// both the new limit and what the review limit leaves.
func TestLimitCounts(t *testing.T) {
	for _, c := range []struct {
		fresh, rev, newLeft, revLeft int
		ignore                       bool
		want                         Counts
	}{
		{30, 200, 20, 200, false, Counts{New: 0, Review: 200}},
		{30, 200, 20, 200, true, Counts{New: 20, Review: 200}},
		{30, 190, 20, 200, false, Counts{New: 10, Review: 190}},
		{30, 0, 20, 200, false, Counts{New: 20}},
		{5, 0, 20, 3, false, Counts{New: 3}},
		{5, 10, 20, 0, false, Counts{}},
	} {
		if got := LimitCounts(c.fresh, 0, c.rev, c.newLeft, c.revLeft, c.ignore); got != c.want {
			t.Errorf("%+v: %+v", c, got)
		}
	}
}

// Burying or suspending (Remove) uses up no limit: the next candidate
// takes the place; answering does, and undoing the answer gives it back.
func TestQueueRefillsAfterRemove(t *testing.T) {
	var cards []Card
	for i := 0; i < 5; i++ {
		cards = append(cards, qcard("a", i))
	}
	q := BuildQueue(cards, nil, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 3, ReviewLimit: 200})
	if c := q.Counts(); c.New != 3 {
		t.Fatalf("counts %+v", c)
	}
	it, _ := q.Next(aqNow)
	q.Remove(it.Card.ID)
	if c := q.Counts(); c.New != 3 {
		t.Errorf("after a bury: %+v, want 3 new", c)
	}
	it, _ = q.Next(aqNow)
	q.Answered(it.Card, Progress{CardID: it.Card.ID, Sched: fsrs.Card{State: fsrs.Review, Due: aqNow.Add(72 * time.Hour), ScheduledDays: 3}})
	if c := q.Counts(); c.New != 2 {
		t.Errorf("after a grade: %+v, want 2 new", c)
	}
	q.PutBack(it, true)
	if c := q.Counts(); c.New != 3 {
		t.Errorf("after undoing the grade: %+v, want 3 new", c)
	}
	// With the review limit bounding new cards, answering a new card uses a
	// review too.
	q = BuildQueue(cards, nil, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 2})
	if c := q.Counts(); c.New != 2 {
		t.Fatalf("review limit 2: %+v", c)
	}
	it, _ = q.Next(aqNow)
	q.Answered(it.Card, Progress{CardID: it.Card.ID, Sched: fsrs.Card{State: fsrs.Review, Due: aqNow.Add(72 * time.Hour), ScheduledDays: 3}})
	if c := q.Counts(); c.New != 1 {
		t.Errorf("review limit 2, one new answered: %+v", c)
	}
}

// Siblings of the card just answered are passed over while another card
// can be shown, whatever the bury options say.
func TestQueueSpreadsSiblings(t *testing.T) {
	cards := append(clozeNote("a", "note", 3), qcard("a", 7), qcard("a", 8))
	q := BuildQueue(cards, nil, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 200})
	var order []string
	for i := 0; i < 5; i++ {
		it, ok := q.Next(aqNow)
		if !ok {
			t.Fatalf("queue empty after %v", order)
		}
		order = append(order, it.Card.ID)
		q.Answered(it.Card, Progress{CardID: it.Card.ID, Sched: fsrs.Card{State: fsrs.Review, Due: aqNow.Add(72 * time.Hour), ScheduledDays: 3}})
	}
	for i := 1; i < len(order); i++ {
		a, b := order[i-1], order[i]
		if len(a) > 6 && len(b) > 6 && a[:6] == "a/note" && b[:6] == "a/note" && i < 4 {
			t.Fatalf("siblings back to back while other cards were left: %v", order)
		}
	}
	if order[0] != "a/note" || order[1] == "a/note-c2" {
		t.Errorf("order %v", order)
	}
}

// Anki's sibling options: a note's other new (review, interday learning)
// cards are left out of today's queue, and answering a card takes its
// siblings of the buried kinds out.
func TestQueueBuriesSiblings(t *testing.T) {
	cards := clozeNote("a", "note", 3)
	prog := map[string]Progress{
		"a/note-c3": {CardID: "a/note-c3", Sched: fsrs.Card{State: fsrs.Review, Due: aqNow.Add(-time.Hour), ScheduledDays: 3}},
	}
	// Default (all off): every card is there.
	q := BuildQueue(cards, prog, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 200})
	if c := q.Counts(); c.New != 2 || c.Review != 1 {
		t.Fatalf("no burying: %+v", c)
	}
	// Bury new siblings: the review comes first; the new siblings are left out.
	q = BuildQueue(cards, prog, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 200, BuryNew: true})
	if c := q.Counts(); c.New != 0 || c.Review != 1 {
		t.Fatalf("bury new: %+v", c)
	}
	// Bury reviews only: the review is gathered first, so it stays, and the
	// new siblings stay too.
	q = BuildQueue(cards, prog, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 200, BuryReview: true})
	if c := q.Counts(); c.New != 2 || c.Review != 1 {
		t.Fatalf("bury reviews: %+v", c)
	}
	// Three new siblings with bury new: one is shown today.
	q = BuildQueue(cards, nil, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 200, BuryNew: true})
	if c := q.Counts(); c.New != 1 {
		t.Fatalf("bury new, three new siblings: %+v", c)
	}
	// Answering a card takes its siblings of the buried kinds out.
	q = BuildQueue(cards, nil, QueueOptions{Now: aqNow, DayEnd: aqDayEnd, NewLimit: 20, ReviewLimit: 200})
	q.bury[InNew] = true
	it, _ := q.Next(aqNow)
	buried := q.Answered(it.Card, Progress{CardID: it.Card.ID, Sched: fsrs.Card{State: fsrs.Learning, Due: aqNow.Add(time.Minute)}})
	if len(buried) != 2 || q.Counts().New != 0 {
		t.Errorf("answering with bury new: buried %v, counts %+v", buried, q.Counts())
	}
}
