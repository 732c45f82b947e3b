package optimizer

import (
	"context"
	"sync"
	"testing"
	"time"
)

// go test -run '^$' -bench . -benchtime 3x ./deck/fsrs/optimizer/

func BenchmarkReadItemsJosh(b *testing.B) {
	needShared(b, joshPath)
	b.ReportAllocs()
	for b.Loop() {
		revs, err := ReadRevlogFile(joshPath)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(Items(revs, time.UTC, 4)); n != 6276 {
			b.Fatalf("%d items", n)
		}
	}
}

func BenchmarkOptimizeJosh(b *testing.B) {
	items := joshItems(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Optimize(context.Background(), items, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluateJosh(b *testing.B) {
	items := joshItems(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(DefaultWeights, items); err != nil {
			b.Fatal(err)
		}
	}
}

var synth1M = sync.OnceValue(func() []Review { return synthLog(1_000_000, 42) })

// Items and Optimize on a synthetic log of 1,000,000 reviews.
func BenchmarkOptimizeSynthetic1M(b *testing.B) {
	revs := synth1M()
	b.ReportAllocs()
	for b.Loop() {
		items := Items(revs, time.UTC, 4)
		res, err := Optimize(context.Background(), items, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(items)), "items")
		b.ReportMetric(float64(res.TrainItems), "trained")
	}
}
