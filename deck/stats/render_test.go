package stats

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func checkWidth(t *testing.T, name, out string, width int) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > width {
			t.Errorf("%s width %d: line %d has %d runes: %q", name, width, i, n, l)
		}
	}
	return lines
}

func TestTableFits80ColumnsWithLongTitles(t *testing.T) {
	in := world(t)
	in.Decks[0].Title = "Kubernetes & Container Orchestration — workloads, networking, storage and security"
	in.Decks[1].Title = strings.Repeat("Solution Architecture ", 6)
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, &res.Report); err != nil {
		t.Fatal(err)
	}
	lines := checkWidth(t, "table", buf.String(), TableWidth)
	find := func(prefix string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		t.Fatalf("no line starting %q in\n%s", prefix, buf.String())
		return ""
	}
	// Total: 15 cards, 6 due, month young 3 of 3+1 = 75%, mature 2 of
	// 2+1 = 67%, mean retrievability 10.1022405/11 = 91.8% -> 92%,
	// knowledge 10.1 cards, shown as a whole number of cards.
	total := strings.Fields(find("Total"))
	if want := []string{"Total", "15", "6", "75%", "3/4", "67%", "2/3", "92%", "10"}; strings.Join(total, " ") != strings.Join(want, " ") {
		t.Errorf("total line %q, want fields %q", total, want)
	}
	// k8s, named by its ID as a title would be cut: 8 cards, 4 due, month
	// young 2/3 (67%), mature 1/1 (100%), 6.3365176/7 = 90.5% -> 91%, 6.
	k8s := find("k8s ")
	if strings.Contains(buf.String(), "…") || !strings.HasSuffix(k8s, "8     4      67% 2/3     100% 1/1    91%       6") {
		t.Errorf("k8s line %q", k8s)
	}
	// ops: month young 1/1, mature 1/2 (50%), 3.7657229/4 = 94%, 3.8.
	if ops := find("ops "); !strings.HasSuffix(ops, "7     2     100% 1/1      50% 1/2    94%       4") {
		t.Errorf("ops line %q", ops)
	}
	if !strings.Contains(buf.String(), "Desired retention 90%") || !strings.Contains(buf.String(), "day starts at 04:00") {
		t.Errorf("no settings line:\n%s", buf.String())
	}
}

func TestTableCells(t *testing.T) {
	// A big count is shortened rather than overflowing its 12 columns.
	if s := retentionCell(pf(123456, 111111), 12, true); utf8.RuneCountInString(s) > 12 || s != "53% n=234k" {
		t.Errorf("big cell %q", s)
	}
	if s := retentionCell(PassFail{}, 12, true); s != "—" {
		t.Errorf("empty cell %q", s)
	}
	// 99.6% must not show as 100%.
	if p := percent(0.996); p != "99%" {
		t.Errorf("percent(.996) = %s", p)
	}
	if p := percent(1); p != "100%" {
		t.Errorf("percent(1) = %s", p)
	}
	if s := fit("abcdef", 4); s != "abc…" {
		t.Errorf("fit = %q", s)
	}
}

var widths = []int{80, 57, 40, 24, 12}

func TestRenderHeatmap(t *testing.T) {
	res := compute(t)
	for _, w := range widths {
		checkWidth(t, "heatmap", RenderHeatmap(res.Total.Activity, w), w)
	}
	out := RenderHeatmap(res.Total.Activity, 80)
	lines := strings.Split(out, "\n")
	// Row 0 is the months, then Mon..Sun. Today (Wednesday, 5 reviews,
	// the maximum) is the last cell of the Wed row: level 4 █; yesterday
	// (Tuesday, 1 review) is level 1 ░; 2 days ago (Monday) had none: ·.
	// Thursday onwards are in the future: blank.
	if !strings.HasPrefix(lines[3], "Wed ") || !strings.HasSuffix(lines[3], "█") ||
		!strings.HasSuffix(lines[2], "░") || !strings.HasSuffix(lines[1], "·") || strings.HasSuffix(lines[4], "·") {
		t.Errorf("heatmap rows:\n%s", out)
	}
	if n := utf8.RuneCountInString(lines[1]); n != 4+HeatmapWeeks {
		t.Errorf("Mon row has %d runes, want %d", n, 4+HeatmapWeeks)
	}
	// Levels for a maximum of 5: ceil(5/4) = 2, ceil(10/4) = 3,
	// ceil(15/4) = 4, 5: ░ 1-2, ▒ 3, ▓ 4, █ 5.
	for _, s := range []string{"· 0 reviews   ░ 1-2   ▒ 3   ▓ 4   █ 5", "Mar Apr May",
		"15 reviews in 53 weeks · 11 study days", "streak 2 days (longest 5)", "today 5 reviews, 50s"} {
		if !strings.Contains(out, s) {
			t.Errorf("heatmap lacks %q:\n%s", s, out)
		}
	}
	// A narrower width keeps the most recent weeks.
	narrow := strings.Split(RenderHeatmap(res.Total.Activity, 24), "\n")
	if !strings.HasSuffix(narrow[3], "█") || utf8.RuneCountInString(narrow[3]) != 24 {
		t.Errorf("narrow Wed row %q", narrow[3])
	}
}

