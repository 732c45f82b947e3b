// Package tui is opsdeck's terminal interface (Bubble Tea v1): a router
// model that owns one value per screen (dashboard, review, edit, browse,
// settings, stats), the shared sizes, styles, keys, help and status line.
// All storage goes through the Repo interface inside tea.Cmds; results come
// back as messages.
package tui

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck/stats"
	"opsdeck/study"
	"opsdeck/tune"
)

// The statistics' tables and charts measure text as lipgloss does, in
// terminal cells.
func init() { stats.SetTextWidth(lipgloss.Width) }

// Options configure New.
type Options struct {
	Now func() time.Time // nil: time.Now
	// Sync runs one sync round and says what it did in one line; nil
	// when sync is not set up (S on the dashboard is then off).
	Sync func() (string, error)
	// SyncOnOpen runs Sync once the app has loaded (the "sync on open
	// and quit" setting; main syncs on quit).
	SyncOnOpen bool
}

// MinWidth and MinHeight are the smallest terminal the app draws in: it
// is laid out for 80x24 and still works in 80x23 (tmux or screen with a
// status line) and, with shorter help and fewer chart rows, down to 60x20.
const (
	MinWidth  = 60
	MinHeight = 20
)

// chromeHeight is the header, status and help lines around a screen.
const chromeHeight = 3

// How long status messages stay.
const (
	infoFor  = 5 * time.Second
	errorFor = 15 * time.Second
)

type screen int

const (
	scrDashboard screen = iota
	scrReview
	scrEdit
	scrBrowse
	scrSettings
	scrStats
	scrOptimize
	scrPlan
	scrPractice
)

func (s screen) String() string {
	return [...]string{"Dashboard", "Review", "Card", "Browse", "Settings", "Statistics", "Fit FSRS parameters", "Interview plan", "Practice"}[s]
}

// env is what every screen shares and never changes: the repo, the clock
// and the styles.
type env struct {
	repo   Repo
	now    func() time.Time
	styles *Styles
	// tick schedules a message after a real-time delay; nil means tea.Tick.
	tick func(d time.Duration, msg tea.Msg) tea.Cmd
	// optimize fits the FSRS parameters; nil means optimizer.Optimize.
	optimize tune.OptimizeFunc
	// sync is Options.Sync; syncOnOpen Options.SyncOnOpen.
	sync       func() (string, error)
	syncOnOpen bool
}

// status is the status line: a message that clears itself.
type status struct {
	text string
	err  bool
	id   int
}

// model is the root: a router over the screens.
type model struct {
	env  *env
	keys globalKeys
	errK errorKeys
	help help.Model

	width, height int
	showHelp      bool

	cur      screen
	editFrom screen // where the form returns to

	lib        *study.Library
	loadSeq    int  // tag of the newest load; older results are dropped
	loading    bool // a load is in flight
	stale      bool // data changed since lib was loaded
	loadErr    error
	libVersion uint64          // the Repo's version before lib was loaded (watch.go)
	watching   bool            // the version poll runs (from the first load on)
	pending    *startReviewMsg // a study start waiting for a fresh load
	held       []tea.KeyMsg    // keys pressed while lib is only counted, for the whole library
	settled    bool            // start-up's memory went back to the system (statsLoaded)
	announce   bool            // the user asked for the load: say when it is done
	backOnDash bool            // the dashboard was reached by q: its next q does not quit at once
	lastQ      bool            // the last key was q

	status status

	dash     dashboard
	review   review
	edit     editor
	browse   browser
	settings settingsForm
	stats    statsView
	opt      optimizeScreen
	optSeq   int // tag of the newest fit; results of older ones are dropped
	plan     planScreen
	practice practiceScreen
}

// New returns the app's root model, which loads the library in Init.
func New(repo Repo, opts Options) tea.Model {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	st := DefaultStyles()
	e := &env{repo: repo, now: now, styles: &st, sync: opts.Sync, syncOnOpen: opts.SyncOnOpen && opts.Sync != nil}
	h := help.New()
	h.Styles.ShortKey = st.Key
	h.Styles.FullKey = st.Key
	h.Styles.ShortDesc = st.Dim
	h.Styles.FullDesc = st.Dim
	h.Styles.ShortSeparator = st.Dim
	h.Styles.Ellipsis = st.Dim
	h.ShortSeparator = " · "
	return model{
		env:     e,
		keys:    newGlobalKeys(),
		errK:    newErrorKeys(),
		help:    h,
		loadSeq: 1,
		loading: true,
		dash:    newDashboard(e),
	}
}

