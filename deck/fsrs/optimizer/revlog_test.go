package optimizer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadRevlogFormats(t *testing.T) {
	fsrsCSV := "card_id,review_rating,review_time,review_duration\n" +
		"7,3,2024-03-29T20:32:32.250000+00:00,25060\n" +
		"\n" +
		"7,1,2024-03-30T06:00:00+02:00,100\r\n"
	got, err := ReadRevlog(strings.NewReader(fsrsCSV), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Review{
		{CardID: 7, Time: time.Date(2024, 3, 29, 20, 32, 32, 250e6, time.UTC).UnixMilli(), Rating: 3, Duration: 25060},
		{CardID: 7, Time: time.Date(2024, 3, 30, 4, 0, 0, 0, time.UTC).UnixMilli(), Rating: 1, Duration: 100},
	}
	if !slices.Equal(got, want) {
		t.Errorf("FSRS CSV: got %+v, want %+v", got, want)
	}

	opsdeck := "card_id,review_time,review_rating,review_state,review_duration,deck_id,card_key,last_interval,interval\n" +
		"12,1711744352250,4,0,5000,kubernetes,kubernetes/qos,0,3\n"
	got, err = ReadRevlog(strings.NewReader(opsdeck), "b.csv")
	if err != nil {
		t.Fatal(err)
	}
	want = []Review{{CardID: 12, Time: 1711744352250, Rating: 4, Duration: 5000}}
	if !slices.Equal(got, want) {
		t.Errorf("opsdeck CSV: got %+v, want %+v", got, want)
	}
}

func TestReadRevlogErrors(t *testing.T) {
	head := "card_id,review_rating,review_time,review_duration\n"
	cases := []struct{ in, want string }{
		{"", "x.csv: empty file"},
		{"card_id,review_time\n1,2\n", "x.csv:1: header lacks column(s) [review_rating]"},
		{head + "1,3,2024-03-29T20:32:32Z,1\n1,5,2024-03-29T20:32:32Z,1\n", `x.csv:3: review_rating "5" is not 1-4`},
		{head + "abc,3,2024-03-29T20:32:32Z,1\n", `x.csv:2: card_id "abc" is not a 64-bit integer`},
		{head + "1,3,yesterday,1\n", `x.csv:2: review_time "yesterday" is neither`},
		{head + "1,3\n", "x.csv:2: 2 field(s), want 4 as in the header"},
		{head + "1,3,2024-03-29T20:32:32Z,slow\n", `x.csv:2: review_duration "slow" is not a number`},
	}
	for _, c := range cases {
		_, err := ReadRevlog(strings.NewReader(c.in), "x.csv")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want prefix %q", c.in, err, c.want)
		}
	}
}

func TestDayIndex(t *testing.T) {
	utc := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMilli()
	}
	if a, b := DayIndex(utc("2024-03-29T03:59:59Z"), nil, 4), DayIndex(utc("2024-03-29T04:00:00Z"), nil, 4); b != a+1 {
		t.Errorf("4 AM UTC does not start a new day: %d, %d", a, b)
	}
	if DayIndex(utc("1970-01-01T03:00:00Z"), time.UTC, 4) != -1 {
		t.Errorf("3 AM on 1970-01-01 is not day -1 with a 4 AM rollover")
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// 03:30 New York time is before the rollover, 04:30 after it, on both
	// sides of the March 2024 DST change (UTC-5, then UTC-4).
	for _, c := range [][2]string{{"2024-03-09T08:30:00Z", "2024-03-09T09:30:00Z"}, {"2024-03-11T07:30:00Z", "2024-03-11T08:30:00Z"}} {
		if a, b := DayIndex(utc(c[0]), ny, 4), DayIndex(utc(c[1]), ny, 4); b != a+1 {
			t.Errorf("%s and %s: days %d, %d; want consecutive", c[0], c[1], a, b)
		}
	}
}

func TestItems(t *testing.T) {
	const h, d = int64(3600_000), int64(86400_000)
	base := int64(100) * d // day 100 starts at 04:00 with a 4 AM rollover
	revs := []Review{
		{CardID: 2, Time: base + 5*h, Rating: 3},
		{CardID: 1, Time: base + 6*h, Rating: 1},
		{CardID: 1, Time: base + 7*h, Rating: 3},       // same day
		{CardID: 1, Time: base + d + 5*h, Rating: 3},   // next day: item
		{CardID: 2, Time: base + 2*d + 3*h, Rating: 1}, // before 4 AM: still day 101
		{CardID: 1, Time: base + d + 9*h, Rating: 1},   // same day again
		{CardID: 1, Time: base + 4*d + 5*h, Rating: 4}, // 3 days later: item
		{CardID: 3, Time: base, Rating: 0},             // skipped: rating 0
	}
	items := Items(revs, time.UTC, 4)
	want := [][]ItemReview{
		{{1, 0}, {3, 0}, {3, 1}},
		{{3, 0}, {1, 1}},
		{{1, 0}, {3, 0}, {3, 1}, {1, 0}, {4, 3}},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d: %v", len(items), len(want), items)
	}
	for i := range want {
		if !slices.Equal(items[i].Reviews, want[i]) {
			t.Errorf("item %d = %v, want %v", i, items[i].Reviews, want[i])
		}
	}
	if cap(items[0].Reviews) != len(items[0].Reviews) {
		t.Errorf("an item's slice can grow into the next item's reviews")
	}
}

func TestOptimizeNotEnoughData(t *testing.T) {
	items := Items(synthLog(300, 1), time.UTC, 4)
	_, err := Optimize(context.Background(), items, Options{})
	var ne *NotEnoughDataError
	if !errors.As(err, &ne) || ne.Items != len(items) || ne.Need != DefaultMinItems {
		t.Fatalf("Optimize on %d items: %v, want a *NotEnoughDataError", len(items), err)
	}
	if _, err := Evaluate(DefaultWeights, nil); !errors.Is(err, ErrNoItems) {
		t.Errorf("Evaluate(nil) = %v, want ErrNoItems", err)
	}
	bad := []Item{{Reviews: []ItemReview{{3, 0}, {5, 2}}}}
	if _, err := EvaluateAll(DefaultWeights, bad); err == nil {
		t.Errorf("EvaluateAll accepted rating 5")
	}
}

func TestOptimizeProgressAndCancel(t *testing.T) {
	items := joshItems(t)
	var calls, last, total int
	res, err := Optimize(context.Background(), items, Options{Progress: func(done, tot int) {
		if done <= last {
			t.Errorf("progress went from %d to %d", last, done)
		}
		calls++
		last, total = done, tot
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 5*12 || last != total || total != 5*res.TrainItems {
		t.Errorf("progress: %d calls, last %d of %d; want 60 calls ending at 5 x %d", calls, last, total, res.TrainItems)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err = Optimize(ctx, items, Options{Progress: func(int, int) {
		if n++; n == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("after cancel: %v after %d batches, want context.Canceled after 3", err, n)
	}
}

// The fit does not depend on the number of goroutines.
func TestOptimizeDeterministic(t *testing.T) {
	items := joshItems(t)
	a, err := Optimize(context.Background(), items, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Optimize(context.Background(), items, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "weights, 2 workers vs 1", b.Weights[:], a.Weights[:], 1e-9)
}
