package tui

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/plan"
	"opsdeck/study"
)

// setting is one row of the settings form: how to show, change and parse
// its value.
type setting struct {
	name, help string
	get        func(deck.Settings) string
	step       func(s *deck.Settings, d int) // nil: type it (Enter)
	parse      func(s *deck.Settings, text string) error

	// A "this deck" row: the same, for the deck chosen in the Deck row
	// (settingsForm.deckID); get, step and parse are then nil.
	dget   func(s deck.Settings, id string) string
	dstep  func(s *deck.Settings, id string, d int)
	dparse func(s *deck.Settings, id, text string) error
	// The Deck row itself: it chooses the deck, changing no setting.
	chooser bool
}

// boolRow is an on/off setting: ←/→ toggles, on/off typed.
// With invert, the row shows on when the field is false.
func boolRow(name, help, on, off string, invert bool, field func(*deck.Settings) *bool) setting {
	return setting{
		name: name, help: help,
		get: func(s deck.Settings) string {
			if *field(&s) != invert {
				return on
			}
			return off
		},
		step: func(s *deck.Settings, d int) { *field(s) = !*field(s) },
		parse: func(s *deck.Settings, t string) error {
			switch strings.ToLower(t) {
			case on, "on", "yes", "y":
				*field(s) = !invert
			case off, "off", "no", "n":
				*field(s) = invert
			default:
				return fmt.Errorf("%q: type %s or %s", t, on, off)
			}
			return nil
		},
	}
}

// deckOpts is the deck's override, starting from the collection's values.
func deckOpts(s deck.Settings, id string) (deck.DeckOptions, bool) {
	o, ok := s.Decks[id]
	if !ok {
		o = deck.DeckOptions{NewPerDay: s.NewPerDay, ReviewsPerDay: s.ReviewsPerDay}
	}
	return o, ok
}

func setDeckOpts(s *deck.Settings, id string, o deck.DeckOptions) {
	m := make(map[string]deck.DeckOptions, len(s.Decks)+1)
	for k, v := range s.Decks {
		m[k] = v
	}
	m[id] = o
	s.Decks = m
}

// deckIntRow is a per-deck daily limit.
func deckIntRow(name, help string, field func(*deck.DeckOptions) *int, stepBy int) setting {
	return setting{
		name: name, help: help,
		dget: func(s deck.Settings, id string) string {
			o, ok := deckOpts(s, id)
			if !ok {
				return fmt.Sprintf("collection (%d)", *field(&o))
			}
			return fmt.Sprint(*field(&o))
		},
		dstep: func(s *deck.Settings, id string, d int) {
			o, _ := deckOpts(*s, id)
			*field(&o) = max(0, *field(&o)+d*stepBy)
			setDeckOpts(s, id, o)
		},
		dparse: func(s *deck.Settings, id, t string) error {
			if t == "" || strings.HasPrefix("collection", strings.ToLower(t)) {
				clearDeckOpts(s, id)
				return nil
			}
			v, err := strconv.Atoi(t)
			if err != nil || v < 0 || v > 99999 {
				return fmt.Errorf("%q: a whole number 0-99999, or collection", t)
			}
			o, _ := deckOpts(*s, id)
			*field(&o) = v
			setDeckOpts(s, id, o)
			return nil
		},
	}
}

func clearDeckOpts(s *deck.Settings, id string) {
	if _, ok := s.Decks[id]; !ok {
		return
	}
	m := make(map[string]deck.DeckOptions, len(s.Decks))
	for k, v := range s.Decks {
		if k != id {
			m[k] = v
		}
	}
	if len(m) == 0 {
		m = nil
	}
	s.Decks = m
}

