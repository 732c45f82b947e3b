package stats

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// bigInput builds 100,000 cards in 7 decks and 1,000,000 reviews over the
// two years before testNow, oldest first. Each review has its own copy of
// its card ID, allocated in log order, as decoding a stored log gives.
func bigInput(b *testing.B) Input {
	const nCards, nReviews = 100_000, 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	decks := make([]DeckInfo, 7)
	for i := range decks {
		decks[i] = DeckInfo{ID: fmt.Sprintf("deck-%d", i), Title: fmt.Sprintf("Deck %d", i)}
	}
	prog := make(map[string]deck.Progress, nCards)
	ids := make([]string, nCards)
	for i := range ids {
		d := i % len(decks)
		id := fmt.Sprintf("%s/card-%d", decks[d].ID, i)
		ids[i] = id
		decks[d].CardIDs = append(decks[d].CardIDs, id)
		if i%10 == 0 {
			continue // new
		}
		ivl := 1 + rng.IntN(200)
		last := testNow.Add(-time.Duration(rng.IntN(ivl*24)) * time.Hour)
		prog[id] = deck.Progress{CardID: id, Suspended: i%97 == 0, Leech: i%89 == 0, Sched: fsrs.Card{
			State: []fsrs.State{fsrs.Learning, fsrs.Review, fsrs.Review, fsrs.Review, fsrs.Relearning}[i%5],
			Due:   last.Add(time.Duration(ivl) * 24 * time.Hour), Stability: float64(ivl) * (0.5 + rng.Float64()),
			Difficulty: 1 + 9*rng.Float64(), ScheduledDays: ivl, LastReview: last, Reps: 1 + rng.IntN(20),
		}}
	}
	revs := make([]deck.Review, nReviews)
	start := testNow.Add(-2 * 365 * 24 * time.Hour)
	step := testNow.Sub(start) / nReviews
	for i := range revs {
		revs[i] = deck.Review{
			CardID: strings.Clone(ids[rng.IntN(nCards)]), At: start.Add(time.Duration(i) * step),
			Rating: 1 + rng.IntN(4), StateBefore: rng.IntN(4), LastInterval: rng.IntN(60),
			Duration: time.Duration(2+rng.IntN(20)) * time.Second,
		}
	}
	return Input{Now: testNow, Sched: testScheduler(b), Decks: decks, Progress: prog, Reviews: revs}
}

// BenchmarkCompute: every figure and chart for 100,000 cards and
// 1,000,000 reviews. Goal: under 300 ms.
func BenchmarkCompute(b *testing.B) {
	in := bigInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Compute(in)
		if err != nil || res.Report.Total.Reviews.All != len(in.Reviews) {
			b.Fatal(err, res.Report.Total.Reviews)
		}
	}
}
