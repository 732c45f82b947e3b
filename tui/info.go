package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/stats"
)

// infoView is the card info panel (Anki's card info) that Browse and
// Review open over their own view with i.
type infoView struct {
	open bool
	id   string // the card shown (or asked for)
	vp   viewport.Model
	ci   *stats.CardInfo
	loc  *time.Location
	w, h int
}

// infoKeys scroll and close the panel.
type infoKeys struct {
	Up, Down, PgUp, PgDown key.Binding
	Close                  key.Binding
}

func newInfoKeys() infoKeys {
	return infoKeys{
		Up:     bind("↑/k", "scroll up", "up", "k"),
		Down:   bind("↓/j", "scroll down", "down", "j"),
		PgUp:   bind("pgup", "page up", "pgup"),
		PgDown: bind("pgdn", "page down", "pgdown"),
		Close:  bind("i/esc", "close info", "i", "esc", "q"),
	}
}

func (k infoKeys) help() keyMap {
	return keyMap{short: []key.Binding{k.Up, k.Down, k.Close}, full: [][]key.Binding{{k.Up, k.Down, k.PgUp, k.PgDown, k.Close}}}
}

// infoMsg is the result of Repo.Info.
type infoMsg struct {
	id  string
	ci  stats.CardInfo
	err error
}

func infoCmd(repo Repo, id string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ci, err := repo.Info(id, now)
		return infoMsg{id: id, ci: ci, err: err}
	}
}

func (v *infoView) setSize(w, h int) {
	v.w, v.h = w, h
	v.vp.Width, v.vp.Height = w, max(1, h-1)
	v.render()
}

// show opens the panel on ci.
func (v *infoView) show(ci stats.CardInfo, loc *time.Location) {
	v.open, v.id, v.ci, v.loc = true, ci.Card.ID, &ci, loc
	v.render()
	v.vp.GotoTop()
}

func (v *infoView) render() {
	if v.ci == nil {
		return
	}
	w := max(40, v.w)
	front := deck.SafeText(strings.Join(strings.Fields(v.ci.Card.Front), " "))
	text := cutText("Q: "+front, w) + "\n\n" + deck.SafeText(stats.RenderCardInfo(*v.ci, w, v.loc))
	v.vp.SetContent(text)
}

// key handles a key while the panel is open; it reports whether the panel
// closed.
func (v *infoView) key(k tea.KeyMsg, keys infoKeys) {
	switch {
	case key.Matches(k, keys.Close):
		v.open, v.ci = false, nil
	case key.Matches(k, keys.Up):
		v.vp.ScrollUp(1)
	case key.Matches(k, keys.Down):
		v.vp.ScrollDown(1)
	case key.Matches(k, keys.PgUp):
		v.vp.PageUp()
	case key.Matches(k, keys.PgDown):
		v.vp.PageDown()
	}
}

func (v infoView) view(st *Styles) string {
	return fitBlock(v.vp.View(), v.w, v.vp.Height) + "\n" + st.Dim.Render(cutText("card info · ↑/↓ scroll · i or esc closes", v.w))
}
