package deck

import (
	"cmp"
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
	// NewIgnoresReviewLimit off (Anki's default): the review limit also
	// limits new cards (see LimitCounts).
	NewIgnoresReviewLimit bool
	// Anki's sibling options: a card of a note hides the note's other new,
	// review or interday-learning cards for the day (BuryNew etc.). Siblings
	// left in the queue are spread apart whatever these say.
	BuryNew, BuryReview, BuryInterday bool
	// AnsweredToday are the cards graded since the day start: with a bury
	// option on, their siblings of the buried kinds stay hidden for the
	// rest of the day, also in a queue built later (a restart, another
	// process): the burying is derived from the day's log, so undoing the
	// grade brings the siblings back.
	AnsweredToday []string
	// Deck IDs in dashboard order; cards of decks not listed come last.
	DeckOrder []string
}

// NoteKey names the note a card belongs to: the cards of one cloze note
// (its deletions) share it; a basic card is a note of its own.
func NoteKey(c Card) string {
	if c.Kind == Cloze && c.Deck != "" && c.Slug != "" {
		return c.Deck + "/" + c.Slug
	}
	return c.ID
}

// LimitCounts is the one rule for how many of today's cards a queue shows:
// at most reviewLeft of the rev reviews (interday learning included), at
// most newLeft of the fresh new cards and, unless newIgnoresReviewLimit,
// no more new cards than the review limit leaves after the reviews
// (Anki: with 200 reviews due and a limit of 200, no new cards). learn
// cards are never limited.
func LimitCounts(fresh, learn, rev, newLeft, reviewLeft int, newIgnoresReviewLimit bool) Counts {
	r := min(rev, max(0, reviewLeft))
	n := min(fresh, max(0, newLeft))
	if !newIgnoresReviewLimit {
		n = min(n, max(0, reviewLeft-r))
	}
	return Counts{New: n, Learning: learn, Review: r}
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
//
// The queue holds every candidate and counts what today's limits still
// leave: a card answered uses up one of them, a card buried or suspended
// does not (the next candidate takes its place, as in Anki).
type Queue struct {
	learn  []Item // intraday learning and relearning, by due time
	review []Item // every review candidate, in order (the limit is counted)
	fresh  []Item // every new candidate, in order
	dayEnd time.Time

	newLeft, revLeft int
	newIgnoresRev    bool
	bury             [4]bool // by Bucket: bury that bucket's siblings of an answered card
	last             string  // note of the card answered last (siblings are spread apart)
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
	return BuildQueueOf([][]Card{cards}, progress, o)
}

// BuildQueueOf is BuildQueue over the cards of parts, in order, as if they
// were one slice (the decks of a library, without copying them into one).
func BuildQueueOf(parts [][]Card, progress map[string]Progress, o QueueOptions) *Queue {
	q := &Queue{dayEnd: o.DayEnd, newLeft: max(0, o.NewLimit), revLeft: max(0, o.ReviewLimit),
		newIgnoresRev: o.NewIgnoresReviewLimit}
	q.bury[InNew], q.bury[InReview] = o.BuryNew, o.BuryReview
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
	// The candidates are sorted by small keys that name their card and
	// progress (an item, a card and its progress, is about 400 bytes):
	// each item is made once, in its place, so 100,000 cards queue in a
	// fraction of the time and memory.
	var reviews, fresh []ranked
	var progs []Progress // the candidates' progress, by ranked.prog
	newPos := map[string]int{}
	for pi, cards := range parts {
		for i := range cards {
			c := &cards[i]
			p, seen := progress[c.ID]
			if !seen {
				p = Progress{CardID: c.ID}
			}
			switch Classify(p, o.Now, o.DayEnd) {
			case InNew:
				pos := newPos[c.Deck]
				newPos[c.Deck]++
				fresh = append(fresh, ranked{pi, i, len(progs), pos, deckRank(c.Deck), 0})
				progs = append(progs, p)
			case InLearning:
				q.learn = append(q.learn, Item{Card: *c, Progress: p})
			case InReview:
				reviews = append(reviews, ranked{pi, i, len(progs), 0, deckRank(c.Deck), p.Sched.Due.Unix()})
				progs = append(progs, p)
			}
		}
	}
	item := func(r *ranked) Item { return Item{Card: parts[r.part][r.card], Progress: progs[r.prog]} }
	q.learn = byDue(q.learn)
	q.review = interleave(reviews, item, len(reviews))
	q.fresh = interleave(fresh, item, len(fresh))
	if o.BuryNew || o.BuryReview || o.BuryInterday {
		q.burySiblingsAtStart(o, parts)
	}
	return q
}

// burySiblingsAtStart keeps, of each note, only the first card the queue
// would show among the kinds whose siblings are buried (Anki's queue
// builder does the same): learning cards first, then reviews, then new.
func (q *Queue) burySiblingsAtStart(o QueueOptions, parts [][]Card) {
	seen := map[string]bool{}
	if len(o.AnsweredToday) > 0 {
		answered := make(map[string]bool, len(o.AnsweredToday))
		for _, id := range o.AnsweredToday {
			answered[id] = true
		}
		for _, cards := range parts {
			for _, c := range cards {
				if answered[c.ID] {
					seen[NoteKey(c)] = true // its note showed a card today
				}
			}
		}
	}
	for _, it := range q.learn {
		seen[NoteKey(it.Card)] = true
	}
	keep := func(items []Item, on func(Item) bool) []Item {
		out := items[:0]
		for _, it := range items {
			k := NoteKey(it.Card)
			if seen[k] && on(it) {
				continue
			}
			seen[k] = true
			out = append(out, it)
		}
		return out
	}
	q.review = keep(q.review, func(it Item) bool {
		if it.Progress.Sched.State == fsrs.Review {
			return o.BuryReview
		}
		return o.BuryInterday
	})
	q.fresh = keep(q.fresh, func(Item) bool { return o.BuryNew })
	q.bury[InLearning] = o.BuryInterday // an interday learning card sits in review
}

// byDue is items sorted by due time, stably (by index: an item is not
// moved about while sorting).
func byDue(items []Item) []Item {
	idx := make([]int, len(items))
	due := make([]time.Time, len(items))
	for i := range items {
		idx[i], due[i] = i, items[i].Progress.Sched.Due
	}
	slices.SortStableFunc(idx, func(a, b int) int { return due[a].Compare(due[b]) })
	out := make([]Item, len(items))
	for i, k := range idx {
		out[i] = items[k]
	}
	return out
}

// ranked is a candidate's sort keys and where its card and progress are.
type ranked struct {
	part, card int // parts[part][card] (item makes its Item)
	prog       int // its progress
	pos        int // position within its deck
	deck       int
	due        int64
}

// interleave orders the candidates (rs[i] is item(rs[i].idx)) so that areas
// take turns: reviews by due time within each deck (most overdue first),
// new cards in file order; then the n-th card of every deck before the
// (n+1)-th of any. It keeps at most limit.
func interleave(rs []ranked, item func(*ranked) Item, limit int) []Item {
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.deck != b.deck {
			return cmp.Compare(a.deck, b.deck)
		}
		if a.due != b.due {
			return cmp.Compare(a.due, b.due)
		}
		return cmp.Compare(a.pos, b.pos)
	})
	for i := range rs {
		if i > 0 && rs[i].deck == rs[i-1].deck {
			rs[i].pos = rs[i-1].pos + 1
		} else {
			rs[i].pos = 0
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.pos != b.pos {
			return cmp.Compare(a.pos, b.pos)
		}
		return cmp.Compare(a.deck, b.deck)
	})
	if limit < 0 {
		limit = 0
	}
	if len(rs) > limit {
		rs = rs[:limit]
	}
	out := make([]Item, len(rs))
	for i := range rs {
		out[i] = item(&rs[i])
	}
	return out
}

