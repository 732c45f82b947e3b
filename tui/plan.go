package tui

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/plan"
	"opsdeck/study"
)

// planScreen is the interview plan: the date, each area's predicted recall
// now, on the day if idle and on the day if the plan is followed (as bars),
// the pace (new cards, reviews and minutes a day), and on request the
// desired-retention trade-off ("help me decide"). The plan is computed in
// a tea.Cmd (package plan, simulation included); results of an older
// computation are dropped by seq.
type planScreen struct {
	env  *env
	keys planKeys
	lib  *study.Library // a copy: its Interview follows this screen's saves
	pl   *plan.Plan     // nil while computing
	seq  int

	choices  []plan.Choice // nil until asked for
	deciding bool

	editing bool
	input   textinput.Model
	err     string // the date typed was refused

	mocks []deck.MockRecord // past mock interviews, oldest first
	area  int               // the row c crams: an index into the decks, or len(decks) for all

	width, height int
}

func newPlanScreen(e *env, lib *study.Library) (planScreen, tea.Cmd) {
	l := *lib
	p := planScreen{env: e, keys: newPlanKeys(), lib: &l, area: len(l.Decks)}
	p.input = textinput.New()
	p.input.Prompt = "Interview date: "
	p.input.Placeholder = "YYYY-MM-DD"
	p.input.CharLimit = 10
	p.input.Cursor.SetMode(cursor.CursorStatic)
	p.updateKeys()
	return p, tea.Batch(p.compute(), p.loadMocks())
}

// mocksMsg carries the saved mock interviews.
type mocksMsg struct {
	mocks []deck.MockRecord
	err   error
}

// loadMocks reads the past mock interviews for the trend line.
func (p planScreen) loadMocks() tea.Cmd {
	repo := p.env.repo
	return toScreen(scrPlan, false, func() tea.Msg {
		ms, err := repo.Mocks()
		return mocksMsg{mocks: ms, err: err}
	})
}

// MockMinutes is the length of a mock interview started from the screen.
const MockMinutes = 20

func (p *planScreen) setSize(w, h int) { p.width, p.height = w, h }

// planMsg is a computed plan; choicesMsg the help-me-decide table.
type planMsg struct {
	seq int
	pl  *plan.Plan
}

type choicesMsg struct {
	seq     int
	choices []plan.Choice
}

// dateSavedMsg is the result of SetInterviewDate ("" day: cleared).
type dateSavedMsg struct {
	day string
	err error
}

// compute starts computing the plan of p.lib.
func (p *planScreen) compute() tea.Cmd {
	p.seq++
	p.pl, p.choices, p.deciding = nil, nil, false
	lib, seq := p.lib, p.seq
	return toScreen(scrPlan, false, func() tea.Msg { return planMsg{seq: seq, pl: plan.Compute(lib)} })
}

func (p *planScreen) decide() tea.Cmd {
	p.deciding = true
	lib, seq := p.lib, p.seq
	return toScreen(scrPlan, false, func() tea.Msg { return choicesMsg{seq: seq, choices: plan.Decide(lib)} })
}

func saveDateCmd(repo Repo, day string) tea.Cmd {
	return toScreen(scrPlan, true, func() tea.Msg {
		var err error
		if day == "" {
			err = repo.ClearInterviewDate()
		} else {
			err = repo.SetInterviewDate(day)
		}
		return dateSavedMsg{day: day, err: err}
	})
}

func (p *planScreen) updateKeys() {
	k := &p.keys
	k.Date.SetEnabled(!p.editing)
	k.Clear.SetEnabled(!p.editing && p.lib.Interview != "")
	k.Decide.SetEnabled(!p.editing && p.pl != nil && p.choices == nil && !p.deciding)
	k.Back.SetEnabled(!p.editing)
	k.Cram.SetEnabled(!p.editing)
	k.Up.SetEnabled(!p.editing)
	k.Down.SetEnabled(!p.editing)
	k.Mock.SetEnabled(!p.editing)
	k.Save.SetEnabled(p.editing)
	k.Cancel.SetEnabled(p.editing)
}

func (p planScreen) update(msg tea.Msg) (planScreen, tea.Cmd) {
	np, cmd := p.handle(msg)
	np.updateKeys()
	return np, cmd
}

