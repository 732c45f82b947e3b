package fsrs

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // so the zone tests never depend on the machine's tzdata
)

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func zoneScheduler(t testing.TB, zone string, hour int) *Scheduler {
	t.Helper()
	p := noFuzz()
	p.Location = loadZone(t, zone)
	p.DayStartHour = hour
	return mustScheduler(t, p)
}

// reviewCard is a Review card last reviewed at last.
func reviewCard(last time.Time) Card {
	return Card{State: Review, Stability: 5, Difficulty: 5, ScheduledDays: 5, Reps: 3, LastReview: last, Due: last.AddDate(0, 0, 5)}
}

func TestRolloverAtFourAM(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"} {
		s := zoneScheduler(t, zone, 4)
		loc := s.loc
		last := time.Date(2025, 1, 14, 22, 0, 0, 0, loc)
		before := time.Date(2025, 1, 15, 3, 59, 0, 0, loc)
		at := time.Date(2025, 1, 15, 4, 0, 0, 0, loc)
		if got, want := s.DayIndex(at), s.DayIndex(before)+1; got != want {
			t.Errorf("%s: day of 04:00 = %d, want %d (03:59 is the day before)", zone, got, want)
		}
		if s.DayIndex(before) != s.DayIndex(last) {
			t.Errorf("%s: 03:59 is not on the same scheduling day as 22:00 the evening before", zone)
		}
		if got := s.DayStart(before); !got.Equal(time.Date(2025, 1, 14, 4, 0, 0, 0, loc)) {
			t.Errorf("%s: DayStart(03:59) = %v, want 04:00 the day before", zone, got)
		}
		if got := s.DayStart(at); !got.Equal(at) {
			t.Errorf("%s: DayStart(04:00) = %v, want itself", zone, got)
		}
		c := reviewCard(last)
		if e := s.Next(c, "k", before, Good).ElapsedDays; e != 0 {
			t.Errorf("%s: review at 03:59 after 22:00: %d elapsed days, want 0", zone, e)
		}
		if e := s.Next(c, "k", at, Good).ElapsedDays; e != 1 {
			t.Errorf("%s: review at 04:00 after 22:00: %d elapsed days, want 1", zone, e)
		}
		// Different days give different intervals here (R differs).
		if s.Next(c, "k", before, Good).Stability == s.Next(c, "k", at, Good).Stability {
			t.Errorf("%s: the elapsed day made no difference to the stability", zone)
		}
	}
}

// Days are counted in Location, not in UTC: in Tokyo (UTC+9) 18:59Z and
// 19:00Z are 03:59 and 04:00 the next morning.
func TestZoneEastOfUTC(t *testing.T) {
	tokyo := zoneScheduler(t, "Asia/Tokyo", 4)
	utc := mustScheduler(t, func() Params { p := noFuzz(); p.DayStartHour = 4; return p }())
	a := time.Date(2025, 6, 1, 18, 59, 0, 0, time.UTC)
	b := a.Add(time.Minute)
	if tokyo.DayIndex(b) != tokyo.DayIndex(a)+1 {
		t.Errorf("Tokyo: %v and %v should be on consecutive days", a, b)
	}
	if utc.DayIndex(b) != utc.DayIndex(a) {
		t.Errorf("UTC: %v and %v should be on the same day", a, b)
	}
	if got, want := tokyo.DayStart(b), time.Date(2025, 6, 2, 4, 0, 0, 0, tokyo.loc); !got.Equal(want) {
		t.Errorf("Tokyo DayStart = %v, want %v", got, want)
	}
	// A card reviewed at 23:00 JST and again at 05:00 JST: 1 day.
	last := time.Date(2025, 6, 1, 23, 0, 0, 0, tokyo.loc)
	if e := tokyo.Next(reviewCard(last), "k", last.Add(6*time.Hour), Good).ElapsedDays; e != 1 {
		t.Errorf("Tokyo: 23:00 -> 05:00 counted %d days, want 1", e)
	}
	// In UTC those instants (14:00Z, 20:00Z) are one day, after 04:00Z.
	if e := utc.Next(reviewCard(last), "k", last.Add(6*time.Hour), Good).ElapsedDays; e != 0 {
		t.Errorf("UTC: counted %d days, want 0", e)
	}
}

