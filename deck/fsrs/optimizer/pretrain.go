package optimizer

import (
	"cmp"
	"math"
	"slices"
)

// initSMax is the upper bound of the initial stabilities w0..w3.
const initSMax = 100.0

// f32 rounds x to float32 precision, for constants fsrs-rs holds as f32.
func f32(x float64) float64 { return float64(float32(x)) }

// prepareTrainingData is fsrs-rs's prepare_training_data: it splits off the
// items with exactly one long-term review (the data for the initial
// stabilities) and applies the outlier filter. It returns the filtered
// initialization set and the filtered training set (all items, in their
// original order, minus those of removed (first rating, first interval)
// pairs).
func prepareTrainingData(items []Item) (initSet, trainSet []Item) {
	for i, f := range itemFacts(items) {
		if f.longTerm == 1 {
			initSet = append(initSet, items[i])
		}
	}
	return filterOutlier(initSet, items)
}

// filterOutlier is fsrs-rs's filter_outlier. For each first rating, the
// initialization items are grouped by their first interval; the smallest
// groups (ties: shorter intervals first) that together hold under 5% of the
// items (at least 20) are removed, and so are groups of fewer than 6 items
// or with intervals over 100 days (365 for Easy). Training items whose
// (first rating, first interval) pair was removed are dropped too.
func filterOutlier(initSet, trainSet []Item) (kept, train []Item) {
	type group struct {
		dt    uint32
		items []Item
	}
	var byRating [5]map[uint32][]Item
	for _, it := range initSet {
		r := it.Reviews[0].Rating
		if byRating[r] == nil {
			byRating[r] = map[uint32][]Item{}
		}
		dt := it.current().DeltaT
		byRating[r][dt] = append(byRating[r][dt], it)
	}
	var removed [5]map[uint32]bool
	for rating := range 5 {
		if byRating[rating] == nil {
			continue
		}
		removed[rating] = map[uint32]bool{}
		var groups []group
		total := 0
		for dt, its := range byRating[rating] {
			groups = append(groups, group{dt, its})
			total += len(its)
		}
		// fsrs-rs sorts by size descending then interval descending and
		// walks the list backwards: ascending size, then ascending interval.
		slices.SortFunc(groups, func(a, b group) int {
			if c := cmp.Compare(len(a.items), len(b.items)); c != 0 {
				return c
			}
			return cmp.Compare(a.dt, b.dt)
		})
		limit := max(20, total/20)
		hasBeenRemoved := 0
		maxDT := uint32(100)
		if rating == 4 {
			maxDT = 365
		}
		for _, g := range groups {
			if hasBeenRemoved+len(g.items) >= limit {
				if len(g.items) >= 6 && g.dt <= maxDT {
					kept = append(kept, g.items...)
				} else {
					removed[rating][g.dt] = true
				}
			} else {
				hasBeenRemoved += len(g.items)
				removed[rating][g.dt] = true
			}
		}
	}
	train = make([]Item, 0, len(trainSet))
	facts := itemFacts(trainSet)
	for i, it := range trainSet {
		r := it.Reviews[0].Rating
		if removed[r] != nil && removed[r][facts[i].firstLT.DeltaT] {
			continue
		}
		train = append(train, it)
	}
	return kept, train
}

// averageRecall is the share of items whose last review is a pass.
func averageRecall(items []Item) float64 {
	if len(items) == 0 {
		return 0
	}
	pass := 0
	for _, it := range items {
		if it.current().Rating > 1 {
			pass++
		}
	}
	return f32(float64(pass) / float64(len(items)))
}

type recallPoint struct{ dt, recall, count float64 }

// initialStability is fsrs-rs's initialize_stability_parameters: for each
// first rating, the stability that best fits the pass rate of the first
// long-term review (with Laplace smoothing toward averageRecall and an L1
// pull toward the default), then smoothed and filled by smoothAndFill. It
// also returns the number of items per first rating.
func initialStability(initSet []Item, avgRecall float64) ([4]float64, map[int]int, error) {
	type acc struct{ pass, n int }
	groups := map[int]map[uint32]*acc{}
	for _, it := range initSet {
		if it.longTermReviewCount() != 1 {
			continue
		}
		r := int(it.Reviews[0].Rating)
		fl := it.firstLongTermReview()
		if groups[r] == nil {
			groups[r] = map[uint32]*acc{}
		}
		a := groups[r][fl.DeltaT]
		if a == nil {
			a = &acc{}
			groups[r][fl.DeltaT] = a
		}
		a.n++
		if fl.Rating > 1 {
			a.pass++
		}
	}
	count := map[int]int{}
	stab := map[int]float64{}
	for r, g := range groups {
		var pts []recallPoint
		total := 0
		for dt, a := range g {
			pts = append(pts, recallPoint{float64(dt), float64(a.pass) / float64(a.n), float64(a.n)})
			total += a.n
		}
		slices.SortFunc(pts, func(a, b recallPoint) int { return cmp.Compare(a.dt, b.dt) })
		count[r] = total
		stab[r] = searchStability(pts, avgRecall, f32(DefaultWeights[r-1]))
	}
	s, err := smoothAndFill(stab, count)
	return s, count, err
}

