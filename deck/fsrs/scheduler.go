package fsrs

import (
	"fmt"
	"time"
)

// Scheduler computes next states. It is immutable and safe for concurrent use.
//
// It follows ts-fsrs 5.4's schedulers: with short-term on, its basic
// scheduler (learning and relearning steps, same-day stability); with it
// off, its long-term scheduler (every grade gets a day interval). The
// learning and relearning steps follow Anki where it differs from ts-fsrs
// (AnkiStepRule names the cases). Elapsed
// days are counted as scheduling-day boundaries crossed (see DayIndex), and
// fuzz is seeded by the card's key and review count instead of ts-fsrs's
// time-based seed, so it is deterministic.
type Scheduler struct {
	p Params

	loc      *time.Location
	utc      bool    // loc is UTC: day arithmetic needs no zone lookups
	decay    float64 // -w20
	factor   float64
	modifier float64 // interval / stability at the desired retention
}

// NewScheduler validates p and returns a scheduler.
func NewScheduler(p Params) (*Scheduler, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.LearningSteps = cloneSteps(p.LearningSteps)
	p.RelearningSteps = cloneSteps(p.RelearningSteps)
	s := &Scheduler{p: p, loc: p.Location}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.utc = s.loc == time.UTC
	s.decay, s.factor = DecayFactor(p.W[20])
	s.modifier = intervalModifier(s.decay, s.factor, p.DesiredRetention)
	return s, nil
}

func cloneSteps(d []time.Duration) []time.Duration {
	if d == nil {
		return nil
	}
	return append([]time.Duration{}, d...)
}

// Params returns the scheduler's parameters.
func (s *Scheduler) Params() Params {
	p := s.p
	p.LearningSteps = cloneSteps(p.LearningSteps)
	p.RelearningSteps = cloneSteps(p.RelearningSteps)
	return p
}

// Next returns the card's state after being graded r at now. key identifies
// the card (its ID) and seeds the fuzz together with the review count, so
// Next and Preview agree.
//
// A State outside New..Relearning is treated as New; a rating outside 1-4
// panics (it is a programming error). A review dated before the last one
// counts as 0 elapsed days. c is not modified.
func (s *Scheduler) Next(c Card, key string, now time.Time, r Rating) Card {
	if r < Again || r > Easy {
		panic(fmt.Sprintf("fsrs: invalid rating %d", r))
	}
	rv := s.begin(c, key, now)
	return rv.grade(r)
}

// Preview returns the state each grade would give, indexed by Rating-1.
func (s *Scheduler) Preview(c Card, key string, now time.Time) [4]Card {
	rv := s.begin(c, key, now)
	var out [4]Card
	for i, r := range Ratings {
		out[i] = rv.grade(r)
	}
	return out
}

// Retrievability is the predicted probability of recall of c at now
// (0 for a new card). Unlike the scheduler, which counts whole days, it
// uses the exact time since the last review, so it falls smoothly; it is 0
// as well for a card with no last review recorded.
func (s *Scheduler) Retrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		return 0
	}
	t := now.Sub(c.LastReview).Hours() / 24
	if t < 0 {
		t = 0
	}
	return forgettingCurve(s.decay, s.factor, t, c.Stability)
}

// DayIndex numbers the scheduling day t falls in (days start at
// DayStartHour in Location). Day 0 is the one starting on 1970-01-01;
// consecutive days have consecutive numbers whatever their length (23 or
// 25 hours across a DST change).
func (s *Scheduler) DayIndex(t time.Time) int {
	if s.utc {
		sec := t.Unix() - int64(s.p.DayStartHour)*3600
		day := sec / 86400
		if sec%86400 < 0 {
			day--
		}
		return int(day)
	}
	y, m, d := s.localDay(t)
	return daysFromCivil(y, int(m), d)
}

// DayStart returns the start of the scheduling day that contains t.
func (s *Scheduler) DayStart(t time.Time) time.Time {
	if s.utc {
		sec := int64(s.DayIndex(t))*86400 + int64(s.p.DayStartHour)*3600
		return time.Unix(sec, 0).UTC()
	}
	y, m, d := s.localDay(t)
	k := daysFromCivil(y, int(m), d)
	ds := time.Date(y, m, d, s.p.DayStartHour, 0, 0, 0, s.loc)
	if s.DayIndex(ds) == k && s.DayIndex(ds.Add(-time.Second)) < k {
		return ds
	}
	// The start hour falls in a DST gap or overlap, where time.Date's choice
	// is unspecified: the day starts at the first instant (a whole second:
	// zone changes happen on whole seconds) whose day is k, within a few
	// hours of ds.
	lo, hi := ds.Add(-4*time.Hour).Unix(), ds.Add(4*time.Hour).Unix()
	for lo+1 < hi { // DayIndex(lo) < k <= DayIndex(hi)
		mid := lo + (hi-lo)/2
		if s.DayIndex(time.Unix(mid, 0)) >= k {
			hi = mid
		} else {
			lo = mid
		}
	}
	return time.Unix(hi, 0).In(s.loc)
}

// localDay is the calendar date, in Location, of the scheduling day t falls
// in: the date of t, or the day before when t is earlier than the day start
// hour.
func (s *Scheduler) localDay(t time.Time) (int, time.Month, int) {
	lt := t.In(s.loc)
	y, m, d := lt.Date()
	if lt.Hour() < s.p.DayStartHour {
		return time.Date(y, m, d-1, 12, 0, 0, 0, time.UTC).Date()
	}
	return y, m, d
}

// daysFromCivil counts the days from 1970-01-01 to the given proleptic
// Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// addDays moves t forward n calendar days in Location, keeping its wall
// clock time (n*24h in UTC).
func (s *Scheduler) addDays(t time.Time, n int) time.Time {
	if s.utc && n < 100000 { // beyond that the Duration would overflow
		return t.Add(time.Duration(n) * 24 * time.Hour)
	}
	return t.In(s.loc).AddDate(0, 0, n).In(t.Location())
}
