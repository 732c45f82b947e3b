package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Another opsdeck may write the same database while the TUI is open (an
// `opsdeck add` or a `review --plain` in another terminal). A Repo that
// also has Version (the store's last committed transaction ID, which every
// write of any process moves on) is polled every watchEvery; when the
// version differs from the one the library was loaded at, the dashboard
// reloads at once and any other screen marks the library stale, so it is
// reloaded on the way back (and before a study session starts).

// versioned is the optional part of a Repo that the watch needs.
type versioned interface {
	Version() (uint64, error)
}

// watchEvery is the poll period: a change shows within two of them.
const watchEvery = time.Second

// watchDueMsg says it is time to poll; watchMsg is the poll's result.
type watchDueMsg struct{}

type watchMsg struct {
	v   uint64
	err error
}

// pollCmd reads w's version.
func pollCmd(w versioned) tea.Cmd {
	return func() tea.Msg {
		v, err := w.Version()
		return watchMsg{v: v, err: err}
	}
}

// versionOf reads the version before a load (0 when the Repo has none).
func versionOf(r Repo) uint64 {
	if w, ok := r.(versioned); ok {
		if v, err := w.Version(); err == nil {
			return v
		}
	}
	return 0
}

// watchDue polls.
func (m model) watchDue() (tea.Model, tea.Cmd) {
	w, _ := m.env.repo.(versioned)
	return m, pollCmd(w)
}

// watched handles a poll and schedules the next one.
func (m model) watched(msg watchMsg) (tea.Model, tea.Cmd) {
	next := m.env.after(watchEvery, watchDueMsg{})
	if msg.err != nil || msg.v == m.libVersion || m.lib == nil {
		return m, next
	}
	if m.cur != scrDashboard || m.capturesText() {
		m.stale = true
		return m, next
	}
	if m.loading {
		return m, next
	}
	return m, tea.Batch(next, m.reload())
}

// watchStart is the first poll, after the first load, when the Repo can
// be watched.
func (m model) watchStart() tea.Cmd {
	if m.watching {
		return nil
	}
	var open tea.Cmd
	if m.env.syncOnOpen {
		open = tea.Sequence(statusCmd("Syncing…", false), syncCmd(m.env.sync))
	}
	if _, ok := m.env.repo.(versioned); ok {
		return tea.Batch(open, m.env.after(watchEvery, watchDueMsg{}))
	}
	return open
}

// syncedMsg is the result of a sync round (S on the dashboard, or on
// open with the setting).
type syncedMsg struct {
	text string
	err  error
}

func syncCmd(run func() (string, error)) tea.Cmd {
	if run == nil {
		return nil
	}
	return func() tea.Msg {
		text, err := run()
		return syncedMsg{text: text, err: err}
	}
}

// synced says what the round did and reloads: imported changes show.
func (m model) synced(msg syncedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m, m.setStatus("sync: "+msg.err.Error(), true)
	}
	said := m.setStatus(msg.text, false)
	if m.cur != scrDashboard || m.loading {
		m.stale = true
		return m, said
	}
	return m, tea.Batch(said, m.reload())
}
