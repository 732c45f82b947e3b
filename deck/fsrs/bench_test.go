package fsrs

import (
	"testing"
	"time"
)

// Goal: under 1 µs per review.
//
//	go test -run '^$' -bench . -benchmem ./deck/fsrs

var sinkCard Card

// BenchmarkNext grades one Review card Good: one grade computed (Good needs
// the Hard stability too, for the ordering).
func BenchmarkNext(b *testing.B) {
	for _, zone := range []string{"UTC", "America/New_York"} {
		b.Run(zone, func(b *testing.B) {
			p := DefaultParams()
			if zone != "UTC" {
				p.Location = loadZone(b, zone)
			}
			s := mustScheduler(b, p)
			c := Card{State: Review, Stability: 23.4, Difficulty: 5.6, ScheduledDays: 21, Reps: 9, Lapses: 1,
				LastReview: t0.AddDate(0, 0, -22), Due: t0.AddDate(0, 0, -1)}
			b.ReportAllocs()
			for b.Loop() {
				sinkCard = s.Next(c, "azure/vnet-peering", t0, Good)
			}
		})
	}
}

// BenchmarkPreview computes all four grades.
func BenchmarkPreview(b *testing.B) {
	s := mustScheduler(b, DefaultParams())
	c := Card{State: Review, Stability: 23.4, Difficulty: 5.6, ScheduledDays: 21, Reps: 9, Lapses: 1,
		LastReview: t0.AddDate(0, 0, -22), Due: t0.AddDate(0, 0, -1)}
	b.ReportAllocs()
	var pv [4]Card
	for b.Loop() {
		pv = s.Preview(c, "azure/vnet-peering", t0)
	}
	sinkCard = pv[3]
}

// replayHistory is a card's life of 20 reviews: learning steps, reviews at
// and around the due date, two lapses with relearning.
var replayHistory = func() []struct {
	after time.Duration
	g     Rating
} {
	h := []struct {
		after time.Duration
		g     Rating
	}{}
	add := func(after time.Duration, g Rating) {
		h = append(h, struct {
			after time.Duration
			g     Rating
		}{after, g})
	}
	add(0, Good)
	add(10*time.Minute, Good)
	for i, g := range []Rating{Good, Good, Hard, Good, Again} {
		add(time.Duration(2+3*i)*24*time.Hour, g)
	}
	add(10*time.Minute, Good)
	for i, g := range []Rating{Good, Easy, Good, Good, Again} {
		add(time.Duration(5+9*i)*24*time.Hour, g)
	}
	add(10*time.Minute, Hard)
	add(15*time.Minute, Good)
	for i, g := range []Rating{Good, Good, Good, Good, Easy} {
		add(time.Duration(3+20*i)*24*time.Hour, g)
	}
	return h
}()

// BenchmarkReplay replays a card's whole history of about 20 reviews, as
// stats or a reschedule would; divide ns/op by the reviews per op.
func BenchmarkReplay(b *testing.B) {
	p := DefaultParams()
	p.Location = loadZone(b, "Europe/Berlin")
	s := mustScheduler(b, p)
	b.ReportAllocs()
	b.ReportMetric(float64(len(replayHistory)), "reviews/op")
	for b.Loop() {
		c := Card{}
		now := t0
		for _, r := range replayHistory {
			now = now.Add(r.after)
			c = s.Next(c, "k8s/pod-lifecycle", now, r.g)
		}
		sinkCard = c
	}
}

// BenchmarkModel is the memory model alone: one review's next memory state.
func BenchmarkModel(b *testing.B) {
	w := DefaultWeights
	m := Memory{Stability: 23.4, Difficulty: 5.6}
	var out Memory
	for b.Loop() {
		out = NextMemory(&w, m, 22, Good, true)
	}
	sinkCard.Stability = out.Stability
}
