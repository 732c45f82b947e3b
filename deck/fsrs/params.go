package fsrs

import (
	"fmt"
	"math"
	"time"
)

// DefaultWeights are the FSRS-6 default parameters.
var DefaultWeights = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
	0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
	0.0912, 0.0658, 0.1542,
}

// Params configures a Scheduler.
type Params struct {
	W                [21]float64
	DesiredRetention float64         // 0 < r < 1; default 0.9
	MaximumInterval  int             // days; default 36500
	LearningSteps    []time.Duration // default 1m 10m
	RelearningSteps  []time.Duration // default 10m
	EnableShortTerm  bool            // default true
	EnableFuzz       bool            // default true in real use, false in the vectors
	DayStartHour     int             // 0-23, default 4
	Location         *time.Location  // day boundaries are counted here; nil means UTC
}

// DefaultParams returns Anki's defaults with fuzz on.
func DefaultParams() Params {
	return Params{
		W:                DefaultWeights,
		DesiredRetention: 0.9,
		MaximumInterval:  36500,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		EnableShortTerm:  true,
		EnableFuzz:       true,
		DayStartHour:     4,
	}
}

// WeightError reports a weight that is not a finite number inside its
// allowed range.
type WeightError struct {
	Index    int
	Value    float64
	Min, Max float64
	Note     string // why the range differs from the usual one, if it does
}

func (e *WeightError) Error() string {
	if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) {
		return fmt.Sprintf("fsrs: weight w[%d] is %v, want a finite number in [%g, %g]", e.Index, e.Value, e.Min, e.Max)
	}
	msg := fmt.Sprintf("fsrs: weight w[%d] = %g is outside its range [%g, %g]", e.Index, e.Value, e.Min, e.Max)
	if e.Note != "" {
		msg += " (" + e.Note + ")"
	}
	return msg
}

// weightBounds are the clamp ranges of ts-fsrs 5.4 / fsrs-rs 6 for FSRS-6.
// w17, w18 and w19 also depend on the other settings: see WeightRange.
var weightBounds = [21][2]float64{
	{0.001, 100}, {0.001, 100}, {0.001, 100}, {0.001, 100}, // initial stability
	{1, 10},       // w4 initial difficulty
	{0.001, 4},    // w5
	{0.001, 4},    // w6
	{0.001, 0.75}, // w7
	{0, 4.5},      // w8
	{0, 0.8},      // w9
	{0.001, 3.5},  // w10
	{0.001, 5},    // w11
	{0.001, 0.25}, // w12
	{0.001, 0.9},  // w13
	{0, 4},        // w14
	{0, 1},        // w15
	{1, 6},        // w16
	{0, 2},        // w17
	{0, 2},        // w18
	{0, 0.8},      // w19 (lower bound 0.01 with short-term)
	{0.1, 0.8},    // w20 decay
}

// WeightRange returns the range allowed for w[i] given the other weights,
// the number of relearning steps and whether short-term scheduling is on
// (the rules of ts-fsrs 5.4's clipParameters):
//   - w19 >= 0.01 when short-term is on;
//   - with more than one relearning step, w17 and w18 are at most
//     sqrt(-(ln w11 + ln(2^w13 - 1) + 0.3 w14) / steps), kept in [0.01, 2],
//     so that a lapse followed by the relearning steps cannot end above the
//     stability before the lapse.
func WeightRange(w *[21]float64, i, relearningSteps int, shortTerm bool) (lo, hi float64) {
	lo, hi = weightBounds[i][0], weightBounds[i][1]
	switch i {
	case 17, 18:
		if relearningSteps > 1 {
			hi = w17w18Ceiling(w, relearningSteps)
		}
	case 19:
		if shortTerm {
			lo = 0.01
		}
	}
	return lo, hi
}

