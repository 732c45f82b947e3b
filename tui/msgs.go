package tui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
	"opsdeck/study"
)

// Messages. Screens talk to the root only through these; every result of
// I/O comes back as one of them. The tea.Cmd constructors below capture
// the values they need (the repo, IDs, times), never a model.

// forMsg carries the result of a screen's store call back to that screen
// (to), whichever screen is showing when it arrives; changed says the
// store was written, so the library is reloaded when the user goes back.
type forMsg struct {
	to      screen
	changed bool
	msg     tea.Msg
}

// toScreen addresses cmd's result to the screen s.
func toScreen(s screen, changed bool, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return forMsg{to: s, changed: changed, msg: msg}
	}
}

// libraryMsg is the result of a load; seq tags it so that a load overtaken
// by a newer one is dropped.
type libraryMsg struct {
	seq     int
	lib     *study.Library
	err     error
	version uint64 // the Repo's version read before the load (watch.go)
}

func loadCmd(repo Repo, now time.Time, seq int) tea.Cmd { return loadBy(repo, repo.Load, now, seq) }

// loadBy is loadCmd with the load it runs.
func loadBy(repo Repo, load func(time.Time) (*study.Library, error), now time.Time, seq int) tea.Cmd {
	return func() tea.Msg {
		v := versionOf(repo)
		lib, err := load(now)
		return libraryMsg{seq: seq, lib: lib, err: err, version: v}
	}
}

// counter is a Repo that can load the dashboard's figures alone, without
// the cards (study.Service.LoadCounts): the first frame's load.
type counter interface {
	LoadCounts(now time.Time, full bool) (*study.Library, error)
}

// countCmd is loadCmd for the first frame: the figures alone (the library
// is Counted) unless the repo must load it whole for them (a sibling
// option), then the whole library.
func countCmd(repo Repo, c counter, now time.Time, seq int) tea.Cmd {
	return loadBy(repo, func(now time.Time) (*study.Library, error) { return c.LoadCounts(now, true) }, now, seq)
}

// maxHeld is the most keys kept while the cards load after the first
// frame (a held key repeat should not queue forever).
const maxHeld = 16

// loadingCards is the status line while held keys wait for the cards.
const loadingCards = "Loading the cards…"

// statsMsg carries the statistics of lib, computed in the background
// after the library loaded (the dashboard does not wait for them).
type statsMsg struct {
	lib *study.Library
	res *stats.Result
	err error
}

func statsCmd(lib *study.Library) tea.Cmd {
	return func() tea.Msg {
		res, err := lib.ComputeStats()
		return statsMsg{lib: lib, res: res, err: err}
	}
}

// gradedMsg is the result of Grade; op tags it with the review screen's
// operation number so a late answer cannot land on another card.
type gradedMsg struct {
	op     int
	cardID string
	rating fsrs.Rating
	took   time.Duration
	res    deck.GradeResult
	err    error
}

func gradeCmd(repo Repo, op int, cardID string, r fsrs.Rating, now time.Time, took time.Duration) tea.Cmd {
	return func() tea.Msg {
		res, err := repo.Grade(cardID, r, now, took)
		return gradedMsg{op: op, cardID: cardID, rating: r, took: took, res: res, err: err}
	}
}

// undoneMsg is the result of Undo: what was reversed.
type undoneMsg struct {
	op  int
	u   deck.Undone
	err error
}

func undoCmd(repo Repo, op int) tea.Cmd {
	return func() tea.Msg {
		u, err := repo.Undo()
		return undoneMsg{op: op, u: u, err: err}
	}
}

// undoneText says what an undo reversed: the action and its card, or for a
// bulk action of many cards (search, Browse) how many it restored.
func undoneText(u deck.Undone) string {
	if len(u.CardIDs) > 1 && u.Action != deck.UndoEdit && u.Action != deck.UndoAdd {
		return fmt.Sprintf("Undid %s (%s).", u.Action, cardsText(len(u.CardIDs)))
	}
	return "Undid the " + u.Action + " of " + u.CardID() + "."
}