// Next returns the card to show at now, or false when nothing is left to
// show now (NextLearning then tells when a learning card comes back). A
// sibling of the card answered last is passed over while another card can
// be shown.
func (q *Queue) Next(now time.Time) (Item, bool) {
	c := q.Counts()
	var first *Item
	try := func(items []Item, n int) (Item, bool) {
		for i := 0; i < n && i < len(items); i++ {
			if first == nil {
				first = &items[i]
			}
			if q.last == "" || NoteKey(items[i].Card) != q.last {
				return items[i], true
			}
		}
		return Item{}, false
	}
	if len(q.learn) > 0 && !q.learn[0].Progress.Sched.Due.After(now) {
		if it, ok := try(q.learn, 1); ok {
			return it, true
		}
	}
	if it, ok := try(q.review, c.Review); ok {
		return it, true
	}
	if it, ok := try(q.fresh, c.New); ok {
		return it, true
	}
	if len(q.learn) > 0 && !q.learn[0].Progress.Sched.Due.After(now.Add(LearnAhead)) {
		if it, ok := try(q.learn, 1); ok {
			return it, true
		}
	}
	if first != nil { // only siblings of the last card are left
		return *first, true
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

// Counts are the cards left in the queue that today's limits let it show.
func (q *Queue) Counts() Counts {
	return LimitCounts(len(q.fresh), len(q.learn), len(q.review), q.newLeft, q.revLeft, q.newIgnoresRev)
}

// Remove takes the card out of the queue (it was buried or suspended, or
// deleted) and reports whether it was there. It uses up no limit.
func (q *Queue) Remove(id string) bool {
	_, ok := q.take(id)
	return ok
}

// take removes the card and says which list held it.
func (q *Queue) take(id string) (Bucket, bool) {
	for b, l := range map[Bucket]*[]Item{InLearning: &q.learn, InReview: &q.review, InNew: &q.fresh} {
		for i := range *l {
			if (*l)[i].Card.ID == id {
				if i == 0 {
					*l = (*l)[1:] // the usual case: the card just shown
				} else {
					*l = slices.Delete(*l, i, i+1)
				}
				return b, true
			}
		}
	}
	return NotToday, false
}

// Answered takes the card out, counts it against today's limits, and puts
// it back among the learning cards when its new state is a learning step
// due today. With sibling burying on, it takes the card's siblings of the
// buried kinds out of the queue for the day (BuriedSiblings lists them).
func (q *Queue) Answered(c Card, after Progress) []string {
	b, _ := q.take(c.ID)
	q.use(b, -1)
	q.last = NoteKey(c)
	var buried []string
	if q.bury[InNew] || q.bury[InReview] || q.bury[InLearning] {
		for _, l := range []struct {
			items *[]Item
			on    func(Item) bool
		}{
			{&q.fresh, func(Item) bool { return q.bury[InNew] }},
			{&q.review, func(it Item) bool {
				if it.Progress.Sched.State == fsrs.Review {
					return q.bury[InReview]
				}
				return q.bury[InLearning]
			}},
		} {
			out := (*l.items)[:0]
			for _, it := range *l.items {
				if it.Card.ID != c.ID && NoteKey(it.Card) == q.last && l.on(it) {
					buried = append(buried, it.Card.ID)
					continue
				}
				out = append(out, it)
			}
			*l.items = out
		}
	}
	s := after.Sched
	if (s.State == fsrs.Learning || s.State == fsrs.Relearning) && s.ScheduledDays == 0 &&
		s.Due.Before(q.dayEnd) && !after.Suspended {
		it := Item{Card: c, Progress: after}
		i := sort.Search(len(q.learn), func(i int) bool { return q.learn[i].Progress.Sched.Due.After(s.Due) })
		q.learn = append(q.learn, Item{})
		copy(q.learn[i+1:], q.learn[i:])
		q.learn[i] = it
	}
	return buried
}

// use counts one card of bucket b against today's limits (n = -1) or
// gives it back (n = 1): a new card uses a new card and, unless new cards
// ignore the review limit, a review; a review uses a review.
func (q *Queue) use(b Bucket, n int) {
	switch b {
	case InNew:
		q.newLeft = max(0, q.newLeft+n)
		if !q.newIgnoresRev {
			q.revLeft = max(0, q.revLeft+n)
		}
	case InReview:
		q.revLeft = max(0, q.revLeft+n)
	}
}

// PutBack puts a card at the front of the queue, so it is shown next, in
// the place its restored state belongs: after an undone grade (graded: the
// limit it used is given back) or an undone bury or suspend.
func (q *Queue) PutBack(it Item, graded bool) {
	q.take(it.Card.ID)
	q.last = ""
	b := InReview
	switch s := it.Progress.Sched; {
	case s.State == fsrs.New:
		b = InNew
		q.fresh = append([]Item{it}, q.fresh...)
	case (s.State == fsrs.Learning || s.State == fsrs.Relearning) && s.ScheduledDays == 0:
		b = InLearning
		q.learn = append([]Item{it}, q.learn...)
	default:
		q.review = append([]Item{it}, q.review...)
	}
	if graded {
		q.use(b, 1)
	}
}

// Replace puts c's new text on its queued item and returns the item as it
// was (false when the card is not queued).
func (q *Queue) Replace(c Card) (Item, bool) {
	for _, l := range [][]Item{q.learn, q.review, q.fresh} {
		for i := range l {
			if l[i].Card.ID == c.ID {
				old := l[i]
				l[i].Card = c
				return old, true
			}
		}
	}
	return Item{}, false
}
