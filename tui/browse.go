package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/study"
)

// browseOp tags the browser's flag changes.
const browseOp = 1

// browseRow is one card of the browser.
type browseRow struct {
	card   deck.Card
	prog   deck.Progress // zero State (New) for a card never studied
	custom bool          // a user's card, which may be deleted
	hay    string        // lower-case ID, text and tags, for the filter
}

// browser lists every card, filtered as you type.
type browser struct {
	env  *env
	keys browseKeys
	lib  *study.Library
	now  time.Time
	end  time.Time // end of today: what "due" means

	rows      []browseRow
	shown     []int // indexes into rows that pass the filter
	cursor    int   // index into shown
	top       int   // first shown row on screen
	filter    textinput.Model
	filtering bool
	query     string // the filter the shown rows match
	refresh   bool   // rebuild the list from the next library (after an undo)

	detail   bool // the selected card is open
	vp       viewport.Model
	confirm  bool // asking whether to delete the selected card
	pending  bool // a store call is in flight
	pendingI int  // the row it is about

	width, height int
	deckW         int // the longest deck ID
}

func newBrowser(e *env, lib *study.Library) browser {
	now := e.now()
	b := browser{env: e, keys: newBrowseKeys(), lib: lib, now: now, end: study.DayEnd(lib.Sched, now), vp: viewport.New(0, 0)}
	b.filter = textinput.New()
	b.filter.Prompt = "/ "
	b.filter.Placeholder = "filter: words · deck:ID · is:new is:due is:suspended is:leech"
	b.filter.Cursor.SetMode(cursor.CursorStatic)
	b.rows = make([]browseRow, 0, lib.Cards)
	for _, d := range lib.Decks {
		for _, c := range d.Cards {
			p, ok := lib.Progress[c.ID]
			if !ok {
				p = deck.Progress{CardID: c.ID}
			}
			b.rows = append(b.rows, browseRow{card: c, prog: p, custom: !d.Builtin || c.Line == 0, hay: hayOf(c)})
		}
	}
	for _, r := range b.rows {
		b.deckW = max(b.deckW, len(r.card.Deck))
	}
	b.apply("")
	b.updateKeys()
	return b
}

func hayOf(c deck.Card) string {
	return strings.ToLower(c.ID + "\n" + c.Front + "\n" + c.Back + "\n" + strings.Join(c.Tags, " "))
}

func (b *browser) setSize(w, h int) {
	b.width, b.height = w, h
	b.filter.Width = max(10, w-4)
	b.vp.Width = w
	b.vp.Height = max(1, h-2)
	b.scroll() // re-clamped to the new height
	if b.detail {
		b.renderDetail()
	}
}

// listHeight is the number of card rows on screen.
func (b browser) listHeight() int { return max(1, b.height-3) }

// state names the row's state for the list and the filter.
func (b browser) state(r browseRow) string {
	p := r.prog
	switch {
	case p.Suspended:
		return "suspended"
	case b.now.Before(p.BuriedUntil): // a buried new card is buried, not new
		return "buried"
	case p.Sched.State == fsrs.New:
		return "new"
	case p.Sched.Due.Before(b.end):
		return "due"
	case p.Sched.State == fsrs.Review:
		return "review"
	}
	return "learning"
}

// matches reports whether the row passes every term of the query.
func (b browser) matches(r browseRow, terms []string) bool {
	for _, t := range terms {
		switch {
		case strings.HasPrefix(t, "deck:"):
			if !strings.HasPrefix(r.card.Deck, t[5:]) {
				return false
			}
		case strings.HasPrefix(t, "is:"):
			want := t[3:]
			switch {
			case want == "leech":
				if !r.prog.Leech {
					return false
				}
			case want == "custom":
				if !r.custom {
					return false
				}
			default:
				if !strings.HasPrefix(b.state(r), want) {
					return false
				}
			}
		default:
			if !strings.Contains(r.hay, t) {
				return false
			}
		}
	}
	return true
}

// apply filters the rows by the query, keeping the cursor on the same card
// when it still passes.
func (b *browser) apply(q string) {
	keep := -1
	if b.cursor < len(b.shown) {
		keep = b.shown[b.cursor]
	}
	b.query = q
	terms := strings.Fields(strings.ToLower(q))
	b.shown = b.shown[:0]
	b.cursor = 0
	for i := range b.rows {
		if b.matches(b.rows[i], terms) {
			if i == keep {
				b.cursor = len(b.shown)
			}
			b.shown = append(b.shown, i)
		}
	}
	b.top = 0
	b.scroll()
}

