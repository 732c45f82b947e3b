package tui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The palette adapts to light and dark terminals. Colour only ever repeats
// what the text already says (a "›" marks the selection, errors start with
// "error:", grades carry their names), so NO_COLOR (which lipgloss honours
// through termenv) loses nothing.
var (
	colAccent = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#A78BFA"}
	colDim    = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colErr    = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"}
	colOK     = lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#5FD38D"}
	colWarn   = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#E3B341"}
	colCodeFg = lipgloss.AdaptiveColor{Light: "#24292F", Dark: "#D0D7DE"}
	colSelBg  = lipgloss.AdaptiveColor{Light: "#E4DEFA", Dark: "#3B2F6B"}
	colAgain  = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"}
	colHard   = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#E3B341"}
	colGood   = lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#5FD38D"}
	colEasy   = lipgloss.AdaptiveColor{Light: "#0B5CAD", Dark: "#58A6FF"}
)

// Styles holds every style the views use; view code does not build styles
// inline.
type Styles struct {
	App      lipgloss.Style // outer frame of the whole app
	Header   lipgloss.Style // the top line
	Title    lipgloss.Style // the app name in the header
	Crumb    lipgloss.Style // the screen name in the header
	Section  lipgloss.Style // a heading inside a screen
	Dim      lipgloss.Style
	Bold     lipgloss.Style
	Selected lipgloss.Style // the row under the cursor (it also gets a "›")
	Error    lipgloss.Style
	OK       lipgloss.Style
	Warn     lipgloss.Style
	Code     lipgloss.Style // code block lines (they also get a "│" gutter)
	Inline   lipgloss.Style // `inline code`
	Question lipgloss.Style
	Answer   lipgloss.Style
	Rule     lipgloss.Style
	Grade    [4]lipgloss.Style
	Key      lipgloss.Style // a key name in prose
	TabOn    lipgloss.Style // the current tab (also in [brackets])
	TabOff   lipgloss.Style
	Label    lipgloss.Style // form labels
	Field    lipgloss.Style // a form field's frame
	FieldOn  lipgloss.Style // the focused field's frame
	Status   lipgloss.Style
	Box      lipgloss.Style    // dialogs and summaries
	Flag     [8]lipgloss.Style // flags 1-7 in Anki's colours (the number is shown too)

	// Links makes URLs OSC 8 hyperlinks; off where colour is (NO_COLOR, a
	// dumb terminal, output that is not a terminal), which shows them as
	// plain text.
	Links bool
}

// DefaultStyles returns opsdeck's styles.
func DefaultStyles() Styles {
	s := Styles{}
	s.App = lipgloss.NewStyle()
	s.Header = lipgloss.NewStyle().Bold(true)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.Crumb = lipgloss.NewStyle().Bold(true)
	s.Section = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.Dim = lipgloss.NewStyle().Foreground(colDim)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Selected = lipgloss.NewStyle().Bold(true).Background(colSelBg)
	s.Error = lipgloss.NewStyle().Bold(true).Foreground(colErr)
	s.OK = lipgloss.NewStyle().Foreground(colOK)
	s.Warn = lipgloss.NewStyle().Foreground(colWarn)
	s.Code = lipgloss.NewStyle().Foreground(colCodeFg)
	s.Inline = lipgloss.NewStyle().Foreground(colAccent)
	s.Question = lipgloss.NewStyle().Bold(true)
	s.Answer = lipgloss.NewStyle()
	s.Rule = lipgloss.NewStyle().Foreground(colDim)
	s.Grade = [4]lipgloss.Style{
		lipgloss.NewStyle().Foreground(colAgain).Bold(true),
		lipgloss.NewStyle().Foreground(colHard).Bold(true),
		lipgloss.NewStyle().Foreground(colGood).Bold(true),
		lipgloss.NewStyle().Foreground(colEasy).Bold(true),
	}
	s.Key = lipgloss.NewStyle().Bold(true)
	s.TabOn = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.TabOff = lipgloss.NewStyle().Foreground(colDim)
	s.Label = lipgloss.NewStyle().Bold(true)
	s.Field = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(colDim)
	s.FieldOn = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(colAccent)
	s.Status = lipgloss.NewStyle()
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colAccent).Padding(0, 1)
	s.Links = lipgloss.ColorProfile() != termenv.Ascii
	for i, c := range []string{"", "#E5484D", "#F76B15", "#30A46C", "#0090FF", "#D6409F", "#12A594", "#8E4EC6"} {
		s.Flag[i] = lipgloss.NewStyle().Bold(true)
		if c != "" {
			s.Flag[i] = s.Flag[i].Foreground(lipgloss.Color(c))
		}
	}
	return s
}
