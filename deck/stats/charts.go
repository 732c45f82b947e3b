package stats

import (
	"fmt"
	"math"
	"time"
)

// Charts is the chart data of one area, for the TUI. It is not part of the
// JSON report.
type Charts struct {
	Activity Activity
	Forecast Forecast
	// Buttons over the last 30 days (including today) and over all time.
	ButtonsMonth, ButtonsAll Buttons
	// Distributions: the scheduled interval of review cards (days), and the
	// stability (days), difficulty (1-10) and retrievability now (0-1) of
	// cards reviewed at least once.
	Intervals, Stability, Difficulty, Retrievability Histogram
}

// HeatmapWeeks is the number of week columns in Activity.Cells.
const HeatmapWeeks = 53

// Activity is the review calendar of the last year: 53 weeks of 7 days,
// aligned to weekdays, the last column holding today.
type Activity struct {
	// Cells in column order: Cells[week*7+weekday], week 0 the oldest,
	// weekday 0 Monday ... 6 Sunday. Cells after Today are in the future.
	Cells [HeatmapWeeks * 7]Day
	Today int // index of today's cell

	CurrentStreak int // consecutive days with a review ending today, or yesterday when nothing is done yet today
	LongestStreak int // the longest run of consecutive study days, all time
	DaysStudied   int // days with at least one review, all time

	TimeToday time.Duration
	TimeAll   time.Duration
}

// Day is one scheduling day of the activity calendar.
type Day struct {
	Start   time.Time // the calendar date of the day (at the day-start hour)
	Reviews int
	Time    time.Duration
	Future  bool
}

// ForecastDays is the number of days in Forecast.Days.
const ForecastDays = 30

// Forecast counts the cards that fall due on each of the next 30 days
// (suspended cards excluded; buried cards on the day they come back).
type Forecast struct {
	Days    [ForecastDays]int // Days[0] is today and includes Overdue
	Overdue int               // cards due before today's day start
	Later   int               // cards due after the 30 days
	// DailyLoad is Anki's "daily load": the sum of 1/interval over the
	// unsuspended review and relearning cards, an estimate of the reviews a
	// day in the long run.
	DailyLoad float64
}

// Kinds of answer-button row.
const (
	KindLearning = iota // the card was new, learning or relearning
	KindYoung           // a review card with an interval under 21 days
	KindMature          // a review card with an interval of 21 days or more
)

// Buttons counts the answer buttons pressed, by kind of card and grade:
// Counts[kind][rating-1].
type Buttons struct {
	Counts [3][4]int
}

// Bucket is one bar of a histogram: values v with Lo <= v < Hi (the last
// bucket also holds v == Hi and above).
type Bucket struct {
	Label  string
	Lo, Hi float64
	Count  int
}

// Histogram is a distribution of one quantity over buckets.
type Histogram struct {
	Title   string
	Buckets []Bucket
	N       int     // values counted
	Mean    float64 // mean of the values counted (0 when N is 0)
	Percent bool    // the values are rates 0-1, shown as percents
	sum     float64
}

func (h *Histogram) add(v float64) {
	if math.IsNaN(v) || len(h.Buckets) == 0 {
		return
	}
	i := len(h.Buckets) - 1
	for j := range h.Buckets[:i] {
		if v < h.Buckets[j].Hi {
			i = j
			break
		}
	}
	h.Buckets[i].Count++
	h.N++
	h.sum += v
}

func (h *Histogram) finish() {
	if h.N > 0 {
		h.Mean = h.sum / float64(h.N)
	}
}

// Queue is what the study queue holds today, as Anki's deck list shows it:
// learning cards due today (no limit), review cards due today within the
// review limit left, and new cards within the new-card limit left.
type Queue struct {
	New, Learning, Review int
}

func newHistogram(title string, edges []float64, label func(lo, hi float64, last bool) string) Histogram {
	h := Histogram{Title: title}
	for i := 0; i+1 < len(edges); i++ {
		lo, hi := edges[i], edges[i+1]
		h.Buckets = append(h.Buckets, Bucket{Label: label(lo, hi, i+2 == len(edges)), Lo: lo, Hi: hi})
	}
	return h
}

var dayEdges = []float64{0, 2, 3, 4, 7, 14, 21, 30, 60, 90, 180, 365, math.Inf(1)}

func newCharts() Charts {
	days := func(lo, hi float64, last bool) string {
		switch {
		case last:
			return fmt.Sprintf("%g+", lo)
		case lo == 0:
			return "<2"
		case hi-lo == 1:
			return fmt.Sprintf("%g", lo)
		}
		return fmt.Sprintf("%g-%g", lo, hi-1)
	}
	stab := func(lo, hi float64, last bool) string {
		if last {
			return fmt.Sprintf("%g+", lo)
		}
		return fmt.Sprintf("%g-%g", lo, hi)
	}
	pct := func(lo, hi float64, last bool) string {
		return fmt.Sprintf("%g-%g%%", math.Round(lo*100), math.Round(hi*100))
	}
	return Charts{
		Intervals: newHistogram("Intervals (days)", dayEdges, days),
		Stability: newHistogram("Stability (days)", []float64{0, 1, 2, 3, 7, 14, 21, 30, 60, 90, 180, 365, math.Inf(1)}, stab),
		Difficulty: newHistogram("Difficulty (1-10)", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			func(lo, hi float64, last bool) string { return fmt.Sprintf("%g-%g", lo, hi) }),
		Retrievability: newPercentHistogram("Retrievability now", []float64{0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1}, pct),
	}
}

func newPercentHistogram(title string, edges []float64, label func(lo, hi float64, last bool) string) Histogram {
	h := newHistogram(title, edges, label)
	h.Percent = true
	return h
}
