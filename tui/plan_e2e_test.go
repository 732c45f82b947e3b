package tui_test

import (
	"path/filepath"
	"testing"
	"time"
)

// TestE2EGoldenPlan: the Plan screen at 80x24 after setting a date on a
// fresh database (nothing studied: the plan says how to start).
func TestE2EGoldenPlan(t *testing.T) {
	c := &clock{t: e2eStart}
	a := start(t, filepath.Join(t.TempDir(), "db"), c)
	a.press("p")
	a.waitFor("No interview date.")
	a.press("d")
	a.typeText("2026-04-15")
	a.press("enter")
	a.waitFor("44 days left")
	golden(t, a.quit())
}

// TestE2EGoldenMockScorecard: a short mock interview on the real store,
// ended after two answers: the scorecard at 80x24.
func TestE2EGoldenMockScorecard(t *testing.T) {
	c := &clock{t: e2eStart}
	a := start(t, filepath.Join(t.TempDir(), "db"), c)
	a.press("p")
	a.waitFor("No interview date.")
	a.press("m")
	a.waitFor("this card 0:00 of")
	a.press("space")
	a.waitFor("── answer")
	c.Advance(40 * time.Second)
	a.press("3")
	a.waitFor(" 2/")
	a.press("space")
	a.waitFor("── answer")
	a.press("1")
	a.waitFor(" 3/")
	a.press("q")
	a.waitFor("saved")
	golden(t, a.quit())
}
