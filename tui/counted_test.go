package tui

import (
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/store"
	"opsdeck/study"
)

// The first frame over a store comes from the counts alone (a Counted
// library: no card held), the whole library right after it; keys pressed
// in between wait for it and then do what they do.
func TestFirstFrameFromCountsThenKeysReplay(t *testing.T) {
	var builtin, custom []deck.Deck
	for _, d := range testDecks() {
		if d.Builtin {
			builtin = append(builtin, d)
		} else {
			custom = append(custom, d)
		}
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), &store.Options{Builtin: builtin, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ImportCards(custom); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, clock: testNow}
	m := New(study.New(st), Options{Now: func() time.Time { return h.clock }}).(model)
	m.env.tick = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return delayedMsg{d: d, msg: msg} }
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})

	first, ok := h.m.Init()().(libraryMsg)
	if !ok || first.err != nil || !first.lib.Counted() {
		t.Fatalf("first load: %+v", first)
	}
	nm, full := h.m.Update(first)
	h.m = nm.(model)
	if full == nil || !h.m.loading {
		t.Fatal("no load of the whole library after the first frame")
	}
	h.mustSee("Study everything due", "Alpha")
	want, err := study.Load(st, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if h.m.lib.Dash.Total.Counts != want.Dash.Total.Counts || h.m.lib.Dash.Total.Counts.New == 0 {
		t.Fatalf("first frame counts %+v, the whole library's %+v", h.m.lib.Dash.Total.Counts, want.Dash.Total.Counts)
	}
	// Enter (study everything) before the cards are there: held.
	h.keys("enter")
	if h.m.cur != scrDashboard || len(h.m.held) != 1 {
		t.Fatalf("a key before the cards: screen %v, held %d", h.m.cur, len(h.m.held))
	}
	h.mustSee(loadingCards)
	h.run(full)
	if h.m.lib.Counted() || len(h.m.held) != 0 {
		t.Fatalf("after the whole load: counted %v, held %d", h.m.lib.Counted(), len(h.m.held))
	}
	if h.m.cur != scrReview {
		t.Fatalf("the held enter did not start the session: screen %v\n%s", h.m.cur, h.view())
	}
	h.mustNotSee(loadingCards)
}

// A failing load of the whole library after the first frame shows the
// load error (with its retry), not a dashboard whose keys wait forever.
func TestFirstFrameThenFailedLoad(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), &store.Options{Builtin: testDecks()[:1], Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := New(study.New(st), Options{Now: func() time.Time { return testNow }}).(model)
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	first := m.Init()().(libraryMsg)
	nm, _ = nm.Update(first)
	nm, _ = nm.Update(keyMsg("b"))
	mm := nm.(model)
	nm, _ = mm.Update(libraryMsg{seq: mm.loadSeq, err: store.ErrDamaged})
	mm = nm.(model)
	if mm.lib != nil || mm.loadErr == nil || len(mm.held) != 0 || mm.status.text != "" {
		t.Fatalf("after a failed load: lib %v, err %v, held %d, status %q", mm.lib != nil, mm.loadErr, len(mm.held), mm.status.text)
	}
}