// scroll keeps the cursor on screen.
func (b *browser) scroll() {
	h := b.listHeight()
	if b.cursor < b.top {
		b.top = b.cursor
	}
	if b.cursor >= b.top+h {
		b.top = b.cursor - h + 1
	}
	b.top = max(0, min(b.top, len(b.shown)-h))
	if b.top < 0 {
		b.top = 0
	}
}

// selected returns the index in rows of the card under the cursor.
func (b browser) selected() (int, bool) {
	if b.cursor < len(b.shown) {
		return b.shown[b.cursor], true
	}
	return 0, false
}

func (b *browser) updateKeys() {
	i, has := b.selected()
	idle := !b.pending && !b.confirm && !b.filtering
	b.keys.Undo.SetEnabled(idle)
	list := idle && !b.detail
	for _, k := range []*key.Binding{&b.keys.Up, &b.keys.Down, &b.keys.PgUp, &b.keys.PgDown, &b.keys.Top, &b.keys.Bottom} {
		k.SetEnabled(idle)
	}
	b.keys.Filter.SetEnabled(list)
	b.keys.Accept.SetEnabled(b.filtering)
	b.keys.ClearFilter.SetEnabled(b.filtering)
	b.keys.Open.SetEnabled(list && has)
	b.keys.Edit.SetEnabled(idle && has)
	b.keys.Suspend.SetEnabled(idle && has)
	if has && b.rows[i].prog.Suspended {
		b.keys.Suspend.SetHelp("s", "unsuspend")
	} else {
		b.keys.Suspend.SetHelp("s", "suspend")
	}
	b.keys.Delete.SetEnabled(idle && has && b.rows[i].custom)
	b.keys.Yes.SetEnabled(b.confirm)
	b.keys.No.SetEnabled(b.confirm)
	b.keys.Back.SetEnabled(idle)
}

func (b browser) update(msg tea.Msg) (browser, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmd = b.key(msg)
	case flaggedMsg:
		cmd = b.flagged(msg)
	case deletedMsg:
		cmd = b.deleted(msg)
	case undoneMsg:
		cmd = b.undone(msg)
	}
	b.updateKeys()
	return b, cmd
}

func (b *browser) key(k tea.KeyMsg) tea.Cmd {
	ks := &b.keys
	if b.pending {
		return nil
	}
	if b.filtering {
		switch {
		case key.Matches(k, ks.Accept):
			b.filtering = false
			b.filter.Blur()
			return nil
		case key.Matches(k, ks.ClearFilter):
			b.filtering = false
			b.filter.Blur()
			b.filter.SetValue("")
			b.apply("")
			return nil
		case k.Type == tea.KeyUp || k.Type == tea.KeyDown:
			b.move(map[bool]int{true: -1, false: 1}[k.Type == tea.KeyUp])
			return nil
		}
		var cmd tea.Cmd
		b.filter, cmd = b.filter.Update(k)
		if v := b.filter.Value(); v != b.query {
			b.apply(v)
		}
		return cmd
	}
	if b.confirm {
		switch {
		case key.Matches(k, ks.Yes):
			b.confirm = false
			i, _ := b.selected()
			b.pending, b.pendingI = true, i
			return toScreen(scrBrowse, true, deleteCmd(b.env.repo, b.rows[i].card.ID))
		case key.Matches(k, ks.No):
			b.confirm = false
		}
		return nil
	}
	i, has := b.selected()
	switch {
	case key.Matches(k, ks.Up):
		b.move(-1)
	case key.Matches(k, ks.Down):
		b.move(1)
	case key.Matches(k, ks.PgUp):
		b.move(-b.listHeight())
	case key.Matches(k, ks.PgDown):
		b.move(b.listHeight())
	case key.Matches(k, ks.Top):
		b.move(-len(b.shown))
	case key.Matches(k, ks.Bottom):
		b.move(len(b.shown))
	case key.Matches(k, ks.Filter) && ks.Filter.Enabled():
		b.filtering = true
		return b.filter.Focus()
	case key.Matches(k, ks.Open) && ks.Open.Enabled():
		b.detail = true
		b.renderDetail()
	case key.Matches(k, ks.Edit) && has:
		return cmdOf(editCardMsg{card: b.rows[i].card})
	case key.Matches(k, ks.Suspend) && has:
		b.pending, b.pendingI = true, i
		return toScreen(scrBrowse, true, suspendCmd(b.env.repo, browseOp, b.rows[i].card.ID, !b.rows[i].prog.Suspended))
	case key.Matches(k, ks.Undo) && ks.Undo.Enabled():
		b.pending = true
		return toScreen(scrBrowse, true, undoCmd(b.env.repo, browseOp))
	case key.Matches(k, ks.Delete) && ks.Delete.Enabled():
		b.confirm = true
	case key.Matches(k, ks.Back):
		if b.detail {
			b.detail = false
			return nil
		}
		return back
	}
	return nil
}

