package optimizer

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// trainConfig is fsrs-rs's TrainingConfig.
type trainConfig struct {
	epochs, batchSize int
	learningRate      float64
	maxSeqLen         int
	gamma             float64
	seed              uint64
}

// defaultConfig is fsrs-rs 6.5's TrainingConfig::default().
var defaultConfig = trainConfig{epochs: 5, batchSize: 512, learningRate: 4e-2, maxSeqLen: 256, gamma: 1, seed: 2023}

// Adam's constants in fsrs-rs (its AdamConfig with epsilon 1e-8).
const (
	adamBeta1 = 0.9
	adamBeta2 = 0.999
	adamEps   = 1e-8
)

// DefaultMinItems is the smallest number of items Optimize trains on by
// default; with fewer, the defaults are better than a fit.
const DefaultMinItems = 400

// paramsStddev scales the L2 penalty toward the initial parameters.
var paramsStddev = [NumParams]float64{
	6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3, 0.09, 0.16, 0.57, 0.25,
	1.03, 0.31, 0.32, 0.14, 0.27,
}

// NotEnoughDataError is returned when the log is too small to fit; the caller
// should keep the parameters it has.
type NotEnoughDataError struct {
	Items, Need int    // items found and the minimum, when that was the reason
	Reason      string // otherwise, what was missing
}

func (e *NotEnoughDataError) Error() string {
	if e.Reason != "" {
		return "optimizer: not enough review history: " + e.Reason
	}
	return fmt.Sprintf("optimizer: not enough review history: %d item(s), need at least %d", e.Items, e.Need)
}

// Options configure Optimize. The zero value is fsrs-rs's default.
type Options struct {
	// DisableShortTerm fits without same-day reviews' own parameters, as
	// fsrs-rs with enable_short_term = false: w0-w3 and w17-w19 are frozen.
	DisableShortTerm bool
	// RelearningSteps is the number of relearning steps (0 means 1); with
	// more than one, w17 and w18 are capped so a lapse cannot raise S.
	RelearningSteps int
	// MinItems is the minimum number of items (0 means DefaultMinItems).
	MinItems int
	// Workers is the number of goroutines per mini-batch (0 means
	// GOMAXPROCS). The result does not depend on it.
	Workers int
	// Progress, if set, is called after each mini-batch with the number of
	// items processed so far and the total over all epochs.
	Progress func(done, total int)
}

// Result is the outcome of Optimize.
type Result struct {
	Weights [NumParams]float64
	// Initial is the starting point: pre-trained w0-w3 and the defaults.
	Initial [NumParams]float64
	// TrainItems is the number of items trained on, after the outlier
	// filter; Trained is false when there were too few to train and
	// Weights holds only the pre-trained initial stabilities.
	TrainItems int
	Trained    bool
	// BestEpoch (1-based) is the epoch whose parameters were kept, and
	// ValidLoss its loss (mean weighted log loss plus penalty).
	BestEpoch int
	ValidLoss float64
}

// ClipWeights clamps w into the ranges fsrs-rs allows (clip_parameters).
// relearningSteps <= 1 leaves w17 and w18 at most 2; w19's floor is 0.01
// with short-term scheduling and 0 without.
func ClipWeights(w *[NumParams]float64, relearningSteps int, shortTerm bool) {
	ceil1718 := 2.0
	if relearningSteps > 1 {
		v := -(math.Log(w[11]) + math.Log(math.Pow(2, w[13])-1) + w[14]*0.3) / float64(relearningSteps)
		ceil1718 = math.Min(math.Sqrt(math.Max(v, 0.01)), 2)
	}
	w19min := 0.0
	if shortTerm {
		w19min = 0.01
	}
	lo := [NumParams]float64{sMin, sMin, sMin, sMin, 1, 0.001, 0.001, 0.001, 0, 0, 0.001, 0.001, 0.001, 0.001, 0, 0, 1, 0, 0, w19min, 0.1}
	hi := [NumParams]float64{initSMax, initSMax, initSMax, initSMax, 10, 4, 4, 0.75, 4.5, 0.8, 3.5, 5, 0.25, 0.9, 4, 1, 6, ceil1718, ceil1718, 0.8, 0.8}
	for i := range w {
		w[i] = clamp(w[i], f32(lo[i]), f32(hi[i]))
	}
}

// adam is burn's Adam (no weight decay).
type adam struct {
	m, v [NumParams]float64
	t    int
}

