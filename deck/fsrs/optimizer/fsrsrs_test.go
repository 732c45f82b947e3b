package optimizer

import (
	"math"
	"testing"
)

// fsrs-rs src/training.rs test_loss_and_grad: a batch of four items, given
// as columns of [seq_len][batch] history matrices.
func lossAndGradBatch() []weightedItem {
	t := [6][4]uint32{{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 1, 3}, {1, 3, 3, 5}, {3, 6, 6, 12}}
	r := [6][4]uint8{{1, 2, 3, 4}, {3, 4, 2, 4}, {1, 4, 4, 3}, {4, 3, 3, 3}, {3, 1, 3, 3}, {2, 3, 3, 4}}
	deltaT := [4]uint32{4, 11, 12, 23}
	labels := [4]int{1, 1, 1, 0}
	var out []weightedItem
	for j := range 4 {
		var revs []ItemReview
		for i := range 6 {
			revs = append(revs, ItemReview{Rating: r[i][j], DeltaT: t[i][j]})
		}
		cur := uint8(3)
		if labels[j] == 0 {
			cur = 1
		}
		revs = append(revs, ItemReview{Rating: cur, DeltaT: deltaT[j]})
		out = append(out, weightedItem{Item{revs}, 1})
	}
	return out
}

func assertClose(t *testing.T, what string, got []float64, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s[%d] = %.8g, want %.8g (diff %.2g)", what, i, got[i], want[i], got[i]-want[i])
		}
	}
}

func TestLossAndGradFSRSRS(t *testing.T) {
	items := lossAndGradBatch()
	w := DefaultWeights
	for i := range w {
		w[i] = f32(w[i])
	}
	init := w
	var g [NumParams]float64
	loss := batchLossGrad(newModel(&w), items, &g, 1)
	assertClose(t, "loss", []float64{loss}, []float64{4.0466027}, 1e-5)
	assertClose(t, "grad", g[:], []float64{
		-0.095688485, -0.0051607806, -0.0012249565, 0.007462064, 0.03650761, -0.082112335,
		0.0593964, -2.1474836, 0.57626534, -2.8751316, 0.7154875, -0.028993709, 0.0099172965,
		-0.2189217, -0.0017800558, -0.089381434, 0.299141, 0.068104014, -0.011605468,
		-0.25398168, 0.27700496,
	}, 1e-5)

	var a adam
	a.step(&w, &g, 0.04)
	ClipWeights(&w, 1, true)
	assertClose(t, "w after step 1", w[:], []float64{
		0.252, 1.3331, 2.3464994, 8.2556, 6.3733, 0.87340003, 2.9794, 0.040999997, 1.8322,
		0.20660001, 0.756, 1.5235, 0.021400042, 0.3029, 1.6882998, 0.64140004, 1.8329, 0.5025,
		0.13119997, 0.1058, 0.1142,
	}, 1e-5)

	pen := penalty(&w, &init, 512, 1000, 2, nil)
	assertClose(t, "penalty", []float64{pen}, []float64{0.67711145}, 1e-5)

	g = [NumParams]float64{}
	loss = batchLossGrad(newModel(&w), items, &g, 1)
	assertClose(t, "loss 2", []float64{loss}, []float64{3.767796}, 1e-5)
	assertClose(t, "grad 2", g[:], []float64{
		-0.040530164, -0.0041278866, -0.0010157757, 0.007239434, 0.009321215, -0.120117955,
		0.039143264, -0.8628009, 0.5794302, -2.5713828, 0.7669307, -0.024242667, 0.0,
		-0.16912507, -0.0017008218, -0.061857328, 0.28093633, 0.064058185, 0.0063592787,
		-0.1903223, 0.6257775,
	}, 1e-5)
	a.step(&w, &g, 0.04)
	ClipWeights(&w, 1, true)
	assertClose(t, "w after step 2", w[:], []float64{
		0.2882918, 1.3726242, 2.3861322, 8.215636, 6.339965, 0.9130969, 2.940639,
		0.07696985, 1.7921946, 0.2464217, 0.71595186, 1.5631561, 0.001, 0.34230903,
		1.7282416, 0.68038, 1.7929853, 0.46258268, 0.14039303, 0.14509967, 0.1,
	}, 1e-5)
}