var settingRows = []setting{
	{
		name: "Desired retention", help: "0.70-0.97, the share of reviews you aim to recall; higher means more reviews (w: help me decide)",
		get: func(s deck.Settings) string { return fmt.Sprintf("%.2f", s.DesiredRetention) },
		step: func(s *deck.Settings, d int) {
			v := math.Round(s.DesiredRetention*100) + float64(d)
			s.DesiredRetention = math.Max(deck.MinRetention*100, math.Min(deck.MaxRetention*100, v)) / 100
		},
		parse: func(s *deck.Settings, t string) error {
			v, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
			if err != nil {
				return fmt.Errorf("%q is not a number", t)
			}
			if v > 1 { // typed as a percent
				v /= 100
			}
			c := *s
			c.DesiredRetention = math.Round(v*100) / 100
			if err := deck.ValidateSettings(c); err != nil {
				return err
			}
			*s = c
			return nil
		},
	},
	{
		name: "New cards per day", help: "new cards introduced a day, per deck",
		get:   func(s deck.Settings) string { return fmt.Sprint(s.NewPerDay) },
		step:  func(s *deck.Settings, d int) { s.NewPerDay = max(0, s.NewPerDay+d) },
		parse: intParser(func(s *deck.Settings) *int { return &s.NewPerDay }, 0, 9999),
	},
	{
		name: "Reviews per day", help: "reviews shown a day at most, per deck",
		get:   func(s deck.Settings) string { return fmt.Sprint(s.ReviewsPerDay) },
		step:  func(s *deck.Settings, d int) { s.ReviewsPerDay = max(0, s.ReviewsPerDay+10*d) },
		parse: intParser(func(s *deck.Settings) *int { return &s.ReviewsPerDay }, 0, 99999),
	},
	{
		name: "Day starts at", help: "hour (0-23) when a new study day begins",
		get:   func(s deck.Settings) string { return fmt.Sprintf("%02d:00", s.DayStartHour) },
		step:  func(s *deck.Settings, d int) { s.DayStartHour = (s.DayStartHour + d + 24) % 24 },
		parse: intParser(func(s *deck.Settings) *int { return &s.DayStartHour }, 0, 23),
	},
	{
		name: "Learning steps", help: "waits between first answers, e.g. 1m 10m (s, m, h, d)",
		get:   func(s deck.Settings) string { return stepsText(s.LearningSteps) },
		parse: func(s *deck.Settings, t string) (err error) { s.LearningSteps, err = parseSteps(t); return },
	},
	{
		name: "Relearning steps", help: "waits after a lapse, e.g. 10m",
		get:   func(s deck.Settings) string { return stepsText(s.RelearningSteps) },
		parse: func(s *deck.Settings, t string) (err error) { s.RelearningSteps, err = parseSteps(t); return },
	},
	{
		name: "Maximum interval", help: "the longest wait between reviews, in days (Anki's default 36500)",
		get: func(s deck.Settings) string { return fmt.Sprintf("%dd", s.MaximumInterval) },
		step: func(s *deck.Settings, d int) {
			s.MaximumInterval = max(1, min(deck.DefaultSettings().MaximumInterval, s.MaximumInterval+365*d))
		},
		parse: intParser(func(s *deck.Settings) *int { return &s.MaximumInterval }, 1, 36500),
	},
	{
		name: "Leech threshold", help: "lapses after which a card is marked a leech",
		get:   func(s deck.Settings) string { return fmt.Sprint(s.LeechThreshold) },
		step:  func(s *deck.Settings, d int) { s.LeechThreshold = max(1, s.LeechThreshold+d) },
		parse: intParser(func(s *deck.Settings) *int { return &s.LeechThreshold }, 1, 999),
	},
	{
		name: "Leech action", help: "tag only, or tag and suspend",
		get: func(s deck.Settings) string {
			if s.LeechAction == deck.LeechSuspend {
				return "suspend"
			}
			return "tag"
		},
		step: func(s *deck.Settings, d int) {
			if s.LeechAction == deck.LeechSuspend {
				s.LeechAction = deck.LeechTag
			} else {
				s.LeechAction = deck.LeechSuspend
			}
		},
		parse: func(s *deck.Settings, t string) error {
			switch strings.ToLower(t) {
			case "tag":
				s.LeechAction = deck.LeechTag
			case "suspend":
				s.LeechAction = deck.LeechSuspend
			default:
				return fmt.Errorf("%q: type tag or suspend", t)
			}
			return nil
		},
	},
	{
		name: "Use plan's pace", help: "on: the new cards a day follow the interview plan (p on the dashboard)",
		get: func(s deck.Settings) string {
			if s.PlanPace {
				return "on"
			}
			return "off"
		},
		step: func(s *deck.Settings, d int) { s.PlanPace = !s.PlanPace },
		parse: func(s *deck.Settings, t string) error {
			switch strings.ToLower(t) {
			case "on":
				s.PlanPace = true
			case "off":
				s.PlanPace = false
			default:
				return fmt.Errorf("%q: type on or off", t)
			}
			return nil
		},
	},
}

