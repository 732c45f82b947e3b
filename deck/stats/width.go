package stats

import (
	"sync/atomic"
	"unicode/utf8"
)

// Text is measured in terminal cells, not runes: a CJK character takes two
// cells, a combining mark none. deck stays stdlib-only, so the measure is
// given by the front end's wiring (main and the TUI pass
// github.com/charmbracelet/x/ansi's StringWidth); until then a rune counts
// one cell.

var textWidth atomic.Pointer[func(string) int]

// SetTextWidth sets how the renderers measure text in terminal cells.
func SetTextWidth(f func(string) int) { textWidth.Store(&f) }

// cells is the width of s in terminal cells.
func cells(s string) int {
	if f := textWidth.Load(); f != nil {
		return (*f)(s)
	}
	return utf8.RuneCountInString(s)
}
