package tui

import "github.com/charmbracelet/bubbles/key"

// Keys are data: each action is a key.Binding with its keys and help text.
// Screens enable and disable bindings as their state changes (updateKeys),
// so the help line only offers what works right now.

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// globalKeys work on every screen.
type globalKeys struct {
	Quit key.Binding // ctrl+c, from anywhere
	Help key.Binding // ? toggles the full key list
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Quit: bind("ctrl+c", "quit", "ctrl+c"),
		Help: bind("?", "keys", "?"),
	}
}

// keyMap is what the help model shows: the short line and the full list.
type keyMap struct {
	short []key.Binding
	full  [][]key.Binding
}

func (k keyMap) ShortHelp() []key.Binding  { return k.short }
func (k keyMap) FullHelp() [][]key.Binding { return k.full }

// dashboardKeys are the dashboard's actions.
type dashboardKeys struct {
	Up, Down, Top, Bottom       key.Binding
	Open                        key.Binding
	Add, Browse, Stats, Setting key.Binding
	Reload                      key.Binding
	Undo                        key.Binding
	Quit                        key.Binding
	Plan                        key.Binding
}

func newDashboardKeys() dashboardKeys {
	return dashboardKeys{
		Up:      bind("↑/k", "up", "up", "k"),
		Down:    bind("↓/j", "down", "down", "j"),
		Top:     bind("g/home", "first", "g", "home"),
		Bottom:  bind("G/end", "last", "G", "end"),
		Open:    bind("enter", "open", "enter"),
		Add:     bind("a", "add", "a"),
		Browse:  bind("b", "browse", "b", "/"),
		Stats:   bind("s", "stats", "s"),
		Setting: bind(",", "settings", ","),
		Reload:  bind("r", "reload", "r"),
		Undo:    bind("u", "undo", "u", "ctrl+z"),
		Quit:    bind("q", "quit", "q"),
		Plan:    bind("p", "plan", "p"),
	}
}

func (k dashboardKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Open, k.Add, k.Browse, k.Stats, k.Plan, k.Setting, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.Top, k.Bottom, k.Open},
			{k.Add, k.Browse, k.Stats, k.Plan, k.Setting, k.Reload, k.Undo, k.Quit},
		},
	}
}

// planKeys are the interview plan's actions.
type planKeys struct {
	Date, Clear, Decide key.Binding
	Up, Down            key.Binding // the area c crams
	Cram, Mock          key.Binding
	Save, Cancel        key.Binding // while typing the date
	Back                key.Binding
}

func newPlanKeys() planKeys {
	return planKeys{
		Date:   bind("d", "set date", "d"),
		Clear:  bind("x", "clear date", "x"),
		Decide: bind("h", "help me decide", "h"),
		Up:     bind("↑/k", "up", "up", "k"),
		Down:   bind("↓/j", "down", "down", "j"),
		Cram:   bind("c", "cram", "c"),
		Mock:   bind("m", "mock", "m"),
		Save:   bind("enter", "save", "enter"),
		Cancel: bind("esc", "cancel", "esc"),
		Back:   bind("q", "back", "q", "esc"),
	}
}

func (k planKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Date, k.Clear, k.Decide, k.Cram, k.Mock, k.Save, k.Cancel, k.Back},
		full:  [][]key.Binding{{k.Date, k.Clear, k.Decide}, {k.Up, k.Down, k.Cram, k.Mock}, {k.Save, k.Cancel, k.Back}},
	}
}

// practiceKeys are a cram session's and a mock interview's actions.
type practiceKeys struct {
	Reveal, Grade, Undo, Back key.Binding
}

func newPracticeKeys() practiceKeys {
	return practiceKeys{
		Reveal: bind("space", "show answer", " ", "enter"),
		Grade:  bind("1-4", "grade", "1", "2", "3", "4"),
		Undo:   bind("u", "undo", "u"),
		Back:   bind("q", "end", "q", "esc"),
	}
}

func (k practiceKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Reveal, k.Grade, k.Undo, k.Back},
		full:  [][]key.Binding{{k.Reveal, k.Grade, k.Undo, k.Back}},
	}
}

