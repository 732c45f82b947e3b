package optimizer

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Issue 11: 19-digit numbers wrapped, NaN/Inf/1e308 durations and absurd
// years passed, quoted headers were refused.
func TestReadRevlogStrict(t *testing.T) {
	head := "card_id,review_time,review_rating,review_duration\n"
	for _, c := range []struct{ in, want string }{
		{head + "9999999999999999999,1711744352250,3,1\n", `x.csv:2: card_id "9999999999999999999" is not a 64-bit integer`},
		{head + "1,9999999999999999999,3,1\n", `x.csv:2: review_time "9999999999999999999" does not fit in 64 bits`},
		{head + "1,1711744352250,3,NaN\n", `x.csv:2: review_duration "NaN" is not a number of milliseconds`},
		{head + "1,1711744352250,3,Inf\n", `x.csv:2: review_duration "Inf" is not a number of milliseconds`},
		{head + "1,1711744352250,3,1e308\n", `x.csv:2: review_duration "1e308" is not a number of milliseconds`},
		{head + "1,1711744352250,3,-5\n", `x.csv:2: review_duration "-5" is not a number of milliseconds`},
		{head + "1,-1,3,1\n", `x.csv:2: review_time "-1" is outside 1970-2199`},
		{head + "1,99999999999999,3,1\n", `x.csv:2: review_time "99999999999999" is outside 1970-2199`},
		{"card_id,review_time,review_rating\n1,9999-01-01T00:00:00Z,3\n", `x.csv:2: review_time "9999-01-01T00:00:00Z" is outside 1970-2199`},
		{head + "1,1711744352250,3,1,extra\n", "x.csv:2: 5 field(s), want 4 as in the header"},
		{head + "1,\"1711744352250,3,1\n", "x.csv:2: a quoted field does not end on its line"},
		{head + "1,17\"1\",3,1\n", "x.csv:2: a quote inside an unquoted field"},
		{"card_id,card_id,review_time,review_rating\n", `x.csv:1: header names column "card_id" twice`},
		{head, "x.csv: no reviews after the header"},
		{head + "1,1711744352250,3," + strings.Repeat("1", 1<<20) + "\n", "x.csv:2: line 2 is longer than 1 MiB"},
	} {
		_, err := ReadRevlog(strings.NewReader(c.in), "x.csv")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%.80q: error %v, want prefix %q", c.in, err, c.want)
		}
	}
	// Quoted header and fields, and the largest and smallest int64.
	in := "\"card_id\",\"review_time\",\"review_rating\",\"review_duration\"\n" +
		"\"-9223372036854775808\",\"1711744352250\",3,\"12.5\"\n9223372036854775807,1711744352251,4,0\n"
	got, err := ReadRevlog(strings.NewReader(in), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].CardID != -1<<63 || got[1].CardID != 1<<63-1 || got[0].Duration != 12 || got[0].Time != 1711744352250 {
		t.Fatalf("got %+v", got)
	}
}

// oneCardDaily is one card reviewed Good once a day n times.
func oneCardDaily(n int) string {
	var b strings.Builder
	b.WriteString("card_id,review_time,review_rating,review_duration\n")
	t0 := time.Date(1975, 1, 1, 12, 0, 0, 0, time.UTC).UnixMilli()
	for i := range n {
		fmt.Fprintf(&b, "1,%d,3,1000\n", t0+int64(i)*86400000)
	}
	return b.String()
}

// One card with 80,000 daily reviews (100,000 would pass 2200): evaluating
// 100,000 took 3.7 s
// (quadratic: each of its 100,000 items was scanned whole); it is linear now
// (BenchmarkEvaluateOneLongCard), and the error says what is missing.
func TestOneLongCardNotEnoughReviews(t *testing.T) {
	revs, err := ReadRevlog(strings.NewReader(oneCardDaily(80_000)), "one.csv")
	if err != nil {
		t.Fatal(err)
	}
	items := Items(revs, time.UTC, 4)
	_, err = Evaluate(DefaultWeights, items)
	if !errors.Is(err, ErrNoItems) || !strings.Contains(err.Error(), "not enough reviews") {
		t.Fatalf("Evaluate: %v", err)
	}
	// The facts the evaluation uses, computed per card, agree with the
	// item-by-item ones.
	facts := itemFacts(items[:2000])
	for i, it := range items[:2000] {
		if facts[i].longTerm != it.longTermReviewCount() || facts[i].firstLT != it.firstLongTermReview() || (facts[i].invalid == nil) != (it.validate() == nil) {
			t.Fatalf("item %d: facts %+v", i, facts[i])
		}
	}
}

func BenchmarkEvaluateOneLongCard(b *testing.B) {
	revs, err := ReadRevlog(strings.NewReader(oneCardDaily(80_000)), "one.csv")
	if err != nil {
		b.Fatal(err)
	}
	items := Items(revs, time.UTC, 4)
	for b.Loop() {
		Evaluate(DefaultWeights, items)
	}
}

// FuzzReadRevlog: no panic, every error names the file, and every accepted
// review is in range.
func FuzzReadRevlog(f *testing.F) {
	f.Add("card_id,review_time,review_rating,review_duration\n1,1711744352250,3,1000\n")
	f.Add("card_id,review_rating,review_time,review_duration\n7,3,2024-03-29T20:32:32.250000+00:00,25060\n")
	f.Add("\"card_id\",\"review_time\",\"review_rating\"\n\"1\",\"2\",\"3\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		revs, err := ReadRevlog(strings.NewReader(in), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(revs) == 0 {
			t.Fatal("no reviews and no error")
		}
		for _, r := range revs {
			if r.Rating < 1 || r.Rating > 4 || r.Time < 0 || r.Time >= maxRevlogMs || r.Duration < 0 || r.Duration > maxDurationMs {
				t.Fatalf("out of range: %+v", r)
			}
		}
		Items(revs, time.UTC, 4)
	})
}
