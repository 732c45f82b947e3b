package stats

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// The chart renderers below return plain text of at most width runes a
// line, readable without colour: block characters show the shape and
// numbers carry the values.

var (
	shades   = []rune("░▒▓█")      // heatmap levels 1-4
	vEighths = []rune(" ▁▂▃▄▅▆▇█") // vertical bar, 0-8 eighths
	hEighths = []rune(" ▏▎▍▌▋▊▉█") // horizontal bar, 0-8 eighths
	weekdays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
)

// joinLines fits every line to width and joins them.
func joinLines(lines []string, width int) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimRight(fit(l, width), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// pack puts parts on lines of at most width runes, separated by sep.
func pack(parts []string, sep string, width int) []string {
	var lines []string
	line := ""
	for _, p := range parts {
		p = fit(p, width)
		switch {
		case line == "":
			line = p
		case cells(line)+cells(sep)+cells(p) <= width:
			line += sep + p
		default:
			lines = append(lines, line)
			line = p
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// heatLevels returns the upper bound of each of the 4 shade levels for
// counts up to max: level k holds counts in (t[k-1], t[k]], t[-1] = 0.
func heatLevels(max int) [4]int {
	var t [4]int
	for k := range t {
		t[k] = (max*(k+1) + 3) / 4 // ceil(max*(k+1)/4)
	}
	return t
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%.1fh", d.Hours())
}

// RenderHeatmap draws the review calendar: a row per weekday, a column per
// week (the most recent weeks that fit in width), month names on top, ·
// for a day without reviews and ░▒▓█ for more, with a legend giving each
// shade's range of reviews, then the totals and streaks.
func RenderHeatmap(a Activity, width int) string {
	maxN, total, studied := 0, 0, 0
	for _, c := range a.Cells {
		maxN = max(maxN, c.Reviews)
		total += c.Reviews
		if c.Reviews > 0 {
			studied++
		}
	}
	lv := heatLevels(maxN)
	weeks := min(HeatmapWeeks, width-4)
	var lines []string
	if weeks > 0 {
		first := HeatmapWeeks - weeks
		// Month names where a month starts (and over the first column,
		// unless the next month starts within 4 columns), 1 apart at least.
		var cols []int
		for w := first; w < HeatmapWeeks; w++ {
			if w == first || a.Cells[w*7].Start.Month() != a.Cells[(w-1)*7].Start.Month() {
				cols = append(cols, w)
			}
		}
		if len(cols) > 1 && cols[1]-cols[0] < 4 {
			cols = cols[1:]
		}
		head := []rune(strings.Repeat(" ", 4+weeks))
		lastEnd := 0
		for _, w := range cols {
			col := 4 + w - first
			name := []rune(a.Cells[w*7].Start.Format("Jan"))
			if col >= lastEnd && col+len(name) <= len(head) {
				copy(head[col:], name)
				lastEnd = col + len(name) + 1
			}
		}
		lines = append(lines, string(head))
		for d := 0; d < 7; d++ {
			var b strings.Builder
			b.WriteString(weekdays[d] + " ")
			for w := first; w < HeatmapWeeks; w++ {
				c := a.Cells[w*7+d]
				switch {
				case c.Future:
					b.WriteByte(' ')
				case c.Reviews == 0:
					b.WriteRune('·')
				default:
					k := 0
					for c.Reviews > lv[k] {
						k++
					}
					b.WriteRune(shades[k])
				}
			}
			lines = append(lines, b.String())
		}
	}
	legend := []string{"· 0 reviews"}
	lo := 1
	for k, hi := range lv {
		if hi < lo {
			continue
		}
		if hi == lo {
			legend = append(legend, fmt.Sprintf("%c %d", shades[k], hi))
		} else {
			legend = append(legend, fmt.Sprintf("%c %d-%d", shades[k], lo, hi))
		}
		lo = hi + 1
	}
	lines = append(lines, pack(legend, "   ", width)...)
	lines = append(lines, pack([]string{
		fmt.Sprintf("%s in %d weeks", plural(total, "review"), HeatmapWeeks),
		plural(studied, "study day"),
		fmt.Sprintf("streak %s (longest %d)", plural(a.CurrentStreak, "day"), a.LongestStreak),
		fmt.Sprintf("today %s, %s", plural(a.Cells[a.Today].Reviews, "review"), formatDuration(a.TimeToday)),
		fmt.Sprintf("time all %s", formatDuration(a.TimeAll)),
	}, " · ", width)...)
	return joinLines(lines, width)
}

// forecastHeight is the number of bar rows of RenderForecast.
const forecastHeight = 8

// RenderForecast draws the cards due on each of the next 30 days as
// vertical bars (▁▂▃▄▅▆▇█, an eighth of a row each) over an axis of counts
// and days from today, then the totals and the daily load.
func RenderForecast(f Forecast, width int) string {
	return RenderForecastRows(f, width, forecastHeight)
}

// RenderForecastRows is RenderForecast with rows bar rows (at least 2), for
// a screen with room to spare.
func RenderForecastRows(f Forecast, width, rows int) string {
	forecastHeight := max(2, rows)
	maxN, week, month := 0, 0, 0
	for i, n := range f.Days {
		maxN = max(maxN, n)
		month += n
		if i < 7 {
			week += n
		}
	}
	var lines []string
	aw := len(fmt.Sprint(maxN))
	avail := width - aw - 2
	if maxN > 0 && avail > 0 {
		n, cw := ForecastDays, 1
		if avail < ForecastDays {
			n = avail
		} else {
			cw = min(3, avail/ForecastDays)
		}
		for row := 0; row < forecastHeight; row++ {
			label := ""
			switch row {
			case 0:
				label = fmt.Sprint(maxN)
			case forecastHeight / 2:
				if maxN >= 2 {
					label = fmt.Sprint(maxN / 2)
				}
			}
			var b strings.Builder
			b.WriteString(pad(label, aw, true) + " │")
			base := (forecastHeight - 1 - row) * 8 // eighths below this row
			for d := 0; d < n; d++ {
				e := int(math.Round(float64(f.Days[d]) * float64(forecastHeight*8) / float64(maxN)))
				if f.Days[d] > 0 && e == 0 {
					e = 1
				}
				r := vEighths[min(8, max(0, e-base))]
				// A bar of cw-1 columns and a gap, or cw = 1 column.
				for i := 0; i < max(1, cw-1); i++ {
					b.WriteRune(r)
				}
				if cw > 1 {
					b.WriteByte(' ')
				}
			}
			lines = append(lines, b.String())
		}
		lines = append(lines, pad("0", aw, true)+" └"+strings.Repeat("─", n*cw))
		axis := []rune(strings.Repeat(" ", aw+2+n*cw))
		lastEnd := 0
		for d := 0; d < n; d += 7 {
			col := aw + 2 + d*cw
			s := []rune(fmt.Sprint(d))
			if col >= lastEnd && col+len(s) <= len(axis) {
				copy(axis[col:], s)
				lastEnd = col + len(s) + 1
			}
		}
		lines = append(lines, string(axis)+" days")
	} else if maxN == 0 {
		lines = append(lines, "No cards due in the next 30 days.")
	}
	lines = append(lines, pack([]string{
		fmt.Sprintf("today %d (overdue %d)", f.Days[0], f.Overdue),
		fmt.Sprintf("tomorrow %d", f.Days[1]),
		fmt.Sprintf("7 days %d", week),
		fmt.Sprintf("30 days %d", month),
		fmt.Sprintf("later %d", f.Later),
	}, " · ", width)...)
	lines = append(lines, wrap(fmt.Sprintf("daily load %.1f: the reviews a day your review cards will take "+
		"in the long run", f.DailyLoad), width)...)
	return joinLines(lines, width)
}

var kindNames = []string{"Learning", "Young", "Mature"}
var gradeNames = []string{"Again", "Hard", "Good", "Easy"}

// RenderButtons draws the answer-button counts: a row per kind of card
// (learning, young, mature), a column per grade with its count and share
// of the row, and the share answered correctly (not Again).
func RenderButtons(b Buttons, width int) string {
	rows := make([][]string, 3)
	cw := 5
	for k := range 3 {
		n := 0
		for _, c := range b.Counts[k] {
			n += c
		}
		row := make([]string, 5)
		for g, c := range b.Counts[k] {
			row[g] = fmt.Sprint(c)
			if n > 0 {
				row[g] += " (" + percent(float64(c)/float64(n)) + ")"
			}
			cw = max(cw, cells(row[g]))
		}
		row[4] = "—"
		if n > 0 {
			row[4] = percent(float64(n-b.Counts[k][0]) / float64(n))
		}
		rows[k] = row
	}
	full := 8 + 4*(cw+1) + 1 + 7
	if full > width { // drop the shares
		cw = 5
		for k := range rows {
			for g := range 4 {
				rows[k][g] = fmt.Sprint(b.Counts[k][g])
				cw = max(cw, len(rows[k][g]))
			}
		}
	}
	line := func(label string, cells []string) string {
		var s strings.Builder
		s.WriteString(pad(label, 8, false))
		for _, c := range cells[:4] {
			s.WriteString(" " + pad(c, cw, true))
		}
		s.WriteString(" " + pad(cells[4], 7, true))
		return s.String()
	}
	lines := []string{line("", append(append([]string{}, gradeNames...), "Correct"))}
	for k, cells := range rows {
		lines = append(lines, line(kindNames[k], cells))
	}
	return joinLines(lines, width)
}

// RenderHistogram draws a histogram as horizontal bars (█ and eighths),
// one line per bucket with its label and count, under a title line with the
// number of values and their mean.
func RenderHistogram(h Histogram, width int) string {
	mean := "mean " + strings.TrimSuffix(fmt.Sprintf("%.1f", h.Mean), ".0")
	switch {
	case h.N == 0:
		mean = "no cards yet"
	case h.Percent:
		mean = "mean " + percent(h.Mean)
	}
	lines := pack([]string{h.Title, plural(h.N, "card"), mean}, " · ", width)
	lw, nw, maxN := 0, 0, 0
	counts := make([]string, len(h.Buckets))
	for i, b := range h.Buckets {
		lw = max(lw, cells(b.Label))
		counts[i] = fmt.Sprint(b.Count)
		if h.N > 0 {
			counts[i] += fmt.Sprintf(" (%s)", percent(float64(b.Count)/float64(h.N)))
		}
		nw = max(nw, cells(counts[i]))
		maxN = max(maxN, b.Count)
	}
	bw := width - lw - nw - 2
	for i, b := range h.Buckets {
		var s strings.Builder
		s.WriteString(pad(b.Label, lw, true) + " ")
		if bw > 0 {
			e := 0
			if maxN > 0 {
				e = int(math.Round(float64(b.Count) * float64(bw*8) / float64(maxN)))
			}
			if b.Count > 0 && e == 0 {
				e = 1
			}
			bar := strings.Repeat("█", e/8)
			if e%8 > 0 {
				bar += string(hEighths[e%8])
			}
			s.WriteString(pad(bar, bw, false) + " ")
		}
		s.WriteString(counts[i])
		lines = append(lines, s.String())
	}
	return joinLines(lines, width)
}

// plural writes "1 day", "2 days".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// timeDays is the number of days the time chart shows.
const timeDays = 30

// RenderTimePerDay draws the time studied on each of the last 30 days as
// vertical bars (▁▂▃▄▅▆▇█) over an axis of minutes (seconds when every day
// is under two minutes) and days ago, then the totals: readable without
// colour.
func RenderTimePerDay(a Activity, width int) string {
	return RenderTimePerDayRows(a, width, forecastHeight)
}

// RenderTimePerDayRows is RenderTimePerDay with rows bar rows (at least 2).
func RenderTimePerDayRows(a Activity, width, rows int) string {
	rows = max(2, rows)
	days := make([]time.Duration, timeDays)
	var most, total time.Duration
	studied := 0
	for i := 0; i < timeDays; i++ {
		cell := a.Today - (timeDays - 1 - i)
		if cell < 0 {
			continue
		}
		d := a.Cells[cell].Time
		days[i] = d
		most = max(most, d)
		total += d
		if a.Cells[cell].Reviews > 0 {
			studied++
		}
	}
	unit, unitName := time.Minute, "minutes"
	if most < 2*time.Minute {
		unit, unitName = time.Second, "seconds"
	}
	top := int(math.Ceil(float64(most) / float64(unit)))
	var lines []string
	aw := len(fmt.Sprint(top))
	cw := 1
	if avail := width - aw - 2; avail >= 2*timeDays {
		cw = min(3, avail/timeDays)
	}
	eighths := []rune(" ▁▂▃▄▅▆▇█")
	if top == 0 {
		lines = append(lines, "No study time in the last 30 days.")
	} else {
		for r := 0; r < rows; r++ {
			label := ""
			switch {
			case r == 0:
				label = fmt.Sprint(top)
			case r == rows/2 && top >= 2:
				label = fmt.Sprint(top / 2)
			}
			var b strings.Builder
			b.WriteString(pad(label, aw, true) + " │")
			base := (rows - 1 - r) * 8
			for _, d := range days {
				e := int(math.Round(float64(d) / float64(unit) * float64(rows*8) / float64(top)))
				if d > 0 && e == 0 {
					e = 1
				}
				ch := eighths[min(8, max(0, e-base))]
				for i := 0; i < max(1, cw-1); i++ {
					b.WriteRune(ch)
				}
				if cw > 1 {
					b.WriteByte(' ')
				}
			}
			lines = append(lines, b.String())
		}
		lines = append(lines, pad("0", aw, true)+" └"+strings.Repeat("─", timeDays*cw))
		axis := []rune(strings.Repeat(" ", aw+2+timeDays*cw))
		for _, ago := range []int{29, 21, 14, 7, 0} {
			lbl := []rune(fmt.Sprintf("-%d", ago))
			if ago == 0 {
				lbl = []rune("today")
			}
			col := aw + 2 + (timeDays-1-ago)*cw
			if col+len(lbl) > len(axis) {
				col = len(axis) - len(lbl)
			}
			copy(axis[col:], lbl)
		}
		lines = append(lines, string(axis))
		lines = append(lines, pad("", aw, true)+"   "+unitName+" a day; days ago")
	}
	avg := time.Duration(0)
	if studied > 0 {
		avg = total / time.Duration(studied)
	}
	lines = append(lines, fmt.Sprintf("today %s · 30 days %s · %s a study day · all time %s",
		hoursText(a.TimeToday), hoursText(total), hoursText(avg), hoursText(a.TimeAll)))
	lines = append(lines, fmt.Sprintf("streak %s (longest %d) · studied on %s in all",
		plural(a.CurrentStreak, "day"), a.LongestStreak, plural(a.DaysStudied, "day")))
	var out []string
	for _, l := range lines {
		out = append(out, fit(l, width))
	}
	return strings.Join(out, "\n")
}

// hoursText formats a study time: 45s, 12m, 1h05m.
func hoursText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
