package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck"
	"opsdeck/study"
)

// Form fields, in tab order.
const (
	fieldDeck = iota
	fieldFront
	fieldBack
	fieldTags
	numFields
)

// editor is the add/edit form: deck, front, back (multi-line) and tags.
// Saving is one store call (AddCard or EditCard); editing keeps the card's
// ID and so its schedule and history.
type editor struct {
	env  *env
	keys editKeys
	lib  *study.Library
	add  bool
	orig deck.Card
	sibs []deck.Card // the cards of orig's note (editing): saved together

	// What the form showed when it opened, to tell a changed form.
	front0, back0, tags0, deck0 string
	confirm                     bool // Esc on a changed form: asking whether to discard

	deckIn  textinput.Model
	front   textarea.Model
	back    textarea.Model
	tags    textinput.Model
	focus   int
	saving  bool
	problem string // why the last save was refused

	width, height int
}

// newCardFor is an empty card of the deck (which may be "").
func newCardFor(deckID string) deck.Card { return deck.Card{Deck: deckID, Kind: deck.Basic} }

func newEditor(e *env, lib *study.Library, c deck.Card, add bool) editor {
	ed := editor{env: e, keys: newEditKeys(), lib: lib, add: add, orig: c}
	front, back := study.NoteText(c)
	if !add {
		ed.sibs = []deck.Card{c}
		if lib != nil {
			ed.sibs = study.Siblings(lib.Decks, c)
		}
	}

	ed.deckIn = textinput.New()
	ed.deckIn.Prompt = ""
	ed.deckIn.Placeholder = "deck ID, e.g. kubernetes or my-notes"
	ed.deckIn.CharLimit = 80
	ed.deckIn.SetValue(c.Deck)
	ed.deckIn.Cursor.SetMode(cursor.CursorStatic)

	ed.front = newTextArea("the question, or a cloze text: {{c1::hidden}} makes a cloze note")
	ed.front.SetValue(front)
	ed.back = newTextArea("the answer (several lines; ``` fences for code); a cloze note's optional extra")
	ed.back.SetValue(back)

	ed.tags = textinput.New()
	ed.tags.Prompt = ""
	ed.tags.Placeholder = "tags, separated by commas or spaces"
	ed.tags.SetValue(strings.Join(c.Tags, ", "))
	ed.tags.Cursor.SetMode(cursor.CursorStatic)

	ed.focus = fieldDeck
	if !add || c.Deck != "" {
		ed.focus = fieldFront
	}
	ed.focusCmd() // the cursor is static: no command to run
	ed.front0, ed.back0, ed.tags0, ed.deck0 = ed.front.Value(), ed.back.Value(), ed.tags.Value(), ed.deckIn.Value()
	return ed
}

// changed reports whether the form differs from what it opened with.
func (ed editor) changed() bool {
	return ed.front.Value() != ed.front0 || ed.back.Value() != ed.back0 ||
		ed.tags.Value() != ed.tags0 || ed.deckIn.Value() != ed.deck0
}

// cloze reports whether the form describes a cloze note: the card edited
// is one, or the new card's front has a {{cN::...}} deletion.
func (ed editor) cloze() bool {
	if !ed.add {
		return ed.orig.Kind == deck.Cloze
	}
	return deck.IsClozeText(ed.front.Value())
}

func newTextArea(placeholder string) textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.Placeholder = placeholder
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.FocusedStyle.CursorLine = lipgloss.NewStyle()
	ta.BlurredStyle.CursorLine = lipgloss.NewStyle()
	ta.Cursor.SetMode(cursor.CursorStatic)
	return ta
}

// focusCmd focuses the current field.
func (ed *editor) focusCmd() tea.Cmd {
	ed.deckIn.Blur()
	ed.front.Blur()
	ed.back.Blur()
	ed.tags.Blur()
	switch ed.focus {
	case fieldDeck:
		return ed.deckIn.Focus()
	case fieldFront:
		return ed.front.Focus()
	case fieldBack:
		return ed.back.Focus()
	}
	return ed.tags.Focus()
}

