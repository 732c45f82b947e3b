package tui

import (
	"fmt"
	"math/rand/v2"
	"opsdeck/study"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// bigFake is a library of n cards in 7 decks: a tenth new, the rest studied
// (a third of those due today), with reviews a day each over the last
// year for a tenth of the cards.
func bigFake(n int) *fakeRepo {
	rng := rand.New(rand.NewPCG(1, 2))
	decks := make([]deck.Deck, 7)
	for i := range decks {
		decks[i] = deck.Deck{ID: fmt.Sprintf("area-%d", i), Title: fmt.Sprintf("Area %d", i), Builtin: true}
	}
	f := newFake()
	for i := 0; i < n; i++ {
		d := &decks[i%len(decks)]
		slug := fmt.Sprintf("card-%d", i)
		id := d.ID + "/" + slug
		d.Cards = append(d.Cards, deck.Card{ID: id, Deck: d.ID, Slug: slug, Line: i + 1, Tags: []string{"t"},
			Front: fmt.Sprintf("Question %d: what does this do, and why does it matter in production?", i),
			Back:  fmt.Sprintf("Answer %d.\n\n```yaml\nkey: value\n```\nMore text to wrap across the screen for a realistic answer length.", i)})
		if i%10 == 0 {
			continue
		}
		ivl := 1 + rng.IntN(100)
		due := testNow.Add(time.Duration(rng.IntN(3*ivl*24)-ivl*24) * time.Hour)
		f.prog[id] = reviewCard(id, due, ivl)
	}
	f.decks = decks
	for day := 365; day >= 0; day-- {
		for k := 0; k < n/10/365+1; k++ {
			id := decks[k%7].Cards[(day*7+k)%len(decks[k%7].Cards)].ID
			f.reviews = append(f.reviews, deck.Review{CardID: id, At: testNow.AddDate(0, 0, -day).Add(-time.Duration(k) * time.Second),
				Rating: 1 + k%4, StateBefore: 2, LastInterval: 5, Interval: 9, Duration: 9 * time.Second})
		}
	}
	f.settings.ReviewsPerDay = 9999
	return f
}

func fixedNow() time.Time { return testNow }

// BenchmarkStartToFirstFrame: New, Init's load (in the fake: the copies a
// store read makes) and the first View, at 100,000 cards. Goal: < 100 ms.
func BenchmarkStartToFirstFrame(b *testing.B) {
	f := bigFake(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m := New(f, Options{Now: fixedNow})
		msg := m.Init()()
		m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m, _ = m.Update(msg)
		if v := m.View(); len(v) < 100 {
			b.Fatal("no dashboard")
		}
	}
}

// BenchmarkGradeToNextCard: from the grade key to the next card drawn (the
// key's Update, the Update of Grade's result and the View), the store call
// itself not counted. 100,000 cards, a queue of thousands. Goal: < 16 ms.
func BenchmarkGradeToNextCard(b *testing.B) {
	f := bigFake(100_000)
	lib, err := study.Load(f, testNow)
	if err != nil {
		b.Fatal(err)
	}
	st := DefaultStyles()
	e := &env{repo: f, now: fixedNow, styles: &st}
	newSession := func() review {
		r := newReview(e, lib, mustSession(lib, ""), testNow)
		r.setSize(80, 21)
		return r
	}
	r := newSession()
	b.Logf("queue: %+v", r.queue.Counts())
	three := keyMsg("3")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if !r.has {
			r = newSession()
		}
		r, _ = r.update(keyMsg("space"))
		sch := lib.Sched.Next(r.cur.Progress.Sched, r.cur.Card.ID, testNow, fsrs.Good)
		after := r.cur.Progress
		after.Sched = sch
		res := deck.GradeResult{Before: r.cur.Progress, After: after}
		b.StartTimer()

		r, _ = r.update(three)
		r, _ = r.update(gradedMsg{op: r.pending, cardID: r.cur.Card.ID, rating: fsrs.Good, res: res})
		if v := r.view(); len(v) < 100 {
			b.Fatal("no card")
		}
	}
}