// The rows after the collection's: Anki's review options, then the
// chosen deck's own limits and retention (Anki's "This deck" limits).
func init() {
	settingRows = append(settingRows,
		boolRow("Review limit on new", "on (Anki's default): the review limit also limits new cards, so with the reviews at the limit no new card is shown; off: new cards ignore the review limit",
			"on", "off", true, func(s *deck.Settings) *bool { return &s.NewIgnoresReviewLimit }),
		boolRow("Space/Enter answers", "on the answer side, Space or Enter answers Good (Anki's default); off: only 1-4 grade",
			"good", "off", false, func(s *deck.Settings) *bool { return &s.SpaceAnswersGood }),
		boolRow("Siblings: bury new", "answering a cloze card hides its note's other new cards until tomorrow (siblings are always spread apart)",
			"on", "off", false, func(s *deck.Settings) *bool { return &s.BuryNew }),
		boolRow("Siblings: bury rev", "answering a cloze card hides its note's other review cards until tomorrow",
			"on", "off", false, func(s *deck.Settings) *bool { return &s.BuryReview }),
		boolRow("Siblings: bury lrn", "answering a cloze card hides its note's other interday learning cards until tomorrow",
			"on", "off", false, func(s *deck.Settings) *bool { return &s.BuryInterday }),
		setting{name: "This deck", help: "the deck whose own limits and retention the rows below set (←/→ chooses; Anki's \"This deck\" limits)", chooser: true},
		deckIntRow("  new per day", "this deck's new-card limit (type collection to use the collection's)",
			func(o *deck.DeckOptions) *int { return &o.NewPerDay }, 1),
		deckIntRow("  reviews per day", "this deck's review limit (type collection to use the collection's)",
			func(o *deck.DeckOptions) *int { return &o.ReviewsPerDay }, 10),
		setting{
			name: "  retention", help: "this deck's desired retention, 0.70-0.97 (type collection to use the collection's)",
			dget: func(s deck.Settings, id string) string {
				if o, ok := s.Decks[id]; ok && o.DesiredRetention > 0 {
					return fmt.Sprintf("%.2f", o.DesiredRetention)
				}
				return fmt.Sprintf("collection (%.2f)", s.DesiredRetention)
			},
			dstep: func(s *deck.Settings, id string, d int) {
				o, _ := deckOpts(*s, id)
				r := o.DesiredRetention
				if r == 0 {
					r = s.DesiredRetention
				}
				v := math.Round(r*100) + float64(d)
				o.DesiredRetention = math.Max(deck.MinRetention*100, math.Min(deck.MaxRetention*100, v)) / 100
				setDeckOpts(s, id, o)
			},
			dparse: func(s *deck.Settings, id, t string) error {
				o, _ := deckOpts(*s, id)
				if t == "" || strings.HasPrefix("collection", strings.ToLower(t)) {
					o.DesiredRetention = 0
					setDeckOpts(s, id, o)
					return nil
				}
				v, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
				if err != nil {
					return fmt.Errorf("%q is not a number", t)
				}
				if v > 1 {
					v /= 100
				}
				o.DesiredRetention = math.Round(v*100) / 100
				c := *s
				setDeckOpts(&c, id, o)
				if err := deck.ValidateSettings(c); err != nil {
					return err
				}
				*s = c
				return nil
			},
		},
	)
}

func intParser(field func(*deck.Settings) *int, lo, hi int) func(*deck.Settings, string) error {
	return func(s *deck.Settings, t string) error {
		v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(t, ":00"), "d"))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", t)
		}
		if v < lo || v > hi {
			return fmt.Errorf("%d is outside %d-%d", v, lo, hi)
		}
		*field(s) = v
		return nil
	}
}

// parseSteps reads "1m 10m" (units s, m, h, d; a bare number is minutes).
func parseSteps(t string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == ',' }) {
		unit := time.Minute
		num := f
		switch f[len(f)-1] {
		case 's':
			unit, num = time.Second, f[:len(f)-1]
		case 'm':
			unit, num = time.Minute, f[:len(f)-1]
		case 'h':
			unit, num = time.Hour, f[:len(f)-1]
		case 'd':
			unit, num = 24*time.Hour, f[:len(f)-1]
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || v <= 0 || v > 36500 {
			return nil, fmt.Errorf("%q is not a step like 1m, 10m, 1h or 1d", f)
		}
		out = append(out, time.Duration(v*float64(unit)).Round(time.Second))
	}
	return out, nil
}