// reviewKeys are the review screen's actions.
type reviewKeys struct {
	Reveal                 key.Binding
	AnswerGood             key.Binding // space/enter on the answer (setting SpaceAnswersGood)
	Again, Hard, Good, Eas key.Binding
	Undo, Edit, Bury, Susp key.Binding
	Up, Down, PgUp, PgDown key.Binding
	Continue               key.Binding // the summary: look again for cards
	Back                   key.Binding
	Grade                  key.Binding // 1-4 in the short help
	Flag, FlagN, Info      key.Binding // m then 0-7 flags; i is card info
}

func newReviewKeys() reviewKeys {
	return reviewKeys{
		Reveal:     bind("space", "show answer", " ", "enter"),
		AnswerGood: bind("space", "good", " ", "enter"),
		Again:      bind("1", "again", "1"),
		Hard:       bind("2", "hard", "2"),
		Good:       bind("3", "good", "3"),
		Eas:        bind("4", "easy", "4"),
		Undo:       bind("u", "undo", "u", "ctrl+z"),
		Edit:       bind("e", "edit", "e"),
		Bury:       bind("-", "bury", "-"),
		Susp:       bind("@", "suspend", "@"),
		Grade:      bind("1-4", "grade", "1", "2", "3", "4"),
		Up:         bind("↑/k", "scroll up", "up", "k"),
		Down:       bind("↓/j", "scroll down", "down", "j"),
		PgUp:       bind("pgup", "page up", "pgup", "b"),
		PgDown:     bind("pgdn", "page down", "pgdown", "f"),
		Continue:   bind("enter", "continue", "enter", "r"),
		Back:       bind("q", "end", "q", "esc"),
		Flag:       bind("m", "flag (then 0-7)", "m"),
		FlagN:      bind("0-7", "flag (0 clears)", "0", "1", "2", "3", "4", "5", "6", "7"),
		Info:       bind("i", "info", "i"),
	}
}

func (k reviewKeys) grades() [4]key.Binding { return [4]key.Binding{k.Again, k.Hard, k.Good, k.Eas} }

func (k reviewKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.FlagN, k.Reveal, k.Grade, k.AnswerGood, k.Continue, k.Undo, k.Edit, k.Bury, k.Susp, k.Back},
		full: [][]key.Binding{
			{k.Reveal, k.Again, k.Hard, k.Good, k.Eas, k.AnswerGood, k.Continue},
			{k.Undo, k.Edit, k.Bury, k.Susp, k.Flag, k.Info},
			{k.Up, k.Down, k.PgUp, k.PgDown, k.Back},
		},
	}
}

// editKeys are the add/edit form's actions. Letters type text here, so
// going back is Esc only.
type editKeys struct {
	Next, Prev key.Binding
	Save       key.Binding
	Cancel     key.Binding
}

func newEditKeys() editKeys {
	return editKeys{
		Next:   bind("tab", "next field", "tab"),
		Prev:   bind("shift+tab", "previous field", "shift+tab"),
		Save:   bind("ctrl+s", "save", "ctrl+s"),
		Cancel: bind("esc", "cancel", "esc"),
	}
}

func (k editKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Next, k.Prev, k.Save, k.Cancel},
		full:  [][]key.Binding{{k.Next, k.Prev}, {k.Save, k.Cancel}},
	}
}

// browseKeys are the card browser's actions. Bulk actions (suspend, bury,
// flag, tags, forget, set due) work on the selected cards, else on the card
// under the cursor.
type browseKeys struct {
	Up, Down, PgUp, PgDown, Top, Bottom key.Binding
	Filter, Accept, ClearFilter         key.Binding
	Open, Edit, Suspend, Delete         key.Binding
	Select, SelectUp, SelectDown, All   key.Binding
	Sort, Reverse                       key.Binding
	Bury, Flag, TagAdd, TagRemove       key.Binding
	Forget, SetDue, Undo, Info          key.Binding
	FlagN                               key.Binding // the digit after Flag
	Submit, Cancel                      key.Binding // a prompt's
	Yes, No                             key.Binding
	Back                                key.Binding
}