// flagKind says which card flag a flaggedMsg reports.
type flagKind int

const (
	flagBury flagKind = iota
	flagSuspend
	flagUnsuspend
)

// flaggedMsg is the result of Bury or SetSuspended.
type flaggedMsg struct {
	op     int
	kind   flagKind
	cardID string
	until  time.Time // bury only
	err    error
}

func buryCmd(repo Repo, op int, cardID string, until time.Time) tea.Cmd {
	return func() tea.Msg {
		err := repo.Bury(cardID, until)
		return flaggedMsg{op: op, kind: flagBury, cardID: cardID, until: until, err: err}
	}
}

func suspendCmd(repo Repo, op int, cardID string, suspended bool) tea.Cmd {
	return func() tea.Msg {
		err := repo.SetSuspended(cardID, suspended)
		k := flagSuspend
		if !suspended {
			k = flagUnsuspend
		}
		return flaggedMsg{op: op, kind: k, cardID: cardID, err: err}
	}
}

// flagSetMsg is the result of SetFlag.
type flagSetMsg struct {
	op     int
	cardID string
	flag   int
	err    error
}

func setFlagCmd(repo Repo, op int, cardID string, flag int) tea.Cmd {
	return func() tea.Msg {
		return flagSetMsg{op: op, cardID: cardID, flag: flag, err: repo.SetFlag(cardID, flag)}
	}
}

// savedMsg is the result of AddCards (added) or EditCards: the note's
// cards as saved.
type savedMsg struct {
	cards []deck.Card
	added bool
	err   error
}

func saveCardsCmd(repo Repo, cs []deck.Card, add bool) tea.Cmd {
	return func() tea.Msg {
		var err error
		if add {
			err = repo.AddCards(cs)
		} else {
			err = repo.EditCards(cs)
		}
		return savedMsg{cards: cs, added: add, err: err}
	}
}

// deletedMsg is the result of DeleteCard.
type deletedMsg struct {
	cardID string
	err    error
}

func deleteCmd(repo Repo, cardID string) tea.Cmd {
	return func() tea.Msg {
		return deletedMsg{cardID: cardID, err: repo.DeleteCard(cardID)}
	}
}

// settingsSavedMsg is the result of SaveSettings.
type settingsSavedMsg struct {
	settings deck.Settings
	err      error
}

func saveSettingsCmd(repo Repo, st deck.Settings) tea.Cmd {
	return func() tea.Msg {
		return settingsSavedMsg{settings: st, err: repo.SaveSettings(st)}
	}
}

// Navigation: screens ask the root to move.

// backMsg leaves the current screen.
type backMsg struct{}

// startReviewMsg starts a study session of a deck ("" for everything).
type startReviewMsg struct{ deckID string }

// openMsg opens a screen that needs nothing else.
type openMsg struct{ to screen }

// editCardMsg opens the form: on an existing card to edit it, or (add) on
// a new card of the deck given in card.Deck.
type editCardMsg struct {
	card deck.Card
	add  bool
}

// reloadMsg asks the root for a fresh load.
type reloadMsg struct {
	quiet bool // no "Reloaded" status: the caller says what changed
}

// statusMsg puts a line in the status bar.
type statusMsg struct {
	text string
	err  bool
}

// clearStatusMsg clears the status line if it still shows message id.
type clearStatusMsg struct{ id int }

// tickMsg wakes the review screen while it waits for a learning card.
type tickMsg struct{ op int }

func cmdOf(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func back() tea.Msg { return backMsg{} }

func statusCmd(text string, err bool) tea.Cmd { return cmdOf(statusMsg{text: text, err: err}) }

// after delivers msg once d has passed (tea.Tick; tests replace it).
func (e *env) after(d time.Duration, msg tea.Msg) tea.Cmd {
	if e.tick != nil {
		return e.tick(d, msg)
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}
