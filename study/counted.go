package study

import (
	"sync"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// cardCounts are a counted library's cards (LoadCounts): the progress of
// the cards touched, in card order, in chunks of at most tallyChunk cards
// of one deck each, and per deck (parallel to Decks) the number of cards
// never touched. A studied card takes 88 bytes without a pointer (against
// the whole card and a map entry in a full library); chunks grow without
// copying, and the collector does not scan them.
type cardCounts struct {
	chunks []progChunk
	fresh  []int
	// loc is the location the progress times are given back in: the
	// scheduler's, as the store reads them.
	loc *time.Location
}

// progChunk is studied cards of one deck.
type progChunk struct {
	deck int
	ps   []compactProgress
}

// compactProgress is a deck.Progress without its card ID, in fixed-size
// fields: times as Unix nanoseconds (the store's own resolution) with a
// bit saying each is set, so a zero time stays zero.
type compactProgress struct {
	due, last, buried                      int64
	stability, difficulty                  float64
	elapsed, scheduled, step, reps, lapses int64
	state                                  uint8
	set                                    uint8 // cpDue, cpLast, cpBuried
	suspended, leech                       bool
	flag                                   int32
}

const (
	cpDue = 1 << iota
	cpLast
	cpBuried
)

func compactOf(p *deck.Progress) compactProgress {
	c := p.Sched
	cp := compactProgress{
		stability: c.Stability, difficulty: c.Difficulty,
		elapsed: int64(c.ElapsedDays), scheduled: int64(c.ScheduledDays), step: int64(c.Step),
		reps: int64(c.Reps), lapses: int64(c.Lapses), state: uint8(c.State),
		suspended: p.Suspended, leech: p.Leech, flag: int32(p.Flag),
	}
	if !c.Due.IsZero() {
		cp.set |= cpDue
		cp.due = c.Due.UnixNano()
	}
	if !c.LastReview.IsZero() {
		cp.set |= cpLast
		cp.last = c.LastReview.UnixNano()
	}
	if !p.BuriedUntil.IsZero() {
		cp.set |= cpBuried
		cp.buried = p.BuriedUntil.UnixNano()
	}
	return cp
}

// to writes the progress back into *p, its times in loc.
func (cp *compactProgress) to(p *deck.Progress, loc *time.Location) {
	at := func(bit uint8, n int64) time.Time {
		if cp.set&bit == 0 {
			return time.Time{}
		}
		return time.Unix(0, n).In(loc)
	}
	*p = deck.Progress{
		Sched: fsrs.Card{
			State: fsrs.State(cp.state), Due: at(cpDue, cp.due),
			Stability: cp.stability, Difficulty: cp.difficulty,
			ElapsedDays: int(cp.elapsed), ScheduledDays: int(cp.scheduled), Step: int(cp.step),
			Reps: int(cp.reps), Lapses: int(cp.lapses), LastReview: at(cpLast, cp.last),
		},
		Suspended: cp.suspended, BuriedUntil: at(cpBuried, cp.buried), Leech: cp.leech, Flag: int(cp.flag),
	}
}

// counter collects WalkCards' visits: each deck into its own deckCounter
// (decks are walked at once), joined in deck order by counts.
type counter struct {
	mu    sync.Mutex
	decks map[int]*deckCounter
}

// deckCounter is one deck's cards: its studied cards' progress in chunks
// of at most tallyChunk, and the number never touched.
type deckCounter struct {
	chunks []progChunk
	fresh  int
}

// visit is WalkCards' visit: it counts deck i's cards.
func (c *counter) visit(i int) func(p *deck.Progress) {
	d := &deckCounter{}
	c.mu.Lock()
	if c.decks == nil {
		c.decks = map[int]*deckCounter{}
	}
	c.decks[i] = d
	c.mu.Unlock()
	return func(p *deck.Progress) {
		if p == nil {
			d.fresh++
			return
		}
		n := len(d.chunks)
		if n == 0 || len(d.chunks[n-1].ps) == tallyChunk {
			d.chunks = append(d.chunks, progChunk{deck: i, ps: make([]compactProgress, 0, tallyChunk)})
			n++
		}
		d.chunks[n-1].ps = append(d.chunks[n-1].ps, compactOf(p))
	}
}

// counts joins the decks' counts, for n decks, in deck order (a deck
// never visited has no cards); it is false when a deck beyond n was.
func (c *counter) counts(n int) (*cardCounts, bool) {
	out := &cardCounts{fresh: make([]int, n)}
	for i, d := range c.decks {
		if i < 0 || i >= n {
			return nil, false
		}
		out.fresh[i] = d.fresh
	}
	for i := range n {
		if d := c.decks[i]; d != nil {
			out.chunks = append(out.chunks, d.chunks...)
		}
	}
	return out, true
}

// only is the counts of deck i alone, as deck 0.
func (c *cardCounts) only(i int) *cardCounts {
	out := &cardCounts{fresh: []int{c.fresh[i]}, loc: c.loc}
	for _, ch := range c.chunks {
		if ch.deck == i {
			out.chunks = append(out.chunks, progChunk{deck: 0, ps: ch.ps})
		}
	}
	return out
}

// cards is deck i's number of cards.
func (c *cardCounts) cards(i int) int {
	n := c.fresh[i]
	for _, ch := range c.chunks {
		if ch.deck == i {
			n += len(ch.ps)
		}
	}
	return n
}