// Form layout: the lines that are not text areas.
const editFixedLines = 10

func (ed *editor) setSize(w, h int) {
	ed.width, ed.height = w, h
	inner := max(10, w-2)
	ed.deckIn.Width = max(10, w-12)
	ed.tags.Width = max(10, w-12)
	rest := max(4, h-editFixedLines)
	fh := max(2, rest/3)
	ed.front.SetWidth(inner)
	ed.front.SetHeight(fh)
	ed.back.SetWidth(inner)
	ed.back.SetHeight(max(2, rest-fh))
}

func (ed editor) update(msg tea.Msg) (editor, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		ed.saving = false
		if msg.err != nil {
			ed.problem = "not saved: " + msg.err.Error()
			return ed, statusCmd("card not saved: "+msg.err.Error(), true)
		}
		return ed, nil
	case externalEditedMsg:
		return ed, ed.externalEdited(msg)
	case tea.KeyMsg:
		if ed.saving {
			return ed, nil
		}
		if ed.confirm {
			switch {
			case msg.String() == "y":
				ed.confirm = false
				return ed, back
			case msg.String() == "n" || key.Matches(msg, ed.keys.Cancel):
				ed.confirm = false
			}
			return ed, nil
		}
		switch {
		case key.Matches(msg, ed.externalKey()) && ed.externalKey().Enabled():
			return ed, ed.externalCmd()
		case key.Matches(msg, ed.keys.Cancel):
			if ed.changed() {
				ed.confirm = true
				return ed, nil
			}
			return ed, back
		case key.Matches(msg, ed.keys.Save):
			return ed.save()
		case key.Matches(msg, ed.keys.Next):
			ed.move(1)
			return ed, ed.focusCmd()
		case key.Matches(msg, ed.keys.Prev):
			ed.move(-1)
			return ed, ed.focusCmd()
		case ed.focus == fieldDeck && (msg.Type == tea.KeyRight || msg.Type == tea.KeyCtrlE) &&
			ed.deckIn.Position() == len([]rune(ed.deckIn.Value())):
			// Complete the deck ID (shown in the hint line, not greyed
			// inline, which would need colour to tell it from typed text).
			if m := ed.deckMatches(); len(m) > 0 {
				ed.deckIn.SetValue(m[0])
				ed.deckIn.CursorEnd()
			}
			return ed, nil
		case msg.Type == tea.KeyEnter && (ed.focus == fieldDeck || ed.focus == fieldTags):
			if ed.focus == fieldTags {
				return ed.save()
			}
			ed.move(1)
			return ed, ed.focusCmd()
		}
	}
	var cmd tea.Cmd
	switch ed.focus {
	case fieldDeck:
		ed.deckIn, cmd = ed.deckIn.Update(msg)
	case fieldFront:
		ed.front, cmd = ed.front.Update(msg)
	case fieldBack:
		ed.back, cmd = ed.back.Update(msg)
	case fieldTags:
		ed.tags, cmd = ed.tags.Update(msg)
	}
	return ed, cmd
}

// deckMatches are the existing deck IDs that start with what is typed.
func (ed editor) deckMatches() []string {
	v := strings.TrimSpace(ed.deckIn.Value())
	var out []string
	if ed.lib == nil || v == "" {
		return nil
	}
	for _, d := range ed.lib.Decks {
		if strings.HasPrefix(d.ID, v) {
			out = append(out, d.ID)
		}
	}
	return out
}

// deckHint says what the deck field's value means.
func (ed editor) deckHint() string {
	v := strings.TrimSpace(ed.deckIn.Value())
	m := ed.deckMatches()
	switch {
	case v == "":
		return "an existing deck ID, or a new one to make a deck"
	case len(m) > 0 && m[0] == v:
		return "existing deck: " + ed.lib.DeckTitle(v)
	case len(m) > 0:
		return "→ completes: " + strings.Join(m, ", ")
	case deck.ValidID(v):
		return "a new deck " + v + " will be made"
	}
	return "use lowercase letters, digits and '-'"
}

