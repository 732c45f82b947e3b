package tui

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// wrapText breaks plain text into lines of at most width cells at spaces,
// keeping its line breaks; a word longer than the width is cut.
func wrapText(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapWords(para, width, lipgloss.Width)...)
	}
	return strings.Join(out, "\n")
}

// wrapWords breaks one line into lines of at most width cells as measured
// by wf, keeping its leading indentation on every line. Control characters
// are shown as symbols (deck.SafeText). A URL is never broken: one wider
// than the line gets a line of its own, and is wider than width (the
// renderer shows it as a link, see linkURLs). It takes time linear in the
// line's length: a word longer than the width is cut by summing the widths
// of its runes, then checked with wf.
func wrapWords(line string, width int, wf func(string) int) []string {
	line = deck.SafeText(line)
	if width < 1 {
		width = 1
	}
	if wf(line) <= width {
		return []string{line}
	}
	indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
	if len(indent) > width/2 {
		indent = ""
	}
	avail := width - len(indent)
	var lines []string
	cur, curW := "", 0
	for _, w := range strings.Fields(line) {
		ww := wf(w)
		if ww > avail && avail > 0 && !isURL(w) { // hard cut a long word
			if cur != "" {
				lines = append(lines, cur)
				cur, curW = "", 0
			}
			var chunks []string
			w, chunks = cutWord(w, avail, wf)
			for _, c := range chunks {
				lines = append(lines, indent+c)
			}
			ww = wf(w)
		}
		if w == "" {
			continue
		}
		switch {
		case cur == "":
			cur, curW = indent+w, len(indent)+ww
		case curW+1+ww <= width:
			cur += " " + w
			curW += 1 + ww
		default:
			lines = append(lines, cur)
			cur, curW = indent+w, len(indent)+ww
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// cutWord cuts w into chunks of at most avail cells (by wf) and returns the
// rest that fits in avail cells, in time linear in len(w).
func cutWord(w string, avail int, wf func(string) int) (rest string, chunks []string) {
	rs := []rune(w)
	rw := make([]int, len(rs)+1) // rw[i]: the summed rune widths of rs[i:]
	for i := len(rs) - 1; i >= 0; i-- {
		rw[i] = rw[i+1] + runeCells(rs[i])
	}
	for pos := 0; pos < len(rs); {
		if rw[pos] <= avail && wf(string(rs[pos:])) <= avail {
			return string(rs[pos:]), chunks
		}
		n := prefixFitting(rs[pos:], rw[pos:], avail, wf)
		chunks = append(chunks, string(rs[pos:pos+n]))
		pos += n
	}
	return "", chunks
}

// prefixFitting is how many runes of rs (at least one) fit in avail cells
// as measured by wf; rw holds the summed rune widths from each rune on.
// The rune widths give a first guess, which a few calls of wf correct (a
// grapheme cluster or a ** marker makes the sum differ from wf).
func prefixFitting(rs []rune, rw []int, avail int, wf func(string) int) int {
	n := 0
	for n < len(rs) && rw[0]-rw[n+1] <= avail {
		n++
	}
	for k := 0; k < 8 && n > 1 && wf(string(rs[:n])) > avail; k++ {
		n--
	}
	for k := 0; k < 8 && n < len(rs) && wf(string(rs[:n+1])) <= avail; k++ {
		n++
	}
	return max(n, 1)
}

// runeCells is the width of one rune in terminal cells.
func runeCells(r rune) int {
	if r >= 0x20 && r < 0x7f {
		return 1
	}
	return lipgloss.Width(string(r))
}

// renderCardText lays out card text (a little Markdown) in width cells:
// paragraphs and list items are reflowed (a single line break is a space,
// as in Markdown) with hanging indents for list items; tables and lines
// ending in a hard break keep their lines; **bold** and `code` are styled.
// Code fences are set apart by a "│" gutter and a language label, so they
// stand out without colour; their lines are cut, not wrapped, with "…".
//
// Card text is untrusted: every control character but tab and newline is
// shown as a symbol (deck.SafeText) before layout, and layout takes time
// linear in the text's length.
func renderCardText(s string, width int, st *Styles, base lipgloss.Style) []string {
	s = deck.SafeText(s)
	var out []string
	bold := false
	emit := func(prefix, rest, text string) {
		first := true
		room := max(1, width-lipgloss.Width(prefix))
		for _, l := range wrapWords(text, room, markupWidth) {
			var r string
			r, bold = renderInline(l, bold, markupWidth(l)-room, st, base)
			if first {
				out = append(out, prefix+r)
				first = false
			} else {
				out = append(out, rest+r)
			}
		}
		if first { // an empty item
			out = append(out, prefix)
		}
	}
	var para []string // the paragraph being gathered
	var prefix, rest string
	flush := func() {
		if para != nil {
			emit(prefix, rest, strings.Join(para, " "))
			para = nil
		}
	}
	inCode := false
	for _, line := range strings.Split(strings.ReplaceAll(s, "\t", "    "), "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, "```"):
			flush()
			if !inCode {
				head := "┌─"
				if lang := strings.TrimSpace(strings.TrimPrefix(trim, "```")); lang != "" {
					head += " " + lang
				}
				out = append(out, st.Rule.Render(head))
			} else {
				out = append(out, st.Rule.Render("└─"))
			}
			inCode = !inCode
		case inCode:
			out = append(out, st.Rule.Render("│ ")+st.Code.Render(cutText(line, width-2)))
		case trim == "":
			flush()
			bold = false
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
		case strings.HasPrefix(trim, "|"): // a table row: kept whole, cut
			flush()
			r, _ := renderInline(cutText(line, width), false, 0, st, base)
			out = append(out, r)
		case strings.HasPrefix(trim, "#"):
			flush()
			emit("", "", line)
		default:
			indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
			if m := listMarker(trim); m != "" {
				flush()
				prefix = indent + m
				rest = strings.Repeat(" ", lipgloss.Width(prefix))
				para = []string{strings.TrimSpace(trim[len(m):])}
			} else if para == nil {
				prefix, rest = indent, indent
				para = []string{trim}
			} else {
				para = append(para, trim)
			}
			if strings.HasSuffix(line, "  ") || strings.HasSuffix(trim, "\\") { // a hard break
				para[len(para)-1] = strings.TrimSuffix(para[len(para)-1], "\\")
				flush()
			}
		}
	}
	flush()
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// listMarker returns the list marker ("- ", "* ", "1. ", "> ") a trimmed
// line starts with, or "".
func listMarker(t string) string {
	for _, m := range []string{"- ", "* ", "+ ", "> "} {
		if strings.HasPrefix(t, m) {
			return m
		}
	}
	i := 0
	for i < len(t) && i < 3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return t[:i+2]
	}
	return ""
}

