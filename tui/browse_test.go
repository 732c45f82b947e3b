package tui

import (
	"strings"
	"testing"
	"time"
)

func TestBrowseFiltersAsYouType(t *testing.T) {
	f := newFake(testDecks()...)
	f.prog["alpha/card-2"] = reviewCard("alpha/card-2", testNow.Add(-time.Hour), 3)
	f.prog["beta/card-1"] = reviewCard("beta/card-1", testNow.AddDate(0, 0, 5), 5)
	p := f.prog["beta/card-1"]
	p.Leech = true
	f.prog["beta/card-1"] = p
	h := newHarness(t, f)
	h.keys("b")
	h.mustSee("card 1 of 10 shown · 10 in all", "› new        alpha    Question 1 of alpha?")
	h.keys("/")
	if !h.m.browse.filtering || !h.m.capturesText() {
		t.Fatal("/ did not start the filter")
	}
	for _, c := range []struct {
		typed string
		n     int
	}{
		{"b", 3},    // only beta's cards have a "b"
		{"et", 3},   // "bet"
		{"a", 3},    // "beta"
		{" ", 3},    // a space changes nothing
		{"is:n", 2}, // beta's new cards
	} {
		h.typeText(c.typed)
		if got := len(h.m.browse.shown); got != c.n {
			t.Fatalf("after %q (query %q): %d shown, want %d", c.typed, h.m.browse.query, got, c.n)
		}
	}
	h.mustSee("/ beta is:n", "card 1 of 2 shown")
	// ? and q are text while filtering.
	h.typeText("?")
	if h.m.showHelp || h.m.cur != scrBrowse {
		t.Fatal("? or q escaped the filter")
	}
	h.keys("backspace")
	h.keys("enter")
	if h.m.browse.filtering || len(h.m.browse.shown) != 2 {
		t.Fatal("enter did not keep the filter")
	}
	h.keys("/", "esc")
	if len(h.m.browse.shown) != 10 {
		t.Fatalf("esc did not clear the filter: %d", len(h.m.browse.shown))
	}
	for q, want := range map[string][]string{
		"is:due":    {"alpha/card-2"},
		"is:leech":  {"beta/card-1"},
		"deck:mine": {"mine/card-1", "mine/card-2"},
		"is:review": {"beta/card-1"},
		"answer 3":  {"alpha/card-3", "beta/card-3"},
		"is:custom": {"mine/card-1", "mine/card-2"},
	} {
		h.m.browse.apply(q)
		var got []string
		for _, i := range h.m.browse.shown {
			got = append(got, h.m.browse.rows[i].card.ID)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

func TestBrowseSuspendUnsuspend(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "j", "s")
	if p, _ := f.progress("alpha/card-2"); !p.Suspended {
		t.Fatal("s did not suspend")
	}
	h.mustSee("› suspended  alpha", "Suspended alpha/card-2.")
	if h.m.browse.keys.Suspend.Help().Desc != "unsuspend" {
		t.Fatal("help does not offer unsuspend")
	}
	h.keys("s")
	if p, _ := f.progress("alpha/card-2"); p.Suspended {
		t.Fatal("s did not unsuspend")
	}
	f.errs["SetSuspended"] = errDiskFull
	h.keys("s")
	h.mustSee("error: could not change alpha/card-2", "› new        alpha")
	// Back on the dashboard, the reload shows the change.
	h.keys("s", "q")
	if h.m.lib.Stats.Report.Total.Cards.Suspended != 1 {
		t.Fatal("suspension not reloaded")
	}
}

func TestBrowseDeleteOnlyCustomAfterConfirmation(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b")
	if h.m.browse.keys.Delete.Enabled() {
		t.Fatal("delete offered for a built-in card")
	}
	h.keys("d")
	if h.m.browse.confirm {
		t.Fatal("d asked to delete a built-in card")
	}
	h.keys("G") // mine/card-2
	h.keys("d")
	h.mustSee("Delete mine/card-2? y deletes · n keeps (history is kept)")
	h.keys("n")
	if len(f.decks[2].Cards) != 2 {
		t.Fatal("n deleted")
	}
	h.keys("d", "y")
	if len(f.decks[2].Cards) != 1 || f.decks[2].Cards[0].ID != "mine/card-1" {
		t.Fatal("y did not delete mine/card-2")
	}
	h.mustSee("Deleted mine/card-2", "card 9 of 9 shown · 9 in all", "› new        mine     Question 1 of mine?")
}

func TestBrowseOpenShowsTheCard(t *testing.T) {
	f := newFake(testDecks()...)
	f.prog["alpha/card-1"] = reviewCard("alpha/card-1", testNow.Add(-time.Hour), 3)
	h := newHarness(t, f)
	h.keys("b", "enter")
	h.mustSee("alpha/card-1 · Alpha Area", "Question 1 of alpha?", "Answer 1 of alpha.", "state due", "interval 3d", "reviews 3")
	h.keys("j")
	h.mustSee("alpha/card-2", "state new")
	h.keys("q")
	if h.m.cur != scrBrowse || h.m.browse.detail {
		t.Fatal("q did not close the card")
	}
	h.keys("q")
	if h.m.cur != scrDashboard {
		t.Fatal("q did not leave browse")
	}
}
