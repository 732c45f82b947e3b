package study

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// memReader is an in-memory Reader.
type memReader struct {
	decks []deck.Deck
	prog  map[string]deck.Progress
	revs  []deck.Review
}

func (m *memReader) Decks() ([]deck.Deck, error)                    { return m.decks, nil }
func (m *memReader) AllProgress() (map[string]deck.Progress, error) { return m.prog, nil }
func (m *memReader) Settings() (deck.Settings, error)               { return deck.DefaultSettings(), nil }
func (m *memReader) Scheduler() (*fsrs.Scheduler, error) {
	return fsrs.NewScheduler(fsrs.DefaultParams())
}
func (m *memReader) Reviews(from, to time.Time) ([]deck.Review, error) {
	return m.revs, nil
}

var benchNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// bigLibrary is n cards in 7 decks, a third studied, with three reviews
// each, a few flagged and suspended.
func bigLibrary(tb testing.TB, n int) *Library {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"node", "pool", "pod", "cluster", "keda", "hpa", "ingress", "dns", "private", "endpoint", "subnet",
		"gateway", "policy", "identity", "managed", "storage", "queue", "event", "grid", "retry", "backoff", "quota"}
	text := func(k int) string {
		s := ""
		for i := 0; i < k; i++ {
			s += words[r.IntN(len(words))] + " "
		}
		return s
	}
	m := &memReader{prog: map[string]deck.Progress{}}
	for d := 0; d < 7; d++ {
		m.decks = append(m.decks, deck.Deck{ID: fmt.Sprintf("deck%d", d), Title: fmt.Sprintf("Deck %d", d), Builtin: true})
	}
	for i := 0; i < n; i++ {
		d := &m.decks[i%7]
		id := fmt.Sprintf("%s/card-%d", d.ID, i)
		d.Cards = append(d.Cards, deck.Card{ID: id, Deck: d.ID, Front: text(12) + "?", Back: text(40),
			Tags: []string{words[r.IntN(len(words))], words[r.IntN(len(words))]}, Line: i + 1})
		if i%3 == 0 {
			last := benchNow.Add(-time.Duration(r.IntN(30*24)) * time.Hour)
			ivl := 1 + r.IntN(60)
			p := deck.Progress{CardID: id, Flag: r.IntN(8) * (r.IntN(10) / 9), Suspended: r.IntN(50) == 0,
				Sched: fsrs.Card{State: fsrs.Review, Due: last.AddDate(0, 0, ivl), ScheduledDays: ivl, Reps: 3, Lapses: r.IntN(3),
					Stability: float64(ivl), Difficulty: 1 + 9*r.Float64(), LastReview: last}}
			m.prog[id] = p
			for k := 0; k < 3; k++ {
				m.revs = append(m.revs, deck.Review{CardID: id, At: last.Add(-time.Duration(k*ivl*24) * time.Hour), Rating: 1 + r.IntN(4)})
			}
		}
	}
	lib, err := Load(m, benchNow)
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

// The queries, and a few more.
var benchQueries = []string{
	"tag:aks",
	"-is:new",
	"is:new -deck:kubernetes",
	`"node pool"`,
	"prop:ivl>1",
	"is:buried",
	"hpa or keda",
	"is:review",
	"deck:k* (hpa or keda) -is:new",
	"prop:r<0.8",
	"ingress*tls",
	"rated:7:1",
}