func TestDSTChanges(t *testing.T) {
	for _, c := range []struct {
		zone   string
		change time.Time // a date (local midnight) on which the clocks change
		length time.Duration
	}{
		{"America/New_York", time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC), 23 * time.Hour},
		{"America/New_York", time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC), 25 * time.Hour},
		{"Europe/Berlin", time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC), 23 * time.Hour},
		{"Europe/Berlin", time.Date(2025, 10, 26, 0, 0, 0, 0, time.UTC), 25 * time.Hour},
		{"Australia/Sydney", time.Date(2025, 4, 6, 0, 0, 0, 0, time.UTC), 25 * time.Hour},
		{"Australia/Sydney", time.Date(2025, 10, 5, 0, 0, 0, 0, time.UTC), 23 * time.Hour},
	} {
		s := zoneScheduler(t, c.zone, 4)
		y, m, d := c.change.Date()
		// The change happens before 04:00, so it falls in the scheduling day
		// that starts at 04:00 the day before.
		dayBefore := time.Date(y, m, d-1, 12, 0, 0, 0, s.loc)
		dayOf := time.Date(y, m, d, 12, 0, 0, 0, s.loc)
		if got := s.DayStart(dayOf).Sub(s.DayStart(dayBefore)); got != c.length {
			t.Errorf("%s %v: scheduling day lasts %v, want %v", c.zone, c.change.Format("2006-01-02"), got, c.length)
		}
		if s.DayIndex(dayOf) != s.DayIndex(dayBefore)+1 {
			t.Errorf("%s %v: days not consecutive", c.zone, c.change.Format("2006-01-02"))
		}
		// 22:00 the evening before and 05:00 after the change: one day,
		// although fewer or more than 7 hours passed.
		last := time.Date(y, m, d-1, 22, 0, 0, 0, s.loc)
		now := time.Date(y, m, d, 5, 0, 0, 0, s.loc)
		if e := s.Next(reviewCard(last), "k", now, Good).ElapsedDays; e != 1 {
			t.Errorf("%s: 22:00 -> 05:00 across the change: %d days, want 1", c.zone, e)
		}
		// 04:30 the day before and 03:30 after the change: the same day.
		last = time.Date(y, m, d-1, 4, 30, 0, 0, s.loc)
		now = time.Date(y, m, d, 3, 30, 0, 0, s.loc)
		if e := s.Next(reviewCard(last), "k", now, Good).ElapsedDays; e != 0 {
			t.Errorf("%s: 04:30 -> 03:30 across the change: %d days, want 0", c.zone, e)
		}
		// A 1-day interval keeps the wall clock time: 10:00 -> 10:00,
		// which is 23 or 25 hours later.
		p := s.Params()
		p.W[3] = 1 // S0(Easy) = 1: a new card graded Easy graduates for 1 day
		s1 := mustScheduler(t, p)
		from := time.Date(y, m, d-1, 10, 0, 0, 0, s.loc)
		got := s1.Next(Card{}, "k", from, Easy)
		want := time.Date(y, m, d, 10, 0, 0, 0, s.loc)
		if got.ScheduledDays != 1 || !got.Due.Equal(want) || got.Due.Sub(from) != c.length {
			t.Errorf("%s: 1 day from %v is due %v (%v later), want %v", c.zone, from, got.Due, got.Due.Sub(from), want)
		}
	}
}

