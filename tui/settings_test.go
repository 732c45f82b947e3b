package tui

import (
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
)

func TestSettingsStepSaveAndApplyAtOnce(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys(",")
	h.mustSee("› Desired retention   0.90", "New cards per day   20", "Learning steps      1m 10m", "Day starts at       04:00")
	if h.m.settings.keys.Save.Enabled() {
		t.Fatal("save offered with nothing changed")
	}
	h.keys("l", "l", "right")
	h.mustSee("0.93 *", "* changed: s saves")
	h.keys("j", "h", "h", "-") // new cards 20 -> 17
	h.mustSee("New cards per day   17 *")
	h.keys("s")
	if f.settings.DesiredRetention != 0.93 || f.settings.NewPerDay != 17 {
		t.Fatalf("saved %+v", f.settings)
	}
	if !strings.Contains(h.status(), "Settings saved") {
		t.Fatalf("status %q", h.status())
	}
	h.mustNotSee("*")
	// Applied at once: the library was reloaded with the new scheduler.
	if h.m.lib.Settings.NewPerDay != 17 || h.m.lib.Sched.Params().DesiredRetention != 0.93 {
		t.Fatal("new settings not loaded")
	}
	h.keys("enter") // type "new cards per day"
	if !h.m.settings.editing || !h.m.capturesText() || h.m.settings.input.Value() != "17" {
		t.Fatal("enter did not start typing")
	}
	h.keys("q") // typed, not back
	if h.m.cur != scrSettings || h.m.settings.input.Value() != "17q" {
		t.Fatal("q was not typed")
	}
}

func TestSettingsTypedValues(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys(",", "j", "enter")
	for range "20" {
		h.keys("backspace")
	}
	h.typeText("1")
	h.keys("enter")
	h.mustSee("New cards per day   1 *")
	// Steps: a bad one is refused with a reason, a good one accepted.
	h.keys("j", "j", "j", "enter")
	for range "1m 10m" {
		h.keys("backspace")
	}
	h.typeText("2m soon")
	h.keys("enter")
	h.mustSee(`error: "soon" is not a step like 1m, 10m, 1h or 1d`)
	if !h.m.settings.editing {
		t.Fatal("a bad value ended the edit")
	}
	for range "soon" {
		h.keys("backspace")
	}
	h.typeText("1h 1d")
	h.keys("enter")
	h.mustSee("Learning steps      2m 1h 1d *")
	// Esc cancels a typed value.
	h.keys("j", "enter", "backspace", "backspace", "backspace")
	h.typeText("99m")
	h.keys("esc")
	h.mustSee("Relearning steps    10m ")
	h.keys("s")
	want := []time.Duration{2 * time.Minute, time.Hour, 24 * time.Hour}
	if f.settings.NewPerDay != 1 || len(f.settings.LearningSteps) != 3 || f.settings.LearningSteps[2] != want[2] {
		t.Fatalf("saved %+v", f.settings)
	}
	// Applied at once: studying everything now shows one new card.
	h.keys("q", "enter")
	if h.m.cur != scrReview || h.m.review.queue.Counts().New != 1 {
		t.Fatalf("session: %v %+v", h.m.cur, h.m.review.queue.Counts())
	}
}

func TestSettingsRangesAndErrors(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys(",")
	for i := 0; i < 20; i++ {
		h.keys("l")
	}
	h.mustSee("0.97 *")
	for i := 0; i < 40; i++ {
		h.keys("h")
	}
	h.mustSee("0.70 *")
	h.keys("enter", "backspace", "backspace", "backspace", "backspace")
	h.typeText("0.99")
	h.keys("enter")
	h.mustSee("error: desired retention: 0.99 is outside 0.70-0.97")
	h.keys("esc")
	h.keys("j", "j", "j", "h") // day start 04 -> 03
	h.mustSee("Day starts at       03:00 *")
	f.errs["SaveSettings"] = errDiskFull
	h.keys("s")
	h.mustSee("error: settings not saved", "no space left")
	if f.settings.DayStartHour != 4 {
		t.Fatal("a failed save changed the settings")
	}
	// Leaving with unsaved changes asks first.
	h.keys("q")
	h.mustSee("Discard the unsaved changes?")
	h.keys("n")
	if h.m.cur != scrSettings {
		t.Fatal("n left")
	}
	h.keys("q", "y")
	if h.m.cur != scrDashboard || f.settings.DayStartHour != 4 {
		t.Fatal("y did not discard")
	}
	// D restores Anki's defaults.
	f.settings.NewPerDay = 5
	h.keys("r", ",", "D")
	if h.m.settings.cur.NewPerDay != deck.DefaultSettings().NewPerDay {
		t.Fatal("D did not restore the defaults")
	}
}

func TestParseSteps(t *testing.T) {
	for in, want := range map[string]string{"1m 10m": "1m 10m", "30s,2": "30s 2m", "1.5h": "90m", "": "(none)", "2d": "2d"} {
		got, err := parseSteps(in)
		if err != nil || stepsText(got) != want {
			t.Errorf("%q: %v %v, want %s", in, stepsText(got), err, want)
		}
	}
	for _, bad := range []string{"0m", "-1m", "xm", "m"} {
		if _, err := parseSteps(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