func TestHeatLevels(t *testing.T) {
	// 20: 5, 10, 15, 20; 1: every level's bound is 1 (only ░ used).
	if got := heatLevels(20); got != [4]int{5, 10, 15, 20} {
		t.Errorf("levels(20) = %v", got)
	}
	if got := heatLevels(1); got != [4]int{1, 1, 1, 1} {
		t.Errorf("levels(1) = %v", got)
	}
}

func TestRenderForecast(t *testing.T) {
	res := compute(t)
	for _, w := range widths {
		checkWidth(t, "forecast", RenderForecast(res.Total.Forecast, w), w)
	}
	out := RenderForecast(res.Total.Forecast, 80)
	lines := strings.Split(out, "\n")
	// Total: today 6 (the maximum: a full column), tomorrow 2 (2/6 of 8
	// rows = 21 eighths: 2 full rows and ▅), day 9: 1 (11 eighths: one
	// full row and ▃). 80 columns: axis "6 │", 2 columns a day.
	if !strings.HasPrefix(lines[0], "6 │█") || strings.Contains(lines[0][len("6 │█"):], "█") {
		t.Errorf("top row %q", lines[0])
	}
	if !strings.HasPrefix(lines[5], "  │█ ▅") || !strings.HasPrefix(lines[6], "  │█ █") {
		t.Errorf("rows 5, 6: %q %q", lines[5], lines[6])
	}
	if !strings.HasPrefix(lines[4], "3 │") {
		t.Errorf("mid label row %q", lines[4])
	}
	if want := "  │█ █" + strings.Repeat(" ", 15) + "█"; !strings.HasPrefix(lines[7], want) {
		t.Errorf("bottom row %q, want prefix %q", lines[7], want)
	}
	if !strings.HasPrefix(lines[8], "0 └──") || !strings.Contains(lines[9], "0             7             14") {
		t.Errorf("axis %q %q", lines[8], lines[9])
	}
	// today 6 (overdue h 1), tomorrow 2, 7 days 8, 30 days 9, later y.
	for _, s := range []string{"today 6 (overdue 1)", "tomorrow 2", "7 days 8", "30 days 9", "later 1", "daily load 1.4"} {
		if !strings.Contains(out, s) {
			t.Errorf("forecast lacks %q:\n%s", s, out)
		}
	}
	if empty := RenderForecast(Forecast{}, 40); !strings.Contains(empty, "No cards due") {
		t.Errorf("empty forecast %q", empty)
	}
}

func TestRenderButtons(t *testing.T) {
	res := compute(t)
	for _, w := range widths {
		checkWidth(t, "buttons", RenderButtons(res.Total.ButtonsAll, w), w)
	}
	out := RenderButtons(res.Total.ButtonsAll, 80)
	// young [2 0 4 1]: 2/7 = 29%, 4/7 = 57%, 1/7 = 14%, correct 5/7 = 71%;
	// mature [1 1 1 0]: 33% each, correct 2/3 = 67%; learning 5 Good.
	for _, s := range []string{"Again", "Correct", "2 (29%)", "4 (57%)", "1 (14%)", "71%", "1 (33%)", "67%", "5 (100%)"} {
		if !strings.Contains(out, s) {
			t.Errorf("buttons lack %q:\n%s", s, out)
		}
	}
	young := strings.Fields(strings.Split(out, "\n")[2])
	if strings.Join(young, " ") != "Young 2 (29%) 0 (0%) 4 (57%) 1 (14%) 71%" {
		t.Errorf("young row %q", young)
	}
	if narrow := RenderButtons(res.Total.ButtonsAll, 48); strings.Contains(narrow, "(") || !strings.Contains(narrow, "71%") {
		t.Errorf("narrow buttons:\n%s", narrow)
	}
}

