package tui

import (
	"opsdeck/study"

	"bytes"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck/stats"
)

// Charts get at most these widths: wider bars carry no more information.
const (
	maxChartWidth = 120
	maxHistWidth  = 80
)

// Stats tabs.
const (
	tabTable = iota
	tabCalendar
	tabForecast
	tabAnswers
	tabDistributions
	tabTime
	numTabs
)

var tabNames = [numTabs]string{"Table", "Calendar", "Forecast", "Answers", "Distributions", "Time"}

// statsView shows the per-area table, then the charts one tab at a time,
// for all areas or one (stats.Compute's figures, drawn with the block
// character renderers of deck/stats: numbers and axes, not colour).
type statsView struct {
	env  *env
	keys statsKeys
	lib  *study.Library
	tab  int
	area int // -1: all areas; else an index into the decks
	vp   viewport.Model

	width, height int
}

func newStatsView(e *env, lib *study.Library) statsView {
	s := statsView{env: e, keys: newStatsKeys(), lib: lib, area: -1, vp: viewport.New(0, 0)}
	s.render()
	return s
}

func (s *statsView) setLibrary(l *study.Library) {
	s.lib = l
	if s.area >= len(l.Decks) {
		s.area = -1
	}
	s.render()
}

func (s *statsView) setSize(w, h int) {
	s.width, s.height = w, h
	s.vp.Width = w
	s.vp.Height = max(1, h-2)
	s.render()
}

func (s statsView) update(msg tea.Msg) (statsView, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	ks := s.keys
	n := len(s.lib.Decks)
	switch {
	case key.Matches(k, ks.NextTab):
		s.tab = (s.tab + 1) % numTabs
	case key.Matches(k, ks.PrevTab):
		s.tab = (s.tab + numTabs - 1) % numTabs
	case key.Matches(k, ks.Tab):
		s.tab = int(k.Runes[0] - '1')
	case key.Matches(k, ks.NextArea):
		s.area++
		if s.area >= n {
			s.area = -1
		}
	case key.Matches(k, ks.PrevArea):
		s.area--
		if s.area < -1 {
			s.area = n - 1
		}
	case key.Matches(k, ks.Up):
		s.vp.ScrollUp(1)
		return s, nil
	case key.Matches(k, ks.Down):
		s.vp.ScrollDown(1)
		return s, nil
	case key.Matches(k, ks.PgUp):
		s.vp.PageUp()
		return s, nil
	case key.Matches(k, ks.PgDown):
		s.vp.PageDown()
		return s, nil
	case key.Matches(k, ks.Back):
		return s, back
	default:
		return s, nil
	}
	s.render()
	return s, nil
}

// charts returns the chart data and name of the chosen area.
func (s statsView) charts() (*stats.Charts, string) {
	if s.area < 0 {
		return &s.lib.Stats.Total, "All areas"
	}
	return &s.lib.Stats.Decks[s.area], s.lib.DeckTitle(s.lib.Decks[s.area].ID)
}

// chartBaseRows is the bar rows of a chart drawn at its usual height.
const chartBaseRows = 8

// chartRows is the bar rows a chart gets so that, drawn in n lines at its
// usual height, it fills the screen: a taller terminal gets a taller chart.
// On a small terminal (down to 60x20) the bars shrink, to 3 rows at the
// least, so the chart and its totals fit without scrolling; on a large one
// they grow, to 3x the base.
func (s statsView) chartRows(n int) int {
	return min(3*chartBaseRows, max(minChartRows, chartBaseRows+s.vp.Height-n))
}

// minChartRows is the fewest bar rows a chart is drawn with.
const minChartRows = 3

func lineCount(s string) int { return strings.Count(strings.TrimRight(s, "\n"), "\n") + 1 }

