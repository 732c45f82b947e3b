package deck

import (
	"time"

	"opsdeck/deck/fsrs"
)

// The interview plan's domain rules (package plan builds on them; study's
// daily limits use PlanPace when the settings ask for the plan's pace).

// ConsolidationDays is how long before the interview every new card has
// been introduced, so that each gets reviews before the day.
const ConsolidationDays = 7

// DateLayout is an interview date's layout.
const DateLayout = "2006-01-02"

// PlanPace is the plan's rule for new cards a day: every one of unseen
// cards introduced at least ConsolidationDays before the interview,
// daysLeft days away (with less time than that, over the days there are).
func PlanPace(unseen, daysLeft int) int {
	if unseen <= 0 {
		return 0
	}
	learn := max(1, daysLeft-ConsolidationDays)
	return (unseen + learn - 1) / learn
}

// InterviewTime is the moment the forecast is for: 9 AM on the interview
// date day ("YYYY-MM-DD") in the scheduler's time zone (or the day's start,
// when that is later). ok is false when day does not parse.
func InterviewTime(day string, sched *fsrs.Scheduler) (t time.Time, ok bool) {
	d, err := time.Parse(DateLayout, day)
	if err != nil {
		return time.Time{}, false
	}
	p := sched.Params()
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year(), d.Month(), d.Day(), max(9, p.DayStartHour), 0, 0, 0, loc), true
}

// InterviewDaysLeft is the number of scheduling days from now's to the
// interview's (0 for a date that does not parse).
func InterviewDaysLeft(day string, sched *fsrs.Scheduler, now time.Time) int {
	t, ok := InterviewTime(day, sched)
	if !ok {
		return 0
	}
	return sched.DayIndex(t) - sched.DayIndex(now)
}