// isURL reports whether a word is (or starts, after an opening bracket or
// quote, with) a web address, which wrapping must never break.
func isURL(w string) bool {
	w = strings.TrimLeft(w, "(<[\"'`*")
	return strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://")
}

// urlEnd is the length of the URL at the start of s: up to a space, a
// closing bracket or quote, or a trailing full stop or comma.
func urlEnd(s string) int {
	n := strings.IndexAny(s, " \t>)]\"'`")
	if n < 0 {
		n = len(s)
	}
	for n > 0 && strings.ContainsRune(".,;:!?", rune(s[n-1])) {
		n--
	}
	return n
}

// linkURLs makes every URL in a line of plain text an OSC 8 hyperlink when
// links is set (terminals without OSC 8 show the text alone), so that a
// click opens the whole address even where the line is too narrow to show
// it. over is how many cells the line is wider than its room: the URL's
// visible text is cut by that much, with "…"; its target never is.
// Without links the URL's text is the only way to read it: it is cut the
// same way only because the screen ends there.
func linkURLs(s string, over int, links bool) string {
	if !strings.Contains(s, "http") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "http")
		if i < 0 {
			break
		}
		n := urlEnd(s[i:])
		u := s[i : i+n]
		if !isURL(u) || n == 0 {
			b.WriteString(s[:i+4])
			s = s[i+4:]
			continue
		}
		b.WriteString(s[:i])
		text := u
		if over > 0 {
			text = cutText(u, lipgloss.Width(u)-over)
			over = 0
		}
		if links && !strings.ContainsFunc(u, unicode.IsControl) { // (card text is untrusted)
			b.WriteString(ansi.SetHyperlink(u) + text + ansi.ResetHyperlink())
		} else {
			b.WriteString(text)
		}
		s = s[i+n:]
	}
	b.WriteString(s)
	return b.String()
}

