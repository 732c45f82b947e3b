package deck

import (
	"fmt"
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

func qcard(deckID string, n int) Card {
	slug := fmt.Sprintf("c%d", n)
	return Card{ID: deckID + "/" + slug, Deck: deckID, Slug: slug, Front: "q", Back: "a"}
}

func TestQueueOrderAndLimits(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	dayEnd := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	var cards []Card
	prog := map[string]Progress{}
	for _, d := range []string{"a", "b"} {
		for i := 0; i < 5; i++ {
			cards = append(cards, qcard(d, i))
		}
	}
	review := func(id string, due time.Time) {
		prog[id] = Progress{CardID: id, Sched: fsrs.Card{State: fsrs.Review, Due: due, ScheduledDays: 3}}
	}
	review("a/c0", now.Add(-48*time.Hour))  // overdue
	review("a/c1", now.Add(5*time.Hour))    // due later today: counts
	review("b/c0", now.Add(-24*time.Hour))  // overdue
	review("b/c1", dayEnd.Add(time.Minute)) // tomorrow: not today
	prog["b/c2"] = Progress{CardID: "b/c2", Sched: fsrs.Card{State: fsrs.Learning, Due: now.Add(5 * time.Minute)}}
	prog["a/c2"] = Progress{CardID: "a/c2", Sched: fsrs.Card{State: fsrs.Review, Due: now}, Suspended: true}
	prog["a/c3"] = Progress{CardID: "a/c3", Sched: fsrs.Card{State: fsrs.Review, Due: now}, BuriedUntil: dayEnd}

	q := BuildQueue(cards, prog, QueueOptions{Now: now, DayEnd: dayEnd, NewLimit: 3, ReviewLimit: 200, DeckOrder: []string{"a", "b"}})
	if c := q.Counts(); c != (Counts{New: 3, Learning: 1, Review: 3}) {
		t.Fatalf("counts %+v", c)
	}
	var order []string
	at := now
	for {
		it, ok := q.Next(at)
		if !ok {
			break
		}
		order = append(order, it.Card.ID)
		q.Remove(it.Card.ID)
	}
	// reviews interleaved by area (most overdue first within an area), then
	// new cards interleaved (a/c4, b/c3, b/c4 are the new ones; limit 3),
	// then the learning card due in 5 minutes, shown early as nothing is left.
	want := []string{"a/c0", "b/c0", "a/c1", "a/c4", "b/c3", "b/c4", "b/c2"}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("order %v, want %v", order, want)
	}
}

func TestQueueLearningFirstAndLearnAhead(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	dayEnd := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	cards := []Card{qcard("a", 0), qcard("a", 1), qcard("a", 2)}
	prog := map[string]Progress{
		"a/c0": {CardID: "a/c0", Sched: fsrs.Card{State: fsrs.Review, Due: now.Add(-time.Hour), ScheduledDays: 2}},
		"a/c1": {CardID: "a/c1", Sched: fsrs.Card{State: fsrs.Relearning, Due: now.Add(-time.Minute)}},
		"a/c2": {CardID: "a/c2", Sched: fsrs.Card{State: fsrs.Learning, Due: now.Add(30 * time.Minute)}},
	}
	q := BuildQueue(cards, prog, QueueOptions{Now: now, DayEnd: dayEnd, NewLimit: 20, ReviewLimit: 200})
	if it, _ := q.Next(now); it.Card.ID != "a/c1" {
		t.Fatalf("a due learning card comes first, got %s", it.Card.ID)
	}
	q.Remove("a/c1")
	if it, _ := q.Next(now); it.Card.ID != "a/c0" {
		t.Fatalf("then the review, got %s", it.Card.ID)
	}
	// Answering the review Again puts it back as relearning in 10 minutes.
	after := Progress{CardID: "a/c0", Sched: fsrs.Card{State: fsrs.Relearning, Due: now.Add(10 * time.Minute)}}
	q.Answered(cards[0], after)
	if c := q.Counts(); c != (Counts{Learning: 2}) {
		t.Fatalf("counts %+v", c)
	}
	// Nothing due now, but the relearning card is within 20 minutes.
	if it, ok := q.Next(now); !ok || it.Card.ID != "a/c0" {
		t.Fatalf("learn ahead: got %v %v", it.Card.ID, ok)
	}
	q.Remove("a/c0")
	// a/c2 is 30 minutes away: beyond the learn-ahead limit.
	if _, ok := q.Next(now); ok {
		t.Fatal("a card 30 minutes away must wait")
	}
	if due, ok := q.NextLearning(); !ok || !due.Equal(now.Add(30*time.Minute)) {
		t.Fatalf("NextLearning %v %v", due, ok)
	}
	if _, ok := q.Next(now.Add(11 * time.Minute)); !ok {
		t.Fatal("at 11 minutes the card is within 20 minutes")
	}
}

func TestQueueReviewLimitAndPutBack(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	dayEnd := now.Add(19 * time.Hour)
	var cards []Card
	prog := map[string]Progress{}
	for i := 0; i < 10; i++ {
		c := qcard("a", i)
		cards = append(cards, c)
		prog[c.ID] = Progress{CardID: c.ID, Sched: fsrs.Card{State: fsrs.Review, Due: now.Add(-time.Duration(i) * time.Hour), ScheduledDays: 1}}
	}
	q := BuildQueue(cards, prog, QueueOptions{Now: now, DayEnd: dayEnd, NewLimit: 20, ReviewLimit: 4})
	if c := q.Counts(); c.Review != 4 {
		t.Fatalf("review limit: %+v", c)
	}
	first, _ := q.Next(now)
	if first.Card.ID != "a/c9" {
		t.Fatalf("most overdue first, got %s", first.Card.ID)
	}
	q.Answered(first.Card, Progress{CardID: first.Card.ID, Sched: fsrs.Card{State: fsrs.Review, Due: now.Add(72 * time.Hour), ScheduledDays: 3}})
	q.PutBack(first, true)
	if it, _ := q.Next(now); it.Card.ID != "a/c9" || q.Counts().Review != 4 {
		t.Fatalf("PutBack: next %s counts %+v", it.Card.ID, q.Counts())
	}
}

func TestFormatInterval(t *testing.T) {
	cases := map[time.Duration]string{
		30 * time.Second: "<1m", time.Minute: "1m", 6 * time.Minute: "6m", 10 * time.Minute: "10m",
		90 * time.Minute: "2h", 24 * time.Hour: "1d", 8 * 24 * time.Hour: "8d",
		45 * 24 * time.Hour: "1.5mo", 60 * 24 * time.Hour: "2mo", 800 * 24 * time.Hour: "2.2y",
	}
	for d, want := range cases {
		if got := FormatInterval(d); got != want {
			t.Errorf("FormatInterval(%v) = %q, want %q", d, got, want)
		}
	}
}
