package deck

import (
	"slices"
	"sort"
	"time"

	"opsdeck/deck/fsrs"
)

// LearnAhead is how far ahead a learning card may be shown when nothing
// else is left (Anki's "learn ahead limit").
const LearnAhead = 20 * time.Minute

// QueueOptions say what a study session may show.
type QueueOptions struct {
	Now    time.Time
	DayEnd time.Time // start of the next scheduling day
	// What today's limits leave: Settings.NewPerDay less the new cards
	// already studied today, Settings.ReviewsPerDay less the reviews done.
	NewLimit, ReviewLimit int
	// Deck IDs in dashboard order; cards of decks not listed come last.
	DeckOrder []string
}

// Item is one card of a queue with its progress (Progress.Sched.State is
// fsrs.New for a card never studied).
type Item struct {
	Card     Card
	Progress Progress
}

// Counts are the cards a queue still holds, as Anki shows them.
type Counts struct {
	New, Learning, Review int
}

// Total is the number of cards left.
func (c Counts) Total() int { return c.New + c.Learning + c.Review }

// Queue is a study session's cards in Anki's order: learning cards that are
// due, then reviews, then new cards, areas interleaved; learning cards due
// within LearnAhead come when nothing else is left.
type Queue struct {
	learn  []Item // intraday learning and relearning, by due time
	review []Item
	fresh  []Item
	dayEnd time.Time
}

// Available reports whether p's card may be studied at now: not suspended
// and not buried.
func Available(p Progress, now time.Time) bool {
	return !p.Suspended && !now.Before(p.BuriedUntil)
}

// Bucket says where a card stands in today's queue.
type Bucket int

const (
	NotToday   Bucket = iota // suspended, buried, or due after today
	InNew                    // a new card (subject to the new-card limit)
	InLearning               // an intraday learning or relearning step
	InReview                 // a review due today, or an interday learning step (subject to the review limit)
)

// Classify says which of today's queues a card with progress p belongs to
// at now, when the scheduling day ends at dayEnd. It is the one rule that
// BuildQueue and every count of today's cards use.
func Classify(p Progress, now, dayEnd time.Time) Bucket {
	if !Available(p, now) {
		return NotToday
	}
	switch p.Sched.State {
	case fsrs.New:
		return InNew
	case fsrs.Learning, fsrs.Relearning:
		if !p.Sched.Due.Before(dayEnd) {
			return NotToday
		}
		if p.Sched.ScheduledDays > 0 {
			return InReview
		}
		return InLearning
	case fsrs.Review:
		if p.Sched.Due.Before(dayEnd) {
			return InReview
		}
	}
	return NotToday
}

// BuildQueue gathers today's cards. progress holds the cards studied before;
// a card missing from it is new.
func BuildQueue(cards []Card, progress map[string]Progress, o QueueOptions) *Queue {
	q := &Queue{dayEnd: o.DayEnd}
	rank := map[string]int{}
	for i, id := range o.DeckOrder {
		rank[id] = i
	}
	deckRank := func(id string) int {
		if r, ok := rank[id]; ok {
			return r
		}
		return len(rank)
	}
	var reviews, fresh []ranked
	newPos := map[string]int{}
	for _, c := range cards {
		p, seen := progress[c.ID]
		if !seen {
			p = Progress{CardID: c.ID}
		}
		it := Item{Card: c, Progress: p}
		switch Classify(p, o.Now, o.DayEnd) {
		case InNew:
			pos := newPos[c.Deck]
			newPos[c.Deck]++
			fresh = append(fresh, ranked{it, pos, deckRank(c.Deck), 0})
		case InLearning:
			q.learn = append(q.learn, it)
		case InReview:
			reviews = append(reviews, ranked{it, 0, deckRank(c.Deck), p.Sched.Due.Unix()})
		}
	}
	sort.SliceStable(q.learn, func(i, j int) bool { return q.learn[i].Progress.Sched.Due.Before(q.learn[j].Progress.Sched.Due) })
	q.review = interleave(reviews, o.ReviewLimit)
	q.fresh = interleave(fresh, o.NewLimit)
	return q
}