func (s *statsView) render() {
	if s.lib == nil || s.width == 0 {
		return
	}
	if s.lib.Stats == nil {
		s.vp.SetContent("Computing the statistics…")
		return
	}
	s.keys.NextArea.SetEnabled(s.tab != tabTable)
	s.keys.PrevArea.SetEnabled(s.tab != tabTable)
	s.keys.Area.SetEnabled(s.tab != tabTable)
	st := s.env.styles
	w := min(s.width, maxChartWidth)
	ch, _ := s.charts()
	var body string
	switch s.tab {
	case tabTable:
		var buf bytes.Buffer
		if err := stats.WriteTableWidth(&buf, &s.lib.Stats.Report, w); err != nil {
			body = "error: " + err.Error()
		} else {
			body = buf.String()
		}
	case tabCalendar:
		body = st.Section.Render("Reviews per day, last 53 weeks") + "\n" + stats.RenderHeatmap(ch.Activity, w)
	case tabForecast:
		body = st.Section.Render("Cards due, next 30 days") + "\n" + stats.RenderForecastRows(ch.Forecast, w,
			s.chartRows(1+lineCount(stats.RenderForecast(ch.Forecast, w))))
	case tabAnswers:
		body = st.Section.Render("Answer buttons, last 30 days") + "\n" + stats.RenderButtons(ch.ButtonsMonth, w) +
			"\n" + st.Section.Render("Answer buttons, all time") + "\n" + stats.RenderButtons(ch.ButtonsAll, w) +
			"\n" + st.Dim.Render(wrapText("Learning: cards not yet in review. Young: interval under 21 days. Mature: 21 days or more. Correct: not Again.", w))
	case tabDistributions:
		hs := []stats.Histogram{ch.Intervals, ch.Stability, ch.Difficulty, ch.Retrievability}
		if s.width >= 2*60+2 { // two columns
			cw := min((s.width-2)/2, maxHistWidth)
			var rows []string
			for i := 0; i < len(hs); i += 2 {
				l := stats.RenderHistogram(hs[i], cw)
				r := stats.RenderHistogram(hs[i+1], cw)
				rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(cw+2).Render(l), r))
			}
			body = strings.Join(rows, "\n")
		} else {
			var parts []string
			for _, h := range hs {
				parts = append(parts, stats.RenderHistogram(h, min(w, maxHistWidth)))
			}
			body = strings.Join(parts, "\n")
		}
	case tabTime:
		body = st.Section.Render("Time studied per day, last 30 days") + "\n" + stats.RenderTimePerDayRows(ch.Activity, w,
			s.chartRows(1+lineCount(stats.RenderTimePerDay(ch.Activity, w))))
	}
	s.vp.SetContent(strings.TrimRight(body, "\n"))
	s.vp.GotoTop()
	scroll := s.vp.TotalLineCount() > s.vp.Height
	for _, k := range []*key.Binding{&s.keys.Scroll, &s.keys.Up, &s.keys.Down, &s.keys.PgUp, &s.keys.PgDown} {
		k.SetEnabled(scroll)
	}
}

func (s statsView) view() string {
	st := s.env.styles
	w := s.width
	var tabs []string
	for i, n := range tabNames {
		t := fmt.Sprintf("%d %s", i+1, n)
		if i == s.tab {
			tabs = append(tabs, st.TabOn.Render("["+t+"]"))
		} else {
			tabs = append(tabs, st.TabOff.Render(" "+t+" "))
		}
	}
	var b strings.Builder
	b.WriteString(strings.Join(tabs, " ") + "\n")
	left := ""
	if s.lib.Stats == nil {
		b.WriteString("\n" + s.vp.View())
		return b.String()
	}
	if s.tab != tabTable {
		_, name := s.charts()
		left = "Area: " + st.Bold.Render(name) + st.Dim.Render("  ([ ] changes it)")
	} else {
		left = st.Dim.Render("Per area: cards, due today, true retention of the last 30 days, recall now")
	}
	right := ""
	if s.vp.TotalLineCount() > s.vp.Height {
		right = fmt.Sprintf("%d%% · j/k scroll", int(s.vp.ScrollPercent()*100))
		if !s.vp.AtBottom() {
			right = "↓ more · " + right
		}
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		b.WriteString(left + "\n")
	} else {
		b.WriteString(left + strings.Repeat(" ", gap) + st.Dim.Render(right) + "\n")
	}
	b.WriteString(s.vp.View())
	return b.String()
}
