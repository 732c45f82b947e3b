package tui

import (
	"strings"
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

// TestPlanScreenDate: p opens the plan; a date in the past is refused on
// the screen and nothing is saved; a good date is saved, the plan shows
// it, and the dashboard header then shows the days left and readiness.
func TestPlanScreenDate(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	if _, err := f.Grade("alpha/card-1", fsrs.Good, testNow.Add(-48*time.Hour), 8*time.Second); err != nil {
		t.Fatal(err)
	}
	h.keys("r")
	h.mustNotSee("readiness")
	h.keys("p")
	if h.m.cur != scrPlan {
		t.Fatalf("p opened %v", h.m.cur)
	}
	h.mustSee("Interview plan", "No interview date.", "Alpha Area", "All areas", "d set date")
	h.mustNotSee("x clear date", "On plan")

	h.keys("d")
	if !h.m.capturesText() {
		t.Fatal("the date field does not take typed text")
	}
	h.typeText("q2026-03-01") // q types, it does not leave
	if h.m.cur != scrPlan {
		t.Fatal("q left the screen while typing")
	}
	h.keys("enter")
	h.mustSee(`want a date YYYY-MM-DD`)
	for i := 0; i < 11; i++ {
		h.keys("backspace")
	}
	h.typeText("2026-03-01")
	h.keys("enter")
	h.mustSee("2026-03-01 is in the past")
	for i := 0; i < 10; i++ {
		h.keys("backspace")
	}
	h.typeText("2026-03-02")
	h.keys("enter")
	h.mustSee("2026-03-02 is today")
	for _, c := range f.calls {
		if strings.HasPrefix(c, "SetInterviewDate") {
			t.Fatalf("a refused date was saved: %v", f.calls)
		}
	}
	for i := 0; i < 10; i++ {
		h.keys("backspace")
	}
	h.typeText("2026-04-01")
	h.keys("enter")
	if f.date != "2026-04-01" {
		t.Fatalf("stored date %q", f.date)
	}
	h.mustSee("Interview 2026-04-01 · 30 days left", "Idle", "On plan", "x clear date", "h help me decide")
	if !strings.Contains(h.status(), "Interview date set to 2026-04-01") {
		t.Errorf("status %q", h.status())
	}

	h.keys("h")
	h.mustSee("Help me decide", "[0.90]", "Minutes a day", "Recall on the day")

	h.keys("q")
	if h.m.cur != scrDashboard {
		t.Fatalf("q went to %v", h.m.cur)
	}
	h.mustSee("Interview 2026-04-01  30 days left · readiness ")

	// Clearing it from the plan screen.
	h.keys("p", "x")
	if f.date != "" {
		t.Fatalf("x left %q", f.date)
	}
	h.mustSee("No interview date.")
	h.keys("esc")
	h.mustNotSee("readiness")
}

// TestPlanScreenCancelAndStale: esc cancels typing without saving, and a
// plan computed for an older state is dropped.
func TestPlanScreenCancelAndStale(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("p", "d")
	h.typeText("2026-05-01")
	h.keys("esc")
	if h.m.cur != scrPlan || h.m.plan.editing || f.date != "" {
		t.Fatalf("esc: screen %v editing %v date %q", h.m.cur, h.m.plan.editing, f.date)
	}
	old := h.m.plan.pl
	h.send(forMsg{to: scrPlan, msg: planMsg{seq: h.m.plan.seq - 1, pl: nil}})
	if h.m.plan.pl != old {
		t.Error("a stale plan replaced the current one")
	}
}

// TestPlanPaceDrivesNewLimit: "Use plan's pace" in Settings makes the
// plan's pace each deck's new-card limit while a date is set; it holds
// through the day as new cards are studied.
func TestPlanPaceDrivesNewLimit(t *testing.T) {
	f := newFake(testDecks()...) // alpha 5 cards, beta 3, mine 2
	f.date = testNow.AddDate(0, 0, 10).Format("2006-01-02")
	h := newHarness(t, f)
	if n := h.m.lib.Dash.Decks[0].Counts.New; n != 5 {
		t.Fatalf("alpha new = %d before the setting (limit 20)", n)
	}
	h.keys(",")
	for i := 0; i < 9; i++ {
		h.keys("j")
	}
	h.mustSee("› Use plan's pace     off")
	h.keys("l")
	h.mustSee("Use plan's pace     on *")
	h.keys("s")
	if !f.settings.PlanPace {
		t.Fatal("the setting was not saved")
	}
	h.keys("q")
	// 10 days left, 7 to consolidate: 3 days for alpha's 5 cards -> 2 a
	// day, beta's 3 -> 1, mine's 2 -> 1; everything: their sum.
	want := []int{2, 1, 1}
	for i, w := range want {
		if got := h.m.lib.Dash.Decks[i].Counts.New; got != w {
			t.Errorf("%s new today = %d, want the plan's %d", h.m.lib.Decks[i].ID, got, w)
		}
	}
	if got := h.m.lib.Dash.Total.Counts.New; got != 4 {
		t.Errorf("everything new today = %d, want 4", got)
	}
	gradedBefore(t, f) // nothing
	if _, err := f.Grade("alpha/card-1", fsrs.Good, testNow, time.Second); err != nil {
		t.Fatal(err)
	}
	h.keys("r")
	if got, _ := h.m.lib.Limits("alpha", testNow); got != 1 {
		t.Errorf("alpha after one new card: %d left, want 1 (the pace holds through the day)", got)
	}
	// Without a date the setting does nothing.
	f.date = ""
	h.keys("r")
	if got := h.m.lib.Dash.Decks[0].Counts.New; got != 4 {
		t.Errorf("no date: alpha new = %d, want the 4 unseen under the limit of 20", got)
	}
}

// TestPlanScreenDayHasCome: a date that has come shows no forecast (and
// does not break the screen or the dashboard).
func TestPlanScreenDayHasCome(t *testing.T) {
	f := newFake(testDecks()...)
	f.date = testNow.AddDate(0, 0, -1).Format("2006-01-02")
	h := newHarness(t, f)
	h.mustSee("the day has come")
	h.keys("p")
	h.mustSee("has come: set the next one", "All areas")
	h.mustNotSee("On plan")
}

// TestSettingsHelpMeDecide: w in Settings shows the simulated minutes a
// day and recall for each desired retention.
func TestSettingsHelpMeDecide(t *testing.T) {
	f := newFake(testDecks()...)
	gradedBefore(t, f, "alpha/card-1")
	h := newHarness(t, f)
	h.keys(",")
	h.mustSee("(w: help me decide)")
	h.mustNotSee("Minutes a day")
	h.keys("w")
	h.mustSee("Help me decide", "[0.90]", "Minutes a day", "Recall in 30 days")
	h.keys("l", "l", "l")
	h.mustSee("[0.93]")
}
