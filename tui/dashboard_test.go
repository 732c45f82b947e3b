package tui

import (
	"errors"
	"opsdeck/study"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// reviewCard is the progress of a review card last seen ivl days before
// due.
func reviewCard(id string, due time.Time, ivl int) deck.Progress {
	return deck.Progress{CardID: id, Sched: fsrs.Card{
		State: fsrs.Review, Due: due, Stability: float64(ivl), Difficulty: 5,
		ScheduledDays: ivl, Reps: 3, LastReview: due.AddDate(0, 0, -ivl),
	}}
}

// checkFrame asserts the frame fills the terminal exactly and no line is
// wider than it.
func checkFrame(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Fatalf("frame has %d lines, want %d:\n%s", len(lines), h, v)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Fatalf("line %d is %d cells wide, more than %d: %q", i+1, lw, w, l)
		}
	}
}

func TestDashboardFirstEntryIsStudyEverything(t *testing.T) {
	f := newFake(testDecks()...)
	f.prog["alpha/card-1"] = reviewCard("alpha/card-1", testNow.Add(-time.Hour), 5)
	f.prog["beta/card-2"] = reviewCard("beta/card-2", testNow.AddDate(0, 0, 3), 5)
	h := newHarness(t, f)
	if h.m.cur != scrDashboard || h.m.dash.cursor != 0 || h.m.dash.entries[0].kind != entryAll {
		t.Fatalf("start: screen %v cursor %d", h.m.cur, h.m.dash.cursor)
	}
	h.mustSee("› Study everything due", "Alpha Area", "Beta Area", "Mine Area (custom)",
		"Add a card", "Browse cards", "Statistics", "Settings", "reviewed 0", "streak 0 days")
	// alpha: 4 new, 0 learning, 1 due; everything: 9 new, 1 due.
	v := h.view()
	if !strings.Contains(v, "Alpha Area                                   4     0     1") {
		t.Fatalf("alpha counts wrong:\n%s", v)
	}
	if !strings.Contains(v, "Study everything due                         8     0     1") {
		t.Fatalf("total counts wrong:\n%s", v)
	}
	checkFrame(t, v, 80, 24)
}

func TestDashboardKeysMoveAndOpen(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	d := h.m.dash
	// Keys in, state and commands out, on the screen alone.
	d, _ = d.update(keyMsg("k"))
	if d.cursor != 0 {
		t.Fatalf("k at the top moved to %d", d.cursor)
	}
	d, _ = d.update(keyMsg("j"))
	d, _ = d.update(keyMsg("down"))
	if d.cursor != 2 {
		t.Fatalf("j, down: cursor %d, want 2", d.cursor)
	}
	_, cmd := d.update(keyMsg("enter"))
	if got := cmd(); got != (startReviewMsg{deckID: "beta"}) {
		t.Fatalf("enter on beta sent %#v", got)
	}
	d, _ = d.update(keyMsg("up"))
	_, cmd = d.update(keyMsg("enter"))
	if got := cmd(); got != (startReviewMsg{deckID: "alpha"}) {
		t.Fatalf("enter on alpha sent %#v", got)
	}
	d, _ = d.update(keyMsg("G"))
	if e := d.entries[d.cursor]; e.kind != entrySettings {
		t.Fatalf("G: entry %v", e.kind)
	}
	_, cmd = d.update(keyMsg("enter"))
	if got := cmd(); got != (openMsg{to: scrSettings}) {
		t.Fatalf("enter on settings sent %#v", got)
	}
	for k, want := range map[string]tea.Msg{"b": openMsg{to: scrBrowse}, "s": openMsg{to: scrStats}, ",": openMsg{to: scrSettings}} {
		_, cmd = d.update(keyMsg(k))
		if got := cmd(); got != want {
			t.Errorf("%s sent %#v, want %#v", k, got, want)
		}
	}
	d.cursor = 1 // alpha: a adds to it
	_, cmd = d.update(keyMsg("a"))
	if got, ok := cmd().(editCardMsg); !ok || !got.add || got.card.Deck != "alpha" {
		t.Fatalf("a on alpha sent %#v", got)
	}
}

