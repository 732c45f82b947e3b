package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
	"opsdeck/study"
)

var t0 = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

// history is a library of decks×perDeck cards studied for days days from
// t0 by a deterministic learner through the real scheduler: newPerDay new
// cards a deck a day, every due card reviewed, learning steps graded Good.
func history(t testing.TB, decks, perDeck, days, newPerDay int) *study.Library {
	t.Helper()
	st := deck.DefaultSettings()
	p, err := store.ParamsFor(st, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := fsrs.NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	lib := &study.Library{Settings: st, Sched: sch, Progress: map[string]deck.Progress{}}
	for d := 0; d < decks; d++ {
		dk := deck.Deck{ID: fmt.Sprintf("area-%d", d), Title: fmt.Sprintf("Area %d", d), Builtin: true}
		for i := 0; i < perDeck; i++ {
			slug := fmt.Sprintf("card-%d", i)
			dk.Cards = append(dk.Cards, deck.Card{ID: dk.ID + "/" + slug, Deck: dk.ID, Slug: slug})
		}
		lib.Decks = append(lib.Decks, dk)
	}
	learn := fsrs.HashLearner(9)
	n := map[string]int{}
	grade := func(id string, c fsrs.Card, at time.Time, g fsrs.Rating) fsrs.Card {
		nc := sch.Next(c, id, at, g)
		lib.Reviews = append(lib.Reviews, deck.Review{CardID: id, At: at, Rating: int(g), StateBefore: int(c.State),
			Duration: 8 * time.Second})
		return nc
	}
	for day := 0; day < days; day++ {
		at := t0.AddDate(0, 0, day)
		end := study.DayEnd(sch, at)
		for di, dk := range lib.Decks {
			introduced := 0
			for ci, c := range dk.Cards {
				p, ok := lib.Progress[c.ID]
				if !ok {
					if introduced >= newPerDay {
						continue
					}
					introduced++
					p = deck.Progress{CardID: c.ID}
				} else if !p.Sched.Due.Before(end) {
					continue
				}
				r := math.NaN()
				if ok {
					r = sch.Retrievability(p.Sched, at)
				}
				key := di*100000 + ci
				g := learn(key, n[c.ID], r)
				n[c.ID]++
				cs := grade(c.ID, p.Sched, at, g)
				for cs.State == fsrs.Learning || cs.State == fsrs.Relearning {
					cs = grade(c.ID, cs, cs.Due, fsrs.Good)
				}
				p.Sched = cs
				lib.Progress[c.ID] = p
			}
		}
	}
	lib.Now = t0.AddDate(0, 0, days)
	return lib
}

func with(lib *study.Library, date time.Time) *study.Library {
	l := *lib
	l.Interview = date.Format(store.DateLayout)
	return &l
}

// TestIdleForecastNeverRises: on a two-month history, each area's recall
// on a later date with nothing studied is at most the one on an earlier
// date, and at most recall now.
func TestIdleForecastNeverRises(t *testing.T) {
	lib := history(t, 3, 120, 60, 3)
	prev := Compute(lib)
	for _, a := range prev.Areas {
		if a.RecallNow <= 0 || a.Seen == 0 {
			t.Fatalf("%s: recall now %.3f, %d seen: the history did nothing", a.ID, a.RecallNow, a.Seen)
		}
		if a.RecallIdle != nil {
			t.Fatalf("%s: a forecast without a date", a.ID)
		}
	}
	last := make([]float64, len(prev.Areas))
	for i, a := range prev.Areas {
		last[i] = a.RecallNow
	}
	for _, days := range []int{1, 7, 30, 90, 365} {
		pl := Compute(with(lib, lib.Now.AddDate(0, 0, days)))
		if *pl.DaysLeft != days {
			t.Errorf("days left = %d, want %d", *pl.DaysLeft, days)
		}
		for i, a := range pl.Areas {
			if *a.RecallIdle > last[i]+1e-12 {
				t.Errorf("%s in %d days: idle recall %.4f above the earlier %.4f", a.ID, days, *a.RecallIdle, last[i])
			}
			if *a.RecallOnPlan < *a.RecallIdle {
				t.Errorf("%s in %d days: on plan %.4f below idle %.4f", a.ID, days, *a.RecallOnPlan, *a.RecallIdle)
			}
			last[i] = *a.RecallIdle
		}
	}
}

// TestPaceSeesEveryCardInTime: the new cards a day introduce every unseen
// card at least ConsolidationDays before the date.
func TestPaceSeesEveryCardInTime(t *testing.T) {
	lib := history(t, 2, 200, 20, 2)
	pl := Compute(with(lib, lib.Now.AddDate(0, 0, 37)))
	if pl.LearnDays != 30 {
		t.Fatalf("learn days = %d, want 30", pl.LearnDays)
	}
	for _, a := range pl.Areas {
		unseen := a.Cards - a.Seen
		if *a.NewPerDay*pl.LearnDays < unseen || (*a.NewPerDay-1)*pl.LearnDays >= unseen {
			t.Errorf("%s: %d new a day for %d unseen cards over %d days", a.ID, *a.NewPerDay, unseen, pl.LearnDays)
		}
		if *a.MinutesPerDay <= 0 || *a.ReviewsPerDay <= 0 {
			t.Errorf("%s: %v min, %v reviews a day", a.ID, *a.MinutesPerDay, *a.ReviewsPerDay)
		}
	}
	if got := *pl.Total.NewPerDay; got != *pl.Areas[0].NewPerDay+*pl.Areas[1].NewPerDay {
		t.Errorf("total new a day %d is not the areas' sum", got)
	}
	for _, c := range []struct{ unseen, days, want int }{{0, 10, 0}, {70, 17, 7}, {71, 17, 8}, {10, 3, 10}, {10, 8, 10}, {10, 9, 5}} {
		if got := Pace(c.unseen, c.days); got != c.want {
			t.Errorf("Pace(%d, %d) = %d, want %d", c.unseen, c.days, got, c.want)
		}
	}
}

// TestNoReviewsYet: with nothing studied the forecast still works, counts
// every card 0 now, and says how to start.
func TestNoReviewsYet(t *testing.T) {
	lib := history(t, 2, 50, 0, 0)
	pl := Compute(with(lib, lib.Now.AddDate(0, 0, 21)))
	if pl.Total.RecallNow != 0 || *pl.Total.RecallIdle != 0 || pl.Total.Seen != 0 {
		t.Errorf("nothing studied: now %v, idle %v, seen %d", pl.Total.RecallNow, *pl.Total.RecallIdle, pl.Total.Seen)
	}
	if *pl.Total.RecallOnPlan <= 0.5 {
		t.Errorf("on plan %.2f: the plan should get most cards known", *pl.Total.RecallOnPlan)
	}
	if !strings.Contains(pl.Hint, "No reviews yet") {
		t.Errorf("hint = %q", pl.Hint)
	}
	if Compute(lib).Hint == "" {
		t.Error("no hint without a date either")
	}
}

func TestParseDate(t *testing.T) {
	lib := history(t, 1, 1, 0, 0)
	now := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	for _, c := range []struct{ in, want, err string }{
		{"2027-01-15", "2027-01-15", ""},
		{"2026-12-02", "2026-12-02", ""},
		{"2026-12-01", "", "is today"},
		{"2026-11-30", "", "in the past"},
		{"15/01/2027", "", "want a date YYYY-MM-DD"},
		{"2027-02-30", "", "want a date YYYY-MM-DD"},
		{"", "", "want a date YYYY-MM-DD"},
	} {
		got, err := ParseDate(c.in, lib.Sched, now)
		var de *DateError
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseDate(%q) = %q, %v; want %q", c.in, got, err, c.want)
		case c.err != "" && (err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseDate(%q) error = %v, want one saying %q", c.in, err, c.err)
		}
	}
}

// TestDecide: a higher desired retention costs more minutes a day and
// ends with more recalled on the day.
func TestDecide(t *testing.T) {
	lib := history(t, 2, 150, 40, 3)
	cs := Decide(with(lib, lib.Now.AddDate(0, 0, 30)))
	if len(cs) != len(Retentions) {
		t.Fatalf("%d choices", len(cs))
	}
	lo, hi := cs[0], cs[len(cs)-1]
	if !(hi.MinutesPerDay > lo.MinutesPerDay && hi.Recall > lo.Recall) {
		t.Errorf("retention %.2f: %.1f min %.3f recall; %.2f: %.1f min %.3f recall", lo.Retention, lo.MinutesPerDay, lo.Recall,
			hi.Retention, hi.MinutesPerDay, hi.Recall)
	}
	if len(Decide(lib)) != len(Retentions) {
		t.Error("no choices without a date")
	}
}

// TestJSONShape: the fields of docs/cli.md, null without a date.
func TestJSONShape(t *testing.T) {
	lib := history(t, 1, 10, 3, 2)
	b, _ := json.Marshal(Compute(lib))
	for _, want := range []string{`"interview_date":null`, `"days_left":null`, `"recall_on_date_if_idle":null`, `"new_per_day":null`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %s in %s", want, b)
		}
	}
	b, _ = json.Marshal(Compute(with(lib, lib.Now.AddDate(0, 0, 10))))
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	area := doc["areas"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "title", "cards", "seen", "recall_now", "recall_on_date_if_idle",
		"recall_on_date_on_plan", "new_per_day", "reviews_per_day", "minutes_per_day"} {
		if _, ok := area[k]; !ok {
			t.Errorf("area has no %q: %s", k, b)
		}
	}
	if len(area) != 10 {
		t.Errorf("area has %d fields: %v", len(area), area)
	}
	total := doc["total"].(map[string]any)
	if _, ok := total["id"]; ok || len(total) != 8 {
		t.Errorf("total: %v", total)
	}
	if doc["interview_date"] != lib.Now.AddDate(0, 0, 10).Format("2006-01-02") || doc["days_left"] != 10.0 {
		t.Errorf("date fields: %v %v", doc["interview_date"], doc["days_left"])
	}
}

