package tui

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
)

// versionedFake is the fake with a version that "another process" moves.
type versionedFake struct {
	*fakeRepo
	v atomic.Uint64
}

func (f *versionedFake) Version() (uint64, error) { return f.v.Load(), nil }

func newWatchedHarness(t *testing.T) (*harness, *versionedFake) {
	f := &versionedFake{fakeRepo: newFake(testDecks()...)}
	f.v.Store(7)
	h := &harness{t: t, repo: f.fakeRepo, clock: testNow}
	m := New(f, Options{Now: func() time.Time { return h.clock }}).(model)
	m.env.tick = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return delayedMsg{d: d, msg: msg} }
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	return h, f
}

// fireWatch delivers the pending poll (the app asked for it after
// watchEvery) and reports whether one was pending.
func fireWatch(h *harness) bool {
	for i, d := range h.delayed {
		if _, ok := d.msg.(watchDueMsg); ok {
			h.delayed = append(h.delayed[:i], h.delayed[i+1:]...)
			if d.d != watchEvery {
				h.t.Fatalf("poll after %v, want %v", d.d, watchEvery)
			}
			h.send(d.msg)
			return true
		}
	}
	return false
}

// A card another process adds shows on the dashboard at the next poll; a
// poll that finds no change loads nothing; polls go on.
func TestWatchReloadsTheDashboardOnAnotherProcessWrite(t *testing.T) {
	h, f := newWatchedHarness(t)
	if h.m.libVersion != 7 {
		t.Fatalf("library loaded at version %d, want 7", h.m.libVersion)
	}
	h.mustSee("Mine Area (custom)")
	seq := h.m.loadSeq
	if !fireWatch(h) {
		t.Fatal("no poll scheduled")
	}
	if h.m.loadSeq != seq {
		t.Fatal("an unchanged version reloaded")
	}
	// Another process adds a card to mine (2 cards -> 3 new).
	if err := f.AddCard(deck.Card{ID: "mine/other", Deck: "mine", Slug: "other", Front: "Q?", Back: "A."}); err != nil {
		t.Fatal(err)
	}
	f.v.Store(8)
	before := h.view()
	if !fireWatch(h) {
		t.Fatal("polling stopped")
	}
	if h.m.loadSeq != seq+1 || h.m.libVersion != 8 {
		t.Fatalf("loadSeq %d libVersion %d after a change", h.m.loadSeq, h.m.libVersion)
	}
	after := h.view()
	if before == after || !strings.Contains(after, "Mine Area (custom)                           3") {
		t.Fatalf("dashboard does not show the new card:\n%s", after)
	}
	if !fireWatch(h) || h.m.loadSeq != seq+1 {
		t.Fatal("reloaded again without a change")
	}
}

// Away from the dashboard a change only marks the library stale: the
// screen in use is left alone, and going back reloads.
func TestWatchMarksStaleAwayFromTheDashboard(t *testing.T) {
	h, f := newWatchedHarness(t)
	h.send(openMsg{to: scrSettings})
	if h.m.cur != scrSettings {
		t.Fatalf("on %v", h.m.cur)
	}
	seq := h.m.loadSeq
	f.v.Store(9)
	fireWatch(h)
	if h.m.loadSeq != seq || !h.m.stale {
		t.Fatalf("away from the dashboard: loadSeq %d (was %d), stale %v", h.m.loadSeq, seq, h.m.stale)
	}
	h.send(backMsg{})
	if h.m.cur != scrDashboard || h.m.loadSeq == seq || h.m.libVersion != 9 {
		t.Fatalf("back: on %v, loadSeq %d, libVersion %d", h.m.cur, h.m.loadSeq, h.m.libVersion)
	}
}

// A Repo without Version (the plain fake) is not polled.
func TestNoWatchWithoutVersion(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	if fireWatch(h) {
		t.Fatal("polled a Repo that has no version")
	}
}

// S on the dashboard runs a sync round when sync is set up: the status
// line says what it did and the library reloads; without sync, S is off.
func TestSyncKeyOnTheDashboard(t *testing.T) {
	f := newFake(testDecks()...)
	rounds := 0
	h := &harness{t: t, repo: f, clock: testNow}
	m := New(f, Options{Now: func() time.Time { return h.clock }, Sync: func() (string, error) {
		rounds++
		return "synced: 3 changes in (2 cards replayed), 1 out", nil
	}}).(model)
	m.env.tick = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return delayedMsg{d: d, msg: msg} }
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	if rounds != 0 {
		t.Fatal("synced on open without the setting")
	}
	seq := h.m.loadSeq
	h.keys("S")
	if rounds != 1 || h.status() != "synced: 3 changes in (2 cards replayed), 1 out" || h.m.loadSeq != seq+1 {
		t.Fatalf("after S: %d rounds, status %q, loadSeq %d (was %d)", rounds, h.status(), h.m.loadSeq, seq)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	h.mustSee("S", "sync")

	plain := newHarness(t, newFake(testDecks()...))
	if plain.m.dash.keys.Sync.Enabled() {
		t.Fatal("S is on without sync set up")
	}
}

// With the setting, the app syncs once when it has opened; a failed
// round says why on the status line.
func TestSyncOnOpen(t *testing.T) {
	f := newFake(testDecks()...)
	rounds := 0
	h := &harness{t: t, repo: f, clock: testNow}
	m := New(f, Options{Now: func() time.Time { return h.clock }, SyncOnOpen: true, Sync: func() (string, error) {
		rounds++
		return "", errors.New("the remote ssh://box/o.git cannot be reached")
	}}).(model)
	m.env.tick = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return delayedMsg{d: d, msg: msg} }
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	h.send(reloadMsg{quiet: true})
	if rounds != 1 {
		t.Fatalf("%d rounds on open, want 1", rounds)
	}
	if !strings.Contains(h.status(), "sync: the remote ssh://box/o.git cannot be reached") || !h.m.status.err {
		t.Fatalf("status %q", h.status())
	}
}
