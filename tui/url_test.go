package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

const longURL = "https://learn.microsoft.com/en-us/azure/cloud-adoption-framework/migrate/select-cloud-migration-strategy"

// A URL is never broken by wrapping: it keeps one line of its own.
func TestWrapNeverBreaksAURL(t *testing.T) {
	for _, w := range []int{40, 80, 100} {
		lines := wrapWords("source: "+longURL, w, lipgloss.Width)
		found := false
		for _, l := range lines {
			if strings.Contains(l, longURL) {
				found = true
			}
			if strings.Contains(l, "https://") && !strings.Contains(l, longURL) {
				t.Fatalf("width %d: URL broken: %q", w, lines)
			}
		}
		if !found {
			t.Fatalf("width %d: URL not whole in %q", w, lines)
		}
	}
	// Other long words are still cut to fit.
	if got := wrapWords(strings.Repeat("x", 30), 10, lipgloss.Width); len(got) != 3 {
		t.Fatalf("a long word is cut: %q", got)
	}
}

// With links, a URL too wide for the line shows cut with "…" but links to
// the whole address; without (NO_COLOR) the text is plain, no escape.
func TestLinkURLs(t *testing.T) {
	got := linkURLs("see "+longURL+".", 20, true)
	if !strings.Contains(got, ansi.SetHyperlink(longURL)) || !strings.Contains(got, "…") {
		t.Fatalf("no whole link target: %q", got)
	}
	if w := lipgloss.Width(got); w != lipgloss.Width("see "+longURL+".")-20 {
		t.Fatalf("visible width %d", w)
	}
	if !strings.HasSuffix(got, ansi.ResetHyperlink()+".") {
		t.Fatalf("the full stop is not part of the link: %q", got)
	}
	plain := linkURLs("see "+longURL, 0, false)
	if plain != "see "+longURL {
		t.Fatalf("plain: %q", plain)
	}
}

// The review screen's source line and URLs in card text become links at 80
// columns, never broken, and each rendered line fits the width.
func TestCardTextURLIsOneLink(t *testing.T) {
	st := DefaultStyles()
	st.Links = true
	lines := renderCardText("Read "+longURL+" first.", 60, &st, st.Answer)
	n := 0
	for _, l := range lines {
		if lipgloss.Width(l) > 60 {
			t.Fatalf("line wider than 60: %q", l)
		}
		n += strings.Count(l, ansi.SetHyperlink(longURL))
	}
	if n != 1 {
		t.Fatalf("want one link to the whole URL, got %d in %q", n, lines)
	}
}

// The review screen's source line: whole, a link where links work, plain
// text under NO_COLOR; at 60 columns the long URL is cut visibly ("…")
// but the link target stays whole.
func TestReviewSourceIsALink(t *testing.T) {
	f := oneDeck(1)
	f.decks[0].Cards[0].Source = longURL
	h := newHarness(t, f)
	h.keys("enter", "space")
	// NO_COLOR: plain text, on a line of its own, never broken; wider than
	// the screen it can only be cut, visibly.
	if v := h.view(); !strings.Contains(v, "\nhttps://learn.microsoft.com/en-us/azure/cloud-adoption-framework/migrate/select…") ||
		strings.Contains(v, "\x1b]8;") || strings.Contains(v, "\nration-strategy") {
		t.Fatalf("plain (NO_COLOR) view:\n%s", v)
	}
	h.m.env.styles.Links = true
	h.m.review.render(false)
	h.m.review.setSize(60, 21)
	v := h.m.review.view()
	if !strings.Contains(v, ansi.SetHyperlink(longURL)) || !strings.Contains(v, "…"+ansi.ResetHyperlink()) {
		t.Fatalf("at 60 columns:\n%q", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if lipgloss.Width(l) > 60 {
			t.Fatalf("line wider than 60: %q", l)
		}
	}
}
