package tui

import (
	"errors"
	"fmt"
	"slices"
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

// browseSorts are the orders S cycles through ("" is the library's).
var browseSorts = []string{"", "due", "interval", "recall", "lapses", "added", "deck"}

// browsePrompt is what the browser's one-line prompt asks for.
type browsePrompt int

const (
	noPrompt browsePrompt = iota
	promptTagAdd
	promptTagRemove
	promptSetDue
)

// browseConfirm is the question the browser is asking.
type browseConfirm int

const (
	noConfirm browseConfirm = iota
	confirmDelete
	confirmForget
)

// browser lists the cards a search finds (Anki's search language, the same
// as `opsdeck search`), sorted by any column, with multi-select and the
// bulk actions.
type browser struct {
	env   *env
	keys  browseKeys
	ikeys infoKeys
	lib   *study.Library
	now   time.Time
	end   time.Time // end of today: what "due" means

	hits   []study.Hit // the cards shown, in order
	cursor int         // index into hits
	top    int         // first shown row on screen

	filter    textinput.Model
	filtering bool
	query     string           // the query the hits match (it parses)
	qerr      *deck.QueryError // the typed text does not parse (the hits are query's)
	sortBy    string           // one of browseSorts
	desc      bool             // reverse order
	sel       map[string]bool  // selected card IDs
	anchor    int              // where a shift+arrow selection started

	detail  bool // the selected card is open
	vp      viewport.Model
	info    infoView
	confirm browseConfirm
	prompt  browsePrompt
	input   textinput.Model
	flagKey bool // m was pressed: a digit flags
	pending bool // a store call is in flight

	width, height int
	deckW         int // the longest deck ID
}

func newBrowser(e *env, lib *study.Library) browser {
	b := browser{env: e, keys: newBrowseKeys(), ikeys: newInfoKeys(), vp: viewport.New(0, 0), sel: map[string]bool{}}
	b.filter = textinput.New()
	b.filter.Prompt = "/ "
	b.filter.Placeholder = browsePlaceholder
	b.filter.Cursor.SetMode(cursor.CursorStatic)
	b.input = textinput.New()
	b.input.Cursor.SetMode(cursor.CursorStatic)
	b.setLib(lib)
	b.updateKeys()
	return b
}

const browsePlaceholder = "search: words \"a phrase\" -not or ( ) deck: tag: is:due flag:1 prop:ivl>7 rated:1"

// setLib shows a (new) library: the same query, sort, cursor card and
// selection.
func (b *browser) setLib(lib *study.Library) {
	b.lib = lib
	b.now = b.env.now()
	b.end = study.DayEnd(lib.Sched, b.now)
	b.deckW = 0
	for _, d := range lib.Decks {
		if len(d.Cards) > 0 {
			b.deckW = max(b.deckW, len(d.ID))
		}
	}
	b.run()
}

// setQuery takes the filter's text: a query that parses is run, one that
// does not keeps the last results and shows why.
func (b *browser) setQuery(text string) {
	if _, err := deck.ParseQuery(text); err != nil {
		var qe *deck.QueryError
		if errors.As(err, &qe) {
			b.qerr = qe
		}
		return
	}
	b.qerr = nil
	b.query = text
	b.run()
}

// run searches the library with the query and sort, keeping the cursor on
// the same card when it is still shown.
func (b *browser) run() {
	keep := ""
	if b.cursor < len(b.hits) {
		keep = b.hits[b.cursor].Card.ID
	}
	hits, err := b.lib.Search(b.query, b.sortBy, b.now)
	if err != nil { // cannot happen: query parses and the sort is known
		hits = nil
	}
	if b.desc {
		slices.Reverse(hits)
	}
	b.hits = hits
	// The same card, else the same place (a deleted card's neighbour).
	b.cursor = max(0, min(b.cursor, len(hits)-1))
	shown := make(map[string]bool, len(hits))
	for i, h := range hits {
		shown[h.Card.ID] = true
		if h.Card.ID == keep {
			b.cursor = i
		}
	}
	for id := range b.sel {
		if !shown[id] {
			delete(b.sel, id)
		}
	}
	b.top = 0
	b.scroll()
	if b.detail {
		b.renderDetail()
	}
}

func (b *browser) setSize(w, h int) {
	b.width, b.height = w, h
	b.filter.Width = max(10, w-4)
	b.input.Width = max(10, w-30)
	b.vp.Width = w
	b.vp.Height = max(1, h-2)
	b.info.setSize(w, h)
	if b.detail {
		b.renderDetail()
	}
	b.scroll()
}

// listHeight is the number of card rows on screen.
func (b browser) listHeight() int { return max(1, b.height-3) }

// state names the card's state for the list.
func (b browser) state(p deck.Progress) string {
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

// scroll keeps the cursor on screen.
func (b *browser) scroll() {
	h := b.listHeight()
	if b.cursor < b.top {
		b.top = b.cursor
	}
	if b.cursor >= b.top+h {
		b.top = b.cursor - h + 1
	}
	b.top = max(0, min(b.top, len(b.hits)-h))
}

// selected returns the card under the cursor.
func (b browser) selected() (study.Hit, bool) {
	if b.cursor < len(b.hits) {
		return b.hits[b.cursor], true
	}
	return study.Hit{}, false
}

// targets are the cards a bulk action works on: the selection, else the
// card under the cursor.
func (b browser) targets() []study.Hit {
	if len(b.sel) == 0 {
		if h, ok := b.selected(); ok {
			return []study.Hit{h}
		}
		return nil
	}
	var out []study.Hit
	for _, h := range b.hits {
		if b.sel[h.Card.ID] {
			out = append(out, h)
		}
	}
	return out
}

func (b *browser) updateKeys() {
	h, has := b.selected()
	asking := b.confirm != noConfirm || b.prompt != noPrompt || b.flagKey || b.info.open
	idle := !b.pending && !asking && !b.filtering
	list := idle && !b.detail
	for _, k := range []*key.Binding{&b.keys.Up, &b.keys.Down, &b.keys.PgUp, &b.keys.PgDown, &b.keys.Top, &b.keys.Bottom} {
		k.SetEnabled(idle)
	}
	b.keys.Filter.SetEnabled(list)
	b.keys.Accept.SetEnabled(b.filtering)
	b.keys.ClearFilter.SetEnabled(b.filtering)
	b.keys.Open.SetEnabled(list && has)
	b.keys.Edit.SetEnabled(idle && has)
	for _, k := range []*key.Binding{&b.keys.Suspend, &b.keys.Bury, &b.keys.Flag, &b.keys.TagAdd, &b.keys.TagRemove,
		&b.keys.Forget, &b.keys.SetDue, &b.keys.Info} {
		k.SetEnabled(idle && has)
	}
	for _, k := range []*key.Binding{&b.keys.Select, &b.keys.SelectUp, &b.keys.SelectDown, &b.keys.All, &b.keys.Sort, &b.keys.Reverse} {
		k.SetEnabled(list && has)
	}
	b.keys.Reverse.SetEnabled(list && has && b.sortBy != "")
	b.keys.Undo.SetEnabled(idle)
	if t := b.targets(); len(t) > 0 && allSuspended(t) {
		b.keys.Suspend.SetHelp("s", "unsuspend")
	} else {
		b.keys.Suspend.SetHelp("s", "suspend")
	}
	b.keys.Delete.SetEnabled(idle && has && !h.Builtin && len(b.sel) == 0)
	b.keys.FlagN.SetEnabled(b.flagKey)
	b.keys.Submit.SetEnabled(b.prompt != noPrompt)
	b.keys.Cancel.SetEnabled(b.prompt != noPrompt || b.flagKey)
	b.keys.Yes.SetEnabled(b.confirm != noConfirm)
	b.keys.No.SetEnabled(b.confirm != noConfirm)
	b.keys.Back.SetEnabled(idle)
}

func allSuspended(hs []study.Hit) bool {
	for _, h := range hs {
		if !h.Progress.Suspended {
			return false
		}
	}
	return true
}

// keyHelp is the browser's key map (the info panel's while it is open).
func (b browser) keyHelp() keyMap {
	if b.info.open {
		return b.ikeys.help()
	}
	return b.keys.help()
}

// capturesText reports whether letters are text right now.
func (b browser) capturesText() bool { return b.filtering || b.prompt != noPrompt }

// browseDoneMsg is the result of a bulk action, an undo or a delete: what
// happened and the library read after it.
type browseDoneMsg struct {
	text  string // the status line
	lib   *study.Library
	err   error
	quiet bool // err is not a failure (nothing to undo)
}

// applyCmd does a bulk action and reads the library after it.
func applyCmd(repo Repo, ids []string, a study.Action, now time.Time) tea.Cmd {
	return func() tea.Msg {
		n, err := repo.Apply(ids, a, now)
		if err != nil {
			return browseDoneMsg{err: fmt.Errorf("could not %s: %w", a.Label(), err)}
		}
		lib, err := repo.Load(now)
		text := fmt.Sprintf("%s: %s changed (u undoes).", capital(a.Label()), cardsText(n))
		if n == 0 {
			text = fmt.Sprintf("%s: nothing to change.", capital(a.Label()))
		}
		return browseDoneMsg{text: text, lib: lib, err: err}
	}
}

// browseUndoCmd undoes the newest action of any kind (Repo.Undo) and
// reads the library.
func browseUndoCmd(repo Repo, now time.Time) tea.Cmd {
	return func() tea.Msg {
		u, err := repo.Undo()
		if err != nil {
			return browseDoneMsg{err: fmt.Errorf("undo: %w", err), quiet: errors.Is(err, deck.ErrNothingToUndo)}
		}
		lib, err := repo.Load(now)
		return browseDoneMsg{text: undoneText(u), lib: lib, err: err}
	}
}

// reloadCmd reads the library after a change made elsewhere.
func reloadCmd(repo Repo, now time.Time, text string) tea.Cmd {
	return func() tea.Msg {
		lib, err := repo.Load(now)
		return browseDoneMsg{text: text, lib: lib, err: err}
	}
}

func cardsText(n int) string {
	if n == 1 {
		return "1 card"
	}
	return fmt.Sprintf("%d cards", n)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (b browser) update(msg tea.Msg) (browser, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmd = b.key(msg)
	case browseDoneMsg:
		cmd = b.done(msg)
	case deletedMsg:
		cmd = b.deleted(msg)
	}
	b.updateKeys()
	return b, cmd
}

func (b *browser) done(msg browseDoneMsg) tea.Cmd {
	b.pending = false
	if msg.lib != nil {
		b.setLib(msg.lib)
	}
	if msg.err != nil {
		return statusCmd(msg.err.Error(), !msg.quiet)
	}
	if msg.text == "" {
		return nil
	}
	return statusCmd(msg.text, false)
}

// act starts a bulk action on the targets.
func (b *browser) act(a study.Action) tea.Cmd {
	t := b.targets()
	if len(t) == 0 {
		return nil
	}
	ids := make([]string, len(t))
	for i, h := range t {
		ids[i] = h.Card.ID
	}
	b.pending = true
	return toScreen(scrBrowse, true, applyCmd(b.env.repo, ids, a, b.env.now()))
}

func (b *browser) key(k tea.KeyMsg) tea.Cmd {
	ks := &b.keys
	if b.pending {
		return nil
	}
	if b.info.open {
		b.info.key(k, b.ikeys)
		return nil
	}
	if b.prompt != noPrompt {
		return b.promptKey(k)
	}
	if b.flagKey {
		b.flagKey = false
		if key.Matches(k, ks.FlagN) {
			n := int(k.Runes[0] - '0')
			t := b.targets()
			all := len(t) > 0
			for _, h := range t {
				all = all && h.Progress.Flag == n
			}
			if all { // the same flag again clears it, as in Anki
				n = 0
			}
			return b.act(study.Action{Kind: study.ActFlag, Flag: n})
		}
		return nil
	}
	if b.filtering {
		switch {
		case key.Matches(k, ks.Accept):
			b.filtering = false
			b.filter.Blur()
			if b.qerr != nil { // leave the text that does not parse
				b.filter.SetValue(b.query)
				b.qerr = nil
			}
			return nil
		case key.Matches(k, ks.ClearFilter):
			b.filtering = false
			b.filter.Blur()
			b.filter.SetValue("")
			b.qerr = nil
			b.query = ""
			b.run()
			return nil
		case k.Type == tea.KeyUp || k.Type == tea.KeyDown:
			b.move(map[bool]int{true: -1, false: 1}[k.Type == tea.KeyUp])
			return nil
		}
		var cmd tea.Cmd
		b.filter, cmd = b.filter.Update(k)
		if v := b.filter.Value(); v != b.query || b.qerr != nil {
			b.setQuery(v)
		}
		return cmd
	}
	if b.confirm != noConfirm {
		c := b.confirm
		switch {
		case key.Matches(k, ks.Yes):
			b.confirm = noConfirm
			if c == confirmForget {
				return b.act(study.Action{Kind: study.ActForget})
			}
			h, _ := b.selected()
			b.pending = true
			return toScreen(scrBrowse, true, deleteCmd(b.env.repo, h.Card.ID))
		case key.Matches(k, ks.No):
			b.confirm = noConfirm
		}
		return nil
	}
	h, has := b.selected()
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
		b.move(-len(b.hits))
	case key.Matches(k, ks.Bottom):
		b.move(len(b.hits))
	case key.Matches(k, ks.Filter) && ks.Filter.Enabled():
		b.filtering = true
		return b.filter.Focus()
	case key.Matches(k, ks.Open) && ks.Open.Enabled():
		b.detail = true
		b.renderDetail()
	case key.Matches(k, ks.Select) && ks.Select.Enabled():
		b.toggle(h.Card.ID)
		b.move(1)
	case key.Matches(k, ks.SelectUp, ks.SelectDown) && ks.Select.Enabled():
		b.sel[h.Card.ID] = true
		if key.Matches(k, ks.SelectUp) {
			b.move(-1)
		} else {
			b.move(1)
		}
		if n, ok := b.selected(); ok {
			b.sel[n.Card.ID] = true
		}
	case key.Matches(k, ks.All) && ks.All.Enabled():
		if len(b.sel) == len(b.hits) {
			clear(b.sel)
		} else {
			for _, h := range b.hits {
				b.sel[h.Card.ID] = true
			}
		}
	case key.Matches(k, ks.Sort) && ks.Sort.Enabled():
		i := slices.Index(browseSorts, b.sortBy)
		b.sortBy = browseSorts[(i+1)%len(browseSorts)]
		b.desc = false
		b.run()
	case key.Matches(k, ks.Reverse) && ks.Reverse.Enabled():
		b.desc = !b.desc
		b.run()
	case key.Matches(k, ks.Edit) && has:
		return cmdOf(editCardMsg{card: h.Card})
	case key.Matches(k, ks.Suspend) && has:
		kind := study.ActSuspend
		if allSuspended(b.targets()) {
			kind = study.ActUnsuspend
		}
		return b.act(study.Action{Kind: kind})
	case key.Matches(k, ks.Bury) && has:
		return b.act(study.Action{Kind: study.ActBury})
	case key.Matches(k, ks.Flag) && has:
		b.flagKey = true
	case key.Matches(k, ks.TagAdd) && has:
		return b.ask(promptTagAdd, "add tag: ")
	case key.Matches(k, ks.TagRemove) && has:
		return b.ask(promptTagRemove, "remove tag: ")
	case key.Matches(k, ks.SetDue) && has:
		return b.ask(promptSetDue, "due in days (N or N-M): ")
	case key.Matches(k, ks.Forget) && has:
		b.confirm = confirmForget
	case key.Matches(k, ks.Undo) && ks.Undo.Enabled():
		b.pending = true
		return toScreen(scrBrowse, true, browseUndoCmd(b.env.repo, b.env.now()))
	case key.Matches(k, ks.Info) && has:
		b.info.setSize(b.width, b.height)
		if ci, err := b.lib.Info(h.Card.ID, b.now); err == nil {
			b.info.show(ci, locOf(b.lib.Sched))
		}
	case key.Matches(k, ks.Delete) && ks.Delete.Enabled():
		b.confirm = confirmDelete
	case key.Matches(k, ks.Back):
		if b.detail {
			b.detail = false
			return nil
		}
		if len(b.sel) > 0 {
			clear(b.sel)
			return nil
		}
		return back
	}
	return nil
}

func (b *browser) toggle(id string) {
	if b.sel[id] {
		delete(b.sel, id)
	} else {
		b.sel[id] = true
	}
}

// ask opens the one-line prompt.
func (b *browser) ask(p browsePrompt, label string) tea.Cmd {
	b.prompt = p
	b.input.Prompt = label
	b.input.SetValue("")
	return b.input.Focus()
}

func (b *browser) promptKey(k tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(k, b.keys.Cancel):
		b.prompt = noPrompt
		b.input.Blur()
		return nil
	case key.Matches(k, b.keys.Submit):
		v := strings.TrimSpace(b.input.Value())
		var a study.Action
		switch b.prompt {
		case promptTagAdd:
			a = study.Action{Kind: study.ActTagAdd, Tag: v}
		case promptTagRemove:
			a = study.Action{Kind: study.ActTagRemove, Tag: v}
		case promptSetDue:
			lo, hi, err := study.ParseDueDays(v)
			if err != nil {
				return statusCmd(err.Error(), true)
			}
			a = study.Action{Kind: study.ActSetDue, DueMin: lo, DueMax: hi}
		}
		if err := a.Check(); err != nil {
			return statusCmd(err.Error(), true)
		}
		b.prompt = noPrompt
		b.input.Blur()
		return b.act(a)
	}
	var cmd tea.Cmd
	b.input, cmd = b.input.Update(k)
	return cmd
}

