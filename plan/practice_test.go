package plan

import (
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

func TestCramWeakestFirst(t *testing.T) {
	lib := with(history(t, 2, 60, 30, 2), t0.AddDate(0, 0, 50))
	items, err := Cram(lib, "", 0)
	if err != nil || len(items) == 0 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	for i, it := range items {
		if it.Progress.Sched.State == fsrs.New {
			t.Errorf("new card %s in cram", it.Card.ID)
		}
		if i > 0 && it.Recall < items[i-1].Recall {
			t.Fatalf("not weakest first at %d: %.3f after %.3f", i, it.Recall, items[i-1].Recall)
		}
	}
	one, _ := Cram(lib, "area-1", 5)
	if len(one) != 5 {
		t.Fatalf("limit: %d", len(one))
	}
	for _, it := range one {
		if it.Card.Deck != "area-1" {
			t.Errorf("%s outside area-1", it.Card.ID)
		}
	}
	if _, err := Cram(lib, "nope", 0); err == nil {
		t.Error("unknown deck accepted")
	}
	// The search language filters the cram (as Browse and opsdeck search).
	q, err := CramQuery(lib, "", "deck:area-1", 0)
	if err != nil || len(q) == 0 {
		t.Fatalf("cram deck:area-1: %d %v", len(q), err)
	}
	for _, it := range q {
		if it.Card.Deck != "area-1" {
			t.Errorf("%s does not match deck:area-1", it.Card.ID)
		}
	}
	if _, err := CramQuery(lib, "", "is:frob", 0); err == nil {
		t.Error("a bad query was accepted")
	}
}

// TestMockDraw: the budgets fill the minutes, scenario cards come first,
// and the weaker area gets more of the time.
func TestMockDraw(t *testing.T) {
	lib := history(t, 2, 60, 30, 2)
	// area-0 is strong (studied), area-1 weak (forget its progress).
	for id := range lib.Progress {
		if id[:6] == "area-1" {
			delete(lib.Progress, id)
		}
	}
	lib.Decks[0].Cards[7].Tags = []string{ScenarioTag}
	items := Mock(lib, 10)
	var total time.Duration
	per := map[string]time.Duration{}
	for _, it := range items {
		total += it.Budget
		per[it.Card.Deck] += it.Budget
	}
	if total < 10*time.Minute || total > 10*time.Minute+ScenarioBudget {
		t.Errorf("budgets sum to %v for a 10-minute mock", total)
	}
	if per["area-1"] <= per["area-0"] {
		t.Errorf("weak area got %v, strong %v", per["area-1"], per["area-0"])
	}
	for _, it := range items {
		if it.Card.Deck == "area-0" {
			if it.Card.ID != lib.Decks[0].Cards[7].ID || it.Budget != ScenarioBudget {
				t.Errorf("area-0 starts with %s (%v), not its scenario card", it.Card.ID, it.Budget)
			}
			break
		}
	}
	answers := []MockAnswer{{Item: items[0], Rating: fsrs.Good, Took: time.Hour}, {Item: items[1], Rating: fsrs.Again, Took: time.Second}}
	card := Scorecard(lib, t0, 10, answers)
	a, p := card.Answered()
	over := 0
	for _, ar := range card.Areas {
		over += ar.OverBudget
	}
	if a != 2 || p != 1 || over != 1 {
		t.Errorf("scorecard %+v", card)
	}
}