// Init loads the library: over a repo that can count (study.Service),
// the dashboard's figures alone first (the first frame), then the whole
// library at once.
func (m model) Init() tea.Cmd {
	if c, ok := m.env.repo.(counter); ok {
		return countCmd(m.env.repo, c, m.env.now(), m.loadSeq)
	}
	return loadCmd(m.env.repo, m.env.now(), m.loadSeq)
}

// reload starts a new load; the results of older ones will be dropped.
func (m *model) reload() tea.Cmd {
	m.loadSeq++
	m.loading = true
	return loadCmd(m.env.repo, m.env.now(), m.loadSeq)
}

func (m *model) setStatus(text string, isErr bool) tea.Cmd {
	m.status = status{text: text, err: isErr, id: m.status.id + 1}
	d := infoFor
	if isErr {
		d = errorFor
	}
	return m.env.after(d, clearStatusMsg{id: m.status.id})
}

// newDay reports whether a scheduling day started since the library was
// loaded.
func (m model) newDay() bool {
	return m.lib != nil && m.lib.Sched.DayIndex(m.env.now()) != m.lib.Sched.DayIndex(m.lib.Now)
}

// busy reports whether the current screen waits for a store call it made.
func (m model) busy() bool {
	switch m.cur {
	case scrReview:
		return m.review.pending != 0
	case scrBrowse:
		return m.browse.pending
	}
	return false
}

func (m model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// bodySize is the size each screen gets: the terminal less the chrome.
func (m model) bodySize() (int, int) { return m.width, max(0, m.height-chromeHeight) }

func (m *model) resize() {
	w, h := m.bodySize()
	m.help.Width = w
	m.dash.setSize(w, h)
	// Screens not opened yet are zero values: they get their size when opened.
	if m.review.env != nil {
		m.review.setSize(w, h)
	}
	if m.edit.env != nil {
		m.edit.setSize(w, h)
	}
	if m.browse.env != nil {
		m.browse.setSize(w, h)
	}
	if m.settings.env != nil {
		m.settings.setSize(w, h)
	}
	if m.stats.env != nil {
		m.stats.setSize(w, h)
	}
	if m.opt.env != nil {
		m.opt.setSize(w, h)
	}
	if m.plan.env != nil {
		m.plan.setSize(w, h)
	}
	if m.practice.env != nil {
		m.practice.setSize(w, h)
	}
}

// capturesText reports whether the current screen is taking typed text, so
// that ? and the like go to it instead of the root.
func (m model) capturesText() bool {
	switch m.cur {
	case scrEdit:
		return true
	case scrDashboard:
		return m.dash.ops.renaming
	case scrBrowse:
		return m.browse.capturesText()
	case scrSettings:
		return m.settings.editing
	case scrPlan:
		return m.plan.editing
	}
	return false
}

// Update is the router: resizes, global keys and navigation here; every
// other message goes to the screen it is for (forMsg) or the one showing.
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	mm, cmd := m.route(msg)
	if nm := mm.(model); nm.cur != m.cur && nm.status.id == m.status.id && nm.status.text != "" {
		// A message is about the screen it came from (one set on the
		// way, "Added ...", stays).
		nm.status = status{id: nm.status.id}
		return nm, cmd
	}
	return mm, cmd
}

func (m model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	case forMsg:
		return m.deliver(msg)
	case libraryMsg:
		return m.libraryLoaded(msg)
	case statsMsg:
		return m.statsLoaded(msg)
	case watchDueMsg:
		return m.watchDue()
	case watchMsg:
		return m.watched(msg)
	case syncedMsg:
		return m.synced(msg)
	case statusMsg:
		return m, m.setStatus(msg.text, msg.err)
	case reloadMsg:
		m.announce = !msg.quiet // r: say what the load found
		if m.loading {
			return m, nil
		}
		return m, m.reload()
	case clearStatusMsg:
		if msg.id == m.status.id {
			m.status = status{id: m.status.id}
		}
		return m, nil
	case backMsg:
		m.backOnDash = m.lastQ && m.cur != scrDashboard && m.cur != scrOptimize && (m.cur != scrEdit || m.editFrom == scrDashboard)
		return m.goBack()
	case startReviewMsg:
		return m.requestReview(msg)
	case openMsg:
		return m.open(msg.to)
	case startPracticeMsg:
		m.practice = newPractice(m.env, m.lib, msg)
		m.practice.setSize(m.bodySize())
		m.cur = scrPractice
		return m, m.practice.init()
	case editCardMsg:
		return m.openEditor(msg)
	case savedMsg:
		return m.cardSaved(msg)
	case settingsSavedMsg:
		return m.settingsSaved(msg)
	case weightsAppliedMsg:
		return m.weightsApplied(msg)
	}
	return m.delegate(msg)
}