func (b *browser) move(d int) {
	if len(b.shown) == 0 {
		return
	}
	b.cursor = max(0, min(len(b.shown)-1, b.cursor+d))
	b.scroll()
	if b.detail {
		b.renderDetail()
	}
}

func (b *browser) flagged(msg flaggedMsg) tea.Cmd {
	if !b.pending || msg.op != browseOp {
		return nil
	}
	b.pending = false
	r := &b.rows[b.pendingI]
	if r.card.ID != msg.cardID {
		return nil
	}
	if msg.err != nil {
		return statusCmd("could not change "+msg.cardID+": "+msg.err.Error(), true)
	}
	r.prog.Suspended = msg.kind == flagSuspend
	if b.detail {
		b.renderDetail()
	}
	if r.prog.Suspended {
		return statusCmd("Suspended "+msg.cardID+".", false)
	}
	return statusCmd("Unsuspended "+msg.cardID+".", false)
}

func (b *browser) deleted(msg deletedMsg) tea.Cmd {
	if !b.pending {
		return nil
	}
	b.pending = false
	if msg.err != nil {
		return statusCmd("could not delete "+msg.cardID+": "+msg.err.Error(), true)
	}
	at := -1
	for i, r := range b.rows {
		if r.card.ID == msg.cardID {
			at = i
			break
		}
	}
	if at >= 0 {
		b.rows = append(b.rows[:at], b.rows[at+1:]...)
	}
	c := b.cursor
	b.detail = false
	b.apply(b.query)
	b.cursor = max(0, min(c, len(b.shown)-1))
	b.scroll()
	const done = "Deleted %s (its history is kept)."
	return statusCmd(fmt.Sprintf(done, cutMiddle(msg.cardID, b.width-lipgloss.Width(done)+2)), false)
}

// undone takes Undo's answer: the library is read again (refresh) and the
// list rebuilt with the change reversed.
func (b *browser) undone(msg undoneMsg) tea.Cmd {
	if msg.op != browseOp {
		return nil
	}
	b.pending = false
	if msg.err != nil {
		return statusCmd("undo: "+msg.err.Error(), !strings.Contains(msg.err.Error(), "nothing to undo"))
	}
	b.refresh = true
	return tea.Batch(statusCmd("Undid the "+msg.u.Action+" of "+msg.u.CardID()+".", false), cmdOf(reloadMsg{quiet: true}))
}

// cardSaved shows the form's result: an edited card's new text, or a new
// card added to the list.
func (b *browser) cardSaved(c deck.Card, added bool) {
	for i := range b.rows {
		if b.rows[i].card.ID == c.ID {
			b.rows[i].card = c
			b.rows[i].hay = hayOf(c)
			if b.detail {
				b.renderDetail()
			}
			return
		}
	}
	if added {
		b.rows = append(b.rows, browseRow{card: c, prog: deck.Progress{CardID: c.ID}, custom: true, hay: hayOf(c)})
		b.apply(b.query)
	}
}