func TestRenderHistogram(t *testing.T) {
	res := compute(t)
	for _, w := range widths {
		for _, h := range []Histogram{res.Total.Intervals, res.Total.Stability, res.Total.Difficulty, res.Total.Retrievability} {
			checkWidth(t, h.Title, RenderHistogram(h, w), w)
		}
	}
	out := RenderHistogram(res.Total.Intervals, 60)
	lines := strings.Split(out, "\n")
	// 7 intervals, mean 33; "30-59" holds 2 of 7 (29%), the most: a full
	// bar of 60 - 7 (label) - 7 ("2 (29%)") - 2 = 44 █; "4-6" holds 1:
	// 22 █.
	if !strings.Contains(lines[0], "7 cards") || !strings.Contains(lines[0], "mean 33") {
		t.Errorf("title %q", lines[0])
	}
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "  30-59 "):
			if l != "  30-59 "+strings.Repeat("█", 44)+" 2 (29%)" {
				t.Errorf("30-59 line %q", l)
			}
		case strings.HasPrefix(l, "    4-6 "):
			if l != "    4-6 "+strings.Repeat("█", 22)+strings.Repeat(" ", 22)+" 1 (14%)" {
				t.Errorf("4-6 line %q", l)
			}
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 days", 1: "1 day", 2: "2 days"} {
		if got := plural(n, "day"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTableGrowsWithTheTerminal(t *testing.T) {
	in := world(t)
	in.Decks[0].Title = "Kubernetes & Container Orchestration"
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var narrow, wide, huge bytes.Buffer
	WriteTableWidth(&narrow, &res.Report, 60)
	WriteTableWidth(&wide, &res.Report, 120)
	WriteTableWidth(&huge, &res.Report, 300)
	var plain bytes.Buffer
	WriteTable(&plain, &res.Report)
	if narrow.String() != plain.String() {
		t.Error("below 80 columns the table keeps its 80-column form")
	}
	checkWidth(t, "wide table", wide.String(), 120)
	if !strings.Contains(wide.String(), "Kubernetes & Container Orchestration ") || strings.Contains(wide.String(), "…") {
		t.Errorf("at 120 columns the title is cut:\n%s", wide.String())
	}
	checkWidth(t, "huge table", huge.String(), TableWidth-24+maxAreaWidth)
}

// Written to a file (width 0), the table names every area by its whole
// title, however long.
func TestTableToAFileKeepsWholeTitles(t *testing.T) {
	in := world(t)
	long := "Kubernetes & Container Orchestration — workloads, networking, storage and security"
	in.Decks[0].Title = long
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteTableWidth(&buf, &res.Report, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), long+" ") || strings.Contains(buf.String(), "…") {
		t.Fatalf("title cut in a file:\n%s", buf.String())
	}
}

// A retention column keeps one format down to the Total row; Known is a
// whole number of cards; the retrievability mean is a percent.
func TestTableFormatsAreSteady(t *testing.T) {
	r := &Report{Decks: []DeckStats{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}}
	r.Decks[0].TrueRetention.Month.Young = pf(5000, 4000)
	r.Decks[1].TrueRetention.Month.Young = pf(5, 4)
	r.Total.TrueRetention.Month.Young = pf(5005, 4004)
	r.Total.Knowledge = 482.14
	var buf bytes.Buffer
	if err := WriteTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "n=") != 3 || !strings.Contains(out, "   482") || strings.Contains(out, "482.1") {
		t.Fatalf("formats switch:\n%s", out)
	}
	h := Histogram{Title: "Retrievability now", N: 20, Mean: 0.991, Percent: true}
	if got := RenderHistogram(h, 80); !strings.Contains(got, "20 cards · mean 99%") {
		t.Fatalf("histogram head %q", got)
	}
}
