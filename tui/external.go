package tui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
)

// The card form can hand the card to the user's own editor ($VISUAL, else
// $EDITOR) as Markdown in the deck format, for those who write code fences
// in vim or emacs; what comes back fills the form, saved with ctrl+s as
// ever. The text areas stay for everyone else.

// editorCommand is the user's editor command, "" when none is set.
func editorCommand() string {
	if v := strings.TrimSpace(os.Getenv("VISUAL")); v != "" {
		return v
	}
	return strings.TrimSpace(os.Getenv("EDITOR"))
}

// externalEditedMsg is the text the editor left in the file.
type externalEditedMsg struct {
	text string
	err  error
}

// cardMarkdown is the form's card as a one-card deck file.
func (ed editor) cardMarkdown() string {
	c := ed.orig
	c.Front = strings.TrimSpace(ed.front.Value())
	c.Back = strings.TrimSpace(ed.back.Value())
	c.Tags = deck.SplitTags(ed.tags.Value())
	if ed.add {
		c.Deck = strings.TrimSpace(ed.deckIn.Value())
		c.Slug = deck.SlugFor(c.Front)
	}
	if c.Slug == "" {
		c.Slug = "card"
	}
	c.Kind = deck.Basic
	id := c.Deck
	if !deck.ValidID(id) {
		id = "deck"
	}
	var b bytes.Buffer
	_ = deck.Format(&b, deck.Deck{ID: id, Title: "Edit the card below; save and quit to go back to opsdeck", Cards: []deck.Card{c}})
	return b.String()
}

// externalCmd writes the card to a temporary file and runs the editor on
// it, the app suspended meanwhile.
func (ed editor) externalCmd() tea.Cmd {
	f, err := os.CreateTemp("", "opsdeck-card-*.md")
	if err != nil {
		return cmdOf(externalEditedMsg{err: err})
	}
	path := f.Name()
	_, err = f.WriteString(ed.cardMarkdown())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return cmdOf(externalEditedMsg{err: err})
	}
	// Through the shell, as git runs $EDITOR: it may carry arguments
	// ("code --wait").
	cmd := exec.Command("sh", "-c", editorCommand()+` "$1"`, "opsdeck-editor", path)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return externalEditedMsg{err: fmt.Errorf("%s: %w", editorCommand(), err)}
		}
		b, err := os.ReadFile(path)
		return externalEditedMsg{text: string(b), err: err}
	})
}

// externalEdited fills the form from the editor's text; a text that is not
// one card in the deck format leaves the form as it was and says why.
func (ed *editor) externalEdited(msg externalEditedMsg) tea.Cmd {
	if msg.err != nil {
		ed.problem = "editor: " + msg.err.Error()
		return nil
	}
	d, err := deck.Parse("card.md", msg.text)
	switch {
	case err == nil && len(d.Cards) != 1:
		err = errors.New("keep exactly one card (one ## heading)")
	case err == nil && d.Cards[0].Kind != deck.Basic:
		err = errors.New("keep the card a Q:/A: card")
	}
	if err != nil {
		ed.problem = "not taken from the editor: " + strings.ReplaceAll(err.Error(), "\n", "; ")
		return nil
	}
	c := d.Cards[0]
	ed.front.SetValue(c.Front)
	ed.back.SetValue(c.Back)
	ed.tags.SetValue(strings.Join(c.Tags, ", "))
	ed.orig.Source, ed.orig.AsOf = c.Source, c.AsOf
	ed.problem = ""
	return statusCmd("Taken from the editor: ctrl+s saves.", false)
}

// externalKey is the form's binding for it, enabled when an editor is set
// and the card is a Q/A card.
func (ed editor) externalKey() key.Binding {
	k := bind("ctrl+o", "editor", "ctrl+o")
	k.SetEnabled(editorCommand() != "" && ed.orig.Kind == deck.Basic && !ed.saving)
	return k
}

// help is the form's key help, with ctrl+o when it works.
func (ed editor) help() keyMap {
	h := ed.keys.help()
	k := ed.externalKey()
	if !k.Enabled() {
		return h
	}
	prev := ed.keys.Prev
	prev.SetHelp("shift+tab", "previous") // room for ctrl+o at 80 columns
	h.short = []key.Binding{ed.keys.Next, prev, ed.keys.Save, ed.keys.Cancel, k}
	h.full = append(h.full, []key.Binding{k})
	return h
}