// bigLibrary is n cards in 7 decks (a fifth new) with reviews log entries.
func bigLibrary(b *testing.B, n, reviews int) *study.Library {
	lib := history(b, 7, 0, 0, 0)
	for i := 0; i < n; i++ {
		d := &lib.Decks[i%7]
		id := fmt.Sprintf("%s/card-%d", d.ID, i)
		d.Cards = append(d.Cards, deck.Card{ID: id, Deck: d.ID})
		if i%5 == 0 {
			continue
		}
		ivl := 1 + i%60
		last := t0.AddDate(0, 0, -(i % 40))
		lib.Progress[id] = deck.Progress{CardID: id, Sched: fsrs.Card{State: fsrs.Review, Stability: float64(ivl), Difficulty: 5,
			ScheduledDays: ivl, Due: last.AddDate(0, 0, ivl), LastReview: last, Reps: 3}}
	}
	lib.Reviews = make([]deck.Review, reviews)
	for i := range lib.Reviews {
		lib.Reviews[i] = deck.Review{CardID: lib.Decks[i%7].Cards[i%len(lib.Decks[i%7].Cards)].ID,
			At: t0.Add(-time.Duration(reviews-i) * time.Minute), Rating: 3, Duration: time.Duration(5+i%20) * time.Second}
	}
	lib.Now = t0
	lib.Interview = t0.AddDate(0, 0, 45).Format(store.DateLayout)
	return lib
}

