package optimizer

import (
	"context"
	"testing"
	"time"
)

const joshPath = "../../../../shared/data/josh-revlog.csv"

func joshItems(t testing.TB) []Item {
	t.Helper()
	revs, err := ReadRevlogFile(joshPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 12580 {
		t.Fatalf("read %d reviews, want 12580", len(revs))
	}
	return Items(revs, time.UTC, 4)
}

func TestJoshDefaults(t *testing.T) {
	items := joshItems(t)
	if len(items) != 6276 {
		t.Fatalf("%d items, want 6276", len(items))
	}
	m, err := Evaluate(DefaultWeights, items)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("defaults: log loss %.6f, RMSE(bins) %.6f", m.LogLoss, m.RMSEBins)
	assertClose(t, "log loss", []float64{m.LogLoss}, []float64{0.44656}, 1e-4)
	assertClose(t, "RMSE(bins)", []float64{m.RMSEBins}, []float64{0.07561}, 1e-4)
}

func TestJoshOptimize(t *testing.T) {
	items := joshItems(t)
	res, err := Optimize(context.Background(), items, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Evaluate(res.Weights, items)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fitted: %v\nlog loss %.6f, RMSE(bins) %.6f, best epoch %d", res.Weights, m.LogLoss, m.RMSEBins, res.BestEpoch)
	// fsrs-rs 6.5 (through its Node binding, training_config.num_epochs = 0)
	// pre-trains these initial stabilities on the same items.
	assertClose(t, "pre-trained w0-w3", res.Initial[:4], []float64{0.06146093085408211, 0.5168562531471252, 2.2699015140533447, 8.006425857543945}, 1e-5)
	if !res.Trained || res.TrainItems != 5930 {
		t.Errorf("trained %v on %d items, want true on 5930 (after the outlier filter)", res.Trained, res.TrainItems)
	}
	if m.LogLoss > 0.43872 {
		t.Errorf("log loss after fitting %.5f, want <= 0.43872 (fsrs-rs)", m.LogLoss)
	}
}
