package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck/fsrs"
)

// shownIDs are the IDs of the cards the browser lists.
func shownIDs(h *harness) []string {
	var out []string
	for _, hit := range h.m.browse.hits {
		out = append(out, hit.Card.ID)
	}
	return out
}

func TestBrowseFiltersAsYouType(t *testing.T) {
	f := newFake(testDecks()...)
	f.prog["alpha/card-2"] = reviewCard("alpha/card-2", testNow.Add(-time.Hour), 3)
	f.prog["beta/card-1"] = reviewCard("beta/card-1", testNow.AddDate(0, 0, 5), 5)
	p := f.prog["beta/card-1"]
	p.Leech = true
	f.prog["beta/card-1"] = p
	h := newHarness(t, f)
	h.keys("b")
	h.mustSee("card 1 of 10 shown · 10 in all", "›   new         alpha    Question 1 of alpha?")
	h.keys("/")
	if !h.m.browse.filtering || !h.m.capturesText() {
		t.Fatal("/ did not start the filter")
	}
	for _, c := range []struct {
		typed string
		n     int
	}{
		{"b", 3},  // only beta's cards have a "b" in their text
		{"et", 3}, // "bet"
		{"a", 3},  // "beta"
		{" ", 3},  // a space changes nothing
		{"is", 0}, // the word "is"
		{":n", 0}, // "is:n" does not parse: the last results stay
		{"ew", 2}, // beta's new cards
	} {
		h.typeText(c.typed)
		if got := len(h.m.browse.hits); got != c.n {
			t.Fatalf("after %q (query %q): %d shown, want %d", c.typed, h.m.browse.query, got, c.n)
		}
	}
	h.mustSee("/ beta is:new", "card 1 of 2 shown")
	// ? and q are text while filtering.
	h.typeText("?")
	if h.m.showHelp || h.m.cur != scrBrowse {
		t.Fatal("? or q escaped the filter")
	}
	h.keys("backspace")
	h.keys("enter")
	if h.m.browse.filtering || len(h.m.browse.hits) != 2 {
		t.Fatal("enter did not keep the filter")
	}
	h.keys("/", "esc")
	if len(h.m.browse.hits) != 10 {
		t.Fatalf("esc did not clear the filter: %d", len(h.m.browse.hits))
	}
	for q, want := range map[string][]string{
		"is:due":              {"alpha/card-2"},
		"is:leech":            {"beta/card-1"},
		"deck:mine":           {"mine/card-1", "mine/card-2"},
		"is:review":           {"alpha/card-2", "beta/card-1"},
		`"answer 3"`:          {"alpha/card-3", "beta/card-3"},
		"answer 3":            {"alpha/card-3", "beta/card-3"},
		"is:custom":           {"mine/card-1", "mine/card-2"},
		"tag:t0 -deck:alpha":  {"beta/card-2", "mine/card-2"},
		"alpha or mine":       {"alpha/card-1", "alpha/card-2", "alpha/card-3", "alpha/card-4", "alpha/card-5", "mine/card-1", "mine/card-2"},
		"-is:new":             {"alpha/card-2", "beta/card-1"},
		"is:new -deck:alpha":  {"beta/card-2", "beta/card-3", "mine/card-1", "mine/card-2"},
		"prop:ivl>3":          {"beta/card-1"},
		"card:alpha/card-[1]": nil,
	} {
		h.m.browse.setQuery(q)
		if h.m.browse.qerr != nil {
			t.Errorf("%q: %v", q, h.m.browse.qerr)
			continue
		}
		if got := shownIDs(h); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// A query that does not parse says where and why, under the filter.
func TestBrowseShowsQueryErrors(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	h.keys("b", "/")
	h.typeText("deck:alpha is:foo")
	h.mustSee("/ deck:alpha is:foo", "\n                ^ 15: unknown is:foo")
	h.keys("backspace", "backspace", "backspace")
	h.typeText("new")
	h.mustNotSee("unknown is:")
	h.typeText(" (")
	h.mustSee("^ 19: '(' is not closed")
	// Enter leaves the last query that parsed.
	h.keys("enter")
	if h.m.browse.qerr != nil || strings.TrimSpace(h.m.browse.filter.Value()) != "deck:alpha is:new" {
		t.Fatalf("enter kept %q", h.m.browse.filter.Value())
	}
}

func TestBrowseSuspendUnsuspend(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "j", "s")
	if p, _ := f.progress("alpha/card-2"); !p.Suspended {
		t.Fatal("s did not suspend")
	}
	h.mustSee("›   suspended   alpha", "Suspend: 1 card changed (u undoes).")
	if h.m.browse.keys.Suspend.Help().Desc != "unsuspend" {
		t.Fatal("help does not offer unsuspend")
	}
	h.keys("s")
	if p, _ := f.progress("alpha/card-2"); p.Suspended {
		t.Fatal("s did not unsuspend")
	}
	f.errs["Apply"] = errDiskFull
	h.keys("s")
	h.mustSee("error: could not suspend: write /tmp/db", "›   new         alpha")
	// Back on the dashboard, the reload shows the change.
	h.keys("s", "q")
	if h.m.lib.Stats.Report.Total.Cards.Suspended != 1 {
		t.Fatal("suspension not reloaded")
	}
}

// Select with space, shift+arrows and *; a bulk action changes them all
// and u undoes it as one.
func TestBrowseMultiSelectBulkAndUndo(t *testing.T) {
	f := newFake(testDecks()...)
	f.prog["beta/card-1"] = reviewCard("beta/card-1", testNow.AddDate(0, 0, 5), 5)
	h := newHarness(t, f)
	h.keys("b", "space", "space") // alpha/card-1 and -2, the cursor on -3
	h.send(teaShift("down"))      // -3 and -4
	h.mustSee("4 selected", "✓")
	h.keys("s")
	for _, id := range []string{"alpha/card-1", "alpha/card-2", "alpha/card-3", "alpha/card-4"} {
		if p, _ := f.progress(id); !p.Suspended {
			t.Errorf("%s not suspended", id)
		}
	}
	if p, _ := f.progress("alpha/card-5"); p.Suspended {
		t.Error("alpha/card-5 suspended")
	}
	h.mustSee("Suspend: 4 cards changed (u undoes).")
	h.keys("u")
	for _, id := range []string{"alpha/card-1", "alpha/card-2", "alpha/card-3", "alpha/card-4"} {
		if p, _ := f.progress(id); p.Suspended {
			t.Errorf("%s still suspended after undo", id)
		}
	}
	h.mustSee("Undid suspend (4 cards).")
	// * selects everything shown; esc clears the selection before leaving.
	h.keys("/")
	h.typeText("deck:beta")
	h.keys("enter", "*")
	h.mustSee("3 selected")
	h.keys("F")
	h.mustSee("Forget 3 cards: back to new, history kept? y/n")
	h.keys("y")
	if p, _ := f.progress("beta/card-1"); p.Sched.State != fsrs.New || p.Sched.Reps != 3 {
		t.Fatalf("forget: %+v", p)
	}
	h.keys("esc")
	if len(h.m.browse.sel) != 0 || h.m.cur != scrBrowse {
		t.Fatal("esc did not clear the selection first")
	}
}

func teaShift(dir string) tea.KeyMsg {
	if dir == "up" {
		return tea.KeyMsg{Type: tea.KeyShiftUp}
	}
	return tea.KeyMsg{Type: tea.KeyShiftDown}
}

func TestBrowseFlagsTagsAndDue(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "m")
	h.mustSee("Flag 1 card: 1 red 2 orange")
	h.keys("3")
	if p, _ := f.progress("alpha/card-1"); p.Flag != 3 {
		t.Fatalf("flag %d", p.Flag)
	}
	h.mustSee("Flag green: 1 card changed")
	h.keys("/")
	h.typeText("flag:3\n")
	if got := shownIDs(h); len(got) != 1 || got[0] != "alpha/card-1" {
		t.Fatalf("flag:3 finds %v", got)
	}
	h.mustSee("›   new       3 alpha")
	h.keys("m", "3") // the same flag again clears it
	if p, _ := f.progress("alpha/card-1"); p.Flag != 0 {
		t.Fatalf("flag not cleared: %d", p.Flag)
	}
	h.keys("/", "esc")
	h.keys("t")
	if !h.m.capturesText() {
		t.Fatal("the tag prompt does not take text")
	}
	h.typeText("aks")
	h.keys("enter")
	if c := f.decks[0].Cards[0]; strings.Join(c.Tags, ",") != "alpha,t1,aks" {
		t.Fatalf("tags %v", c.Tags)
	}
	h.keys("T")
	h.typeText("t1\n")
	if c := f.decks[0].Cards[0]; strings.Join(c.Tags, ",") != "alpha,aks" {
		t.Fatalf("tags %v", c.Tags)
	}
	h.keys("D")
	h.typeText("x\n")
	h.mustSee("error: due days")
	h.keys("esc", "D")
	h.typeText("3\n")
	p, _ := f.progress("alpha/card-1")
	if p.Sched.State != fsrs.Review || f.sched().DayIndex(p.Sched.Due) != f.sched().DayIndex(testNow)+3 {
		t.Fatalf("set due: %+v", p.Sched)
	}
	h.keys("-")
	if p, _ := f.progress("alpha/card-1"); !p.BuriedUntil.After(testNow) {
		t.Fatal("- did not bury")
	}
}