func (p planScreen) handle(msg tea.Msg) (planScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case planMsg:
		if msg.seq == p.seq {
			p.pl = msg.pl
		}
		return p, nil
	case mocksMsg:
		if msg.err != nil {
			return p, statusCmd("could not read the mock interviews: "+msg.err.Error(), true)
		}
		p.mocks = msg.mocks
		return p, nil
	case choicesMsg:
		if msg.seq == p.seq {
			p.choices, p.deciding = msg.choices, false
		}
		return p, nil
	case dateSavedMsg:
		if msg.err != nil {
			return p, statusCmd("could not save the interview date: "+msg.err.Error(), true)
		}
		p.lib.Interview = msg.day
		text := "Interview date cleared"
		if msg.day != "" {
			text = "Interview date set to " + msg.day
		}
		return p, tea.Batch(p.compute(), statusCmd(text, false))
	case tea.KeyMsg:
		if p.editing {
			return p.editKey(msg)
		}
		switch {
		case key.Matches(msg, p.keys.Date):
			p.editing, p.err = true, ""
			p.input.SetValue(p.lib.Interview)
			p.input.CursorEnd()
			return p, p.input.Focus()
		case key.Matches(msg, p.keys.Clear):
			return p, saveDateCmd(p.env.repo, "")
		case key.Matches(msg, p.keys.Decide):
			return p, p.decide()
		case key.Matches(msg, p.keys.Up):
			p.area = max(0, p.area-1)
		case key.Matches(msg, p.keys.Down):
			p.area = min(len(p.lib.Decks), p.area+1)
		case key.Matches(msg, p.keys.Cram):
			// Drawn off the UI goroutine: it reads every card.
			lib, deckID := p.lib, ""
			if p.area < len(lib.Decks) {
				deckID = lib.Decks[p.area].ID
			}
			return p, func() tea.Msg {
				items, err := plan.Cram(lib, deckID, 0)
				if err != nil {
					return statusMsg{text: err.Error(), err: true}
				}
				return startPracticeMsg{kind: deck.Cram, items: items}
			}
		case key.Matches(msg, p.keys.Mock):
			lib := p.lib
			return p, func() tea.Msg {
				return startPracticeMsg{kind: deck.Mock, items: plan.Mock(lib, MockMinutes), minutes: MockMinutes}
			}
		case key.Matches(msg, p.keys.Back):
			return p, back
		}
	}
	return p, nil
}