func (b *browser) move(d int) {
	if len(b.hits) == 0 {
		return
	}
	b.cursor = max(0, min(len(b.hits)-1, b.cursor+d))
	b.scroll()
	if b.detail {
		b.renderDetail()
	}
}

func (b *browser) deleted(msg deletedMsg) tea.Cmd {
	if !b.pending {
		return nil
	}
	if msg.err != nil {
		b.pending = false
		return statusCmd("could not delete "+msg.cardID+": "+msg.err.Error(), true)
	}
	b.detail = false
	const done = "Deleted %s (its history is kept)."
	text := fmt.Sprintf(done, cutMiddle(msg.cardID, b.width-lipgloss.Width(done)+2))
	return toScreen(scrBrowse, false, reloadCmd(b.env.repo, b.env.now(), text))
}

// cardSaved shows the form's result: the library is read again.
func (b *browser) cardSaved() tea.Cmd {
	b.pending = true
	return toScreen(scrBrowse, false, reloadCmd(b.env.repo, b.env.now(), ""))
}

func (b *browser) renderDetail() {
	h, ok := b.selected()
	if !ok {
		b.detail = false
		return
	}
	st := b.env.styles
	w := max(10, b.width)
	var lines []string
	lines = append(lines, st.Dim.Render(cutText(h.Card.ID+" · "+b.lib.DeckTitle(h.Card.Deck), w)))
	if tags := tagsOf(h.Card, h.Progress); len(tags) > 0 {
		lines = append(lines, st.Dim.Render(cutText("tags: "+strings.Join(tags, ", "), w)))
	}
	lines = append(lines, "")
	lines = append(lines, renderCardText(h.Card.Front, w, st, st.Question)...)
	lines = append(lines, "", st.Rule.Render("── answer "+strings.Repeat("─", max(0, w-10))))
	lines = append(lines, renderCardText(h.Card.Back, w, st, st.Answer)...)
	lines = append(lines, "", st.Rule.Render("── schedule "+strings.Repeat("─", max(0, w-12))))
	p := h.Progress
	sch := []string{"state " + b.state(p)}
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
	if p.Flag != 0 {
		sch = append(sch, deck.FlagNames[p.Flag]+" flag")
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

// flagText is a flag as the list shows it: its number in its colour (the
// number carries the meaning without colour).
func (b browser) flagText(f int) string {
	if f == 0 {
		return " "
	}
	return b.env.styles.Flag[f].Render(fmt.Sprint(f))
}

func (b browser) view() string {
	st := b.env.styles
	w := b.width
	if b.info.open {
		return b.info.view(st)
	}
	var out strings.Builder
	if b.detail {
		out.WriteString(fitBlock(b.vp.View(), w, b.vp.Height) + "\n")
		out.WriteString(st.Rule.Render(strings.Repeat("─", w)) + "\n")
		out.WriteString(b.actionLine())
		return out.String()
	}
	if b.filtering || b.filter.Value() != "" {
		out.WriteString(cutView(b.filter.View(), w))
	} else {
		out.WriteString(st.Dim.Render(cutText("/ "+browsePlaceholder, w)))
	}
	out.WriteString("\n")
	const stateW, dueW = 9, 8
	// The deck column is as wide as the longest deck ID, while the
	// question keeps at least 24 cells.
	deckW := max(8, min(b.deckW, w-4-stateW-2-dueW-3-24))
	frontW := max(10, w-4-stateW-2-deckW-dueW-3)
	if b.qerr != nil {
		// The caret sits under the character the error is about.
		text := []rune(b.filter.Value())
		at := min(len(text), max(0, b.qerr.Pos-1))
		pad := lipgloss.Width(b.filter.Prompt) + lipgloss.Width(string(text[:at]))
		line := strings.Repeat(" ", pad) + "^ " + fmt.Sprintf("%d: %s", b.qerr.Pos, b.qerr.Msg)
		if pad+2 > w/2 {
			line = fmt.Sprintf("error at %d: %s", b.qerr.Pos, b.qerr.Msg)
		}
		out.WriteString(st.Error.Render(cutText(line, w)) + "\n")
	} else {
		head := "    " + padRight("state", stateW) + " f " + padRight("deck", deckW) + " " + padRight("question", frontW) + " " + padLeft(b.lastColumn(), dueW)
		out.WriteString(st.Dim.Render(cutText(head, w)) + "\n")
	}
	h := b.listHeight()
	for n := 0; n < h; n++ {
		k := b.top + n
		if k >= len(b.hits) {
			out.WriteString("\n")
			continue
		}
		r := b.hits[k]
		state := b.state(r.Progress)
		if r.Progress.Leech {
			state += "·L"
		}
		front := deck.SafeText(strings.Join(strings.Fields(r.Card.Front), " "))
		due := b.lastValue(r)
		mark := "  "
		if k == b.cursor {
			mark = "› "
		}
		if b.sel[r.Card.ID] {
			mark += "✓ "
		} else {
			mark += "  "
		}
		rest := padRight(state, stateW) + " "
		tail := " " + padRight(r.Card.Deck, deckW) + " " + padRight(front, frontW) + " " + padLeft(due, dueW)
		flag := b.flagText(r.Progress.Flag)
		if k == b.cursor {
			out.WriteString(st.Selected.Render(mark+rest) + flag + st.Selected.Render(tail) + "\n")
		} else {
			out.WriteString(mark + rest + flag + tail + "\n")
		}
	}
	out.WriteString(b.actionLine())
	return out.String()
}

// lastColumn names the list's last column: the sort key when it is not
// already shown (interval, recall, lapses, added), else the due date.
func (b browser) lastColumn() string {
	switch b.sortBy {
	case "interval", "recall", "lapses", "added":
		return b.sortBy
	}
	return "due"
}

// lastValue is a card's value in the last column.
func (b browser) lastValue(h study.Hit) string {
	s := h.Progress.Sched
	seen := s.State != fsrs.New
	switch b.lastColumn() {
	case "interval":
		if seen {
			return daysText(s.ScheduledDays)
		}
	case "recall":
		if seen {
			return percentText(b.lib.Sched.Retrievability(s, b.now))
		}
	case "lapses":
		return fmt.Sprint(s.Lapses)
	case "added":
		if !h.Card.Added.IsZero() {
			return h.Card.Added.In(locOf(b.lib.Sched)).Format("01-02")
		}
	default:
		if seen && !h.Progress.Suspended {
			return dueText(s.Due, b.now, b.end)
		}
	}
	return "—"
}

// actionLine is the line under the list: a question, a prompt, or the
// count of cards shown.
func (b browser) actionLine() string {
	st := b.env.styles
	w := b.width
	switch {
	case b.confirm == confirmDelete:
		h, _ := b.selected()
		const q = "Delete %s? y deletes · n keeps (history is kept)"
		return st.Warn.Render(fmt.Sprintf(q, cutMiddle(h.Card.ID, w-lipgloss.Width(q)+2)))
	case b.confirm == confirmForget:
		return st.Warn.Render(cutText(fmt.Sprintf("Forget %s: back to new, history kept? y/n", cardsText(len(b.targets()))), w))
	case b.prompt != noPrompt:
		return cutView(b.input.View()+st.Dim.Render(fmt.Sprintf("  (%s · enter · esc)", cardsText(len(b.targets())))), w)
	case b.flagKey:
		return st.Warn.Render(cutText(fmt.Sprintf("Flag %s: 1 red 2 orange 3 green 4 blue 5 pink 6 turquoise 7 purple, 0 none", cardsText(len(b.targets()))), w))
	case b.pending:
		return st.Dim.Render("saving…")
	}
	pos := 0
	if len(b.hits) > 0 {
		pos = b.cursor + 1
	}
	line := fmt.Sprintf("card %d of %d shown · %d in all", pos, len(b.hits), b.lib.Cards)
	if len(b.sel) > 0 {
		line += fmt.Sprintf(" · %d selected", len(b.sel))
	}
	if b.sortBy != "" {
		arrow := "▲"
		if b.desc {
			arrow = "▼"
		}
		line += " · by " + b.sortBy + " " + arrow
	}
	return st.Dim.Render(cutText(line, w))
}

// dueText is a due time as the list shows it: "today" for today (or
// overdue), else the days to go.
func dueText(due, now, end time.Time) string {
	if due.Before(end) {
		return "today"
	}
	days := int(due.Sub(now).Hours()/24) + 1
	return "in " + daysText(days)
}
