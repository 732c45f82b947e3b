package optimizer

import (
	"math"
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

func TestDefaultWeightsAreTheScheduler(t *testing.T) {
	if DefaultWeights != fsrs.DefaultWeights {
		t.Errorf("optimizer.DefaultWeights %v != fsrs.DefaultWeights %v", DefaultWeights, fsrs.DefaultWeights)
	}
}

// The published FSRS-6 numbers of ../../../../shared/fsrs/README.md (fsrs-rs
// model tests), through this package's own model.
func TestModelPublishedNumbers(t *testing.T) {
	m := newModel(&DefaultWeights)
	var got []float64
	for _, c := range [][2]float64{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 4}, {5, 2}} {
		got = append(got, m.retrievability(c[0], c[1]))
	}
	assertClose(t, "R", got, []float64{1.0, 0.9403443, 0.9253786, 0.9185229, 0.9, 0.8261359}, 1e-6)

	got = got[:0]
	for g := 1; g <= 4; g++ {
		s, _ := m.step(5, 5, 0, g)
		got = append(got, s)
	}
	assertClose(t, "same-day S", got, []float64{1.596818, 5.0, 5.0, 8.12961}, 1e-5)

	got = got[:0]
	for g := 1; g <= 4; g++ {
		_, d := m.step(5, 5, 0, g)
		got = append(got, d)
	}
	assertClose(t, "next D", got, []float64{8.341763, 6.6659956, 4.990228, 3.3144615}, 1e-5)

	// (G, days since last) = (1,0), (3,0), (3,1), (3,3), (3,8), (3,21).
	s, d := m.init(1)
	for _, r := range [][2]int{{3, 0}, {3, 1}, {3, 3}, {3, 8}, {3, 21}} {
		s, d = m.step(s, d, float64(r[1]), r[0])
	}
	assertClose(t, "S, D after six reviews", []float64{s, d}, []float64{53.62690, 6.35749}, 1e-4)
}

// The forward-mode gradient agrees with central finite differences, on
// synthetic items and at a few parameter vectors inside the clamp ranges.
func TestGradientFiniteDifferences(t *testing.T) {
	items := Items(synthLog(3000, 7), time.UTC, 4)
	if len(items) < 500 {
		t.Fatalf("only %d synthetic items", len(items))
	}
	items = items[:400]
	ws := []([NumParams]float64){DefaultWeights}
	w2 := DefaultWeights
	for i := range w2 {
		w2[i] *= 1.1
	}
	w2[7] = 0.05
	w2[19] = 0.2
	w2[20] = 0.45
	ClipWeights(&w2, 1, true)
	ws = append(ws, w2)
	var wi []weightedItem
	for i, it := range items {
		wi = append(wi, weightedItem{it, recencyWeight(i, len(items))})
	}
	for n, w := range ws {
		var g [NumParams]float64
		loss := batchLossGrad(newModel(&w), wi, &g, 2)
		if loss <= 0 || math.IsNaN(loss) {
			t.Fatalf("weights %d: loss %v", n, loss)
		}
		for k := range NumParams {
			h := 1e-6 * math.Max(1, math.Abs(w[k]))
			wp, wm := w, w
			wp[k] += h
			wm[k] -= h
			lp := batchLossGrad(newModel(&wp), wi, nil, 1)
			lm := batchLossGrad(newModel(&wm), wi, nil, 1)
			fd := (lp - lm) / (2 * h)
			if diff := math.Abs(fd - g[k]); diff > 1e-5*math.Max(1, math.Abs(fd)) {
				t.Errorf("weights %d, w%d: analytic %.9g, finite difference %.9g", n, k, g[k], fd)
			}
		}
	}
}

// The gradient does not depend on how many goroutines share a batch.
func TestGradientWorkers(t *testing.T) {
	items := Items(synthLog(20000, 3), time.UTC, 4)
	var wi []weightedItem
	for i, it := range items {
		wi = append(wi, weightedItem{it, recencyWeight(i, len(items))})
	}
	var g1, g2 [NumParams]float64
	l1 := batchLossGrad(newModel(&DefaultWeights), wi, &g1, 1)
	l2 := batchLossGrad(newModel(&DefaultWeights), wi, &g2, 2)
	assertClose(t, "loss", []float64{l2}, []float64{l1}, 1e-9*l1)
	for k := range g1 {
		if math.Abs(g1[k]-g2[k]) > 1e-9*math.Max(1, math.Abs(g1[k])) {
			t.Errorf("w%d: %v with 1 worker, %v with 2", k, g1[k], g2[k])
		}
	}
}

func TestClipWeights(t *testing.T) {
	w := [NumParams]float64{0, -1000, 1000, 0, 1000, -1000, 1, 0.25, -0.1}
	ClipWeights(&w, 1, true)
	assertClose(t, "clipped", w[:9], []float64{0.001, 0.001, 100, 0.001, 10, 0.001, 1, 0.25, 0}, 1e-7)
	if w[19] != f32(0.01) || w[20] != f32(0.1) {
		t.Errorf("w19, w20 = %v, %v; want the floors 0.01 and 0.1", w[19], w[20])
	}
	// fsrs-rs parameter_clipper_works_with_num_relearning_steps.
	d := DefaultWeights
	ClipWeights(&d, 2, true)
	assertClose(t, "w17-w19 with 2 relearning steps", d[17:20], []float64{0.5425, 0.0912, 0.0658}, 1e-6)
	d = DefaultWeights
	d[17], d[18] = 1.5, 1.5
	ClipWeights(&d, 3, true)
	if d[17] >= 1.5 || d[17] != d[18] {
		t.Errorf("w17, w18 = %v, %v; want both capped below 1.5 with 3 relearning steps", d[17], d[18])
	}
}

func TestCosineAnnealing(t *testing.T) {
	// fsrs-rs cosine_annealing.rs lr_scheduler test.
	c := cosineAnnealing{tMax: 100000, initLR: 0.1, lr: 0.1}
	var got []float64
	for i := 0; i <= 200000; i++ {
		lr := c.step()
		if i%20000 == 0 {
			got = append(got, lr)
		}
	}
	want := []float64{0.1, 0.09045084971874785, 0.06545084971874875, 0.034549150281253875,
		0.009549150281252989, 0.0, 0.009549150281252692, 0.03454915028125239,
		0.06545084971874746, 0.09045084971874952, 0.10000000000000353}
	assertClose(t, "lr", got, want, 1e-5)
}