// deliver hands a store call's result to the screen that made the call.
func (m model) deliver(f forMsg) (tea.Model, tea.Cmd) {
	if f.changed {
		m.stale = true
	}
	return m.updateScreen(f.to, f.msg)
}

// key handles a key: quit, help, the size and load guards, then the screen.
func (m model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Quit) {
		return m, tea.Quit
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.capturesText() {
		// Keys typed faster than they are read arrive together: take
		// them one at a time, each after what the one before it led to.
		first := tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[:1], Alt: msg.Alt}
		rest := tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[1:], Alt: msg.Alt}
		mm, cmd := m.Update(first)
		if cmd == nil {
			return mm.Update(rest)
		}
		return mm, tea.Sequence(cmd, cmdOf(rest))
	}
	if m.showHelp {
		if key.Matches(msg, m.keys.Help) || msg.String() == "esc" || msg.String() == "q" {
			m.showHelp = false
		}
		return m, nil
	}
	if m.tooSmall() {
		if msg.String() == "q" {
			return m, tea.Quit
		}
		return m, nil
	}
	if m.lib != nil && m.lib.Counted() {
		// The dashboard is drawn from the counts; the cards follow in a
		// moment. A key waits for them, then does what it does.
		if len(m.held) < maxHeld {
			m.held = append(m.held, msg)
		}
		if m.status.text == "" {
			m.status = status{text: loadingCards, id: m.status.id + 1} // cleared when they come
		}
		return m, nil
	}
	if m.lib == nil {
		switch {
		case m.loadErr != nil && key.Matches(msg, m.errK.Retry):
			m.loadErr = nil
			return m, m.reload()
		case key.Matches(msg, m.errK.Quit):
			return m, tea.Quit
		}
		return m, nil
	}
	if key.Matches(msg, m.keys.Help) && !m.capturesText() {
		m.showHelp = true
		return m, nil
	}
	if m.cur == scrDashboard && m.backOnDash && msg.String() == "q" {
		// q pressed twice to leave a screen: the second one does not
		// quit the app unasked.
		m.backOnDash = false
		return m, m.setStatus("Press q again to quit (Ctrl+C quits from any screen).", false)
	}
	m.lastQ = msg.String() == "q"
	mm, cmd := m.delegate(msg)
	if nm := mm.(model); nm.busy() && !m.busy() {
		// A message is about the action it came from: a new action
		// makes it old news.
		nm.status = status{id: nm.status.id}
		mm = nm
	}
	if nm := mm.(model); nm.backOnDash {
		nm.backOnDash = false // only the key right after the way back
		mm = nm
	}
	if nm := mm.(model); nm.cur == scrDashboard && !nm.loading && nm.newDay() {
		// Left open past the day start: today's figures are yesterday's.
		return nm, tea.Batch(cmd, nm.reload())
	}
	return mm, cmd
}

// libraryLoaded takes a finished load (dropped when overtaken by a newer one).
func (m model) libraryLoaded(msg libraryMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.loadSeq {
		return m, nil // overtaken by a newer load
	}
	m.loading = false
	if msg.err != nil {
		if m.lib == nil || m.lib.Counted() {
			m.lib, m.held = nil, nil
			if m.status.text == loadingCards {
				m.status = status{id: m.status.id}
			}
			m.loadErr = msg.err
			return m, nil
		}
		m.announce = false
		return m, m.setStatus("could not reload: "+msg.err.Error(), true)
	}
	m.lib = msg.lib
	m.libVersion = msg.version
	if m.lib.Counted() {
		// The first frame: the dashboard from the counts. The whole
		// library follows (the statistics and the watch after it).
		m.dash.setLibrary(m.lib)
		return m, m.reload()
	}
	if m.status.text == loadingCards {
		m.status = status{id: m.status.id}
	}
	var replay tea.Cmd
	if len(m.held) > 0 {
		cmds := make([]tea.Cmd, len(m.held))
		for i, k := range m.held {
			cmds[i] = cmdOf(k)
		}
		m.held = nil
		replay = tea.Sequence(cmds...)
	}
	watch := m.watchStart()
	m.watching = true
	var said tea.Cmd
	if m.announce {
		m.announce = false
		said = m.setStatus(fmt.Sprintf("Reloaded: %s, %s.", plural(len(m.lib.Decks), "deck"), plural(m.lib.Cards, "card")), false)
	}
	m.stale = false
	m.dash.setLibrary(m.lib)
	if m.cur == scrEdit {
		m.edit.lib = m.lib
	}
	if m.cur == scrStats {
		m.stats.setLibrary(m.lib)
	}
	// The statistics follow in the background: the dashboard does not
	// need them.
	st := tea.Batch(statsCmd(m.lib), said, watch, replay)
	if p := m.pending; p != nil {
		m.pending = nil
		mm, cmd := m.startReview(*p)
		return mm, tea.Batch(cmd, st)
	}
	return m, st
}