func TestBrowseSortsByAnyColumn(t *testing.T) {
	f := newFake(testDecks()...)
	f.prog["beta/card-2"] = reviewCard("beta/card-2", testNow.AddDate(0, 0, 2), 9)
	f.prog["alpha/card-4"] = reviewCard("alpha/card-4", testNow.AddDate(0, 0, 1), 4)
	h := newHarness(t, f)
	h.keys("b", "S")
	if h.m.browse.sortBy != "due" || shownIDs(h)[0] != "alpha/card-4" || shownIDs(h)[1] != "beta/card-2" {
		t.Fatalf("by due: %v", shownIDs(h))
	}
	h.mustSee("by due ▲")
	h.keys("R")
	if shownIDs(h)[9] != "alpha/card-4" {
		t.Fatalf("reversed: %v", shownIDs(h))
	}
	h.mustSee("by due ▼")
	h.keys("S") // interval
	if h.m.browse.sortBy != "interval" || shownIDs(h)[9] != "beta/card-2" {
		t.Fatalf("by interval: %v", shownIDs(h))
	}
	// The last column shows the sort key.
	h.mustSee("question                                       interval", "beta     Question 2 of beta?                                  9d")
	h.keys("S")
	h.mustSee("recall", "%")
	for range browseSorts[3:] {
		h.keys("S")
	}
	if h.m.browse.sortBy != "" || shownIDs(h)[0] != "alpha/card-1" {
		t.Fatalf("back to the library order: %q %v", h.m.browse.sortBy, shownIDs(h))
	}
}