func (b *browser) renderDetail() {
	i, ok := b.selected()
	if !ok {
		b.detail = false
		return
	}
	st := b.env.styles
	r := b.rows[i]
	w := max(10, b.width)
	var lines []string
	lines = append(lines, st.Dim.Render(cutText(r.card.ID+" · "+b.lib.DeckTitle(r.card.Deck), w)))
	if tags := tagsOf(r.card, r.prog); len(tags) > 0 {
		lines = append(lines, st.Dim.Render(cutText("tags: "+strings.Join(tags, ", "), w)))
	}
	lines = append(lines, "")
	lines = append(lines, renderCardText(r.card.Front, w, st, st.Question)...)
	lines = append(lines, "", st.Rule.Render("── answer "+strings.Repeat("─", max(0, w-10))))
	lines = append(lines, renderCardText(r.card.Back, w, st, st.Answer)...)
	lines = append(lines, "", st.Rule.Render("── schedule "+strings.Repeat("─", max(0, w-12))))
	p := r.prog
	sch := []string{"state " + b.state(r)}
	if p.Sched.State != fsrs.New {
		sch = append(sch,
			"due "+p.Sched.Due.In(locOf(b.lib.Sched)).Format("2006-01-02 15:04"),
			fmt.Sprintf("interval %s", daysText(p.Sched.ScheduledDays)),
			"stability "+stabilityText(p.Sched.Stability),
			fmt.Sprintf("difficulty %.1f", p.Sched.Difficulty),
			fmt.Sprintf("recall now %s", percentText(b.lib.Sched.Retrievability(p.Sched, b.now))),
			fmt.Sprintf("reviews %d", p.Sched.Reps),
			fmt.Sprintf("lapses %d", p.Sched.Lapses))
	}
	if p.Leech {
		sch = append(sch, "leech")
	}
	lines = append(lines, wrapWords(strings.Join(sch, " · "), w, func(s string) int { return len([]rune(s)) })...)
	b.vp.SetContent(strings.Join(lines, "\n"))
	b.vp.GotoTop()
}

func locOf(s *fsrs.Scheduler) *time.Location {
	if l := s.Params().Location; l != nil {
		return l
	}
	return time.UTC
}

func (b browser) view() string {
	st := b.env.styles
	w := b.width
	var out strings.Builder
	if b.detail {
		out.WriteString(fitBlock(b.vp.View(), w, b.vp.Height) + "\n")
		out.WriteString(st.Rule.Render(strings.Repeat("─", w)) + "\n")
		out.WriteString(b.actionLine())
		return out.String()
	}
	if b.filtering || b.query != "" {
		out.WriteString(b.filter.View())
	} else {
		out.WriteString(st.Dim.Render("/ filter: words · deck:ID · is:new is:due is:suspended is:leech"))
	}
	out.WriteString("\n")
	const stateW, dueW = 10, 8
	// The deck column is as wide as the longest deck ID, while the
	// question keeps at least 24 cells.
	deckW := max(8, min(b.deckW, w-2-stateW-dueW-3-24))
	frontW := max(10, w-2-stateW-deckW-dueW-3)
	head := "  " + padRight("state", stateW) + " " + padRight("deck", deckW) + " " + padRight("question", frontW) + " " + padLeft("due", dueW)
	out.WriteString(st.Dim.Render(cutText(head, w)) + "\n")
	h := b.listHeight()
	for n := 0; n < h; n++ {
		k := b.top + n
		if k >= len(b.shown) {
			out.WriteString("\n")
			continue
		}
		r := b.rows[b.shown[k]]
		state := b.state(r)
		if r.prog.Leech {
			state += "·L"
		}
		front := strings.Join(strings.Fields(r.card.Front), " ")
		due := "—"
		if r.prog.Sched.State != fsrs.New && !r.prog.Suspended {
			due = dueText(r.prog.Sched.Due, b.now, b.end)
		}
		mark := "  "
		if k == b.cursor {
			mark = "› "
		}
		line := mark + padRight(state, stateW) + " " + padRight(r.card.Deck, deckW) + " " + padRight(front, frontW) + " " + padLeft(due, dueW)
		if k == b.cursor {
			line = st.Selected.Render(line)
		}
		out.WriteString(line + "\n")
	}
	out.WriteString(b.actionLine())
	return out.String()
}

// actionLine is the line under the list: the delete question, or the
// count of cards shown.
func (b browser) actionLine() string {
	st := b.env.styles
	if b.confirm {
		i, _ := b.selected()
		const q = "Delete %s? y deletes · n keeps (history is kept)"
		return st.Warn.Render(fmt.Sprintf(q, cutMiddle(b.rows[i].card.ID, b.width-lipgloss.Width(q)+2)))
	}
	if b.pending {
		return st.Dim.Render("saving…")
	}
	pos := 0
	if len(b.shown) > 0 {
		pos = b.cursor + 1
	}
	return st.Dim.Render(fmt.Sprintf("card %d of %d shown · %d in all", pos, len(b.shown), len(b.rows)))
}

// dueText is a due time as the list shows it: "now" for today, else the
// days to go.
func dueText(due, now, end time.Time) string {
	if due.Before(end) {
		return "today"
	}
	days := int(due.Sub(now).Hours()/24) + 1
	return "in " + daysText(days)
}