// BenchmarkPlan700: the built-in decks' size (about 700 cards), 45 days
// ahead. Goal: < 50 ms.
func BenchmarkPlan700(b *testing.B) {
	lib := bigLibrary(b, 700, 7000)
	b.ReportAllocs()
	for b.Loop() {
		Compute(lib)
	}
}

// BenchmarkPlan100k: 100,000 cards and 1,000,000 reviews, 45 days ahead,
// simulation included. Goal: < 1 s.
func BenchmarkPlan100k(b *testing.B) {
	lib := bigLibrary(b, 100_000, 1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		Compute(lib)
	}
}

// TestRecallNowIsKnowledge: on one library at one instant, each area's
// recall now is exactly stats' knowledge / cards.total.
func TestRecallNowIsKnowledge(t *testing.T) {
	lib := history(t, 3, 80, 45, 2)
	res, err := lib.ComputeStats()
	if err != nil {
		t.Fatal(err)
	}
	pl := Compute(with(lib, lib.Now.AddDate(0, 0, 30)))
	for i, a := range pl.Areas {
		d := res.Report.Decks[i]
		want := d.Knowledge / float64(d.Cards.Total)
		if a.ID != d.ID || math.Abs(a.RecallNow-want) > 1e-12 {
			t.Errorf("%s: recall now %.15f, stats %s %.15f", a.ID, a.RecallNow, d.ID, want)
		}
	}
	tk := res.Report.Total
	if math.Abs(pl.Total.RecallNow-tk.Knowledge/float64(tk.Cards.Total)) > 1e-12 {
		t.Errorf("total: %.15f vs %.15f", pl.Total.RecallNow, tk.Knowledge/float64(tk.Cards.Total))
	}
}

// TestBriefIsTotalRecallNow: the dashboard's readiness is the plan's
// total recall now.
func TestBriefIsTotalRecallNow(t *testing.T) {
	base := history(t, 2, 50, 20, 2)
	l, err := study.Load(libReader{base}, base.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := Brief(l); ok {
		t.Fatal("a brief without a date")
	}
	l.Interview = base.Now.AddDate(0, 0, 12).Format(store.DateLayout)
	days, ready, ok := Brief(l)
	want := Compute(l).Total.RecallNow
	if !ok || days != 12 || ready <= 0 || math.Abs(ready-want) > 1e-9 {
		t.Errorf("brief %d days, readiness %.6f; plan %.6f", days, ready, want)
	}
}

// libReader serves a library as study.Load reads a store.
type libReader struct{ l *study.Library }

func (r libReader) Decks() ([]deck.Deck, error)                    { return r.l.Decks, nil }
func (r libReader) AllProgress() (map[string]deck.Progress, error) { return r.l.Progress, nil }
func (r libReader) Settings() (deck.Settings, error)               { return r.l.Settings, nil }
func (r libReader) Scheduler() (*fsrs.Scheduler, error)            { return r.l.Sched, nil }
func (r libReader) Reviews(from, to time.Time) ([]deck.Review, error) {
	return r.l.Reviews, nil
}