func TestDashboardScreensAndBack(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	for _, c := range []struct {
		key    string
		screen screen
		see    string
	}{{"b", scrBrowse, "card 1 of 10 shown"}, {"s", scrStats, "[1 Table]"}, {",", scrSettings, "Desired retention"}} {
		h.keys(c.key)
		if h.m.cur != c.screen {
			t.Fatalf("%s opened %v", c.key, h.m.cur)
		}
		h.mustSee(c.see)
		checkFrame(t, h.view(), 80, 24)
		h.keys("esc")
		if h.m.cur != scrDashboard {
			t.Fatalf("esc from %v went to %v", c.screen, h.m.cur)
		}
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("q on the dashboard did not quit")
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	old := h.m.lib
	seq := h.m.loadSeq
	h.send(libraryMsg{seq: seq - 1, lib: &study.Library{}})
	if h.m.lib != old {
		t.Fatal("a load overtaken by a newer one replaced the library")
	}
	h.keys("r")
	if h.m.loadSeq != seq+1 || h.m.lib == old || h.m.loading {
		t.Fatalf("r: seq %d (was %d), loading %v", h.m.loadSeq, seq, h.m.loading)
	}
}

func TestLoadErrorIsShownAndRetried(t *testing.T) {
	f := newFake(testDecks()...)
	f.errs["AllProgress"] = errors.New("timeout: /tmp/x.db is locked by another opsdeck")
	h := newHarness(t, f)
	if h.m.lib != nil || h.m.loadErr == nil {
		t.Fatal("load error not kept")
	}
	h.mustSee("error: could not read your data", "locked by another opsdeck", "Press r to try again")
	checkFrame(t, h.view(), 80, 24)
	h.keys("r")
	if h.m.lib == nil || h.m.loadErr != nil {
		t.Fatal("r did not load again")
	}
	h.mustSee("› Study everything due")
}

func TestReloadErrorKeepsTheLibrary(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	f.errs["Reviews"] = errDiskFull
	h.keys("r")
	if h.m.lib == nil || !h.m.status.err || !strings.Contains(h.status(), "no space left") {
		t.Fatalf("reload error: lib %v status %q", h.m.lib != nil, h.status())
	}
	h.mustSee("error: could not reload", "› Study everything due")
}

func TestTooSmallSaysSoAndResizeRedraws(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	h.send(tea.WindowSizeMsg{Width: 59, Height: 24})
	h.mustSee("at least 60x20", "this one is 59x24")
	h.mustNotSee("Study everything")
	checkFrame(t, h.view(), 59, 24)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 19})
	h.mustSee("this one is 80x19")
	// 80x23 (tmux or screen with a status line) and 60x20 work.
	for _, sz := range [][2]int{{80, 23}, {60, 20}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		h.mustSee("› Study everything due")
		checkFrame(t, h.view(), sz[0], sz[1])
	}
	h.send(tea.WindowSizeMsg{Width: 200, Height: 50})
	h.mustSee("› Study everything due")
	checkFrame(t, h.view(), 200, 50)
}

func TestHelpShowsTheScreensKeys(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	h.keys("?")
	h.mustSee("Keys: Dashboard", "add", "browse", "settings", "ctrl+c")
	h.keys("j") // ignored while help is open
	if h.m.dash.cursor != 0 {
		t.Fatal("a key reached the screen under the help")
	}
	h.keys("?")
	h.mustSee("› Study everything due")
}

func TestCtrlCQuitsFromAnywhere(t *testing.T) {
	for _, path := range [][]string{{}, {"enter"}, {"a"}, {"b", "/"}, {","}, {"s"}, {"?"}} {
		h := newHarness(t, newFake(testDecks()...))
		h.keys(path...)
		h.keys("ctrl+c")
		if !h.quit {
			t.Errorf("ctrl+c after %v did not quit", path)
		}
	}
}

func TestStatusLineClearsItself(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	h.send(statusMsg{text: "hello"})
	h.mustSee("hello")
	if len(h.delayed) == 0 {
		t.Fatal("no clearing scheduled")
	}
	last := h.delayed[len(h.delayed)-1]
	h.send(statusMsg{text: "second"})
	h.send(last.msg) // the first message's clearing must not clear the second
	h.mustSee("second")
	h.send(h.delayed[len(h.delayed)-1].msg)
	h.mustNotSee("second")
}

func TestKeysReadTogetherAreTakenOneByOne(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjb")})
	if h.m.cur != scrBrowse || h.m.dash.cursor != 2 {
		t.Fatalf("jjb: screen %v cursor %d", h.m.cur, h.m.dash.cursor)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q,")})
	if h.m.cur != scrSettings {
		t.Fatalf("q, from browse: screen %v", h.m.cur)
	}
	// In a text field they stay text.
	h.keys("q", "a")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("qs")})
	if h.m.cur != scrEdit || h.m.edit.front.Value() != "qs" {
		t.Fatalf("typed qs: screen %v front %q", h.m.cur, h.m.edit.front.Value())
	}
}

func TestDashboardReloadsOnANewDay(t *testing.T) {
	f := newFake(testDecks()...)
	f.reviews = []deck.Review{{CardID: "alpha/card-1", At: testNow.Add(-time.Hour), Rating: 3, Duration: time.Minute}}
	f.prog["alpha/card-1"] = reviewCard("alpha/card-1", testNow.AddDate(0, 0, 1), 1)
	h := newHarness(t, f)
	h.mustSee("reviewed 1", "time 1m")
	h.clock = testNow.Add(20 * time.Hour) // 05:00 the next day
	h.keys("j")
	h.mustSee("reviewed 0", "streak 1 day")
	if !h.m.lib.Now.Equal(h.clock) {
		t.Fatal("no reload on a new day")
	}
}