// markupWidth is the width of a line once its ** markers are removed.
func markupWidth(s string) int { return lipgloss.Width(strings.ReplaceAll(s, "**", "")) }

// renderInline styles **bold** and `code` spans of one line; bold says
// whether a bold span is open from the previous line, and the result says
// whether one is open at the end. Backticks stay: they mark code without
// colour. URLs outside code become links (linkURLs, with over).
func renderInline(line string, bold bool, over int, st *Styles, base lipgloss.Style) (string, bool) {
	var b strings.Builder
	code := false
	seg := strings.Builder{}
	flush := func() {
		if seg.Len() == 0 {
			return
		}
		s := seg.String()
		seg.Reset()
		if !code && strings.Contains(s, "http") {
			s = linkURLs(s, over, st.Links)
			over = 0
		}
		switch {
		case code:
			b.WriteString(st.Inline.Render(s))
		case bold:
			b.WriteString(base.Bold(true).Render(s))
		default:
			b.WriteString(base.Render(s))
		}
	}
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '`':
			if !code {
				flush()
				code = true
				seg.WriteByte('`')
			} else {
				seg.WriteByte('`')
				flush()
				code = false
			}
		case !code && strings.HasPrefix(line[i:], "**"):
			flush()
			bold = !bold
			i++
		default:
			seg.WriteByte(line[i])
		}
	}
	flush()
	return b.String(), bold
}