type ranked struct {
	it   Item
	pos  int // position within its deck
	deck int
	due  int64
}

// interleave orders items so that areas take turns: reviews by due time
// within each deck (most overdue first), new cards in file order; then the
// n-th card of every deck before the (n+1)-th of any. It keeps at most limit.
func interleave(rs []ranked, limit int) []Item {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].deck != rs[j].deck {
			return rs[i].deck < rs[j].deck
		}
		if rs[i].due != rs[j].due {
			return rs[i].due < rs[j].due
		}
		return rs[i].pos < rs[j].pos
	})
	for i := range rs {
		if i > 0 && rs[i].deck == rs[i-1].deck {
			rs[i].pos = rs[i-1].pos + 1
		} else {
			rs[i].pos = 0
		}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].pos != rs[j].pos {
			return rs[i].pos < rs[j].pos
		}
		return rs[i].deck < rs[j].deck
	})
	if limit < 0 {
		limit = 0
	}
	if len(rs) > limit {
		rs = rs[:limit]
	}
	out := make([]Item, len(rs))
	for i, r := range rs {
		out[i] = r.it
	}
	return out
}

// Next returns the card to show at now, or false when nothing is left to
// show now (NextLearning then tells when a learning card comes back).
func (q *Queue) Next(now time.Time) (Item, bool) {
	if len(q.learn) > 0 && !q.learn[0].Progress.Sched.Due.After(now) {
		return q.learn[0], true
	}
	if len(q.review) > 0 {
		return q.review[0], true
	}
	if len(q.fresh) > 0 {
		return q.fresh[0], true
	}
	if len(q.learn) > 0 && !q.learn[0].Progress.Sched.Due.After(now.Add(LearnAhead)) {
		return q.learn[0], true
	}
	return Item{}, false
}

// NextLearning is the due time of the next learning card still waiting
// today, if any.
func (q *Queue) NextLearning() (time.Time, bool) {
	if len(q.learn) == 0 {
		return time.Time{}, false
	}
	return q.learn[0].Progress.Sched.Due, true
}

// Counts are the cards left in the queue.
func (q *Queue) Counts() Counts {
	return Counts{New: len(q.fresh), Learning: len(q.learn), Review: len(q.review)}
}

// Remove takes the card out of the queue (it was answered, buried or
// suspended) and reports whether it was there.
func (q *Queue) Remove(id string) bool {
	for _, l := range []*[]Item{&q.learn, &q.review, &q.fresh} {
		for i := range *l {
			if (*l)[i].Card.ID == id {
				if i == 0 {
					*l = (*l)[1:] // the usual case: the card just shown
				} else {
					*l = slices.Delete(*l, i, i+1)
				}
				return true
			}
		}
	}
	return false
}

// Answered takes the card out and puts it back among the learning cards
// when its new state is a learning step due today.
func (q *Queue) Answered(c Card, after Progress) {
	q.Remove(c.ID)
	s := after.Sched
	if (s.State == fsrs.Learning || s.State == fsrs.Relearning) && s.ScheduledDays == 0 &&
		s.Due.Before(q.dayEnd) && !after.Suspended {
		it := Item{Card: c, Progress: after}
		i := sort.Search(len(q.learn), func(i int) bool { return q.learn[i].Progress.Sched.Due.After(s.Due) })
		q.learn = append(q.learn, Item{})
		copy(q.learn[i+1:], q.learn[i:])
		q.learn[i] = it
	}
}

// PutBack puts an undone card at the front of the queue, so it is shown
// next, in the place its restored state belongs.
func (q *Queue) PutBack(it Item) {
	q.Remove(it.Card.ID)
	switch s := it.Progress.Sched; {
	case s.State == fsrs.New:
		q.fresh = append([]Item{it}, q.fresh...)
	case (s.State == fsrs.Learning || s.State == fsrs.Relearning) && s.ScheduledDays == 0:
		q.learn = append([]Item{it}, q.learn...)
	default:
		q.review = append([]Item{it}, q.review...)
	}
}