// move changes the focused field; the deck is fixed when editing.
func (ed *editor) move(d int) {
	first := fieldDeck
	if !ed.add {
		first = fieldFront
	}
	n := numFields - first
	ed.focus = first + ((ed.focus-first+d)%n+n)%n
}

// notes are the cards the form describes: the edited note's cards, or the
// new note's (a basic card, or one card per cloze deletion).
func (ed editor) notes() ([]deck.Card, error) {
	tags := deck.SplitTags(ed.tags.Value())
	front, back := strings.TrimSpace(ed.front.Value()), strings.TrimSpace(ed.back.Value())
	if !ed.add {
		return study.EditNote(ed.sibs, front, back, tags)
	}
	d := strings.TrimSpace(ed.deckIn.Value())
	if d == "" {
		return nil, errors.New("choose a deck: an existing ID or a new one")
	}
	if !deck.ValidID(d) {
		return nil, fmt.Errorf("deck ID %q: use lowercase letters, digits and '-'", d)
	}
	cs, err := study.NewNote(d, front, back, tags)
	if err != nil {
		return nil, err
	}
	if ed.lib != nil {
		for _, c := range cs {
			for _, dk := range ed.lib.Decks {
				for _, x := range dk.Cards {
					if x.ID == c.ID {
						return nil, fmt.Errorf("%s already has this question (%s)", d, c.ID)
					}
				}
			}
		}
	}
	return cs, nil
}

func (ed editor) save() (editor, tea.Cmd) {
	cs, err := ed.notes()
	if err != nil {
		ed.problem = err.Error()
		return ed, nil
	}
	ed.problem = ""
	ed.saving = true
	if ed.add {
		now := ed.env.now() // for added:N and the card info
		for i := range cs {
			cs[i].Added = now
		}
	}
	return ed, saveCardsCmd(ed.env.repo, cs, ed.add)
}

func (ed editor) view() string {
	st := ed.env.styles
	w := ed.width
	var b strings.Builder
	label := func(f int, name string) string {
		mark := "  "
		if f == ed.focus {
			mark = "› "
		}
		return mark + st.Label.Render(padRight(name, 8))
	}
	if ed.add {
		b.WriteString(label(fieldDeck, "Deck") + ed.deckIn.View() + "\n")
		hint := ed.deckHint()
		if ed.cloze() {
			hint = "cloze note: one card per {{cN::...}}; the extra is optional"
		}
		b.WriteString(st.Dim.Render(cutText("          "+hint, w)) + "\n")
	} else {
		b.WriteString("  " + st.Label.Render(padRight("Card", 8)) + ed.orig.ID + "\n")
		hint := "  editing keeps the card's schedule and history"
		if ed.cloze() {
			hint = fmt.Sprintf("  cloze note of %s: edits every card, schedules kept", plural(len(ed.sibs), "card"))
		}
		b.WriteString(st.Dim.Render(cutText(hint, w)) + "\n")
	}
	box := func(f int, ta textarea.Model) string {
		s := st.Field
		if f == ed.focus {
			s = st.FieldOn
		}
		return s.Render(ta.View())
	}
	frontName, backName := "Front", "Back"
	if ed.cloze() {
		frontName, backName = "Text", "Extra"
	}
	b.WriteString(label(fieldFront, frontName) + "\n" + box(fieldFront, ed.front) + "\n")
	b.WriteString(label(fieldBack, backName) + "\n" + box(fieldBack, ed.back) + "\n")
	b.WriteString(label(fieldTags, "Tags") + ed.tags.View() + "\n")
	switch {
	case ed.confirm:
		b.WriteString(st.Warn.Render(cutText("  Discard the changes? y discards, n keeps editing.", w)))
	case ed.saving:
		b.WriteString(st.Dim.Render("  saving…"))
	case ed.problem != "":
		b.WriteString(st.Error.Render("  cannot save: ") + cutText(ed.problem, max(10, w-16)))
	default:
		b.WriteString(st.Dim.Render(cutText("  ctrl+s saves (or enter in Tags) · tab next field · esc cancels", w)))
	}
	return b.String()
}