func (a *adam) step(w, g *[NumParams]float64, lr float64) {
	a.t++
	b1t := 1 - math.Pow(adamBeta1, float64(a.t))
	b2t := 1 - math.Pow(adamBeta2, float64(a.t))
	for i := range w {
		a.m[i] = adamBeta1*a.m[i] + (1-adamBeta1)*g[i]
		a.v[i] = adamBeta2*a.v[i] + (1-adamBeta2)*g[i]*g[i]
		mh := a.m[i] / b1t
		vh := a.v[i] / b2t
		w[i] -= lr * mh / (math.Sqrt(vh) + adamEps)
	}
}

// cosineAnnealing is fsrs-rs's CosineAnnealingLR (the recursive form of
// PyTorch's, with eta_min = 0), stepped once per mini-batch. fsrs-rs 6.5
// trains each batch with the rate before the step: the first batch gets the
// initial rate, the k-th the rate after k-1 steps.
type cosineAnnealing struct {
	tMax, initLR, lr, n float64
}

func (c *cosineAnnealing) step() float64 {
	cur := c.lr
	c.n++
	if math.Mod(c.n-1-c.tMax, 2*c.tMax) == 0 {
		c.lr = c.initLR * (1 - math.Cos(math.Pi/c.tMax)) / 2
	} else {
		c.lr = (1 + math.Cos(math.Pi*c.n/c.tMax)) / (1 + math.Cos(math.Pi*(c.n-1)/c.tMax)) * c.lr
	}
	return cur
}

// penalty is the L2 regularization toward init for a batch of size bs out
// of total items; it adds its gradient to grad when grad is not nil.
func penalty(w, init *[NumParams]float64, bs, total int, gamma float64, grad *[NumParams]float64) float64 {
	scale := gamma * float64(bs) / float64(total)
	var p float64
	for i := range w {
		d := w[i] - init[i]
		v := paramsStddev[i] * paramsStddev[i]
		p += d * d / v
		if grad != nil {
			grad[i] += scale * 2 * d / v
		}
	}
	return p * scale
}

type weightedItem struct {
	item   Item
	weight float64
}

// batchLossGrad returns the summed weighted log loss of items under w and,
// when grad is not nil, stores its gradient there. It splits the items over
// workers goroutines and sums their parts in a fixed order.
func batchLossGrad(m *model, items []weightedItem, grad *[NumParams]float64, workers int) float64 {
	n := len(items)
	workers = max(1, min(workers, n/64))
	if workers == 1 {
		return partLossGrad(m, items, grad)
	}
	losses := make([]float64, workers)
	grads := make([][NumParams]float64, workers)
	var wg sync.WaitGroup
	for p := range workers {
		lo, hi := p*n/workers, (p+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			var g *[NumParams]float64
			if grad != nil {
				g = &grads[p]
			}
			losses[p] = partLossGrad(m, items[lo:hi], g)
		}()
	}
	wg.Wait()
	var loss float64
	for p := range workers {
		loss += losses[p]
		if grad != nil {
			for k := range grad {
				grad[k] += grads[p][k]
			}
		}
	}
	return loss
}

func partLossGrad(m *model, items []weightedItem, grad *[NumParams]float64) float64 {
	var loss float64
	if grad == nil {
		for _, wi := range items {
			p := m.predict(wi.item.Reviews)
			if wi.item.current().Rating > 1 {
				loss -= wi.weight * math.Log(p)
			} else {
				loss -= wi.weight * math.Log(1-p)
			}
		}
		return loss
	}
	var st gstate
	for _, wi := range items {
		loss += m.lossGrad(wi.item.Reviews, wi.weight, &st, grad)
	}
	return loss
}

// Optimize fits the FSRS-6 parameters to items (in time order, as Items
// returns them) the way fsrs-rs's compute_parameters does, and returns them
// with w0-w3 smoothed. With fewer than Options.MinItems items it returns a
// *NotEnoughDataError. It checks ctx between mini-batches.
func Optimize(ctx context.Context, items []Item, opt Options) (Result, error) {
	return optimize(ctx, items, opt, defaultConfig)
}