// initLoss is the pre-training loss of initial stability s.
func initLoss(pts []recallPoint, s, defaultS0 float64) float64 {
	decay := -f32(DefaultWeights[20])
	factor := math.Pow(0.9, 1/decay) - 1
	var l float64
	for _, p := range pts {
		y := math.Pow(p.dt/s*factor+1, decay)
		l += -(p.recall*math.Log(y) + (1-p.recall)*math.Log(1-y)) * p.count
	}
	return l + math.Abs(s-defaultS0)/16
}

// searchStability is fsrs-rs's ternary search over [S_MIN, 100].
func searchStability(pts []recallPoint, avgRecall, defaultS0 float64) float64 {
	sm := make([]recallPoint, len(pts))
	for i, p := range pts {
		sm[i] = p
		sm[i].recall = (p.recall*p.count + avgRecall) / (p.count + 1)
	}
	low, high := f32(sMin), initSMax
	opt := defaultS0
	for iter := 0; high-low > 0x1p-52 && iter < 1000; iter++ {
		mid1 := low + (high-low)/3
		mid2 := high - (high-low)/3
		if initLoss(sm, mid1, defaultS0) < initLoss(sm, mid2, defaultS0) {
			high = mid2
		} else {
			low = mid1
		}
		opt = (high + low) / 2
	}
	return f32(opt)
}

// smoothAndFill is fsrs-rs's smooth_and_fill: it makes the initial
// stabilities non-decreasing in the rating (the rating with more data
// wins), fills missing ratings from the others with fixed exponents, and
// clamps to [S_MIN, 100]. Only ratings present in count are used.
func smoothAndFill(stab map[int]float64, count map[int]int) ([4]float64, error) {
	rs := map[int]float64{}
	for k, v := range stab {
		if _, ok := count[k]; ok {
			rs[k] = v
		}
	}
	for _, pr := range [][2]int{{1, 2}, {2, 3}, {3, 4}, {1, 3}, {2, 4}, {1, 4}} {
		small, okS := rs[pr[0]]
		big, okB := rs[pr[1]]
		if okS && okB && small > big {
			if count[pr[0]] > count[pr[1]] {
				rs[pr[1]] = small
			} else {
				rs[pr[0]] = big
			}
		}
	}
	const w1, w2 = 0.41, 0.54
	pow := math.Pow
	var arr [5]float64
	var has [5]bool
	for r := 1; r <= 4; r++ {
		arr[r], has[r] = rs[r]
	}
	var out [4]float64
	switch len(rs) {
	case 0:
		return out, &NotEnoughDataError{Reason: "no first-interval data for the initial stabilities"}
	case 1:
		for r, v := range rs {
			f := v / f32(DefaultWeights[r-1])
			for i := range 4 {
				out[i] = f32(DefaultWeights[i]) * f
			}
		}
		slices.Sort(out[:])
	case 2:
		switch {
		case !has[1] && !has[2] && has[3] && has[4]:
			r3, r4 := arr[3], arr[4]
			r2 := pow(r3, 1/(1-w2)) * pow(r4, 1-1/(1-w2))
			arr[2] = r2
			arr[1] = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case !has[1] && has[2] && !has[3] && has[4]:
			r2, r4 := arr[2], arr[4]
			r3 := pow(r2, 1-w2) * pow(r4, w2)
			arr[3] = r3
			arr[1] = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case !has[1] && has[2] && has[3] && !has[4]:
			r2, r3 := arr[2], arr[3]
			arr[4] = pow(r2, 1-1/w2) * pow(r3, 1/w2)
			arr[1] = pow(r2, 1/w1) * pow(r3, 1-1/w1)
		case has[1] && !has[2] && !has[3] && has[4]:
			r1, r4 := arr[1], arr[4]
			e := w1 / (w1*-w2 + (w1 + w2))
			arr[2] = pow(r1, e) * pow(r4, 1-e)
			e3 := w2 / (w1*-w2 + (w1 + w2))
			arr[3] = pow(r1, 1-e3) * pow(r4, e3)
		case has[1] && !has[2] && has[3] && !has[4]:
			r1, r3 := arr[1], arr[3]
			r2 := pow(r1, w1) * pow(r3, 1-w1)
			arr[2] = r2
			arr[4] = pow(r2, 1-1/w2) * pow(r3, 1/w2)
		case has[1] && has[2] && !has[3] && !has[4]:
			r1, r2 := arr[1], arr[2]
			r3 := pow(r1, 1-1/(1-w1)) * pow(r2, 1/(1-w1))
			arr[3] = r3
			arr[4] = pow(r2, 1-1/w2) * pow(r3, 1/w2)
		}
		copy(out[:], arr[1:])
	case 3:
		switch {
		case !has[1]:
			arr[1] = pow(arr[2], 1/w1) * pow(arr[3], 1-1/w1)
		case !has[2]:
			arr[2] = pow(arr[1], w1) * pow(arr[3], 1-w1)
		case !has[3]:
			arr[3] = pow(arr[2], 1-w2) * pow(arr[4], w2)
		case !has[4]:
			arr[4] = pow(arr[2], 1-1/w2) * pow(arr[3], 1/w2)
		}
		copy(out[:], arr[1:])
	default:
		copy(out[:], arr[1:])
	}
	for i := range out {
		out[i] = f32(clamp(out[i], f32(sMin), initSMax))
	}
	return out, nil
}
