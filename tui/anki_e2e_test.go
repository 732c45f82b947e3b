package tui_test

// End-to-end flows for Anki's review rules (issue 12): the real store in a
// temp dir, the test decks, fixed terminal sizes, the ASCII profile and an
// injected clock.

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"opsdeck/deck"
	"opsdeck/study"
	"opsdeck/tui"
)

// startSized is start with another terminal size.
func startSized(t *testing.T, path string, c *clock, w, h int) *app {
	t.Helper()
	st := openStore(t, path)
	tm := teatest.NewTestModel(t, tui.New(study.New(st), tui.Options{Now: c.Now}), teatest.WithInitialTermSize(w, h))
	a := &app{t: t, tm: tm, st: st}
	a.waitFor("Study everything due")
	return a
}

func withSettings(t *testing.T, path string, fn func(*deck.Settings)) {
	t.Helper()
	st := openStore(t, path)
	s, err := st.Settings()
	if err != nil {
		t.Fatal(err)
	}
	fn(&s)
	if err := st.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	st.Close()
}

func TestE2EBurySuspendKeepTheNewCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	withSettings(t, path, func(s *deck.Settings) { s.NewPerDay = 5 })
	c := &clock{t: e2eStart}
	a := start(t, path, c)
	a.press("enter")
	a.waitFor("1/5 · new 5 ·")
	a.press("-")
	a.waitFor("Buried ")
	a.press("@")
	a.waitFor("Suspended ")
	v := a.quit()
	if !strings.Contains(v, "1/5 · new 5 ·") {
		t.Fatalf("bury and suspend used up new cards:\n%s", v)
	}
}

func TestE2EUndoAfterSuspendRestoresThatCard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	c := &clock{t: e2eStart}
	a := start(t, path, c)
	a.press("enter")
	a.waitForRe(position(1))
	a.press("space")
	a.waitFor("1 Again")
	a.press("4")
	a.waitForRe(position(2))
	a.press("@")
	a.waitFor("Suspended ")
	a.press("u")
	a.waitFor("Undid the suspend of ")
	a.quit()

	st := openStore(t, path)
	defer st.Close()
	prog, err := st.AllProgress()
	if err != nil {
		t.Fatal(err)
	}
	graded := 0
	for id, p := range prog {
		if p.Suspended {
			t.Errorf("%s still suspended after undo", id)
		}
		if p.Sched.Reps == 1 {
			graded++
		}
	}
	if n, _ := st.ReviewCount(); n != 1 || graded != 1 {
		t.Errorf("the grade before the suspend: %d reviews, %d graded cards; want 1 and 1", n, graded)
	}
}

func TestE2EEditedClozeExportsWithTheEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	c := &clock{t: e2eStart}
	a := start(t, path, c)
	a.press("b")
	a.waitFor("/ search: words")
	a.press("/")
	a.typeText("evicts")
	a.press("enter", "e")
	a.waitFor("cloze note of 2 cards: edits every card")
	// The cursor is at the end of the text: add to the note.
	a.typeText(" Safely.")
	a.press("tab", "tab")
	a.typeText(" drills")
	a.press("ctrl+s")
	a.waitFor("Saved the cloze note")
	a.quit()

	st := openStore(t, path)
	defer st.Close()
	decks, err := st.Decks()
	if err != nil {
		t.Fatal(err)
	}
	var k8s deck.Deck
	for _, d := range decks {
		if d.ID == "kubernetes" {
			k8s = d
		}
	}
	n := 0
	for _, c := range k8s.Cards {
		if c.Kind == deck.Cloze && c.Slug == "drain" {
			n++
			if !strings.HasSuffix(c.Text, "its Pods. Safely.") || !strings.Contains(c.Back, "Safely.") || strings.Join(c.Tags, ",") != "ops,drills" {
				t.Errorf("%s after the edit: text %q back %q tags %v", c.ID, c.Text, c.Back, c.Tags)
			}
		}
	}
	if n != 2 {
		t.Fatalf("%d cards of the drain note", n)
	}
	var b bytes.Buffer
	if err := deck.Format(&b, k8s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "C: `kubectl drain` first {{c1::cordons}} the node, then {{c2::evicts}} its Pods. Safely.") {
		t.Fatalf("export lacks the edit:\n%s", b.String())
	}
}

func TestE2EGoldenDashboard80x23(t *testing.T) {
	c := &clock{t: e2eStart}
	a := startSized(t, filepath.Join(t.TempDir(), "db"), c, 80, 23)
	v := a.quit()
	if strings.Contains(v, "needs a terminal") {
		t.Fatalf("80x23 refused:\n%s", v)
	}
	golden(t, v)
}

func TestE2EGoldenDashboard60x20(t *testing.T) {
	c := &clock{t: e2eStart}
	a := startSized(t, filepath.Join(t.TempDir(), "db"), c, 60, 20)
	v := a.quit()
	if strings.Contains(v, "needs a terminal") {
		t.Fatalf("60x20 refused:\n%s", v)
	}
	golden(t, v)
}