func optimize(ctx context.Context, items []Item, opt Options, cfg trainConfig) (Result, error) {
	batchSize, numEpochs := cfg.batchSize, cfg.epochs
	minItems := opt.MinItems
	if minItems <= 0 {
		minItems = DefaultMinItems
	}
	if len(items) < minItems {
		return Result{}, &NotEnoughDataError{Items: len(items), Need: minItems}
	}
	for i, f := range itemFacts(items) {
		if f.invalid != nil {
			return Result{}, fmt.Errorf("optimizer: item %d: %w", i, f.invalid)
		}
	}
	relearn := max(opt.RelearningSteps, 1)
	shortTerm := !opt.DisableShortTerm
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	initSet, trainSet := prepareTrainingData(items)
	avg := averageRecall(trainSet)
	if len(trainSet) < 8 {
		return Result{}, &NotEnoughDataError{Items: len(trainSet), Need: 8}
	}
	s0, ratingCount, err := initialStability(initSet, avg)
	if err != nil {
		return Result{}, err
	}
	var res Result
	res.Initial = DefaultWeights
	for i := range s0 {
		res.Initial[i] = s0[i]
	}
	for i := range res.Initial {
		res.Initial[i] = f32(res.Initial[i])
	}
	if !shortTerm {
		res.Initial[17], res.Initial[18], res.Initial[19] = 0, 0, 0
	}
	res.TrainItems = len(trainSet)
	if len(trainSet) == len(initSet) || len(trainSet) < 64 {
		res.Weights = res.Initial
		return res, nil
	}

	// Recency weights over the filtered set, then drop overlong histories.
	train := make([]weightedItem, 0, len(trainSet))
	for i, it := range trainSet {
		if len(it.Reviews) <= cfg.maxSeqLen {
			train = append(train, weightedItem{it, recencyWeight(i, len(trainSet))})
		}
	}
	trainSet, initSet = nil, nil
	total := len(train)
	// fsrs-rs sorts by length (stably); batches are consecutive chunks.
	// The recency weights rise with the original position, so sorting by
	// (length, weight) is that stable sort.
	slices.SortFunc(train, func(a, b weightedItem) int {
		if c := cmp.Compare(len(a.item.Reviews), len(b.item.Reviews)); c != 0 {
			return c
		}
		return cmp.Compare(a.weight, b.weight)
	})
	nBatches := (total + batchSize - 1) / batchSize
	batch := func(b int) []weightedItem { return train[b*batchSize : min((b+1)*batchSize, total)] }

	plan := newPrefixPlan(total, func(i int) Item { return train[i].item })
	preds := make([]float64, total)

	iterations := (total/batchSize + 1) * numEpochs
	sched := cosineAnnealing{tMax: float64(iterations), initLR: cfg.learningRate, lr: cfg.learningRate}
	rng := newStdRng(cfg.seed)
	order := make([]int, nBatches)

	w := res.Initial
	init := res.Initial
	var opt2 adam
	best := math.Inf(1)
	bestW := w
	done := 0
	for epoch := 1; epoch <= numEpochs; epoch++ {
		for i := range order {
			order[i] = i
		}
		rng.shuffle(order) // a fresh permutation of the batches each epoch
		for _, b := range order {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			items := batch(b)
			lr := sched.step()
			var g [NumParams]float64
			m := newModel(&w)
			batchLossGrad(m, items, &g, workers)
			penalty(&w, &init, len(items), total, cfg.gamma, &g)
			if !shortTerm {
				for _, k := range []int{0, 1, 2, 3, 17, 18, 19} {
					g[k] = 0
				}
			}
			opt2.step(&w, &g, lr)
			ClipWeights(&w, relearn, shortTerm)
			done += len(items)
			if opt.Progress != nil {
				opt.Progress(done, total*numEpochs)
			}
		}
		// Validation on the training set, as fsrs-rs does (summed per item
		// plus the penalty per batch, which adds up to one full penalty).
		plan.predict(newModel(&w), preds, workers)
		loss := logLoss(train, preds) + penalty(&w, &init, total, total, cfg.gamma, nil)
		loss /= float64(total)
		if loss < best {
			best, bestW, res.BestEpoch = loss, w, epoch
		}
	}
	for _, x := range bestW {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return Result{}, fmt.Errorf("optimizer: training diverged")
		}
	}
	stab := map[int]float64{}
	for i := range 4 {
		stab[i+1] = bestW[i]
	}
	s, err := smoothAndFill(stab, ratingCount)
	if err != nil {
		return Result{}, err
	}
	res.Weights = bestW
	copy(res.Weights[:4], s[:])
	res.Trained = true
	res.ValidLoss = best
	return res, nil
}
