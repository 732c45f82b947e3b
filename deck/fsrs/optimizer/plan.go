package optimizer

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// A prefixPlan predicts many items with one pass per card. Items that start
// at the same element of the same backing array (as Items builds them) are
// prefixes of one another, so their predictions lie along one replay of the
// longest: with the parameters fixed, that is the sum of the card lengths in
// steps rather than the sum of the item lengths. Items made by hand simply
// form groups of one.
type prefixPlan struct {
	groups  []planGroup
	targets []planTarget // grouped, each group's by ascending length
	n       int          // number of items
}

type planGroup struct {
	reviews  []ItemReview // the group's longest item
	from, to int32        // its targets
}

type planTarget struct {
	length int32 // item length
	index  int32 // position in the item slice
}

// newPrefixPlan plans the n items at(0), ..., at(n-1).
func newPrefixPlan(n int, at func(int) Item) *prefixPlan {
	p := &prefixPlan{n: n, targets: make([]planTarget, n)}
	byStart := make(map[*ItemReview]int32, n/4)
	groupOf := make([]int32, n)
	var counts []int32
	for i := range n {
		it := at(i)
		key := &it.Reviews[0]
		g, ok := byStart[key]
		if !ok {
			g = int32(len(p.groups))
			byStart[key] = g
			p.groups = append(p.groups, planGroup{reviews: it.Reviews})
			counts = append(counts, 0)
		}
		if len(it.Reviews) > len(p.groups[g].reviews) {
			p.groups[g].reviews = it.Reviews
		}
		groupOf[i] = g
		counts[g]++
	}
	var off int32
	for g := range p.groups {
		p.groups[g].from, p.groups[g].to = off, off
		off += counts[g]
	}
	for i := range n {
		it := at(i)
		gr := &p.groups[groupOf[i]]
		p.targets[gr.to] = planTarget{int32(len(it.Reviews)), int32(i)}
		gr.to++
	}
	for _, gr := range p.groups {
		slices.SortFunc(p.targets[gr.from:gr.to], func(a, b planTarget) int { return cmp.Compare(a.length, b.length) })
	}
	return p
}

// predict stores in out[i] the predicted recall of the i-th item, using up
// to workers goroutines.
func (p *prefixPlan) predict(m *model, out []float64, workers int) {
	workers = max(1, min(workers, p.n/1024))
	ng := len(p.groups)
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := k*ng/workers, (k+1)*ng/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, gr := range p.groups[lo:hi] {
				revs := gr.reviews
				s, d := m.init(int(revs[0].Rating))
				pos := 1 // reviews applied
				for _, tg := range p.targets[gr.from:gr.to] {
					for ; pos < int(tg.length)-1; pos++ {
						s, d = m.step(s, d, float64(revs[pos].DeltaT), int(revs[pos].Rating))
					}
					out[tg.index] = m.retrievability(float64(revs[tg.length-1].DeltaT), s)
				}
			}
		}()
	}
	wg.Wait()
}

// logLoss is the weighted log loss of predictions p for items.
func logLoss(items []weightedItem, p []float64) float64 {
	var loss float64
	for i, wi := range items {
		if wi.item.current().Rating > 1 {
			loss -= wi.weight * math.Log(p[i])
		} else {
			loss -= wi.weight * math.Log(1-p[i])
		}
	}
	return loss
}
