package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// The dashboard's deck actions: rename (R) and delete (D) a custom deck.
// Built-in decks take their titles from their deck files and stay.

// deckOps is the dashboard's state for them.
type deckOps struct {
	renaming bool
	confirm  bool   // asking whether to delete
	pending  bool   // a store call is in flight
	deckID   string // the deck they are about
	title    string
	cards    int
	name     textinput.Model
}

// deckKeys are their bindings.
type deckKeys struct {
	Rename, Delete, Yes, No, Accept, Cancel key.Binding
}

func newDeckKeys() deckKeys {
	return deckKeys{
		Rename: bind("R", "rename", "R"),
		Delete: bind("D", "delete", "D"),
		Yes:    bind("y", "yes, delete", "y"),
		No:     bind("n/esc", "no", "n", "esc"),
		Accept: bind("enter", "save title", "enter"),
		Cancel: bind("esc", "cancel", "esc"),
	}
}

// deckChangedMsg is the result of RenameDeck or DeleteDeck.
type deckChangedMsg struct {
	text string
	err  error
}

func renameDeckCmd(repo Repo, id, title string) tea.Cmd {
	return func() tea.Msg {
		if err := repo.RenameDeck(id, title); err != nil {
			return deckChangedMsg{err: err}
		}
		return deckChangedMsg{text: fmt.Sprintf("Renamed %s to %q.", id, title)}
	}
}

func deleteDeckCmd(repo Repo, id string) tea.Cmd {
	return func() tea.Msg {
		n, err := repo.DeleteDeck(id)
		if err != nil {
			return deckChangedMsg{err: err}
		}
		return deckChangedMsg{text: fmt.Sprintf("Deleted deck %s and its %s (their history is kept).", id, plural(n, "card"))}
	}
}

// customDeck is the custom deck under the cursor, if it is one.
func (d dashboard) customDeck() (id, title string, cards int, ok bool) {
	if d.lib == nil || d.cursor >= len(d.entries) {
		return "", "", 0, false
	}
	e := d.entries[d.cursor]
	if e.kind != entryDeck || d.lib.Decks[e.deck].Builtin {
		return "", "", 0, false
	}
	dk := d.lib.Decks[e.deck]
	return dk.ID, e.label, len(dk.Cards), true
}

// busyWithDeck reports whether a deck action holds the keys.
func (d dashboard) busyWithDeck() bool { return d.ops.renaming || d.ops.confirm || d.ops.pending }

// deckKey handles a key for the deck actions; handled says it was theirs.
func (d *dashboard) deckKey(k tea.KeyMsg) (cmd tea.Cmd, handled bool) {
	ks, o := &d.dkeys, &d.ops
	switch {
	case o.pending:
		return nil, true
	case o.renaming:
		switch {
		case key.Matches(k, ks.Accept):
			o.renaming, o.pending = false, true
			return toScreen(scrDashboard, true, renameDeckCmd(d.env.repo, o.deckID, o.name.Value())), true
		case key.Matches(k, ks.Cancel):
			o.renaming = false
			return nil, true
		}
		o.name, cmd = o.name.Update(k)
		return cmd, true
	case o.confirm:
		switch {
		case key.Matches(k, ks.Yes):
			o.confirm, o.pending = false, true
			return toScreen(scrDashboard, true, deleteDeckCmd(d.env.repo, o.deckID)), true
		case key.Matches(k, ks.No):
			o.confirm = false
		}
		return nil, true
	}
	id, title, n, ok := d.customDeck()
	switch {
	case ok && key.Matches(k, ks.Rename):
		o.renaming, o.deckID, o.title = true, id, title
		o.name = textinput.New()
		o.name.Prompt = "New title: "
		o.name.CharLimit = 120
		o.name.Cursor.SetMode(cursor.CursorStatic)
		o.name.SetValue(title)
		o.name.CursorEnd()
		return o.name.Focus(), true
	case ok && key.Matches(k, ks.Delete):
		o.confirm, o.deckID, o.title, o.cards = true, id, title, n
		return nil, true
	}
	return nil, false
}

// deckChanged takes a rename's or delete's result.
func (d *dashboard) deckChanged(msg deckChangedMsg) tea.Cmd {
	d.ops.pending = false
	if msg.err != nil {
		return statusCmd(msg.err.Error(), true)
	}
	return tea.Batch(statusCmd(msg.text, false), cmdOf(reloadMsg{quiet: true}))
}

// deckLine is the line under the list while a deck action runs ("" when
// none does).
func (d dashboard) deckLine() string {
	st := d.env.styles
	o := d.ops
	switch {
	case o.pending:
		return st.Dim.Render("saving…")
	case o.renaming:
		return o.name.View()
	case o.confirm:
		q := fmt.Sprintf("Delete deck %s and its %s? Their history is kept. y deletes · n keeps", o.deckID, plural(o.cards, "card"))
		return st.Warn.Render(cutText(q, d.width))
	}
	return ""
}

// updateDeckKeys shows the deck keys when they work.
func (d *dashboard) updateDeckKeys() {
	_, _, _, ok := d.customDeck()
	idle := !d.busyWithDeck()
	d.dkeys.Rename.SetEnabled(idle && ok)
	d.dkeys.Delete.SetEnabled(idle && ok)
	d.dkeys.Yes.SetEnabled(d.ops.confirm)
	d.dkeys.No.SetEnabled(d.ops.confirm)
	d.dkeys.Accept.SetEnabled(d.ops.renaming)
	d.dkeys.Cancel.SetEnabled(d.ops.renaming)
}

// help is the dashboard's key help: the deck action's keys while one runs;
// on a custom deck, rename and delete in place of stats and settings (the
// full help lists everything).
func (d dashboard) help() keyMap {
	k := d.keys
	h := k.help()
	dk := d.dkeys
	switch {
	case d.ops.renaming:
		h.short = []key.Binding{dk.Accept, dk.Cancel}
	case d.ops.confirm:
		h.short = []key.Binding{dk.Yes, dk.No}
	case dk.Rename.Enabled():
		h.short = []key.Binding{k.Open, k.Add, k.Browse, dk.Rename, dk.Delete, k.Quit}
	}
	h.full = append(h.full, []key.Binding{dk.Rename, dk.Delete})
	return h
}
