package stats

import (
	"fmt"
	"math"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// CardInfo is everything known about one card: Anki's card info.
type CardInfo struct {
	Card      deck.Card
	DeckTitle string
	Progress  deck.Progress
	State     string // new, learning, review, relearning
	Buried    bool   // buried at the moment of the info

	FirstReview, LatestReview time.Time // zero when never reviewed
	// Retrievability now; nil for a new card (as are Stability and
	// Difficulty then: read them from Progress otherwise).
	Retrievability *float64
	History        []deck.Review // oldest first
	// Curve is the predicted recall on each of CurveDays+1 days after the
	// latest review (nil for a new card); Elapsed is today's place on it.
	Curve     []float64
	CurveDays int
	Elapsed   float64
}

// StateNames are fsrs.State's names.
var StateNames = [...]string{"new", "learning", "review", "relearning"}

// StateName names a scheduling state.
func StateName(s fsrs.State) string {
	if s >= 0 && int(s) < len(StateNames) {
		return StateNames[s]
	}
	return "unknown"
}

// CardInfoOf gathers a card's info at now; reviews are the card's, oldest
// first.
func CardInfoOf(c deck.Card, deckTitle string, p deck.Progress, reviews []deck.Review, sch *fsrs.Scheduler, now time.Time) CardInfo {
	ci := CardInfo{Card: c, DeckTitle: deckTitle, Progress: p, State: StateName(p.Sched.State),
		Buried: now.Before(p.BuriedUntil), History: reviews}
	if len(reviews) > 0 {
		ci.FirstReview, ci.LatestReview = reviews[0].At, reviews[len(reviews)-1].At
	}
	s := p.Sched
	if s.State == fsrs.New || s.LastReview.IsZero() || s.Stability <= 0 {
		return ci
	}
	r := sch.Retrievability(s, now)
	ci.Retrievability = &r
	ci.Elapsed = math.Max(0, now.Sub(s.LastReview).Hours()/24)
	days := int(math.Ceil(math.Max(float64(2*max(1, s.ScheduledDays)), ci.Elapsed*1.25)))
	days = max(days, 7)
	ci.CurveDays = days
	ci.Curve = make([]float64, days+1)
	for d := 0; d <= days; d++ {
		ci.Curve[d] = sch.Retrievability(s, s.LastReview.Add(time.Duration(d)*24*time.Hour))
	}
	return ci
}

var ratingNames = [...]string{"", "again", "hard", "good", "easy"}

// RenderCardInfo is the card info as text, width cells wide, times in loc.
// Card text is not included (the caller shows it, made safe).
func RenderCardInfo(ci CardInfo, width int, loc *time.Location) string {
	width = max(40, width)
	var out []string
	add := func(label, value string) {
		out = append(out, fmt.Sprintf("%-15s %s", label, value))
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	p := ci.Progress
	s := p.Sched
	add("card", ci.Card.ID)
	add("deck", ci.DeckTitle)
	state := ci.State
	var marks []string
	if p.Suspended {
		marks = append(marks, "suspended")
	}
	if ci.Buried {
		marks = append(marks, "buried")
	}
	if p.Leech {
		marks = append(marks, "leech")
	}
	if p.Flag != 0 {
		marks = append(marks, deck.FlagNames[p.Flag]+" flag")
	}
	if len(marks) > 0 {
		state += " (" + strings.Join(marks, ", ") + ")"
	}
	add("state", state)
	if len(ci.Card.Tags) > 0 {
		add("tags", strings.Join(ci.Card.Tags, ", "))
	}
	if ci.Card.Added.IsZero() {
		add("added", "—")
	} else {
		add("added", when(ci.Card.Added))
	}
	add("first review", when(ci.FirstReview))
	add("latest review", when(ci.LatestReview))
	if s.State == fsrs.New {
		add("due", "— (new)")
	} else {
		add("due", when(s.Due))
	}
	add("interval", daysWord(s.ScheduledDays))
	add("reviews", fmt.Sprintf("%d, %d lapses", s.Reps, s.Lapses))
	if ci.Retrievability != nil {
		add("stability", fmt.Sprintf("%.2f days", s.Stability))
		add("difficulty", fmt.Sprintf("%.2f of 10", s.Difficulty))
		add("recall now", fmt.Sprintf("%.1f%%", 100**ci.Retrievability))
	}
	if len(ci.Curve) > 0 {
		out = append(out, "", "forgetting curve (predicted recall by days since the latest review):")
		out = append(out, renderCurve(ci, width)...)
	}
	out = append(out, "", fmt.Sprintf("history: %s", plural(len(ci.History), "review")))
	if len(ci.History) > 0 {
		out = append(out, fmt.Sprintf("  %-16s  %-6s  %-10s  %-10s  %8s  %5s", "time", "rating", "state", "interval", "S after", "D"))
		for _, r := range ci.History {
			ivl := daysWord(r.LastInterval) + "→" + daysWord(r.Interval)
			out = append(out, fmt.Sprintf("  %-16s  %-6s  %-10s  %-10s  %8.2f  %5.2f", r.At.In(loc).Format("2006-01-02 15:04"),
				ratingName(r.Rating), StateName(fsrs.State(r.StateBefore)), ivl, r.Stability, r.Difficulty))
		}
	}
	for i, l := range out {
		out[i] = cut(l, width)
	}
	return strings.Join(out, "\n")
}

func ratingName(r int) string {
	if r >= 1 && r <= 4 {
		return ratingNames[r]
	}
	return "?"
}

func daysWord(d int) string {
	if d <= 0 {
		return "0d"
	}
	return fmt.Sprintf("%dd", d)
}

// cut shortens s to width cells.
func cut(s string, width int) string {
	if cells(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && cells(string(r))+1 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// curveRows is the forgetting curve's height in lines.
const curveRows = 8

// renderCurve draws the curve: a column per step of days, rows from 100%
// down to a tenth under the lowest recall it shows, "|" marking now.
func renderCurve(ci CardInfo, width int) []string {
	cols := min(60, width-6)
	days := float64(ci.CurveDays)
	lo := 1.0
	for _, r := range ci.Curve {
		lo = min(lo, r)
	}
	lo = min(0.8, math.Floor(lo*10)/10)
	grid := make([][]rune, curveRows)
	for i := range grid {
		grid[i] = []rune(strings.Repeat(" ", cols))
	}
	nowCol := int(math.Round(ci.Elapsed / days * float64(cols-1)))
	if nowCol >= 0 && nowCol < cols {
		for y := range grid {
			grid[y][nowCol] = '|'
		}
	}
	for x := 0; x < cols; x++ {
		t := days * float64(x) / float64(cols-1)
		i := int(math.Floor(t))
		j := min(i+1, len(ci.Curve)-1)
		r := ci.Curve[i] + (ci.Curve[j]-ci.Curve[i])*(t-float64(i))
		row := int(math.Round((1 - r) / (1 - lo) * float64(curveRows-1)))
		grid[max(0, min(curveRows-1, row))][x] = '*'
	}
	var out []string
	for y, g := range grid {
		label := "    "
		if y == 0 || y == curveRows-1 || y == (curveRows-1)/2 {
			label = fmt.Sprintf("%3.0f%%", 100*(1-(1-lo)*float64(y)/float64(curveRows-1)))
		}
		out = append(out, label+" "+strings.TrimRight(string(g), " "))
	}
	end := fmt.Sprintf("%dd", ci.CurveDays)
	out = append(out, "     0d"+strings.Repeat(" ", max(1, cols-2-len(end)))+end,
		fmt.Sprintf("     | is now, %.1f days after the latest review", ci.Elapsed))
	return out
}
