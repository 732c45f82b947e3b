package cli

import (
	"strings"

	"opsdeck/deck"
)

// clean makes text from a card or a file safe for the terminal: no control
// character but tab and newline reaches it (deck.SafeText shows the others).
func clean(s string) string { return deck.SafeText(s) }

// indent writes text as the plain protocol wants it: plain text (no
// Markdown markers: deck.PlainText), the first line after the marker, every
// further line indented by two spaces, so that no line of card text starts
// at the left margin.
func indent(text string) string {
	lines := strings.Split(deck.PlainText(text), "\n")
	return strings.Join(lines, "\n  ")
}
