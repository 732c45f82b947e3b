package tui_test

// End-to-end flows: the real store in a temp dir, the built-in decks, a
// fixed 80x24 terminal, the ASCII colour profile and an injected clock.
// Golden files are in testdata/; update them with go test -run E2E -update.

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"opsdeck/deck"
	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/tui"
)

var _ tui.Repo = (*study.Service)(nil)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// e2eStart is the clock's start: Monday 2 March 2026, 09:00 UTC.
var e2eStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// clock is the injected clock; tests move it on.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	builtinOnce sync.Once
	builtin     []deck.Deck
	builtinErr  error
)

func builtinDecks(t *testing.T) []deck.Deck {
	t.Helper()
	builtinOnce.Do(func() { builtin, builtinErr = deck.ParseFS(os.DirFS("testdata/decks")) })
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtin
}

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path, &store.Options{Builtin: builtinDecks(t), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// app is one run of the program.
type app struct {
	t  *testing.T
	tm *teatest.TestModel
	st *store.Store
}

func start(t *testing.T, path string, c *clock) *app {
	t.Helper()
	st := openStore(t, path)
	tm := teatest.NewTestModel(t, tui.New(study.New(st), tui.Options{Now: c.Now}), teatest.WithInitialTermSize(80, 24))
	a := &app{t: t, tm: tm, st: st}
	a.waitFor("Study everything due")
	return a
}

// press sends keys by name, as the key map spells them.
func (a *app) press(keys ...string) {
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "space":
			msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "ctrl+s":
			msg = tea.KeyMsg{Type: tea.KeyCtrlS}
		case "ctrl+c":
			msg = tea.KeyMsg{Type: tea.KeyCtrlC}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		a.tm.Send(msg)
	}
}

