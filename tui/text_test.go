package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"opsdeck/deck/fsrs"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func TestRenderCardText(t *testing.T) {
	st := DefaultStyles()
	in := "A **bold** claim that runs\non over two lines.\n\n" +
		"- first item that is long enough to wrap around\n  and continues here\n- second\n" +
		"1. numbered\n\n" +
		"```yaml\nkey: a very long value that will not be wrapped but cut at the edge\n```\n" +
		"| a | b |\n| - | - |\n" +
		"hard break  \nnext line"
	got := strings.Join(renderCardText(in, 30, &st, st.Answer), "\n")
	want := strings.Join([]string{
		"A bold claim that runs on over",
		"two lines.",
		"",
		"- first item that is long",
		"  enough to wrap around and",
		"  continues here",
		"- second",
		"1. numbered",
		"",
		"┌─ yaml",
		"│ key: a very long value that…",
		"└─",
		"| a | b |",
		"| - | - |",
		"hard break",
		"next line",
	}, "\n")
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if lipgloss.Width(l) > 30 {
			t.Fatalf("line wider than 30: %q", l)
		}
	}
	// Inline code keeps its backticks: it is marked without colour.
	if got := strings.Join(renderCardText("use `kubectl drain`", 80, &st, st.Answer), ""); got != "use `kubectl drain`" {
		t.Fatalf("inline code: %q", got)
	}
}

func TestIntervalAndWhenText(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		card fsrs.Card
		want string
	}{
		{fsrs.Card{Due: now.Add(30 * time.Second)}, "<1m"},
		{fsrs.Card{Due: now.Add(10 * time.Minute)}, "10m"},
		{fsrs.Card{Due: now.Add(3 * time.Hour)}, "3h"},
		{fsrs.Card{ScheduledDays: 8}, "8d"},
		{fsrs.Card{ScheduledDays: 45}, "1.5mo"},
		{fsrs.Card{ScheduledDays: 60}, "2mo"},
		{fsrs.Card{ScheduledDays: 800}, "2.2y"},
	} {
		if got := intervalText(c.card, now); got != c.want {
			t.Errorf("%+v: %s, want %s", c.card, got, c.want)
		}
	}
	s, _ := fsrs.NewScheduler(fsrs.DefaultParams())
	for at, want := range map[time.Time]string{
		now.Add(-time.Minute):              "now",
		now.Add(25 * time.Minute):          "at 09:25 (in 25m)",
		now.Add(19 * time.Hour):            "tomorrow from 04:00 (in 19h00m)", // a day start: available from then
		now.Add(5*24*time.Hour + 3*3600e9): "on Sat 7 Mar (in 5d)",
	} {
		if got := whenText(at, now, s); got != want {
			t.Errorf("%v: %q, want %q", at, got, want)
		}
	}
}

// Card text is untrusted: no control character but tab and newline may
// reach the terminal from it (OSC 2 retitles the pane, OSC 52 writes the
// clipboard, ESC[2J wipes the screen).
func TestRenderCardTextSafe(t *testing.T) {
	st := DefaultStyles()
	in := "title\x1b]2;pwned\x07 clip\x1b]52;c;aGk=\x1b\\ wipe\x1b[2J\rcr \u009b31m\n" +
		"```\ncode\x1b[2J\n```\n| row\x1b[H |\n- item\x1b[1m"
	var all []string
	all = append(all, renderCardText(in, 40, &st, st.Answer)...)
	all = append(all, wrapText(in, 40), cutText(in, 200), padRight(in, 300), padLeft(in, 300))
	all = append(all, wrapWords(in, 30, lipgloss.Width)...)
	for _, l := range all {
		for _, r := range l {
			if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) {
				t.Fatalf("control %U reaches the terminal in %q", r, l)
			}
		}
	}
	got := strings.Join(renderCardText("a\x1b[2Jb", 40, &st, st.Answer), "\n")
	if got != "a␛[2Jb" {
		t.Fatalf("got %q, want the ESC shown as ␛", got)
	}
}

// A 200,000-character word is cut into lines of the width, each full but
// the last, and nothing is lost (the renderer is linear: see
// BenchmarkRenderLongWord).
func TestRenderLongWord(t *testing.T) {
	st := DefaultStyles()
	word := strings.Repeat("abcdefghij", 20000) + "é漢"
	lines := renderCardText("start "+word+" end", 80, &st, st.Answer)
	if lines[0] != "start" {
		t.Fatalf("first line %q", lines[0])
	}
	for i, l := range lines[1:] {
		w := lipgloss.Width(l)
		if w > 80 || (i < len(lines)-2 && w != 80) {
			t.Fatalf("line %d has width %d", i+1, w)
		}
	}
	if got := strings.Join(lines[1:], ""); got != word+" end" {
		t.Fatalf("the word was not kept whole: %d bytes, last line %q", len(got), lines[len(lines)-1])
	}
	if got := cutText(word, 10); got != "abcdefghi…" {
		t.Fatalf("cutText: %q", got)
	}
	wide := strings.Repeat("漢", 100)
	if got := cutText(wide, 7); got != "漢漢漢…" {
		t.Fatalf("cutText wide: %q", got)
	}
	for _, l := range wrapWords(wide, 9, lipgloss.Width) {
		if lipgloss.Width(l) > 9 {
			t.Fatalf("wide line %q", l)
		}
	}
	if got := strings.Join(wrapWords("**bold** "+strings.Repeat("x", 25), 10, markupWidth), "|"); got != "**bold**|xxxxxxxxxx|xxxxxxxxxx|xxxxx" {
		t.Fatalf("markup cut: %q", got)
	}
}

func BenchmarkRenderLongWord(b *testing.B) {
	st := DefaultStyles()
	text := "start " + strings.Repeat("abcdefghij", 20000) + " end"
	for b.Loop() {
		renderCardText(text, 80, &st, st.Answer)
		cutText(text, 80)
	}
}
