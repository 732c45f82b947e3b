package stats

import (
	"testing"
	"time"
	_ "time/tzdata" // the test needs New York's rules on any machine

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Day boundaries follow the local 04:00 rollover across a DST change: in
// New York, clocks jump from 02:00 to 03:00 on Sunday 2026-03-08, so the
// scheduling day from Saturday 04:00 EST to Sunday 04:00 EDT lasts 23 hours.
func TestDSTDayBoundaries(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	p := fsrs.DefaultParams()
	p.DayStartHour = 4
	p.Location = ny
	s, err := fsrs.NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	loc := func(d, hh, mm int) time.Time { return time.Date(2026, 3, d, hh, mm, 0, 0, ny) }
	now := loc(8, 10, 0) // Sunday 10:00 EDT; today = [Sun 04:00, Mon 04:00)
	card := func(due time.Time) deck.Progress {
		return deck.Progress{Sched: fsrs.Card{State: fsrs.Review, ScheduledDays: 3, Stability: 3, Difficulty: 5,
			LastReview: now.Add(-48 * time.Hour), Due: due}}
	}
	in := Input{
		Now: now, Sched: s,
		Decks: []DeckInfo{{ID: "d", CardIDs: []string{"d/1", "d/2", "d/3", "d/4"}}},
		Progress: map[string]deck.Progress{
			"d/1": card(loc(9, 3, 59)), // Monday 03:59: still today
			"d/2": card(loc(9, 4, 0)),  // Monday 04:00: tomorrow (day 1)
			"d/3": card(loc(8, 3, 59)), // Sunday 03:59: yesterday, overdue
			"d/4": card(loc(10, 3, 0)), // Tuesday 03:00: day 1
		},
		Reviews: []deck.Review{
			rev("d/1", loc(7, 3, 59), 3, sReview, 2), // Saturday 03:59: Friday's day, 2 days ago
			rev("d/1", loc(7, 4, 0), 3, sReview, 2),  // Saturday 04:00: yesterday
			rev("d/1", loc(8, 3, 59), 1, sReview, 2), // Sunday 03:59 EDT: yesterday (23-hour day)
			rev("d/1", loc(8, 4, 0), 3, sReview, 2),  // Sunday 04:00: today
		},
	}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Report.Total.TrueRetention
	// today: 1 pass; yesterday: Sat 04:00 pass + Sun 03:59 fail; week: all 4.
	if tr.Today.Young != pf(1, 0) || tr.Yesterday.Young != pf(1, 1) || tr.Week.Young != pf(3, 1) {
		t.Errorf("today %+v yesterday %+v week %+v", tr.Today, tr.Yesterday, tr.Week)
	}
	// due today: d/1 and d/3 (overdue); day 1: d/2 and d/4.
	f := res.Total.Forecast
	if res.Report.Total.DueToday != 2 || f.Days[0] != 2 || f.Overdue != 1 || f.Days[1] != 2 {
		t.Errorf("due %d forecast %+v", res.Report.Total.DueToday, f)
	}
	// Calendar: Sunday is row 6; 1 review today, 2 yesterday, 1 the day before.
	a := res.Total.Activity
	if a.Today != 52*7+6 || a.Cells[a.Today].Reviews != 1 || a.Cells[a.Today-1].Reviews != 2 || a.Cells[a.Today-2].Reviews != 1 {
		t.Errorf("calendar today %d: %d %d %d", a.Today, a.Cells[a.Today].Reviews, a.Cells[a.Today-1].Reviews, a.Cells[a.Today-2].Reviews)
	}
	if a.CurrentStreak != 3 {
		t.Errorf("streak %d, want 3", a.CurrentStreak)
	}
}