// realLibrary is the built-in decks' cards copied up to n cards (IDs made
// unique), a third of them studied as in bigLibrary.
func realLibrary(tb testing.TB, n int) *Library {
	decks, err := deck.ParseFS(os.DirFS("../decks"))
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	m := &memReader{prog: map[string]deck.Progress{}}
	for _, d := range decks {
		dd := d
		dd.Cards = nil
		m.decks = append(m.decks, dd)
	}
	for i := 0; i < n; i++ {
		di := i % len(decks)
		src := decks[di].Cards[(i/len(decks))%len(decks[di].Cards)]
		c := src
		c.ID = fmt.Sprintf("%s-%d", src.ID, i)
		m.decks[di].Cards = append(m.decks[di].Cards, c)
		if i%3 == 0 {
			last := benchNow.Add(-time.Duration(r.IntN(30*24)) * time.Hour)
			ivl := 1 + r.IntN(60)
			m.prog[c.ID] = deck.Progress{CardID: c.ID, BuriedUntil: benchNow.Add(time.Duration(r.IntN(2)) * time.Hour * time.Duration(r.IntN(20))),
				Sched: fsrs.Card{State: fsrs.Review, Due: last.AddDate(0, 0, ivl), ScheduledDays: ivl, Reps: 3,
					Stability: float64(ivl), Difficulty: 1 + 9*r.Float64(), LastReview: last}}
			for k := 0; k < 3; k++ {
				m.revs = append(m.revs, deck.Review{CardID: c.ID, At: last.Add(-time.Duration(k*ivl*24) * time.Hour), Rating: 1 + r.IntN(4)})
			}
		}
	}
	slices.SortFunc(m.revs, func(a, b deck.Review) int { return a.At.Compare(b.At) })
	lib, err := Load(m, benchNow)
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

// BenchmarkSearch100k: one query over 100,000 cards (the built-in decks'
// text, copied), the index built once per library, before the timer.
func BenchmarkSearch100k(b *testing.B) {
	lib := realLibrary(b, 100_000)
	if _, err := lib.Search("", "", benchNow); err != nil { // builds the index
		b.Fatal(err)
	}
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				hits, err := lib.Search(q, "", benchNow)
				if err != nil {
					b.Fatal(err)
				}
				n = len(hits)
			}
			b.ReportMetric(float64(n), "cards")
		})
	}
	b.Run("sorted by due", func(b *testing.B) {
		for b.Loop() {
			if _, err := lib.Search("-is:new", "due", benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSearchSynthetic100k: the same over synthetic text made of a
// few frequent words (a worst case for word search).
func BenchmarkSearchSynthetic100k(b *testing.B) {
	lib := bigLibrary(b, 100_000)
	_, _ = lib.Search("", "", benchNow)
	for _, q := range []string{`"node pool"`, "hpa or keda", "d*s"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				_, _ = lib.Search(q, "", benchNow)
			}
		})
	}
}

// BenchmarkSearchIndex100k: preparing 100,000 cards for searching (once
// per library load).
func BenchmarkSearchIndex100k(b *testing.B) {
	lib := realLibrary(b, 100_000)
	for b.Loop() {
		lib.buildIndex()
	}
}

func TestSearchSortsAndActs(t *testing.T) {
	lib := bigLibrary(t, 700)
	hits, err := lib.Search("-is:new", "due", benchNow)
	if err != nil || len(hits) == 0 {
		t.Fatal(err, len(hits))
	}
	for i := 1; i < len(hits); i++ {
		a, b := hits[i-1].Progress, hits[i].Progress
		if !a.Suspended && !b.Suspended && b.Sched.Due.Before(a.Sched.Due) {
			t.Fatalf("not sorted by due at %d", i)
		}
	}
	if _, err := lib.Search("x", "colour", benchNow); err == nil {
		t.Fatal("unknown sort accepted")
	}
	if _, err := lib.Search("is:foo", "", benchNow); err == nil {
		t.Fatal("bad query accepted")
	}
	for _, c := range []struct {
		in     string
		lo, hi int
		bad    bool
	}{{"0", 0, 0, false}, {"7", 7, 7, false}, {"3-9", 3, 9, false}, {"9-3", 0, 0, true}, {"x", 0, 0, true}, {"-1", 0, 0, true}} {
		lo, hi, err := ParseDueDays(c.in)
		if (err != nil) != c.bad || (!c.bad && (lo != c.lo || hi != c.hi)) {
			t.Errorf("%q: %d %d %v", c.in, lo, hi, err)
		}
	}
	// set-due N-M lands each card on a day in the range; forget keeps counts.
	sch := lib.Sched
	fn := ActionFunc(Action{Kind: ActSetDue, DueMin: 3, DueMax: 5}, sch, benchNow, rand.New(rand.NewPCG(3, 4)))
	for i := 0; i < 50; i++ {
		p := deck.Progress{}
		var c deck.Card
		_ = fn(&c, &p)
		d := sch.DayIndex(p.Sched.Due) - sch.DayIndex(benchNow)
		if d < 3 || d > 5 || p.Sched.State != fsrs.Review || !p.Sched.Due.Equal(sch.DayStart(p.Sched.Due)) {
			t.Fatalf("set due 3-5: %d days, %+v", d, p.Sched)
		}
	}
	p := deck.Progress{Suspended: true, Sched: fsrs.Card{State: fsrs.Review, Reps: 4, Lapses: 2, Stability: 9}}
	var c deck.Card
	_ = ActionFunc(Action{Kind: ActForget}, sch, benchNow, nil)(&c, &p)
	if p.Sched.State != fsrs.New || p.Sched.Reps != 4 || p.Sched.Lapses != 2 || p.Sched.Stability != 0 || p.Suspended {
		t.Fatalf("forget: %+v", p)
	}
}