func stepsText(steps []time.Duration) string {
	if len(steps) == 0 {
		return "(none)"
	}
	parts := make([]string, len(steps))
	for i, d := range steps {
		switch {
		case d%(24*time.Hour) == 0:
			parts[i] = fmt.Sprintf("%dd", d/(24*time.Hour))
		case d%time.Hour == 0:
			parts[i] = fmt.Sprintf("%dh", d/time.Hour)
		case d%time.Minute == 0:
			parts[i] = fmt.Sprintf("%dm", d/time.Minute)
		default:
			parts[i] = fmt.Sprintf("%ds", d/time.Second)
		}
	}
	return strings.Join(parts, " ")
}

// settingsForm edits the study settings; s saves them (one store call) and
// they apply at once.
type settingsForm struct {
	env   *env
	keys  settingsKeys
	saved deck.Settings // as stored
	cur   deck.Settings // as edited

	cursor  int
	editing bool
	input   textinput.Model
	problem string
	confirm bool // asking whether to drop unsaved changes
	saving  bool

	decks    []string // deck IDs for the "This deck" rows
	deckSel  int
	lib      *study.Library // for help me decide (nil: not offered)
	choices  []plan.Choice
	deciding bool

	width, height int
}

// deckID is the deck the "This deck" rows set ("" when there is none).
func (f settingsForm) deckID() string {
	if len(f.decks) == 0 {
		return ""
	}
	return f.decks[f.deckSel]
}

// The row's value, step and parse, for a collection or a deck row.
func (f settingsForm) get(row setting, s deck.Settings) string {
	switch {
	case row.chooser:
		if id := f.deckID(); id != "" {
			return id
		}
		return "(no deck)"
	case row.dget != nil:
		if f.deckID() == "" {
			return "—"
		}
		return row.dget(s, f.deckID())
	}
	return row.get(s)
}

func (f settingsForm) stepable(row setting) bool {
	return row.step != nil || (row.chooser && len(f.decks) > 0) || (row.dstep != nil && f.deckID() != "")
}

func (f *settingsForm) step(row setting, d int) {
	switch {
	case row.chooser && len(f.decks) > 0:
		f.deckSel = (f.deckSel + d + len(f.decks)) % len(f.decks)
	case row.dstep != nil && f.deckID() != "":
		row.dstep(&f.cur, f.deckID(), d)
	case row.step != nil:
		row.step(&f.cur, d)
	}
}

func (f *settingsForm) parse(row setting, t string) error {
	switch {
	case row.chooser:
		for i, id := range f.decks {
			if id == t {
				f.deckSel = i
				return nil
			}
		}
		return fmt.Errorf("no deck %q", t)
	case row.dparse != nil:
		if f.deckID() == "" {
			return fmt.Errorf("no deck to set")
		}
		return row.dparse(&f.cur, f.deckID(), t)
	}
	return row.parse(&f.cur, t)
}

func newSettingsForm(e *env, st deck.Settings, deckIDs ...string) settingsForm {
	f := settingsForm{env: e, keys: newSettingsKeys(), saved: cloneSettings(st), cur: cloneSettings(st), decks: deckIDs}
	f.input = textinput.New()
	f.input.Prompt = ""
	f.input.CharLimit = 60
	f.input.Cursor.SetMode(cursor.CursorStatic)
	f.updateKeys()
	return f
}

func cloneSettings(s deck.Settings) deck.Settings {
	s.LearningSteps = slices.Clone(s.LearningSteps)
	s.RelearningSteps = slices.Clone(s.RelearningSteps)
	s.Weights = slices.Clone(s.Weights)
	if s.Decks != nil {
		m := make(map[string]deck.DeckOptions, len(s.Decks))
		for k, v := range s.Decks {
			m[k] = v
		}
		s.Decks = m
	}
	return s
}

