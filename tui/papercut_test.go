package tui

import (
	"strings"
	"testing"
)

// A status message is about the screen and action it came from: the next
// action or another screen clears it.
func TestStatusDoesNotOutliveItsTruth(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space", "3", "u")
	if !strings.Contains(h.status(), "Undid the grade of solo/c1") {
		t.Fatalf("status after undo: %q", h.status())
	}
	h.keys("space", "3")
	if h.status() != "" {
		t.Fatalf("the undo message outlived the next grade: %q", h.status())
	}
	// An error on one screen is not shown on the next.
	h.m.status = status{text: "undo failed: nothing to undo", err: true, id: h.m.status.id + 1}
	h.keys("q", "q") // the summary, then the dashboard
	if h.m.cur != scrDashboard || h.status() != "" {
		t.Fatalf("on %v the status still reads %q", h.m.cur, h.status())
	}
}

// q twice in a review with no grades lands on the dashboard and stays:
// leaving a screen and quitting are distinct.
func TestQTwiceLeavesButDoesNotQuit(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "q", "q")
	if h.quit || h.m.cur != scrDashboard {
		t.Fatalf("q q from a review: quit %v, on %v", h.quit, h.m.cur)
	}
	if !strings.Contains(h.status(), "q again to quit") {
		t.Fatalf("no hint: %q", h.status())
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("q on the dashboard does not quit")
	}
	// On a dashboard not just come back to, q quits at once.
	h = newHarness(t, oneDeck(3))
	h.keys("j", "q")
	if !h.quit {
		t.Fatal("q on the dashboard does not quit")
	}
}

// r on the dashboard says what it loaded.
func TestReloadSaysSo(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("r")
	if h.status() != "Reloaded: 1 deck, 3 cards." {
		t.Fatalf("status after r: %q", h.status())
	}
}