// statsLoaded takes the statistics computed in the background.
func (m model) statsLoaded(msg statsMsg) (tea.Model, tea.Cmd) {
	if msg.lib != m.lib {
		return m, nil // for a library since replaced
	}
	if msg.err != nil {
		return m, m.setStatus(msg.err.Error(), true)
	}
	m.lib.Stats = msg.res
	if m.cur == scrStats {
		m.stats.setLibrary(m.lib)
	}
	if !m.settled {
		// Start-up is over (the counts, the whole library, the
		// statistics): what it allocated and let go goes back to the
		// system now rather than staying as the heap's headroom (a
		// 100,000-card collection: about 110 MB resident instead of 140).
		m.settled = true
		return m, func() tea.Msg {
			debug.FreeOSMemory()
			return nil
		}
	}
	return m, nil
}

// requestReview starts a session, after a reload when the library is stale.
func (m model) requestReview(msg startReviewMsg) (tea.Model, tea.Cmd) {
	if m.loading || m.stale {
		m.pending = &msg
		if !m.loading {
			return m, m.reload()
		}
		return m, nil
	}
	return m.startReview(msg)
}

// openEditor opens the card form.
func (m model) openEditor(msg editCardMsg) (tea.Model, tea.Cmd) {
	if m.cur != scrEdit {
		m.editFrom = m.cur
	}
	m.edit = newEditor(m.env, m.lib, msg.card, msg.add)
	w, h := m.bodySize()
	m.edit.setSize(w, h)
	m.cur = scrEdit
	return m, m.edit.focusCmd()
}

// cardSaved takes the form's result and goes back where the form came from.
func (m model) cardSaved(msg savedMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.edit, cmd = m.edit.update(msg)
	if msg.err != nil {
		return m, cmd
	}
	m.stale = true
	verb := "Saved"
	if msg.added {
		verb = "Added"
	}
	what := ""
	if len(msg.cards) > 0 {
		what = msg.cards[0].ID
	}
	if len(msg.cards) > 1 {
		what = fmt.Sprintf("the cloze note %s (%d cards)", what, len(msg.cards))
	}
	st := m.setStatus(fmt.Sprintf("%s %s", verb, what), false)
	switch m.editFrom {
	case scrReview:
		m.review.cardsEdited(msg.cards)
	case scrBrowse:
		cmd = tea.Batch(cmd, m.browse.cardSaved()) // Browse reads the library again
	}
	if msg.added && len(msg.cards) > 0 {
		// As Anki's Add window: the form stays open on the same deck and
		// tags for the next card; Esc leaves it.
		st = m.setStatus(fmt.Sprintf("Added %s. Type the next card, or esc to finish.", what), false)
		next := newCardFor(msg.cards[0].Deck)
		next.Tags = msg.cards[0].Tags
		m.edit = newEditor(m.env, m.lib, next, true)
		w, h := m.bodySize()
		m.edit.setSize(w, h)
		var rl tea.Cmd
		if !m.loading {
			rl = m.reload() // the form checks duplicates against the new card too
		}
		return m, tea.Batch(cmd, st, m.edit.focusCmd(), rl)
	}
	mm, c2 := m.goBack()
	return mm, tea.Batch(cmd, st, c2)
}

// settingsSaved applies saved settings at once (a new load).
func (m model) settingsSaved(msg settingsSavedMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.settings, cmd = m.settings.update(msg)
	if msg.err != nil {
		return m, cmd
	}
	// Applied at once: the scheduler and the limits come from a new load.
	return m, tea.Batch(cmd, m.reload())
}