// cutText cuts s to width cells, ending it with "…" when cut, in time
// linear in its length. Control characters are shown as symbols
// (deck.SafeText).
// cutView cuts a rendered view (a bubbles input's View, already styled and
// holding the app's own escape sequences: never card text) to width cells,
// ending it with "…" when cut.
func cutView(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

func cutText(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = deck.SafeText(s)
	if lipgloss.Width(s) <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	// Only the runes that can fit matter: those whose summed widths stay
	// within the width, and a few more for prefixFitting to try.
	rs := []rune(s)
	lim, sum := 0, 0
	for lim < len(rs) && sum <= width {
		sum += runeCells(rs[lim])
		lim++
	}
	lim = min(len(rs), lim+8)
	sw := make([]int, lim+1) // summed rune widths from each rune on
	for i := lim - 1; i >= 0; i-- {
		sw[i] = sw[i+1] + runeCells(rs[i])
	}
	n := prefixFitting(rs[:lim], sw, width-1, lipgloss.Width)
	if lipgloss.Width(string(rs[:n])) > width-1 {
		n = 0
	}
	return string(rs[:n]) + "…"
}

// cutMiddle shortens s to width cells by cutting out its middle ("…"),
// keeping both ends: what tells card IDs apart is often at the end.
func cutMiddle(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	if width < 3 {
		return cutText(s, width)
	}
	rs := []rune(s)
	tail := (width - 1) / 2
	for tail > 0 && lipgloss.Width(string(rs[len(rs)-tail:])) > (width-1)/2 {
		tail--
	}
	head := cutText(string(rs[:len(rs)-tail]), width-lipgloss.Width(string(rs[len(rs)-tail:])))
	return head + string(rs[len(rs)-tail:])
}

// padRight pads s with spaces to width cells (cutting it when longer).
// padView pads or cuts a rendered view (see cutView) to width cells.
func padView(s string, width int) string {
	s = cutView(s, width)
	if n := width - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

func padRight(s string, width int) string {
	s = cutText(s, width)
	if n := width - lipgloss.Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// padLeft right-aligns s in width cells.
func padLeft(s string, width int) string {
	s = cutText(s, width)
	if n := width - lipgloss.Width(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

// intervalText formats the wait before a card's next review as Anki does
// on its buttons: <1m, 10m, 3h, 8d, 1.5mo, 2.1y.
func intervalText(c fsrs.Card, now time.Time) string {
	if c.ScheduledDays > 0 {
		return daysText(c.ScheduledDays)
	}
	d := c.Due.Sub(now)
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(math.Round(d.Minutes())))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(math.Round(d.Hours())))
	}
	return daysText(int(math.Round(d.Hours() / 24)))
}

func daysText(days int) string {
	switch {
	case days < 30:
		return fmt.Sprintf("%dd", days)
	case days < 365:
		return trimZero(fmt.Sprintf("%.1fmo", float64(days)/30))
	}
	return trimZero(fmt.Sprintf("%.1fy", float64(days)/365))
}

func trimZero(s string) string { return strings.Replace(s, ".0", "", 1) }

// durText formats a time spent: 45s, 12m, 1h05m.
func durText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// untilText formats how long until a time: 5m, 3h, 2d.
func untilText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(math.Ceil(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// whenText says when t comes, seen from now, in the scheduler's zone:
// "now", "at 14:32 (in 25m)", "tomorrow at 04:00 (in 18h58m)",
// "on Tue 3 Mar (in 5d)".
func whenText(t, now time.Time, s *fsrs.Scheduler) string {
	if !t.After(now) {
		return "now"
	}
	loc := s.Params().Location
	if loc == nil {
		loc = time.UTC
	}
	lt, ln := t.In(loc), now.In(loc)
	in := untilText(t.Sub(now))
	ty, tm, td := lt.Date()
	ny, nm, nd := ln.Date()
	at := "at"
	if s.DayStart(t).Equal(t) {
		at = "from" // a day start: the card is there all that day
	}
	switch {
	case ty == ny && tm == nm && td == nd:
		return fmt.Sprintf("%s %s (in %s)", at, lt.Format("15:04"), in)
	case lt.Before(time.Date(ny, nm, nd+2, 0, 0, 0, 0, loc)):
		return fmt.Sprintf("tomorrow %s %s (in %s)", at, lt.Format("15:04"), in)
	}
	return fmt.Sprintf("on %s (in %s)", lt.Format("Mon 2 Jan"), in)
}

// percentText formats a rate as a whole percent that never rounds up to
// 100% below 1.
func percentText(f float64) string {
	p := math.Round(f * 100)
	if p == 100 && f < 1 {
		p = 99
	}
	return fmt.Sprintf("%.0f%%", p)
}

// bar draws a progress bar of width cells, done of total, with █ and ░ (no
// colour needed).
func bar(done, total, width int) string {
	if width <= 0 {
		return ""
	}
	n := 0
	if total > 0 {
		n = done * width / total
	}
	return strings.Repeat("█", n) + strings.Repeat("░", width-n)
}

// tagsOf is a card's tags as the screens show them: a leech carries the
// tag "leech", as in Anki.
func tagsOf(c deck.Card, p deck.Progress) []string {
	if !p.Leech {
		return c.Tags
	}
	for _, t := range c.Tags {
		if t == "leech" {
			return c.Tags
		}
	}
	return append(append([]string(nil), c.Tags...), "leech")
}

// stabilityText formats an FSRS stability (days): "12.5d", "3d", and under
// a day in hours or minutes ("6h", "25m"), never "0.0d".
func stabilityText(days float64) string {
	if days >= 1 {
		return trimZero(fmt.Sprintf("%.1fd", days))
	}
	return deck.FormatInterval(time.Duration(days * float64(24*time.Hour)))
}
