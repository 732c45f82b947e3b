package optimizer

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

const joshPath = "../../../../shared/data/josh-revlog.csv"

// needShared skips a test whose data in ../shared is absent (a clone
// without ../shared beside it), saying why; under CI (.ci/run always has
// ../shared) its absence is a failure.
func needShared(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: CI must have ../shared beside the clone", path)
		}
		t.Skipf("%s is absent (no ../shared beside this clone): skipped", path)
	}
}

func joshItems(t testing.TB) []Item {
	t.Helper()
	needShared(t, joshPath)
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
	t.Logf("fitted: %v\nlog loss %.7f, RMSE(bins) %.7f, best epoch %d", res.Weights, m.LogLoss, m.RMSEBins, res.BestEpoch)
	// fsrs-rs 6.5 (through its Node binding, training_config.num_epochs = 0)
	// pre-trains these initial stabilities on the same items.
	assertClose(t, "pre-trained w0-w3", res.Initial[:4], []float64{0.06146093085408211, 0.5168562531471252, 2.2699015140533447, 8.006425857543945}, 1e-5)
	if !res.Trained || res.TrainItems != 5930 {
		t.Errorf("trained %v on %d items, want true on 5930 (after the outlier filter)", res.Trained, res.TrainItems)
	}
	// The parameters fsrs-rs 6.5 fits to the same items (computeParameters of
	// its Node binding, @open-spaced-repetition/binding 0.5.0), and its
	// evaluation of them: log loss 0.4387246, RMSE(bins) 0.0517248. The
	// same mini-batches in the same order (its StdRng shuffle), in float64
	// where it uses float32.
	assertClose(t, "fitted weights", res.Weights[:], []float64{
		0.17261022329330444, 0.8326278924942017, 2.485107660293579, 6.307898998260498,
		6.538306713104248, 0.5240848064422607, 3.1815624237060547, 0.02691214345395565,
		1.662885069847107, 0.2611593008041382, 0.6194396018981934, 1.5808517932891846,
		0.04233855754137039, 0.38326191902160645, 1.7979804277420044, 0.6013712882995605,
		1.8729000091552734, 0.8313358426094055, 0.10112421214580536, 0.14627914130687714,
		0.2432660013437271,
	}, 1e-4)
	assertClose(t, "fitted log loss and RMSE(bins)", []float64{m.LogLoss, m.RMSEBins}, []float64{0.4387246, 0.0517248}, 2e-6)
	if m.LogLoss >= 0.44656 {
		t.Errorf("fitting did not improve on the defaults' log loss 0.44656")
	}
}

// Shorter trainings with other batch sizes and epoch counts, against fsrs-rs
// 6.5's computeParameters with the same training_config: one batch per
// epoch tests the gradient, Adam and the learning-rate schedule; several
// batches and epochs test the StdRng shuffle.
func TestJoshTrainingConfigs(t *testing.T) {
	items := joshItems(t)
	cases := []struct {
		epochs, batch int
		want          []float64
	}{
		{3, 100000, []float64{0.1024700403213501, 0.6416710019111633, 2.2959485054016113, 6.801264762878418, 6.484262466430664, 0.8431955575942993, 3.0001049041748047, 0.03521811589598656, 1.8883047103881836, 0.23293863236904144, 0.8132488131523132, 1.5358251333236694, 0.010733414441347122, 0.3154935836791992, 1.70489501953125, 0.6118335127830505, 1.8729000091552734, 0.5308967232704163, 0.12234768271446228, 0.09575039893388748, 0.13918304443359375}},
		{1, 2048, []float64{0.12846887111663818, 0.7125886678695679, 2.343604326248169, 6.461455345153809, 6.472625732421875, 0.7927311062812805, 3.048553228378296, 0.024570565670728683, 1.8452799320220947, 0.1526515632867813, 0.7703424692153931, 1.552406907081604, 0.0010000000474974513, 0.3319256901741028, 1.7175896167755127, 0.6129220128059387, 1.8729000091552734, 0.5697429776191711, 0.15694984793663025, 0.13058626651763916, 0.18285027146339417}},
		{2, 512, []float64{0.08501369506120682, 0.5962681174278259, 2.308378219604492, 7.3127570152282715, 6.629877090454102, 0.5833800435066223, 3.2421457767486572, 0.026140714064240456, 1.6880624294281006, 0.3220392167568207, 0.6214641332626343, 1.5654209852218628, 0.04229709133505821, 0.35361334681510925, 1.7727320194244385, 0.6063580513000488, 1.8729000091552734, 0.6915140748023987, 0.10152152925729752, 0.11010397970676422, 0.13915322721004486}},
	}
	for _, c := range cases {
		cfg := defaultConfig
		cfg.epochs, cfg.batchSize = c.epochs, c.batch
		res, err := optimize(context.Background(), items, Options{}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, fmt.Sprintf("%d epoch(s) of batches of %d", c.epochs, c.batch), res.Weights[:], c.want, 1e-4)
	}
}

// Without short-term scheduling, fsrs-rs freezes w0-w3 and w17-w19 (the
// latter at 0); its fit on the josh items evaluates to log loss 0.4484651.
// This fit agrees with it to 3e-4 (in w11, w13, w14), not 1e-6 as with
// short-term scheduling; the cause was not found.
func TestJoshDisableShortTerm(t *testing.T) {
	items := joshItems(t)
	res, err := Optimize(context.Background(), items, Options{DisableShortTerm: true})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "weights without short-term", res.Weights[:], []float64{
		0.06146093085408211, 0.5168562531471252, 2.2699015140533447, 8.006425857543945,
		6.38866662979126, 0.6381534934043884, 2.986553430557251, 0.0025410735979676247,
		1.7757717370986938, 0.2295607477426529, 0.7295669913291931, 1.5799866914749146,
		0.02157597988843918, 0.37869933247566223, 1.8151077032089233, 0.6063317656517029,
		1.8729000091552734, 0, 0, 0, 0.17653249204158783,
	}, 5e-4)
	m, err := Evaluate(res.Weights, items)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("log loss %.7f, RMSE(bins) %.7f", m.LogLoss, m.RMSEBins)
	assertClose(t, "log loss without short-term", []float64{m.LogLoss}, []float64{0.4484651}, 2e-5)
}