// typeText types text into the focused field.
func (a *app) typeText(s string) {
	for _, r := range s {
		switch r {
		case '\n':
			a.press("enter")
		case ' ':
			a.press("space")
		default:
			a.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
}

func (a *app) waitFor(s string) {
	a.t.Helper()
	teatest.WaitFor(a.t, a.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func (a *app) waitForRe(re *regexp.Regexp) {
	a.t.Helper()
	teatest.WaitFor(a.t, a.tm.Output(), func(b []byte) bool { return re.Match(b) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// quit presses ctrl+c and returns the last frame; the store is closed.
func (a *app) quit() string {
	a.t.Helper()
	a.press("ctrl+c")
	fm := a.tm.FinalModel(a.t, teatest.WithFinalTimeout(5*time.Second))
	if err := a.st.Close(); err != nil {
		a.t.Fatal(err)
	}
	return fm.View()
}

// position matches the review screen's "N/M · new" for card N.
func position(n int) *regexp.Regexp {
	return regexp.MustCompile(` ` + strconv.Itoa(n) + `/\d+ · new`)
}

func golden(t *testing.T, view string) {
	t.Helper()
	teatest.RequireEqualOutput(t, []byte(view+"\n"))
}

func TestE2EStudyUndoQuitReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	c := &clock{t: e2eStart}
	a := start(t, path, c)
	a.press("enter")
	for n := 1; n <= 3; n++ {
		a.waitForRe(position(n))
		a.press("space")
		a.waitFor("1 Again")
		c.Advance(8 * time.Second)
		a.press("3")
	}
	a.waitForRe(position(4))
	a.press("u")
	a.waitFor("Undid the grade of")
	if v := a.quit(); !position(3).MatchString(v) || !strings.Contains(v, "space or enter shows the answer") {
		t.Fatalf("undo did not bring back the third card, unanswered:\n%s", v)
	}

	st := openStore(t, path)
	revs, err := st.Reviews(time.Time{}, time.Time{})
	if err != nil || len(revs) != 2 {
		t.Fatalf("after undo and quit: %d reviews (%v), want 2", len(revs), err)
	}
	prog, err := st.AllProgress()
	if err != nil || len(prog) != 2 {
		t.Fatalf("progress of %d cards (%v), want 2", len(prog), err)
	}
	for _, r := range revs {
		if r.Rating != 3 || r.Duration != 8*time.Second || prog[r.CardID].Sched.Reps != 1 {
			t.Fatalf("review %+v, progress %+v", r, prog[r.CardID])
		}
	}
	st.Close()

	// Reopen: the dashboard shows the two reviews and two learning cards.
	c.Advance(time.Minute)
	b := start(t, path, c)
	v := b.quit()
	if !strings.Contains(v, "reviewed 2") {
		t.Fatalf("today's reviews not kept:\n%s", v)
	}
	if !regexp.MustCompile(`Study everything due\s+\d+\s+2\s+0`).MatchString(v) {
		t.Fatalf("learning count not kept:\n%s", v)
	}
}

func TestE2EAddCardAndReviewIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	c := &clock{t: e2eStart}
	a := start(t, path, c)
	a.press("a")
	a.waitFor("› Deck")
	a.typeText("my-notes")
	a.press("tab")
	a.typeText("What does kubectl drain do?")
	a.press("tab")
	a.typeText("Cordons the node\nthen evicts its pods.")
	a.press("tab")
	a.typeText("k8s ops")
	a.press("ctrl+s")
	a.waitFor("Added my-notes/")
	a.press("esc") // the form stays open for the next card
	a.waitFor("my-notes (custom)")
	// The new deck is the last area: G goes to Settings, five up is it.
	a.press("G", "k", "k", "k", "k", "k", "enter")
	a.waitFor("What does kubectl drain do?")
	a.press("space")
	a.waitFor("then evicts its pods.")
	a.press("4")
	a.waitFor("Session complete")
	a.quit()

	st := openStore(t, path)
	defer st.Close()
	id := "my-notes/" + deck.SlugFor("What does kubectl drain do?")
	revs, err := st.Reviews(time.Time{}, time.Time{})
	if err != nil || len(revs) != 1 || revs[0].CardID != id || revs[0].Rating != 4 {
		t.Fatalf("reviews %+v %v", revs, err)
	}
	decks, err := st.Decks()
	if err != nil {
		t.Fatal(err)
	}
	var got deck.Card
	for _, d := range decks {
		for _, c := range d.Cards {
			if c.ID == id {
				got = c
			}
		}
	}
	if got.Back != "Cordons the node\nthen evicts its pods." || strings.Join(got.Tags, ",") != "k8s,ops" {
		t.Fatalf("stored card %+v", got)
	}
}

func TestE2EGoldenDashboard(t *testing.T) {
	c := &clock{t: e2eStart}
	a := start(t, filepath.Join(t.TempDir(), "db"), c)
	golden(t, a.quit())
}

func TestE2EGoldenReviewCard(t *testing.T) {
	c := &clock{t: e2eStart}
	a := start(t, filepath.Join(t.TempDir(), "db"), c)
	a.press("enter")
	a.waitForRe(position(1))
	a.press("space")
	a.waitFor("4 Easy")
	v := a.quit()
	if !strings.Contains(v, "1 Again 1m   2 Hard 6m   3 Good 10m   4 Easy ") {
		t.Fatalf("no intervals:\n%s", v)
	}
	golden(t, v)
}

// studyThree grades three cards Again, Good and Easy, 10 s each, and ends
// the session.
func studyThree(a *app, c *clock) {
	a.press("enter")
	for n, g := range []string{"1", "3", "4"} {
		a.waitForRe(position(n + 1))
		a.press("space")
		a.waitFor("1 Again")
		c.Advance(10 * time.Second)
		a.press(g)
	}
	a.waitForRe(position(4))
	a.press("q")
	a.waitFor("Session paused")
}

func TestE2EGoldenSummary(t *testing.T) {
	c := &clock{t: e2eStart}
	a := start(t, filepath.Join(t.TempDir(), "db"), c)
	studyThree(a, c)
	v := a.quit()
	for _, want := range []string{"cards     3   (again 1 · hard 0 · good 1 · easy 1)", "accuracy  67%", "time      30s   (10s a card)"} {
		if !strings.Contains(v, want) {
			t.Fatalf("summary lacks %q:\n%s", want, v)
		}
	}
	golden(t, v)
}

func TestE2EGoldenStats(t *testing.T) {
	c := &clock{t: e2eStart}
	a := start(t, filepath.Join(t.TempDir(), "db"), c)
	studyThree(a, c)
	a.press("q")
	a.waitFor("reviewed 3")
	a.press("s")
	a.waitFor("Known: cards you would recall now.")
	v := a.quit()
	if !strings.Contains(v, "Total") || !strings.Contains(v, "Kubernetes Basics") {
		t.Fatalf("stats table:\n%s", v)
	}
	golden(t, v)
}
