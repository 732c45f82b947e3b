package tui_test

import (
	"path/filepath"
	"testing"
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