// A day start hour inside a DST gap or overlap: the day starts at the first
// instant that belongs to it.
func TestDayStartInGapAndOverlap(t *testing.T) {
	ny := zoneScheduler(t, "America/New_York", 2)
	// 2025-03-09 02:00 does not exist in New York (01:59 EST -> 03:00 EDT).
	got := ny.DayStart(time.Date(2025, 3, 9, 12, 0, 0, 0, ny.loc))
	if want := time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("New York, start 02:00 on the spring change: DayStart = %v, want %v (03:00 EDT)", got, want)
	}
	ny1 := zoneScheduler(t, "America/New_York", 1)
	// 2025-11-02 01:00 happens twice; the day starts at the first.
	got = ny1.DayStart(time.Date(2025, 11, 2, 12, 0, 0, 0, ny1.loc))
	if want := time.Date(2025, 11, 2, 5, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("New York, start 01:00 on the autumn change: DayStart = %v, want %v (01:00 EDT)", got, want)
	}
	berlin := zoneScheduler(t, "Europe/Berlin", 2)
	// 2025-10-26 02:00 happens twice (CEST then CET).
	got = berlin.DayStart(time.Date(2025, 10, 26, 12, 0, 0, 0, berlin.loc))
	if want := time.Date(2025, 10, 26, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Berlin, start 02:00 on the autumn change: DayStart = %v, want %v (02:00 CEST)", got, want)
	}
	// 2025-03-30 02:00 does not exist in Berlin (02:00 CET -> 03:00 CEST).
	got = berlin.DayStart(time.Date(2025, 3, 30, 12, 0, 0, 0, berlin.loc))
	if want := time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Berlin, start 02:00 on the spring change: DayStart = %v, want %v (03:00 CEST)", got, want)
	}
}

// DayStart and DayIndex agree everywhere: a day starts at its DayStart and
// the instant before belongs to the day before.
func TestDayStartProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, zone := range []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata"} {
		for _, hour := range []int{0, 1, 2, 3, 4, 12, 23} {
			s := zoneScheduler(t, zone, hour)
			for i := 0; i < 400; i++ {
				tm := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
				if i%4 == 0 { // near a change: the last Sunday of March or October, early morning
					tm = time.Date(2025, time.Month(3+7*(i%8/4)), 26+i%6, i%7, 0, 0, 0, s.loc)
				}
				k := s.DayIndex(tm)
				ds := s.DayStart(tm)
				if ds.After(tm) || s.DayIndex(ds) != k || s.DayIndex(ds.Add(-time.Nanosecond)) != k-1 {
					t.Fatalf("%s hour %d: t=%v day %d: DayStart %v (day %d), instant before is day %d",
						zone, hour, tm, k, ds, s.DayIndex(ds), s.DayIndex(ds.Add(-time.Nanosecond)))
				}
				if next := s.DayIndex(tm.Add(26 * time.Hour)); next != k+1 && next != k+2 {
					t.Fatalf("%s hour %d: 26h after day %d is day %d", zone, hour, k, next)
				}
			}
		}
	}
}

// The UTC fast path agrees with the general one (a fixed zone at offset 0).
func TestUTCFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, hour := range []int{0, 4, 23} {
		p := noFuzz()
		p.DayStartHour = hour
		fast := mustScheduler(t, p)
		p.Location = time.FixedZone("Z0", 0)
		slow := mustScheduler(t, p)
		if !fast.utc || slow.utc {
			t.Fatal("the test does not compare the two paths")
		}
		for i := 0; i < 2000; i++ {
			tm := time.Unix(rng.Int64N(4e9)-1e9, rng.Int64N(1e9))
			if a, b := fast.DayIndex(tm), slow.DayIndex(tm); a != b {
				t.Fatalf("hour %d, %v: DayIndex %d (fast) vs %d", hour, tm, a, b)
			}
			if a, b := fast.DayStart(tm), slow.DayStart(tm); !a.Equal(b) {
				t.Fatalf("hour %d, %v: DayStart %v (fast) vs %v", hour, tm, a, b)
			}
			n := rng.IntN(40000)
			if a, b := fast.addDays(tm, n), slow.addDays(tm, n); !a.Equal(b) {
				t.Fatalf("addDays(%v, %d): %v (fast) vs %v", tm, n, a, b)
			}
		}
	}
	// Day 0 starts on 1970-01-01.
	s := mustScheduler(t, noFuzz())
	if got := s.DayIndex(time.Date(1970, 1, 1, 4, 0, 0, 0, time.UTC)); got != 0 {
		t.Errorf("DayIndex(1970-01-01 04:00) = %d, want 0", got)
	}
	if got := s.DayIndex(time.Date(1970, 1, 1, 3, 59, 0, 0, time.UTC)); got != -1 {
		t.Errorf("DayIndex(1970-01-01 03:59) = %d, want -1", got)
	}
}