func newBrowseKeys() browseKeys {
	return browseKeys{
		Up:          bind("↑/k", "up", "up", "k"),
		Down:        bind("↓/j", "down", "down", "j"),
		PgUp:        bind("pgup", "page up", "pgup"),
		PgDown:      bind("pgdn", "page down", "pgdown"),
		Top:         bind("g/home", "first", "g", "home"),
		Bottom:      bind("G/end", "last", "G", "end"),
		Filter:      bind("/", "search", "/"),
		Accept:      bind("enter", "done", "enter"),
		ClearFilter: bind("esc", "clear search", "esc"),
		Open:        bind("enter/o", "open", "enter", "o"),
		Edit:        bind("e", "edit", "e"),
		Suspend:     bind("s", "suspend", "s"),
		Delete:      bind("d", "delete", "d"),
		Select:      bind("space", "select", " "),
		SelectUp:    bind("shift+↑", "select up", "shift+up"),
		SelectDown:  bind("shift+↓", "select down", "shift+down"),
		All:         bind("*", "select all", "*"),
		Sort:        bind("S", "sort", "S"),
		Reverse:     bind("R", "reverse", "R"),
		Bury:        bind("-", "bury", "-"),
		Flag:        bind("m", "flag (then 0-7)", "m"),
		TagAdd:      bind("t", "add tag", "t"),
		TagRemove:   bind("T", "remove tag", "T"),
		Forget:      bind("F", "forget", "F"),
		SetDue:      bind("D", "set due", "D"),
		Info:        bind("i", "info", "i"),
		FlagN:       bind("0-7", "flag (0 clears)", "0", "1", "2", "3", "4", "5", "6", "7"),
		Submit:      bind("enter", "apply", "enter"),
		Cancel:      bind("esc", "cancel", "esc"),
		Yes:         bind("y", "yes", "y"),
		No:          bind("n/esc", "no", "n", "esc", "q"),
		Back:        bind("q/esc", "back", "q", "esc"),
		Undo:        bind("u", "undo", "u", "ctrl+z"),
	}
}

func (k browseKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Yes, k.No, k.FlagN, k.Submit, k.Cancel, k.Accept, k.ClearFilter, k.Filter, k.Open, k.Select, k.Flag, k.Suspend, k.Info, k.Undo, k.Back},
		full: [][]key.Binding{
			{k.Up, k.Down, k.PgUp, k.PgDown, k.Top, k.Bottom},
			{k.Filter, k.Accept, k.ClearFilter, k.Sort, k.Reverse},
			{k.Select, k.SelectUp, k.SelectDown, k.All},
			{k.Suspend, k.Bury, k.Flag, k.TagAdd, k.TagRemove, k.Forget, k.SetDue},
			{k.Open, k.Info, k.Edit, k.Delete, k.Undo, k.Back},
			{k.Yes, k.No},
		},
	}
}

// settingsKeys are the settings form's actions.
type settingsKeys struct {
	Up, Down   key.Binding
	Dec, Inc   key.Binding
	Move       key.Binding // the short help's summaries
	Change     key.Binding
	Edit       key.Binding
	Accept     key.Binding
	CancelEdit key.Binding
	Save       key.Binding
	Defaults   key.Binding
	Optimize   key.Binding
	Yes, No    key.Binding
	Back       key.Binding
	Decide     key.Binding // help me decide (package plan's simulation)
}

func newSettingsKeys() settingsKeys {
	return settingsKeys{
		Up:         bind("↑/k", "up", "up", "k"),
		Down:       bind("↓/j", "down", "down", "j"),
		Dec:        bind("←/h/-", "less", "left", "h", "-"),
		Inc:        bind("→/l/+", "more", "right", "l", "+"),
		Move:       bind("j/k", "move", "j", "k"),
		Change:     bind("h/l", "change", "h", "l"),
		Edit:       bind("enter", "type", "enter"),
		Accept:     bind("enter", "accept", "enter"),
		CancelEdit: bind("esc", "cancel edit", "esc"),
		Save:       bind("s", "save", "s", "ctrl+s"),
		Defaults:   bind("D", "Anki defaults", "D"),
		Optimize:   bind("o", "fit FSRS", "o"),
		Yes:        bind("y", "discard changes", "y"),
		No:         bind("n", "keep editing", "n", "esc"),
		Back:       bind("q", "back", "q", "esc"),
		Decide:     bind("w", "help me decide", "w"),
	}
}