// editKey handles a key while the date is being typed.
func (p planScreen) editKey(msg tea.KeyMsg) (planScreen, tea.Cmd) {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		p.editing, p.err = false, ""
		p.input.Blur()
		return p, nil
	case key.Matches(msg, p.keys.Save):
		day, err := plan.ParseDate(strings.TrimSpace(p.input.Value()), p.lib.Sched, p.env.now())
		var de *plan.DateError
		if errors.As(err, &de) {
			p.err = de.Msg
			return p, nil
		}
		p.editing, p.err = false, ""
		p.input.Blur()
		return p, saveDateCmd(p.env.repo, day)
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

// Plan screen columns: the area, then three recall columns, then the pace.
const (
	planNameW = 24
	planBarW  = 8
)

func (p planScreen) view() string {
	st := p.env.styles
	var b strings.Builder
	pl := p.pl
	switch {
	case p.editing:
		b.WriteString(p.input.View() + "\n")
		if p.err != "" {
			b.WriteString(st.Error.Render("error: ") + p.err + "\n")
		} else {
			b.WriteString(st.Dim.Render("A day after today. Enter saves, esc cancels.") + "\n")
		}
	case p.lib.Interview == "":
		b.WriteString(st.Bold.Render("No interview date.") + " Press " + st.Key.Render("d") + " to set one.\n\n")
	case pl != nil && pl.Forecast():
		b.WriteString(st.Bold.Render(fmt.Sprintf("Interview %s · %s left", *pl.InterviewDate, plural(*pl.DaysLeft, "day"))) +
			st.Dim.Render(fmt.Sprintf(" · %s of new cards, %d to consolidate", plural(pl.LearnDays, "day"), plan.ConsolidationDays)) + "\n\n")
	default:
		b.WriteString("\n\n")
	}
	if pl == nil {
		b.WriteString("Computing the plan…")
		return b.String()
	}
	dated := pl.Forecast()
	head := "  " + padRight("Area", planNameW) + padRight("Now", planBarW+6)
	if dated {
		head += padLeft("Idle", 5) + "  " + padRight("On plan", planBarW+6) + padLeft("new", 4) + padLeft("rev", 5) + padLeft("min", 6)
	}
	b.WriteString(st.Dim.Render(head) + "\n")
	row := func(name string, f plan.Figures) string {
		line := padRight(name, planNameW-1) + " " + recallBar(f.RecallNow)
		if dated {
			line += padLeft(pctText(*f.RecallIdle), 5) + "  " + recallBar(*f.RecallOnPlan) +
				padLeft(fmt.Sprint(*f.NewPerDay), 4) + padLeft(fmt.Sprint(*f.ReviewsPerDay), 5) +
				padLeft(fmt.Sprintf("%.1f", *f.MinutesPerDay), 6)
		}
		return line
	}
	// The marked row is the area c crams (All areas: every one).
	mark := func(i int, line string) string {
		if i == p.area {
			return st.Selected.Render("› " + line)
		}
		return "  " + line
	}
	for i, a := range pl.Areas {
		b.WriteString(mark(i, row(a.Title, a.Figures)) + "\n")
	}
	b.WriteString(st.Bold.Render(mark(len(pl.Areas), row("All areas", pl.Total))) + "\n\n")
	if dated {
		b.WriteString(st.Dim.Render("Now: recall today · Idle: on the day if you stop now · On plan: on the day") + "\n")
		b.WriteString(st.Dim.Render("if you follow the plan (simulated) · unseen cards count 0 · c crams the › row") + "\n")
	}
	if pl.Hint != "" && p.choices == nil { // 80x24 holds one or the other
		b.WriteString("\n" + wrapText(pl.Hint, p.width) + "\n")
	}
	if t := p.trend(); t != "" {
		b.WriteString("\n" + t + "\n")
	}
	switch {
	case p.choices != nil:
		b.WriteString("\n" + p.choicesView())
	case p.deciding:
		b.WriteString("\nSimulating each desired retention…")
	}
	return b.String()
}

// trend is the line of past mock scores (the last five), or "".
func (p planScreen) trend() string {
	if len(p.mocks) == 0 {
		return ""
	}
	ms := p.mocks[max(0, len(p.mocks)-5):]
	parts := make([]string, len(ms))
	for i, m := range ms {
		a, pass := m.Answered()
		parts[i] = fmt.Sprintf("%s %s", m.Start.Format("Jan 2"), ratio(pass, a))
	}
	return p.env.styles.Bold.Render("Mock interviews") + " (passed): " + strings.Join(parts, " → ")
}

// choicesView is the help-me-decide table: one column per retention.
func (p planScreen) choicesView() string {
	return choicesTable(p.env.styles, p.choices, p.lib.Settings.DesiredRetention, p.lib.Interview == "")
}

// choicesTable draws help me decide's table (the Plan screen's and the
// settings form's): minutes a day and recall for each retention, the
// current one in [brackets].
func choicesTable(st *Styles, choices []plan.Choice, cur float64, undated bool) string {
	ret := padRight("Desired retention", 18)
	mins := padRight("Minutes a day", 18)
	rec := padRight("Recall on the day", 18)
	if undated {
		rec = padRight(fmt.Sprintf("Recall in %d days", plan.DecideDays), 18)
	}
	for _, c := range choices {
		r := fmt.Sprintf("%.2f", c.Retention)
		if math.Abs(c.Retention-cur) < 1e-9 {
			r = "[" + r + "]"
		}
		ret += padLeft(r, 7)
		mins += padLeft(fmt.Sprintf("%.1f", c.MinutesPerDay), 7)
		rec += padLeft(pctText(c.Recall), 7)
	}
	return st.Section.Render("Help me decide") + st.Dim.Render("  (desired retention is set in Settings; [ ] marks yours)") + "\n" +
		st.Dim.Render(ret) + "\n" + mins + "\n" + rec + "\n"
}

// recallBar is a bar of planBarW cells and the percent, 6 cells after it.
func recallBar(f float64) string {
	n := int(math.Round(f * 100))
	return bar(n, 100, planBarW) + padLeft(pctText(f), 5) + " "
}

// pctText is a whole percent (never 100% below 1).
func pctText(f float64) string { return percentText(f) }
