package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/stats"
)

// studied is a fake with a month of reviews.
func studied() *fakeRepo {
	f := newFake(testDecks()...)
	for i := 0; i < 30; i++ {
		at := testNow.AddDate(0, 0, -i).Add(-time.Hour)
		id := []string{"alpha/card-1", "beta/card-2", "mine/card-1"}[i%3]
		f.reviews = append([]deck.Review{{CardID: id, At: at, Rating: 1 + i%4, StateBefore: 2, LastInterval: 1 + i, Interval: 2 + i, Duration: time.Duration(20+i) * time.Second}}, f.reviews...)
	}
	for _, id := range []string{"alpha/card-1", "beta/card-2", "mine/card-1"} {
		f.prog[id] = reviewCard(id, testNow.AddDate(0, 0, 3), 10)
	}
	return f
}

func TestStatsTabsAndAreas(t *testing.T) {
	h := newHarness(t, studied())
	h.keys("s")
	h.mustSee("[1 Table]", "Area", "Cards", "Young 30d", "Alpha Area", "Total", "Desired retention 90%")
	checkFrame(t, h.view(), 80, 24)
	if h.m.stats.keys.Area.Enabled() {
		t.Fatal("area keys offered on the table")
	}
	for _, c := range []struct {
		key, see string
	}{
		{"tab", "[2 Calendar]"}, {"tab", "[3 Forecast]"}, {"l", "[4 Answers]"}, {"right", "[5 Distributions]"},
		{"6", "[6 Time]"}, {"tab", "[1 Table]"}, {"shift+tab", "[6 Time]"}, {"h", "[5 Distributions]"}, {"2", "[2 Calendar]"},
	} {
		h.keys(c.key)
		h.mustSee(c.see)
		checkFrame(t, h.view(), 80, 24)
	}
	h.mustSee("Area: All areas", "Mon ", "streak ")
	h.keys("]")
	h.mustSee("Area: Alpha Area")
	h.keys("[", "[")
	h.mustSee("Area: Mine Area")
	h.keys("3")
	h.mustSee("Cards due, next 30 days", "days")
	h.keys("4")
	h.mustSee("Answer buttons, last 30 days", "Again", "Correct")
	h.keys("6")
	h.mustSee("Time studied per day", "seconds a day", "today")
	h.keys("5")
	h.mustSee("Intervals", "↓ more")
	before := h.m.stats.vp.YOffset
	h.keys("j", "j")
	if h.m.stats.vp.YOffset != before+2 {
		t.Fatal("j did not scroll")
	}
	h.keys("q")
	if h.m.cur != scrDashboard {
		t.Fatal("q did not go back")
	}
}

func TestStatsWideUsesTwoColumns(t *testing.T) {
	h := newHarness(t, studied())
	h.send(tea.WindowSizeMsg{Width: 200, Height: 50})
	h.keys("s", "5")
	checkFrame(t, h.view(), 200, 50)
	found := false
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.Count(l, "cards · mean") == 2 {
			found = true
		}
	}
	if !found {
		t.Fatalf("no two histograms side by side:\n%s", h.view())
	}
}

func TestTimePerDayChart(t *testing.T) {
	h := newHarness(t, studied())
	out := stats.RenderTimePerDay(h.m.lib.Stats.Total.Activity, 80)
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], " 1 │") && !strings.Contains(lines[0], "│") {
		t.Fatalf("no axis:\n%s", out)
	}
	for _, l := range lines {
		if len([]rune(l)) > 80 {
			t.Fatalf("line too wide: %q", l)
		}
	}
	if !strings.Contains(out, "today") || !strings.Contains(out, "-29") || !strings.Contains(out, "streak") {
		t.Fatalf("labels missing:\n%s", out)
	}
}

func TestTimePerDayInSecondsWhenShort(t *testing.T) {
	var a stats.Activity
	a.Today = len(a.Cells) - 1
	a.Cells[a.Today].Time = 40 * time.Second
	a.Cells[a.Today].Reviews = 2
	a.Cells[a.Today-1].Time = 20 * time.Second
	a.Cells[a.Today-1].Reviews = 1
	out := stats.RenderTimePerDay(a, 80)
	if !strings.Contains(out, "40 │") || !strings.Contains(out, "20 │") || !strings.Contains(out, "seconds a day") {
		t.Fatalf("seconds axis:\n%s", out)
	}
	if !strings.Contains(out, "30 days 1m · 30s a study day") {
		t.Fatalf("totals:\n%s", out)
	}
}
