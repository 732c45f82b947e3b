package optimizer

import (
	"cmp"
	"errors"
	"math"
	"runtime"
	"slices"
)

// ErrNoItems is returned when there is nothing to evaluate.
// Its message says what it means to the user: no card was reviewed again on
// a later day (or the outlier filter removed all such reviews).
var ErrNoItems = errors.New("optimizer: not enough reviews: no card has a review on a later day than its first (after the outlier filter)")

// Metrics says how well a parameter vector predicts a set of items.
type Metrics struct {
	LogLoss  float64 // recency-weighted mean log loss
	RMSEBins float64 // RMSE between predicted and actual recall over bins, weighted by recency
	Items    int
}

// recencyWeight is fsrs-rs's weight of the idx-th of n items in time order:
// 0.25 for the oldest rising to 1 for the newest.
func recencyWeight(idx, n int) float64 {
	l := math.Max(float64(n)-1, 1)
	x := float64(idx) / l
	return 0.25 + 0.75*x*x*x
}

// binKey is fsrs-rs's r_matrix_index: bins of the interval, of the number
// of long-term reviews, and of the number of long-term lapses.
type binKey [3]uint32

func rustLog(x, base float64) float64 { return math.Log(x) / math.Log(base) }

func itemBin(it Item, f itemFact) binKey {
	dt := float64(it.current().DeltaT)
	dtBin := uint32(math.Round(2.48 * math.Pow(3.62, math.Floor(rustLog(dt, 3.62))) * 100))
	length := float64(f.longTerm) + 1
	lenBin := uint32(math.Round(1.99 * math.Pow(1.89, math.Floor(rustLog(length, 1.89)))))
	lapses := f.lapses
	if lapses == 0 {
		return binKey{dtBin, lenBin, 0}
	}
	lapseBin := uint32(math.Round(1.65 * math.Pow(1.73, math.Floor(rustLog(float64(lapses), 1.73)))))
	return binKey{dtBin, lenBin, lapseBin}
}

type binAcc struct{ pred, actual, count, weight float64 }

// Evaluate computes the metrics that fsrs-rs 6.5 reports for w on items (in
// time order, as Items returns them), the way Anki and fsrs-rs's bindings
// call its evaluate: the outlier filter is applied first (see Optimize), the
// first-interval items that survive it come first, then the other surviving
// items in time order, and fsrs-rs's evaluate weighs them by that position.
// w is used as given, without clipping.
func Evaluate(w [NumParams]float64, items []Item) (Metrics, error) {
	return EvaluateAll(w, evaluationSet(items))
}

// evaluationSet is the items Evaluate scores, in the order it weighs them.
func evaluationSet(items []Item) []Item {
	var first, rest []Item
	facts := itemFacts(items)
	for i, it := range items {
		if facts[i].longTerm == 1 {
			first = append(first, it)
		} else {
			rest = append(rest, it)
		}
	}
	kept, train := filterOutlier(first, rest)
	return append(kept, train...)
}

// EvaluateAll is fsrs-rs's evaluate on exactly the given items, in the
// given order: the recency-weighted log loss (weights 0.25 for the first
// item rising to 1 for the last) and RMSE(bins).
func EvaluateAll(w [NumParams]float64, items []Item) (Metrics, error) {
	if len(items) == 0 {
		return Metrics{}, ErrNoItems
	}
	facts := itemFacts(items)
	for _, f := range facts {
		if f.invalid != nil {
			return Metrics{}, f.invalid
		}
	}
	n := len(items)
	preds := make([]float64, n)
	newPrefixPlan(n, func(i int) Item { return items[i] }).predict(newModel(&w), preds, runtime.GOMAXPROCS(0))
	var loss, weight float64
	bins := map[binKey]*binAcc{}
	for i, it := range items {
		wt := recencyWeight(i, n)
		pr := preds[i]
		y := 0.0
		if it.current().Rating > 1 {
			y = 1
			loss -= wt * math.Log(pr)
		} else {
			loss -= wt * math.Log(1-pr)
		}
		weight += wt
		k := itemBin(it, facts[i])
		b := bins[k]
		if b == nil {
			b = &binAcc{}
			bins[k] = b
		}
		b.pred += pr
		b.actual += y
		b.count++
		b.weight += wt
	}
	keys := make([]binKey, 0, len(bins))
	for k := range bins {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b binKey) int {
		for i := range a {
			if c := cmp.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	var se, sw float64
	for _, k := range keys {
		b := bins[k]
		d := b.pred/b.count - b.actual/b.count
		se += d * d * b.weight
		sw += b.weight
	}
	m := Metrics{LogLoss: loss / weight, RMSEBins: math.Sqrt(se / sw), Items: n}
	if math.IsInf(m.LogLoss, 0) || math.IsNaN(m.LogLoss) || math.IsNaN(m.RMSEBins) {
		return m, errors.New("optimizer: the parameters predict a certain outcome that did not happen")
	}
	return m, nil
}