func settingsEqual(a, b deck.Settings) bool {
	return a.DesiredRetention == b.DesiredRetention && a.NewPerDay == b.NewPerDay &&
		a.ReviewsPerDay == b.ReviewsPerDay && a.DayStartHour == b.DayStartHour &&
		slices.Equal(a.LearningSteps, b.LearningSteps) && slices.Equal(a.RelearningSteps, b.RelearningSteps) &&
		a.LeechThreshold == b.LeechThreshold && a.LeechAction == b.LeechAction &&
		a.MaximumInterval == b.MaximumInterval && slices.Equal(a.Weights, b.Weights) &&
		a.NewIgnoresReviewLimit == b.NewIgnoresReviewLimit && a.SpaceAnswersGood == b.SpaceAnswersGood &&
		a.BuryNew == b.BuryNew && a.BuryReview == b.BuryReview && a.BuryInterday == b.BuryInterday &&
		maps.Equal(a.Decks, b.Decks) &&
		a.PlanPace == b.PlanPace
}

func (f settingsForm) dirty() bool { return !settingsEqual(f.saved, f.cur) }

// weightsSaved takes FSRS parameters saved elsewhere (the fit), so that
// saving the form later does not put the old ones back.
func (f *settingsForm) weightsSaved(w [21]float64) {
	f.saved.Weights = slices.Clone(w[:])
	f.cur.Weights = slices.Clone(w[:])
	f.updateKeys()
}

func (f *settingsForm) setSize(w, h int) {
	f.width, f.height = w, h
	f.input.Width = 30
}

func (f *settingsForm) updateKeys() {
	idle := !f.editing && !f.confirm && !f.saving
	f.keys.Up.SetEnabled(idle)
	f.keys.Down.SetEnabled(idle)
	stepable := f.stepable(settingRows[f.cursor])
	f.keys.Dec.SetEnabled(idle && stepable)
	f.keys.Inc.SetEnabled(idle && stepable)
	f.keys.Move.SetEnabled(idle)
	f.keys.Change.SetEnabled(idle && stepable)
	f.keys.Edit.SetEnabled(idle)
	f.keys.Accept.SetEnabled(f.editing)
	f.keys.CancelEdit.SetEnabled(f.editing)
	f.keys.Save.SetEnabled(idle && f.dirty())
	f.keys.Defaults.SetEnabled(idle)
	f.keys.Optimize.SetEnabled(idle)
	f.keys.Yes.SetEnabled(f.confirm)
	f.keys.No.SetEnabled(f.confirm)
	f.keys.Back.SetEnabled(idle)
	f.keys.Decide.SetEnabled(idle && f.lib != nil && !f.deciding)
}

// settingsChoicesMsg is help me decide's table.
type settingsChoicesMsg struct{ choices []plan.Choice }

func (f settingsForm) update(msg tea.Msg) (settingsForm, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case settingsSavedMsg:
		f.saving = false
		if msg.err != nil {
			f.problem = "not saved: " + msg.err.Error()
			cmd = statusCmd("settings not saved: "+msg.err.Error(), true)
		} else {
			f.saved = cloneSettings(msg.settings)
			f.problem = ""
			cmd = statusCmd("Settings saved; they apply now.", false)
		}
	case settingsChoicesMsg:
		f.choices, f.deciding = msg.choices, false
	case tea.KeyMsg:
		cmd = f.key(msg)
	}
	f.updateKeys()
	return f, cmd
}