// weightsApplied takes the optimize screen's save.
func (m model) weightsApplied(msg weightsAppliedMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.opt, cmd = m.opt.update(msg)
	if msg.err != nil || msg.id != m.opt.id {
		return m, cmd
	}
	// The settings form must not save the old weights back.
	if m.settings.env != nil {
		m.settings.weightsSaved(msg.weights)
	}
	m.stale = true
	return m, tea.Batch(cmd, m.reload())
}

// delegate passes a message to the current screen.
func (m model) delegate(msg tea.Msg) (tea.Model, tea.Cmd) { return m.updateScreen(m.cur, msg) }

// updateScreen passes a message to the screen s.
func (m model) updateScreen(s screen, msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch s {
	case scrDashboard:
		m.dash, cmd = m.dash.update(msg)
	case scrReview:
		m.review, cmd = m.review.update(msg)
	case scrEdit:
		m.edit, cmd = m.edit.update(msg)
	case scrBrowse:
		m.browse, cmd = m.browse.update(msg)
	case scrSettings:
		m.settings, cmd = m.settings.update(msg)
	case scrStats:
		m.stats, cmd = m.stats.update(msg)
	case scrOptimize:
		m.opt, cmd = m.opt.update(msg)
	case scrPlan:
		m.plan, cmd = m.plan.update(msg)
	case scrPractice:
		m.practice, cmd = m.practice.update(msg)
	}
	return m, cmd
}

// goBack leaves the current screen: the form returns where it came from,
// the dashboard quits, everything else returns to the dashboard (reloading
// when data changed).
func (m model) goBack() (tea.Model, tea.Cmd) {
	switch m.cur {
	case scrDashboard:
		return m, tea.Quit
	case scrOptimize:
		m.opt.stop()
		m.cur = scrSettings
		if m.stale && !m.loading {
			return m, m.reload()
		}
		return m, nil
	case scrEdit:
		m.cur = m.editFrom
		if m.cur != scrDashboard {
			return m, nil
		}
	case scrPractice:
		m.cur = scrPlan
		return m, m.plan.loadMocks()
	default:
		m.cur = scrDashboard
	}
	if m.stale && !m.loading {
		return m, m.reload()
	}
	return m, nil
}

func (m model) startReview(msg startReviewMsg) (tea.Model, tea.Cmd) {
	now := m.env.now()
	s, err := m.lib.Session(msg.deckID, now)
	if err != nil {
		return m, m.setStatus(err.Error(), true)
	}
	if _, ok := s.Queue.Next(now); !ok {
		text := "Nothing to study in " + s.Title + " now"
		if at, ok := s.Queue.NextLearning(); ok {
			text += "; a learning card comes back " + whenText(at, now, m.lib.Sched)
		} else if next, _ := m.lib.NextDue(now, nil); !next.IsZero() && next.After(now) {
			text += "; next card due " + whenText(next, now, m.lib.Sched)
		}
		m.cur = scrDashboard
		return m, m.setStatus(text+".", false)
	}
	m.review = newReview(m.env, m.lib, s, now)
	w, h := m.bodySize()
	m.review.setSize(w, h)
	m.cur = scrReview
	return m, nil
}

func (m model) open(to screen) (tea.Model, tea.Cmd) {
	w, h := m.bodySize()
	switch to {
	case scrBrowse:
		m.browse = newBrowser(m.env, m.lib)
		m.browse.setSize(w, h)
	case scrSettings:
		ids := make([]string, len(m.lib.Decks))
		for i, d := range m.lib.Decks {
			ids[i] = d.ID
		}
		m.settings = newSettingsForm(m.env, m.lib.Settings, ids...)
		m.settings.lib = m.lib // help me decide
		m.settings.updateKeys()
		m.settings.setSize(w, h)
	case scrStats:
		m.stats = newStatsView(m.env, m.lib)
		m.stats.setSize(w, h)
	case scrOptimize:
		// A status from an earlier fit ("stopped") would contradict this one.
		m.status = status{id: m.status.id}
		m.optSeq++
		var cmd tea.Cmd
		m.opt, cmd = newOptimizeScreen(m.env, m.optSeq)
		m.opt.setSize(w, h)
		m.cur = to
		return m, cmd
	case scrPlan:
		var cmd tea.Cmd
		m.plan, cmd = newPlanScreen(m.env, m.lib)
		m.plan.setSize(w, h)
		m.cur = to
		return m, cmd
	case scrDashboard:
	default:
		return m, nil
	}
	m.cur = to
	return m, nil
}