func (k settingsKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Yes, k.No, k.Accept, k.CancelEdit, k.Move, k.Change, k.Edit, k.Save, k.Optimize, k.Back},
		full: [][]key.Binding{
			{k.Up, k.Down, k.Dec, k.Inc},
			{k.Edit, k.Accept, k.CancelEdit},
			{k.Save, k.Defaults, k.Optimize, k.Decide, k.Back},
			{k.Yes, k.No},
		},
	}
}

// optimizeKeys are the parameter fit's actions: stop it while it runs,
// then save (y) or not (n), with r toggling whether to reschedule.
type optimizeKeys struct {
	Stop       key.Binding
	Save       key.Binding
	Discard    key.Binding
	Reschedule key.Binding
	Back       key.Binding
}

func newOptimizeKeys() optimizeKeys {
	return optimizeKeys{
		Stop:       bind("esc/q", "stop fitting", "esc", "q"),
		Save:       bind("y", "save", "y"),
		Discard:    bind("n/esc", "don't save", "n", "esc", "q"),
		Reschedule: bind("r", "also reschedule", "r"),
		Back:       bind("q/esc", "back", "q", "esc"),
	}
}

func (k optimizeKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.Stop, k.Save, k.Discard, k.Reschedule, k.Back},
		full:  [][]key.Binding{{k.Stop, k.Back}, {k.Save, k.Discard, k.Reschedule}},
	}
}

// statsKeys are the statistics screen's actions.
type statsKeys struct {
	NextTab, PrevTab       key.Binding
	Tab                    key.Binding // 1-6
	NextArea, PrevArea     key.Binding
	Up, Down, PgUp, PgDown key.Binding
	Back                   key.Binding
	Area, Scroll           key.Binding // the short help's summaries
}

func newStatsKeys() statsKeys {
	return statsKeys{
		NextTab:  bind("tab", "next tab", "tab", "right", "l"),
		PrevTab:  bind("shift+tab/←/h", "previous tab", "shift+tab", "left", "h"),
		Tab:      bind("1-6", "tab", "1", "2", "3", "4", "5", "6"),
		NextArea: bind("]", "next area", "]"),
		PrevArea: bind("[", "previous area", "["),
		Up:       bind("↑/k", "scroll up", "up", "k"),
		Down:     bind("↓/j", "scroll down", "down", "j"),
		PgUp:     bind("pgup", "page up", "pgup", "b"),
		PgDown:   bind("pgdn", "page down", "pgdown", "f", " "),
		Back:     bind("q", "back", "q", "esc"),
		Area:     bind("[ ]", "area", "[", "]"),
		Scroll:   bind("j/k", "scroll", "j", "k"),
	}
}

func (k statsKeys) help() keyMap {
	return keyMap{
		short: []key.Binding{k.NextTab, k.Tab, k.Area, k.Scroll, k.Back},
		full: [][]key.Binding{
			{k.NextTab, k.PrevTab, k.Tab},
			{k.NextArea, k.PrevArea},
			{k.Up, k.Down, k.PgUp, k.PgDown, k.Back},
		},
	}
}

// errorKeys are offered when the library could not be loaded.
type errorKeys struct {
	Retry key.Binding
	Quit  key.Binding
}

func newErrorKeys() errorKeys {
	return errorKeys{
		Retry: bind("r", "retry", "r"),
		Quit:  bind("q", "quit", "q"),
	}
}

func (k errorKeys) help() keyMap {
	return keyMap{short: []key.Binding{k.Retry, k.Quit}, full: [][]key.Binding{{k.Retry, k.Quit}}}
}
