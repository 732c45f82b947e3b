package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
)

// Burying or suspending a new card uses up none of today's new cards: the
// next one takes its place (Anki), and the dashboard agrees.
func TestBuryAndSuspendKeepTheNewCount(t *testing.T) {
	h := newHarness(t, oneDeck(25))
	h.mustSee("20")
	h.keys("enter")
	h.mustSee("1/20 · new 20 ·")
	h.keys("-")
	h.mustSee("1/20 · new 20 ·", "Q2?")
	h.keys("@")
	h.mustSee("1/20 · new 20 ·", "Q3?")
	// Grading does use one.
	h.keys("space", "4")
	h.mustSee("2/20 · new 19 ·")
}

// u after a suspend undoes the suspend (not an older grade) and shows that
// card again; with nothing to undo the key is hidden.
func TestUndoAfterSuspendRestoresThatCard(t *testing.T) {
	h := newHarness(t, oneDeck(5))
	h.keys("enter")
	if h.m.review.keys.Undo.Enabled() {
		t.Fatal("undo enabled with nothing to undo")
	}
	h.keys("space", "4") // grade c1
	h.mustSee("Q2?")
	h.keys("@") // suspend c2
	h.mustSee("Q3?")
	if !h.repo.prog["solo/c2"].Suspended {
		t.Fatal("c2 not suspended")
	}
	h.keys("u")
	h.mustSee("Q2?")
	if h.repo.prog["solo/c2"].Suspended {
		t.Error("undo left c2 suspended")
	}
	if _, ok := h.repo.prog["solo/c1"]; !ok {
		t.Error("undo of the suspend also undid the grade of c1")
	}
	if !strings.Contains(h.status(), "suspend") {
		t.Errorf("status %q does not name the suspend", h.status())
	}
	// Ctrl+Z is undo too: now the grade of c1.
	h.keys("ctrl+z")
	h.mustSee("Q1?")
	if _, ok := h.repo.prog["solo/c1"]; ok {
		t.Error("ctrl+z did not undo the grade")
	}
	if h.m.review.keys.Undo.Enabled() {
		t.Error("undo still enabled with nothing left to undo")
	}
}

// Space or Enter on the answer side answers Good (Anki's default); the
// setting turns that off.
func TestSpaceAnswersGood(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space", "space")
	if n := strings.Count(strings.Join(h.repo.calls, ","), "Grade"); n != 1 {
		t.Fatalf("space on the answer: %d grades", n)
	}
	if r := h.repo.reviews; len(r) != 1 || r[0].Rating != 3 {
		t.Fatalf("space on the answer graded %+v, want Good", r)
	}
	h.mustSee("Q2?")
	h.keys("enter", "enter")
	if len(h.repo.reviews) != 2 || h.repo.reviews[1].Rating != 3 {
		t.Fatalf("enter on the answer: %+v", h.repo.reviews)
	}

	f := oneDeck(3)
	f.settings.SpaceAnswersGood = false
	h = newHarness(t, f)
	h.keys("enter", "space", "space", "enter")
	if len(f.reviews) != 0 {
		t.Fatalf("space/enter graded with the setting off: %+v", f.reviews)
	}
	h.mustSee("A1.")
}

// A cloze card's extra text is shown once.
func TestClozeExtraShownOnce(t *testing.T) {
	d := deck.Deck{ID: "solo", Title: "Solo", Builtin: true}
	base := deck.Card{Deck: "solo", Slug: "sla", Kind: deck.Cloze, Line: 1,
		Text: "The uptime SLA is {{c1::99.95%}}.", Extra: "Only with availability zones."}
	cards, err := deck.ClozeCards(base)
	if err != nil {
		t.Fatal(err)
	}
	d.Cards = cards
	h := newHarness(t, newFake(d))
	h.keys("enter", "space")
	if n := strings.Count(h.view(), "Only with availability zones."); n != 1 {
		t.Fatalf("extra shown %d times:\n%s", n, h.view())
	}
}

var _ = fmt.Sprint

// The summary names when the next card becomes available: a review due
// tomorrow at 09:00 is there from the day start, "tomorrow from 04:00".
func TestSummarySaysTomorrowFromDayStart(t *testing.T) {
	f := oneDeck(2)
	f.prog["solo/c2"] = reviewCard("solo/c2", testNow.Add(24*time.Hour), 5)
	h := newHarness(t, f)
	h.keys("enter", "space", "4")
	h.mustSee("Session complete", "Next card due tomorrow from 04:00")
	h.mustNotSee("tomorrow at 09:00")
}
