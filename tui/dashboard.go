package tui

import (
	"opsdeck/plan"
	"opsdeck/study"

	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// entryKind is what a dashboard row does on Enter.
type entryKind int

const (
	entryAll entryKind = iota // study everything due
	entryDeck
	entryAdd
	entryBrowse
	entryStats
	entrySettings
	entryPlan
)

type dashEntry struct {
	kind  entryKind
	deck  int // index into the library's decks (entryDeck)
	label string
	hint  string // the action's key
}

// dashboard is the start screen: today's totals, the areas with their
// counts, and the actions.
type dashboard struct {
	env     *env
	keys    dashboardKeys
	lib     *study.Library
	entries []dashEntry
	cursor  int
	width   int
	height  int
	ops     deckOps // renaming or deleting a custom deck (deckops.go)
	dkeys   deckKeys
	brief   string // the interview line ("" without a date)
}

func newDashboard(e *env) dashboard {
	d := dashboard{env: e, keys: newDashboardKeys(), dkeys: newDeckKeys()}
	d.updateDeckKeys()
	return d
}

func (d *dashboard) setSize(w, h int) { d.width, d.height = w, h }

// setLibrary shows a new load, keeping the cursor on the same entry.
func (d *dashboard) setLibrary(l *study.Library) {
	var keep dashEntry
	hadEntries := len(d.entries) > 0
	if hadEntries {
		keep = d.entries[d.cursor]
	}
	keepID := ""
	if keep.kind == entryDeck && d.lib != nil && keep.deck < len(d.lib.Decks) {
		keepID = d.lib.Decks[keep.deck].ID
	}
	d.lib = l
	d.brief = ""
	if days, ready, ok := plan.Brief(l); ok {
		left := plural(days, "day") + " left"
		if days <= 0 {
			left = "the day has come (p: set the next one)"
		}
		d.brief = fmt.Sprintf("Interview %s  %s · readiness %s", l.Interview, left, percentText(ready))
	}
	d.entries = d.entries[:0]
	d.entries = append(d.entries, dashEntry{kind: entryAll, label: "Study everything due", hint: "enter"})
	for i, dk := range l.Decks {
		title := dk.Title
		if title == "" {
			title = dk.ID
		}
		d.entries = append(d.entries, dashEntry{kind: entryDeck, deck: i, label: title})
	}
	d.entries = append(d.entries,
		dashEntry{kind: entryAdd, label: "Add a card", hint: "a"},
		dashEntry{kind: entryBrowse, label: "Browse cards", hint: "b"},
		dashEntry{kind: entryStats, label: "Statistics", hint: "s"},
		dashEntry{kind: entryPlan, label: "Interview plan", hint: "p"},
		dashEntry{kind: entrySettings, label: "Settings", hint: ","},
	)
	d.cursor = 0
	if hadEntries {
		for i, e := range d.entries {
			if e.kind == keep.kind && (e.kind != entryDeck || l.Decks[e.deck].ID == keepID) {
				d.cursor = i
				break
			}
		}
	}
}

func (d dashboard) update(msg tea.Msg) (dashboard, tea.Cmd) {
	nd, cmd := d.updateList(msg)
	nd.updateDeckKeys()
	return nd, cmd
}

func (d dashboard) updateList(msg tea.Msg) (dashboard, tea.Cmd) {
	if u, ok := msg.(undoneMsg); ok { // the result of u: say what was undone, read again
		if u.err != nil {
			return d, statusCmd("undo: "+u.err.Error(), !strings.Contains(u.err.Error(), "nothing to undo"))
		}
		return d, tea.Batch(statusCmd(undoneText(u.u), false), cmdOf(reloadMsg{quiet: true}))
	}
	if m, ok := msg.(deckChangedMsg); ok {
		return d, d.deckChanged(m)
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok || d.lib == nil {
		return d, nil
	}
	if cmd, handled := d.deckKey(km); handled {
		return d, cmd
	}
	switch {
	case key.Matches(km, d.keys.Up):
		if d.cursor > 0 {
			d.cursor--
		}
	case key.Matches(km, d.keys.Down):
		if d.cursor < len(d.entries)-1 {
			d.cursor++
		}
	case key.Matches(km, d.keys.Top):
		d.cursor = 0
	case key.Matches(km, d.keys.Bottom):
		d.cursor = len(d.entries) - 1
	case key.Matches(km, d.keys.Open):
		return d, d.activate(d.entries[d.cursor])
	case key.Matches(km, d.keys.Add):
		return d, d.activate(dashEntry{kind: entryAdd})
	case key.Matches(km, d.keys.Browse):
		return d, cmdOf(openMsg{to: scrBrowse})
	case key.Matches(km, d.keys.Stats):
		return d, cmdOf(openMsg{to: scrStats})
	case key.Matches(km, d.keys.Setting):
		return d, cmdOf(openMsg{to: scrSettings})
	case key.Matches(km, d.keys.Plan):
		return d, cmdOf(openMsg{to: scrPlan})
	case key.Matches(km, d.keys.Reload):
		return d, cmdOf(reloadMsg{})
	case key.Matches(km, d.keys.Undo):
		return d, toScreen(scrDashboard, true, undoCmd(d.env.repo, 0))
	case key.Matches(km, d.keys.Quit):
		return d, back
	}
	return d, nil
}

func (d dashboard) activate(e dashEntry) tea.Cmd {
	switch e.kind {
	case entryAll:
		return cmdOf(startReviewMsg{})
	case entryDeck:
		return cmdOf(startReviewMsg{deckID: d.lib.Decks[e.deck].ID})
	case entryAdd:
		deckID := ""
		if cur := d.entries[d.cursor]; cur.kind == entryDeck {
			deckID = d.lib.Decks[cur.deck].ID
		}
		c := newCardFor(deckID)
		return cmdOf(editCardMsg{card: c, add: true})
	case entryBrowse:
		return cmdOf(openMsg{to: scrBrowse})
	case entryStats:
		return cmdOf(openMsg{to: scrStats})
	case entrySettings:
		return cmdOf(openMsg{to: scrSettings})
	case entryPlan:
		return cmdOf(openMsg{to: scrPlan})
	}
	return nil
}

// Dashboard columns.
const (
	dashNameW = 40
	dashNumW  = 6
)

func (d dashboard) view() string {
	if d.lib == nil {
		return ""
	}
	st := d.env.styles
	f := d.lib.Dash
	var b strings.Builder
	today := fmt.Sprintf("Today  reviewed %d · remaining %d · time %s · streak %s",
		f.ReviewedToday, f.Total.Counts.Total(), durText(f.TimeToday), plural(f.Streak, "day"))
	b.WriteString(st.Bold.Render(today) + "\n")
	extra := 0
	if d.brief != "" {
		b.WriteString(st.Bold.Render(d.brief) + "\n")
		extra = 1
	}
	b.WriteString("\n")

	head := "  " + padRight("", dashNameW) + padLeft("new", dashNumW) + padLeft("learn", dashNumW) +
		padLeft("due", dashNumW) + padLeft("recall", dashNumW+2)
	b.WriteString(st.Dim.Render(head) + "\n")

	// The list scrolls when custom decks make it taller than the screen.
	lines := make([]string, 0, len(d.entries)+2)
	curLine := 0
	for i, e := range d.entries {
		if e.kind == entryAdd {
			lines = append(lines, "")
		}
		if i == d.cursor {
			curLine = len(lines)
		}
		lines = append(lines, d.row(e, i == d.cursor))
	}
	avail := max(1, d.height-4-extra)
	deckLine := d.deckLine()
	if deckLine != "" {
		avail = max(1, avail-2)
	}
	top := 0
	var more string
	if len(lines) > avail {
		avail = max(1, avail-1) // a line says what is off screen
		top = min(max(0, curLine-avail/2), len(lines)-avail)
		var parts []string
		if top > 0 {
			parts = append(parts, fmt.Sprintf("↑ %d more above", top))
		}
		if below := len(lines) - top - avail; below > 0 {
			parts = append(parts, fmt.Sprintf("↓ %d more below", below))
		}
		more = "\n" + st.Dim.Render("  "+strings.Join(parts, " · "))
		lines = lines[top : top+avail]
	}
	b.WriteString(strings.Join(lines, "\n") + more)
	if deckLine != "" {
		b.WriteString("\n\n" + deckLine)
	}
	return b.String()
}

func (d dashboard) row(e dashEntry, sel bool) string {
	st := d.env.styles
	mark := "  "
	if sel {
		mark = "› "
	}
	var cols string
	switch e.kind {
	case entryAll:
		cols = countCols(d.lib.Dash.Total)
	case entryDeck:
		cols = countCols(d.lib.Dash.Decks[e.deck])
	default:
		cols = padLeft(e.hint, dashNumW)
	}
	label := e.label
	if e.kind == entryDeck && !d.lib.Decks[e.deck].Builtin {
		label += " (custom)"
	}
	line := mark + padRight(label, dashNameW) + cols
	if sel {
		return st.Selected.Render(line)
	}
	if e.kind == entryAll {
		return st.Bold.Render(line)
	}
	return line
}

// countCols are a row's new, learning and due counts and its mean recall.
func countCols(f study.DeckFigures) string {
	q := f.Counts
	r := "—"
	if f.Recall != nil {
		r = percentText(*f.Recall)
	}
	return padLeft(fmt.Sprint(q.New), dashNumW) + padLeft(fmt.Sprint(q.Learning), dashNumW) +
		padLeft(fmt.Sprint(q.Review), dashNumW) + padLeft(r, dashNumW+2)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
