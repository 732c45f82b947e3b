package optimizer

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// ItemReview is one review inside a training item (fsrs-rs FSRSReview).
type ItemReview struct {
	Rating uint8  // 1-4
	DeltaT uint32 // days since the previous review (0 for the first review and same-day reviews)
}

// Item is one prediction to train on (fsrs-rs FSRSItem): a card's reviews up
// to and including the one being predicted, oldest first. The last review is
// the outcome; the ones before it are the history the model replays.
//
// Items built by Items share one backing array per call: an item is a window
// onto its card's reviews, so the items of a log take memory proportional to
// the log, not to the sum of the history lengths. Treat Reviews as read-only.
type Item struct {
	Reviews []ItemReview
}

// current is the review being predicted.
func (it Item) current() ItemReview { return it.Reviews[len(it.Reviews)-1] }

// longTermReviewCount counts the reviews on a later day than the one before.
func (it Item) longTermReviewCount() int {
	n := 0
	for _, r := range it.Reviews {
		if r.DeltaT > 0 {
			n++
		}
	}
	return n
}

// firstLongTermReview is the first review with DeltaT > 0.
func (it Item) firstLongTermReview() ItemReview {
	for _, r := range it.Reviews {
		if r.DeltaT > 0 {
			return r
		}
	}
	return ItemReview{}
}

// validate reports what is wrong with a hand-made item.
func (it Item) validate() error {
	if len(it.Reviews) < 2 {
		return fmt.Errorf("item has %d review(s), want at least 2", len(it.Reviews))
	}
	for i, r := range it.Reviews {
		if r.Rating < 1 || r.Rating > 4 {
			return fmt.Errorf("review %d has rating %d, want 1-4", i, r.Rating)
		}
	}
	if it.current().DeltaT == 0 {
		return fmt.Errorf("last review has DeltaT 0, want a later day")
	}
	return nil
}

// DayIndex numbers the scheduling day that the instant ms (Unix
// milliseconds) falls in, for days that start at dayStartHour in loc (nil
// means UTC): floor((local time - dayStartHour hours) / 1 day).
func DayIndex(ms int64, loc *time.Location, dayStartHour int) int64 {
	const hour, day = int64(3600_000), int64(86400_000)
	if loc == nil || loc == time.UTC {
		return floorDiv(ms-int64(dayStartHour)*hour, day)
	}
	_, off := time.UnixMilli(ms).In(loc).Zone()
	return floorDiv(ms+int64(off)*1000-int64(dayStartHour)*hour, day)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Items converts a review log into fsrs-rs training items. Reviews are
// grouped by card and sorted by time; each review is given the number of
// scheduling days since the card's previous review (see DayIndex). Every
// review on a later day than the card's previous review becomes one item,
// whose history is all the card's earlier reviews, same-day ones included.
// Items come out in the time order of the review they predict (ties keep the
// card order). Reviews with a rating outside 1-4 are skipped.
func Items(reviews []Review, loc *time.Location, dayStartHour int) []Item {
	idx := make([]int32, 0, len(reviews))
	for i := range reviews {
		if r := reviews[i].Rating; r >= 1 && r <= 4 {
			idx = append(idx, int32(i))
		}
	}
	// By card, then time, then position in the log (a total order, so the
	// unstable sort is stable).
	slices.SortFunc(idx, func(a, b int32) int {
		ra, rb := &reviews[a], &reviews[b]
		if c := cmp.Compare(ra.CardID, rb.CardID); c != 0 {
			return c
		}
		if c := cmp.Compare(ra.Time, rb.Time); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})

	// One ItemReview per review, cards one after another.
	flat := make([]ItemReview, len(idx))
	nItems := 0
	var prevDay int64
	for j, i := range idx {
		r := &reviews[i]
		day := DayIndex(r.Time, loc, dayStartHour)
		flat[j].Rating = uint8(r.Rating)
		if j > 0 && reviews[idx[j-1]].CardID == r.CardID && day > prevDay {
			flat[j].DeltaT = uint32(day - prevDay)
			nItems++
		}
		prevDay = day
	}

	// An item ends at each review on a later day; order them by time.
	type key struct {
		time       int64
		start, end int32
	}
	keys := make([]key, 0, nItems)
	start := 0
	for j, i := range idx {
		if j > 0 && reviews[idx[j-1]].CardID != reviews[i].CardID {
			start = j
		}
		if j > start && flat[j].DeltaT > 0 {
			keys = append(keys, key{reviews[i].Time, int32(start), int32(j + 1)})
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.time, b.time); c != 0 {
			return c
		}
		return cmp.Compare(a.end, b.end)
	})
	items := make([]Item, len(keys))
	for i, k := range keys {
		items[i] = Item{Reviews: flat[k.start:k.end:k.end]}
	}
	return items
}

// itemFact is what the evaluation and the outlier filter need to know of
// an item beyond its last review, computed by itemFacts.
type itemFact struct {
	longTerm int        // longTermReviewCount
	lapses   int        // Again ratings on a later day, before the last review
	firstLT  ItemReview // firstLongTermReview
	invalid  error      // validate
}

// itemFacts computes the facts of every item in time linear in the sum of
// the card lengths, not the item lengths: the items of one card (windows
// from one start of one backing array, as Items makes them) share one pass
// over the longest. One card with 100,000 daily reviews has 100,000 items
// of up to 100,000 reviews: 5*10^9 steps item by item, 10^5 this way.
func itemFacts(items []Item) []itemFact {
	facts := make([]itemFact, len(items))
	type group struct {
		longest  []ItemReview
		lt, lap  []int32 // counts over longest[:i]
		firstLT  int     // index of the first review with DeltaT > 0, or len
		firstBad int     // index of the first bad rating, or len
	}
	byStart := map[*ItemReview]*group{}
	var order []*group
	groupOf := make([]*group, len(items))
	for i, it := range items {
		if len(it.Reviews) == 0 {
			continue
		}
		g := byStart[&it.Reviews[0]]
		if g == nil {
			g = &group{}
			byStart[&it.Reviews[0]] = g
			order = append(order, g)
		}
		if len(it.Reviews) > len(g.longest) {
			g.longest = it.Reviews
		}
		groupOf[i] = g
	}
	for _, g := range order {
		n := len(g.longest)
		g.lt, g.lap = make([]int32, n+1), make([]int32, n+1)
		g.firstLT, g.firstBad = n, n
		for j, r := range g.longest {
			g.lt[j+1], g.lap[j+1] = g.lt[j], g.lap[j]
			if r.DeltaT > 0 {
				g.lt[j+1]++
				if r.Rating == 1 {
					g.lap[j+1]++
				}
				if g.firstLT == n {
					g.firstLT = j
				}
			}
			if (r.Rating < 1 || r.Rating > 4) && g.firstBad == n {
				g.firstBad = j
			}
		}
	}
	for i, it := range items {
		f := &facts[i]
		L := len(it.Reviews)
		if L < 2 {
			f.invalid = fmt.Errorf("item has %d review(s), want at least 2", L)
			if L == 0 {
				continue
			}
		}
		g := groupOf[i]
		f.longTerm = int(g.lt[L])
		f.lapses = int(g.lap[L-1])
		if g.firstLT < L {
			f.firstLT = it.Reviews[g.firstLT]
		}
		switch {
		case f.invalid != nil:
		case g.firstBad < L:
			f.invalid = fmt.Errorf("review %d has rating %d, want 1-4", g.firstBad, it.Reviews[g.firstBad].Rating)
		case it.current().DeltaT == 0:
			f.invalid = fmt.Errorf("last review has DeltaT 0, want a later day")
		}
	}
	return facts
}