func (f *settingsForm) key(k tea.KeyMsg) tea.Cmd {
	ks := &f.keys
	if f.saving {
		return nil
	}
	if f.editing {
		switch {
		case key.Matches(k, ks.Accept):
			if err := f.parse(settingRows[f.cursor], strings.TrimSpace(f.input.Value())); err != nil {
				f.problem = err.Error()
				return nil
			}
			f.problem = ""
			f.editing = false
			f.input.Blur()
			return nil
		case key.Matches(k, ks.CancelEdit):
			f.editing = false
			f.problem = ""
			f.input.Blur()
			return nil
		}
		var cmd tea.Cmd
		f.input, cmd = f.input.Update(k)
		return cmd
	}
	if f.confirm {
		switch {
		case key.Matches(k, ks.Yes):
			f.confirm = false
			return back
		case key.Matches(k, ks.No):
			f.confirm = false
		}
		return nil
	}
	row := settingRows[f.cursor]
	switch {
	case key.Matches(k, ks.Up):
		f.cursor = (f.cursor + len(settingRows) - 1) % len(settingRows)
	case key.Matches(k, ks.Down):
		f.cursor = (f.cursor + 1) % len(settingRows)
	case key.Matches(k, ks.Dec) && f.stepable(row):
		f.step(row, -1)
	case key.Matches(k, ks.Inc) && f.stepable(row):
		f.step(row, 1)
	case key.Matches(k, ks.Edit):
		f.editing = true
		v := f.get(row, f.cur)
		if v == "(none)" || v == "—" || strings.HasPrefix(v, "collection") {
			v = ""
		}
		f.input.SetValue(v)
		f.input.CursorEnd()
		return f.input.Focus()
	case key.Matches(k, ks.Defaults):
		// All of Anki's defaults, the FSRS parameters too: a way back from
		// a fit. Nothing is saved until s (q then y undoes it).
		f.cur = deck.DefaultSettings()
	case key.Matches(k, ks.Optimize):
		return cmdOf(openMsg{to: scrOptimize})
	case key.Matches(k, ks.Decide) && f.lib != nil:
		f.deciding = true
		lib := f.lib
		return toScreen(scrSettings, false, func() tea.Msg { return settingsChoicesMsg{choices: plan.Decide(lib)} })
	case key.Matches(k, ks.Save) && f.dirty():
		f.saving = true
		return saveSettingsCmd(f.env.repo, cloneSettings(f.cur))
	case key.Matches(k, ks.Back):
		if f.dirty() {
			f.confirm = true
			return nil
		}
		return back
	}
	return nil
}

func (f settingsForm) view() string {
	st := f.env.styles
	w := f.width
	var b strings.Builder
	b.WriteString("\n")
	if f.choices != nil { // help me decide takes the screen: the rows are not needed to compare
		b.WriteString(choicesTable(st, f.choices, f.cur.DesiredRetention, f.lib.Interview == ""))
		return b.String()
	}
	// The rows that fit (the rest of the form takes 9 lines), scrolled to
	// keep the cursor in view.
	n := len(settingRows)
	if f.height > 0 {
		n = max(3, min(n, f.height-9))
	}
	first := min(max(0, f.cursor-n/2), len(settingRows)-n)
	for i := first; i < first+n; i++ {
		row := settingRows[i]
		mark := "  "
		if i == f.cursor {
			mark = "› "
		}
		val := padRight(f.get(row, f.cur), 36)
		if f.editing && i == f.cursor {
			val = padView("["+f.input.View()+"]", 36) // the input's own styling: a view
		} else if !row.chooser && f.get(row, f.saved) != f.get(row, f.cur) {
			val = padRight(f.get(row, f.cur)+" *", 36) // changed, not saved
		}
		line := mark + padRight(row.name, 20) + val
		if i == f.cursor {
			line = st.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	params := "default"
	if len(f.cur.Weights) > 0 {
		params = "custom"
	}
	if !slices.Equal(f.cur.Weights, f.saved.Weights) {
		params += " *"
	}
	b.WriteString("  " + padRight("FSRS parameters", 20) + params + st.Dim.Render(" · o fits them to your review history") + "\n")
	b.WriteString("\n" + wrapText(settingRows[f.cursor].name+": "+settingRows[f.cursor].help, w) + "\n\n")
	switch {
	case f.confirm:
		b.WriteString(st.Warn.Render("  Discard the unsaved changes? y discards, n keeps editing."))
	case f.saving:
		b.WriteString(st.Dim.Render("  saving…"))
	case f.problem != "":
		b.WriteString(st.Error.Render("  error: ") + f.problem)
	case f.dirty():
		b.WriteString("  * changed: s saves (applies at once), q then y discards")
	default:
		b.WriteString(st.Dim.Render("  ←/→ change a value · enter types one · D all of Anki's defaults · s saves"))
	}
	b.WriteString("\n\n")
	switch {
	case f.deciding:
		b.WriteString(st.Dim.Render("  Simulating each desired retention on your cards…"))
		return b.String()
	}
	b.WriteString(st.Dim.Render(wrapText("Limits apply to each deck, and to \"Study everything due\" as a whole (as Anki's presets do). "+
		"Changing the retention or the steps changes future intervals only.", w)))
	return b.String()
}
