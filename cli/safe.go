package cli

import (
	"sort"
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

// sortedKeys are m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