// helpKeys are the current screen's bindings.
func (m model) helpKeys() keyMap {
	if m.lib == nil {
		return m.errK.help()
	}
	switch m.cur {
	case scrReview:
		return m.review.keyHelp()
	case scrEdit:
		return m.edit.help()
	case scrBrowse:
		return m.browse.keyHelp()
	case scrSettings:
		return m.settings.keys.help()
	case scrStats:
		return m.stats.keys.help()
	case scrOptimize:
		return m.opt.keys.help()
	case scrPlan:
		return m.plan.keys.help()
	case scrPractice:
		return m.practice.keys.help()
	}
	return m.dash.help()
}

func (m model) View() string {
	if m.width == 0 {
		return "" // no size yet
	}
	st := m.env.styles
	if m.tooSmall() {
		msg := fmt.Sprintf("opsdeck needs a terminal of at least %dx%d;\nthis one is %dx%d.\nEnlarge it, or press q to quit.",
			MinWidth, MinHeight, m.width, m.height)
		return fitBlock(msg, m.width, m.height)
	}
	w, h := m.bodySize()
	var body string
	switch {
	case m.lib == nil && m.loadErr != nil:
		body = "\n" + st.Error.Render("error: could not read your data") + "\n\n" +
			wrapText(m.loadErr.Error(), w) + "\n\nPress r to try again or q to quit."
	case m.lib == nil:
		body = "\nLoading your decks…"
	case m.showHelp:
		body = m.fullHelp()
	default:
		switch m.cur {
		case scrDashboard:
			body = m.dash.view()
		case scrReview:
			body = m.review.view()
		case scrEdit:
			body = m.edit.view()
		case scrBrowse:
			body = m.browse.view()
		case scrSettings:
			body = m.settings.view()
		case scrStats:
			body = m.stats.view()
		case scrOptimize:
			body = m.opt.view()
		case scrPlan:
			body = m.plan.view()
		case scrPractice:
			body = m.practice.view()
		}
	}
	var b strings.Builder
	b.WriteString(fitLine(m.header(), w))
	b.WriteByte('\n')
	b.WriteString(fitBlock(body, w, h))
	b.WriteByte('\n')
	b.WriteString(fitLine(m.statusLine(), w))
	b.WriteByte('\n')
	b.WriteString(fitLine(m.help.ShortHelpView(m.shortHelp()), w))
	return b.String()
}

func (m model) shortHelp() []key.Binding {
	if m.showHelp {
		return []key.Binding{bind("?/esc", "close help", "?"), m.keys.Quit}
	}
	ks := m.helpKeys().ShortHelp()
	if m.lib != nil && !m.capturesText() {
		ks = append(ks, m.keys.Help)
	}
	return ks
}

func (m model) fullHelp() string {
	st := m.env.styles
	groups := append(m.helpKeys().FullHelp(), []key.Binding{m.keys.Help, m.keys.Quit})
	hm := m.help
	hm.ShowAll = true
	return "\n" + st.Section.Render("Keys: "+m.cur.String()) + "\n\n" + hm.FullHelpView(groups) +
		"\n\n" + st.Dim.Render("Keys not listed are not available right now. Press ? or esc to close.")
}

func (m model) header() string {
	st := m.env.styles
	left := st.Title.Render("opsdeck") + st.Dim.Render(" › ") + st.Crumb.Render(m.crumb())
	right := ""
	if m.loading && m.lib != nil {
		right = st.Dim.Render("updating…")
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m model) crumb() string {
	switch m.cur {
	case scrReview:
		return "Review · " + m.review.sess.Title
	case scrEdit:
		if m.edit.add {
			return "Add card"
		}
		return "Edit " + m.edit.orig.ID
	case scrOptimize:
		return "Settings › " + m.cur.String()
	case scrPractice:
		return "Interview plan › " + m.practice.title()
	}
	return m.cur.String()
}

func (m model) statusLine() string {
	st := m.env.styles
	switch {
	case m.status.text == "":
		return ""
	case m.status.err:
		return st.Error.Render("error: ") + cutText(m.status.text, m.width-len("error: "))
	}
	return st.Status.Render(cutText(m.status.text, m.width)) // cut visibly, with "…"
}

// fitLine cuts a line to width cells.
func fitLine(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(s)
}

// fitBlock makes s exactly height lines, each at most width cells.
func fitBlock(s string, width, height int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = fitLine(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
