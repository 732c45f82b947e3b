package fsrs

import (
	"testing"
	"time"
)

// A learning step of a day or more is held to the maximum interval, as
// every other interval is. (Due dates past 2262, where Unix nanoseconds
// end, are the store's to clamp: the reference vectors schedule into the
// 2290s, and the scheduler follows them.)
func TestDayStepClamped(t *testing.T) {
	p := DefaultParams()
	p.LearningSteps = []time.Duration{400 * 24 * time.Hour}
	p.MaximumInterval = 100
	s, err := NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	nc := s.Next(Card{}, "k", now, Again)
	if nc.ScheduledDays != 100 || nc.Due != now.AddDate(0, 0, 100) {
		t.Errorf("day step: %d days, due %v", nc.ScheduledDays, nc.Due)
	}
}
