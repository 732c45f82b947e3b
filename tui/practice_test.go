package tui

import (
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// gradedBefore grades a few cards of the fake two days before testNow.
func gradedBefore(t *testing.T, f *fakeRepo, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if _, err := f.Grade(id, fsrs.Good, testNow.Add(-48*time.Hour), 8*time.Second); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCramScreen: c on the Plan screen crams the studied cards; grades
// are practice grades and no card's progress changes.
func TestCramScreen(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("p", "c")
	h.mustSee("Nothing to cram")
	h.keys("q")
	if h.m.cur != scrPlan {
		t.Fatalf("q went to %v", h.m.cur)
	}
	gradedBefore(t, f, "alpha/card-1", "beta/card-2")
	h.keys("q", "r", "p", "c")
	if h.m.cur != scrPractice {
		t.Fatalf("c opened %v", h.m.cur)
	}
	h.mustSee("Interview plan › Cram", "1/2", "space shows the answer")
	before := map[string]deck.Progress{}
	for k, v := range f.prog {
		before[k] = v
	}
	h.keys("space")
	h.mustSee("── answer", "1 Again   2 Hard   3 Good   4 Easy")
	h.keys("1", "space", "3")
	h.mustSee("Cram done", "2 answered, 50% correct. Schedules unchanged.")
	if len(f.practice) != 2 || f.practice[0].Kind != deck.Cram || f.practice[0].Rating != fsrs.Again {
		t.Fatalf("practice %+v", f.practice)
	}
	for k, v := range f.prog {
		if before[k] != v {
			t.Errorf("cram changed %s's progress", k)
		}
	}
	if len(f.reviews) != 2 {
		t.Errorf("%d reviews in the log, want the 2 study grades", len(f.reviews))
	}
}

// TestMockScreen: the mock shows the card's timer against its budget,
// undo takes a grade back, q ends it with a scorecard that is saved and
// shows up in the Plan screen's trend.
func TestMockScreen(t *testing.T) {
	f := newFake(testDecks()...)
	gradedBefore(t, f, "alpha/card-1")
	h := newHarness(t, f)
	h.keys("p", "m")
	h.mustSee("Interview plan › Mock interview", "this card 0:00 of 0:30", "20:00 left")
	h.clock = h.clock.Add(35 * time.Second)
	h.send(forMsg{to: scrPractice, msg: practiceTickMsg{op: h.m.practice.op}})
	h.mustSee("this card 0:35 of 0:30 OVER", "19:25 left")
	first := h.m.practice.items[0].Card.ID
	h.keys("space", "3")
	h.mustSee("2/")
	h.keys("space", "1", "u")
	if len(f.practice) != 1 {
		t.Fatalf("after undo: %d practice grades", len(f.practice))
	}
	h.mustSee("2/")
	h.keys("space", "1", "q")
	h.mustSee("Mock interview scorecard", "All areas", "2     50%", "Schedules unchanged")
	if len(f.mocks) != 1 {
		t.Fatalf("%d mocks saved", len(f.mocks))
	}
	a, p := f.mocks[0].Answered()
	over := 0
	for _, ar := range f.mocks[0].Areas {
		over += ar.OverBudget
	}
	if a != 2 || p != 1 || over != 1 || !f.mocks[0].Start.Equal(testNow) {
		t.Errorf("scorecard %+v (first card %s)", f.mocks[0], first)
	}
	h.keys("q")
	if h.m.cur != scrPlan {
		t.Fatalf("q went to %v", h.m.cur)
	}
	h.mustSee("Mock interviews (passed): Mar 2 50%")
	if !strings.Contains(f.mocks[0].Areas[0].ID, "a") {
		t.Errorf("areas %+v", f.mocks[0].Areas)
	}
}

// TestCramOneArea: the marked row of the Plan screen is what c crams.
func TestCramOneArea(t *testing.T) {
	f := newFake(testDecks()...)
	gradedBefore(t, f, "alpha/card-1", "beta/card-1", "beta/card-2")
	h := newHarness(t, f)
	h.keys("p")
	h.mustSee("› All areas")
	h.keys("k", "k") // beta (alpha, beta, mine, all)
	h.mustSee("› Beta Area")
	h.keys("c")
	h.mustSee("Beta Area · ", "1/2")
	for _, it := range h.m.practice.items {
		if it.Card.Deck != "beta" {
			t.Errorf("%s crammed with beta marked", it.Card.ID)
		}
	}
}
