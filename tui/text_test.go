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