func TestBrowseCardInfo(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	_, _ = f.Grade("alpha/card-1", fsrs.Good, testNow.Add(-48*time.Hour), 5*time.Second)
	_, _ = f.Grade("alpha/card-1", fsrs.Good, testNow.Add(-47*time.Hour), 5*time.Second)
	h.keys("r") // reload the dashboard
	h.keys("b", "i")
	h.mustSee("Q: Question 1 of alpha?", "card            alpha/card-1", "forgetting curve", "recall now")
	h.keys("pgdown", "pgdown")
	h.mustSee("history: 2 reviews", "good")
	h.keys("esc")
	h.mustSee("card 1 of 10 shown")
}

func TestBrowseDeleteOnlyCustomAfterConfirmation(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b")
	if h.m.browse.keys.Delete.Enabled() {
		t.Fatal("delete offered for a built-in card")
	}
	h.keys("d")
	if h.m.browse.confirm != noConfirm {
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
	h.mustSee("Deleted mine/card-2", "card 9 of 9 shown · 9 in all", "›   new         mine     Question 1 of mine?")
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

// A bulk action from Browse is one entry of the one undo history: u on the
// dashboard undoes it too, every card at once.
func TestBrowseBulkUndoneFromTheDashboard(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "/")
	h.typeText("deck:beta")
	h.keys("enter", "*", "m", "3")
	for _, id := range []string{"beta/card-1", "beta/card-2", "beta/card-3"} {
		if p, _ := f.progress(id); p.Flag != 3 {
			t.Fatalf("%s not flagged: %+v", id, p)
		}
	}
	h.keys("esc", "q")
	if h.m.cur != scrDashboard {
		t.Fatalf("on %v, want the dashboard", h.m.cur)
	}
	h.keys("u")
	for _, id := range []string{"beta/card-1", "beta/card-2", "beta/card-3"} {
		if p, _ := f.progress(id); p.Flag != 0 {
			t.Errorf("%s still flagged after u on the dashboard: %+v", id, p)
		}
	}
	if !strings.Contains(h.status(), "Undid flag green (3 cards).") {
		t.Errorf("status %q", h.status())
	}
}
