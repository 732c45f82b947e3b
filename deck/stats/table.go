package stats

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// TableWidth is the width WriteTable keeps every line within.
const TableWidth = 80

// table columns: header, width, right-aligned.
var tableCols = []struct {
	head  string
	width int
	right bool
}{
	{"Area", 24, false},
	{"Cards", 6, true},
	{"Due", 5, true},
	{"Young 30d", 12, true},
	{"Mature 30d", 12, true},
	{"Recall", 6, true},
	{"Known", 7, true},
}

// WriteTable writes the `opsdeck stats` table: one line per area with its
// cards, cards due today, true retention of young and mature cards over the
// last 30 days (percent passed, passed/counted), the mean retrievability
// now and the knowledge (cards you would recall now), then the total and
// the settings. Every line fits in TableWidth columns.
func WriteTable(w io.Writer, r *Report) error { return WriteTableWidth(w, r, TableWidth) }

// maxAreaWidth bounds the Area column on wide terminals.
const maxAreaWidth = 44

// WriteTableWidth is WriteTable for a terminal of the given width: the Area
// column grows with it (up to maxAreaWidth) so long titles are not cut.
// Below TableWidth it keeps TableWidth. Width 0 is not a terminal (a file,
// a pipe): the Area column is as wide as the longest title. Where a title
// would be cut, every area is named by its deck ID instead (IDs are short).
func WriteTableWidth(w io.Writer, r *Report, width int) error {
	names := make([]string, len(r.Decks))
	longest, longestID := 0, 0
	for i, d := range r.Decks {
		names[i] = d.Title
		if names[i] == "" {
			names[i] = d.ID
		}
		longest = max(longest, cells(names[i]))
		longestID = max(longestID, cells(d.ID))
	}
	cols := slices.Clone(tableCols)
	if width <= 0 {
		cols[0].width = max(cols[0].width, longest)
	} else {
		width = max(width, TableWidth)
		cols[0].width = min(cols[0].width+width-TableWidth, maxAreaWidth)
		if longest > cols[0].width && longestID < longest {
			for i, d := range r.Decks {
				names[i] = d.ID
			}
		}
	}
	// A retention column shows passed/counted on every row, or n=counted on
	// every row when one of them would not fit: the Total row keeps the
	// format of the rows above it.
	long := [2]bool{true, true}
	for _, a := range append([]*AreaStats{&r.Total}, deckAreas(r)...) {
		for k, pf := range []PassFail{a.TrueRetention.Month.Young, a.TrueRetention.Month.Mature} {
			if cells(retentionCell(pf, 1<<10, true)) > 12 {
				long[k] = false
			}
		}
	}
	bw := bufio.NewWriter(w)
	row := func(cells ...string) {
		var b strings.Builder
		for i, c := range cols {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(pad(cells[i], c.width, c.right))
		}
		bw.WriteString(strings.TrimRight(b.String(), " "))
		bw.WriteByte('\n')
	}
	heads := make([]string, len(cols))
	ruleWidth := len(cols) - 1
	for i, c := range cols {
		heads[i] = c.head
		ruleWidth += c.width
	}
	row(heads...)
	rule := strings.Repeat("─", ruleWidth)
	noteWidth := TableWidth + cols[0].width - tableCols[0].width
	bw.WriteString(rule + "\n")
	area := func(name string, a *AreaStats) {
		row(name,
			fmt.Sprint(a.Cards.Total),
			fmt.Sprint(a.DueToday),
			retentionCell(a.TrueRetention.Month.Young, 12, long[0]),
			retentionCell(a.TrueRetention.Month.Mature, 12, long[1]),
			percentCell(a.Retrievability),
			fmt.Sprintf("%.0f", a.Knowledge)) // a number of cards
	}
	for i := range r.Decks {
		area(names[i], &r.Decks[i].AreaStats)
	}
	if len(r.Decks) > 0 {
		bw.WriteString(rule + "\n")
	}
	area("Total", &r.Total)
	bw.WriteString(fit(fmt.Sprintf("Desired retention %s · day starts at %02d:00 · %s",
		percent(r.DesiredRetention), r.DayStartsAtHour, r.Now.Format("2006-01-02 15:04 MST")), noteWidth) + "\n")
	for _, l := range wrap("Young/Mature 30d: true retention over the last 30 days (passed/counted) "+
		"of reviews after an interval under/from 21 days. Recall: mean retrievability now. "+
		"Known: cards you would recall now.", noteWidth) {
		bw.WriteString(l + "\n")
	}
	return bw.Flush()
}

// retentionCell formats a pass rate and its counts in at most width runes:
// passed/counted when long, else n=counted.
func retentionCell(pf PassFail, width int, long bool) string {
	rate, ok := pf.Rate()
	if !ok {
		return "—"
	}
	s := fmt.Sprintf("%s %d/%d", percent(rate), pf.Pass, pf.Pass+pf.Fail)
	if !long || cells(s) > width {
		s = fmt.Sprintf("%s n=%s", percent(rate), short(pf.Pass+pf.Fail))
	}
	return fit(s, width)
}

func deckAreas(r *Report) []*AreaStats {
	out := make([]*AreaStats, len(r.Decks))
	for i := range r.Decks {
		out[i] = &r.Decks[i].AreaStats
	}
	return out
}

func percentCell(p *float64) string {
	if p == nil {
		return "—"
	}
	return percent(*p)
}

// percent formats a rate as a whole percent, except that a rate below 100%
// never rounds up to 100%.
func percent(f float64) string {
	p := math.Round(f * 100)
	if p == 100 && f < 1 {
		p = 99
	}
	return fmt.Sprintf("%.0f%%", p)
}

// short formats a count in at most 5 runes (12345 -> 12k).
func short(n int) string {
	switch {
	case n < 100000:
		return fmt.Sprint(n)
	case n < 100000000:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprintf("%dM", n/1000000)
}

// pad pads or cuts s to exactly width terminal cells.
func pad(s string, width int, right bool) string {
	s = fit(s, width)
	n := width - cells(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// fit cuts s to at most width terminal cells, ending it with "…" when cut.
func fit(s string, width int) string {
	if cells(s) <= width {
		return s
	}
	if width <= 0 {
		return ""
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := cells(string(r))
		if w+rw > width-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// wrap breaks text into lines of at most width runes at spaces (a word
// longer than width is cut).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = fit(w, width)
		case cells(line)+1+cells(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = fit(w, width)
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