func w17w18Ceiling(w *[21]float64, relearningSteps int) float64 {
	w11 := clamp(zeroNaN(w[11]), weightBounds[11][0], weightBounds[11][1])
	w13 := clamp(zeroNaN(w[13]), weightBounds[13][0], weightBounds[13][1])
	w14 := clamp(zeroNaN(w[14]), weightBounds[14][0], weightBounds[14][1])
	v := -(math.Log(w11) + math.Log(math.Pow(2.0, w13)-1.0) + w14*0.3) / float64(relearningSteps)
	return clamp(roundTo8(math.Sqrt(math.Max(v, 0))), 0.01, 2.0)
}

func zeroNaN(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// ClipWeights returns w with every weight moved into its range (see
// WeightRange), exactly as ts-fsrs 5.4 does silently with every 21-value
// parameter list it is given (a NaN becomes 0 first). opsdeck never clips
// on its own: Validate rejects weights out of range. Use this only where
// clipping is wanted on purpose, e.g. to replay ts-fsrs's own results or
// inside an optimizer.
func ClipWeights(w [21]float64, relearningSteps int, shortTerm bool) [21]float64 {
	out := w
	for i := range out {
		lo, hi := WeightRange(&w, i, relearningSteps, shortTerm)
		out[i] = clamp(zeroNaN(w[i]), lo, hi)
	}
	return out
}

// WeightsFrom builds the 21 FSRS-6 weights from a list of 21 values, or of
// 19 FSRS-5 values, to which it appends w19 = 0 and w20 = 0.5 (FSRS-5's
// decay). Other counts are an error. It does not check the values: Validate
// does.
func WeightsFrom(v []float64) ([21]float64, error) {
	var w [21]float64
	switch len(v) {
	case 21:
		copy(w[:], v)
	case 19:
		copy(w[:], v)
		w[19], w[20] = 0, 0.5
	default:
		return w, fmt.Errorf("fsrs: got %d weights, want 21 (FSRS-6) or 19 (FSRS-5)", len(v))
	}
	return w, nil
}

// Validate reports the first problem with p, naming the parameter.
//
// Every weight must be finite and inside the range WeightRange gives
// (the clamp ranges of ts-fsrs and fsrs-rs); a weight outside is an error,
// never clamped. One exception: w19 = 0 is accepted with short-term on,
// because that is what an FSRS-5 parameter list means (WeightsFrom of 19
// values; ts-fsrs also runs FSRS-5 lists with w19 = 0).
func (p Params) Validate() error {
	for i, v := range p.W {
		lo, hi := WeightRange(&p.W, i, len(p.RelearningSteps), p.EnableShortTerm)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &WeightError{Index: i, Value: v, Min: lo, Max: hi}
		}
		if i == 19 && v == 0 {
			continue // FSRS-5 weights
		}
		if v < lo || v > hi {
			e := &WeightError{Index: i, Value: v, Min: lo, Max: hi}
			switch {
			case i == 19 && p.EnableShortTerm:
				e.Note = "with short-term scheduling on; 0 is also allowed"
			case (i == 17 || i == 18) && hi != weightBounds[i][1]:
				e.Note = fmt.Sprintf("ceiling for %d relearning steps", len(p.RelearningSteps))
			}
			return e
		}
	}
	r := p.DesiredRetention
	if math.IsNaN(r) || r <= 0 || r >= 1 {
		return fmt.Errorf("fsrs: desired retention %v is outside (0, 1)", r)
	}
	if p.MaximumInterval < 1 {
		return fmt.Errorf("fsrs: maximum interval %d days is less than 1", p.MaximumInterval)
	}
	if p.DayStartHour < 0 || p.DayStartHour > 23 {
		return fmt.Errorf("fsrs: day start hour %d is outside 0-23", p.DayStartHour)
	}
	for i, d := range p.LearningSteps {
		if d <= 0 {
			return fmt.Errorf("fsrs: learning step %d is %v, want a positive duration", i+1, d)
		}
	}
	for i, d := range p.RelearningSteps {
		if d <= 0 {
			return fmt.Errorf("fsrs: relearning step %d is %v, want a positive duration", i+1, d)
		}
	}
	return nil
}
