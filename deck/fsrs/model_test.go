package fsrs

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// near checks got against a number published in the README (written as a
// string, to know its precision): it must be within half a unit of its last
// digit, or within the README's relative tolerance of 1e-6. The README's
// numbers come from fsrs-rs, which computes in float32; ts-fsrs (and this
// package) compute in float64 with 8-decimal rounding, so the last digit
// may differ.
func near(t *testing.T, what string, got float64, published string) {
	t.Helper()
	want, err := strconv.ParseFloat(published, 64)
	if err != nil {
		t.Fatalf("%s: bad published value %q", what, published)
	}
	dec := 0
	if i := strings.IndexByte(published, '.'); i >= 0 {
		dec = len(published) - i - 1
	}
	tol := math.Max(0.5*math.Pow(10, -float64(dec)), 1e-6*math.Abs(want)) + 1e-12
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %s (±%g)", what, got, published, tol)
	}
}

func TestForgettingCurvePublished(t *testing.T) {
	w := DefaultWeights
	for _, c := range []struct {
		t, s float64
		want string
	}{
		{0, 1, "1.0"}, {1, 2, "0.9403443"}, {2, 3, "0.9253786"},
		{3, 4, "0.9185229"}, {4, 4, "0.9"}, {5, 2, "0.8261359"},
	} {
		near(t, "R("+ftoa(c.t)+", "+ftoa(c.s)+")", ForgettingCurve(w[20], c.t, c.s), c.want)
	}
}

func TestRetrievabilityAtStabilityIsNinety(t *testing.T) {
	for _, w20 := range []float64{0.1, 0.1542, 0.5, 0.8} {
		for _, s := range []float64{0.5, 1, 7, 365, 36500} {
			if got := ForgettingCurve(w20, s, s); math.Abs(got-0.9) > 1e-7 {
				t.Errorf("w20=%g: R(S, S) at S=%g = %.10f, want 0.9", w20, s, got)
			}
		}
	}
}

func TestNextDifficultyPublished(t *testing.T) {
	w := DefaultWeights
	for g, want := range []string{"8.341763", "6.6659956", "4.990228", "3.3144615"} {
		near(t, "D'(5, G="+strconv.Itoa(g+1)+")", NextDifficulty(&w, 5, Rating(g+1)), want)
	}
}

func TestNextDifficultyClampsAndDamps(t *testing.T) {
	w := DefaultWeights
	// Linear damping: at D = 10 an Again cannot raise D; only mean
	// reversion (w7) moves it.
	want := ClampDifficulty(roundTo8(w[7]*InitDifficulty(&w, Easy) + (1-w[7])*10))
	if got := NextDifficulty(&w, 10, Again); got != want {
		t.Errorf("D'(10, Again) = %v, want %v (no damped change)", got, want)
	}
	if got := NextDifficulty(&w, 1, Easy); got < 1 {
		t.Errorf("D'(1, Easy) = %v, want >= 1", got)
	}
	// D0(4) is used unclamped: with w4 = 1 it is below 1.
	w2 := DefaultWeights
	w2[4] = 1
	w2[7] = 0.5
	if d0 := InitDifficulty(&w2, Easy); d0 >= 1 {
		t.Fatalf("D0(4) = %v, want < 1 for this test", d0)
	}
	unclamped := roundTo8(0.5*InitDifficulty(&w2, Easy) + 0.5*(5+roundTo8(2*w2[6]*5/9)))
	if got := NextDifficulty(&w2, 5, Easy); got != ClampDifficulty(unclamped) {
		t.Errorf("mean reversion with D0(4) < 1: got %v, want %v", got, ClampDifficulty(unclamped))
	}
}

func TestRecallStabilityPublished(t *testing.T) {
	w := DefaultWeights
	for i, c := range []struct {
		d, r float64
		g    Rating
		want string
	}{
		{1, 0.9, 1, "25.60252"}, {2, 0.8, 2, "28.22657"},
		{3, 0.7, 3, "58.65599"}, {4, 0.6, 4, "127.22669"},
	} {
		near(t, "S'r case "+strconv.Itoa(i), RecallStability(&w, c.d, 5, c.r, c.g), c.want)
	}
}

func TestLapseStabilityPublished(t *testing.T) {
	w := DefaultWeights
	for i, c := range []struct {
		d, r float64
		want string
	}{
		{1, 0.9, "1.0525396"}, {2, 0.8, "1.1894329"}, {3, 0.7, "1.3680838"}, {4, 0.6, "1.584989"},
	} {
		near(t, "S'f case "+strconv.Itoa(i), ForgetStability(&w, c.d, 5, c.r), c.want)
		near(t, "lapse case "+strconv.Itoa(i), LapseStability(&w, c.d, 5, c.r, true), c.want)
	}
}

func TestLapseStabilityCap(t *testing.T) {
	w := DefaultWeights
	// A low stability makes the cap S / e^(w17*w18) bind.
	s := 0.5
	capped := roundTo8(s / math.Exp(w[17]*w[18]))
	if f := ForgetStability(&w, 1, s, 0.1); f <= capped {
		t.Fatalf("forget stability %v does not exceed the cap %v; pick another case", f, capped)
	}
	if got := LapseStability(&w, 1, s, 0.1, true); got != capped {
		t.Errorf("lapse with short-term = %v, want the cap %v", got, capped)
	}
	// Short-term off: the cap is S itself.
	if got := LapseStability(&w, 1, s, 0.1, false); got != s {
		t.Errorf("lapse without short-term = %v, want S = %v", got, s)
	}
}

func TestShortTermStabilityPublished(t *testing.T) {
	w := DefaultWeights
	for g, want := range []string{"1.596818", "5.0", "5.0", "8.12961"} {
		near(t, "S's(5, G="+strconv.Itoa(g+1)+")", ShortTermStability(&w, 5, Rating(g+1)), want)
	}
}

func TestSixReviewsPublished(t *testing.T) {
	w := DefaultWeights
	reviews := []struct {
		g Rating
		t float64
	}{{1, 0}, {3, 0}, {3, 1}, {3, 3}, {3, 8}, {3, 21}}
	for _, c := range []struct {
		shortTerm bool
		s, d      string
	}{{true, "53.62690", "6.35749"}, {false, "53.33511", "6.35749"}} {
		var m Memory
		for _, r := range reviews {
			m = NextMemory(&w, m, r.t, r.g, c.shortTerm)
		}
		near(t, "S after six reviews, short-term "+strconv.FormatBool(c.shortTerm), m.Stability, c.s)
		near(t, "D after six reviews, short-term "+strconv.FormatBool(c.shortTerm), m.Difficulty, c.d)
	}
}

func TestIntervalsPublished(t *testing.T) {
	w := DefaultWeights
	want := []int{3116769, 34793, 2508, 387, 90, 27, 9, 3, 1, 1}
	for i, w0 := range want {
		r := float64(i+1) / 10
		if got := NextInterval(w[20], 1, r, math.MaxInt32); got != w0 {
			t.Errorf("I(r=%.1f, S=1) = %d, want %d", r, got, w0)
		}
	}
	if got := NextInterval(w[20], 1, 0.1, 36500); got != 36500 {
		t.Errorf("maximum interval not applied: got %d, want 36500", got)
	}
	if got := NextInterval(w[20], 0.01, 0.9, 36500); got != 1 {
		t.Errorf("tiny stability: got %d, want the 1-day minimum", got)
	}
}

func TestInitialState(t *testing.T) {
	w := DefaultWeights
	for g := Again; g <= Easy; g++ {
		m := NextMemory(&w, Memory{}, 0, g, true)
		if m.Stability != w[g-1] {
			t.Errorf("S0(%d) = %v, want w[%d] = %v", g, m.Stability, g-1, w[g-1])
		}
		d0 := ClampDifficulty(w[4] - math.Exp(w[5]*float64(g-1)) + 1)
		if math.Abs(m.Difficulty-d0) > 1e-8 {
			t.Errorf("D0(%d) = %v, want %v", g, m.Difficulty, d0)
		}
	}
	// ts-fsrs floors the first stability at 0.1.
	w[0] = 0.001
	if got := InitStability(&w, Again); got != 0.1 {
		t.Errorf("S0 with w0 = 0.001: got %v, want 0.1", got)
	}
	// D0 is clamped to [1, 10] for a first review.
	w[4], w[5] = 1, 4
	if got := NextMemory(&w, Memory{}, 0, Easy, true).Difficulty; got != 1 {
		t.Errorf("D0 clamped: got %v, want 1", got)
	}
}

func TestStabilityClamped(t *testing.T) {
	w := DefaultWeights
	if got := RecallStability(&w, 1, 36000, 0.01, Easy); got != MaxStability {
		t.Errorf("recall stability above the maximum: got %v, want %v", got, MaxStability)
	}
	if got := ShortTermStability(&w, 0.001, Again); got != MinStability {
		t.Errorf("short-term stability below the minimum: got %v, want %v", got, MinStability)
	}
}

func TestSameDayWithoutShortTerm(t *testing.T) {
	w := DefaultWeights
	m := Memory{Stability: 5, Difficulty: 5}
	// R = 1: success leaves S unchanged, a lapse is capped at S.
	for g := Hard; g <= Easy; g++ {
		if got := NextMemory(&w, m, 0, g, false).Stability; got != 5 {
			t.Errorf("same day, G=%d, short-term off: S = %v, want 5", g, got)
		}
	}
	want := math.Min(5, ForgetStability(&w, 5, 5, 1))
	if got := NextMemory(&w, m, 0, Again, false).Stability; got != want {
		t.Errorf("same day Again, short-term off: S = %v, want %v", got, want)
	}
}

func TestRoundTo8(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{1.234567895, 1.2345679},    // a tie in decimal: rounds up
		{-1.234567895, -1.23456789}, // ties go towards +Inf, as Math.round
		{0.123456784999, 0.12345678},
		{2.5e-9, 0},
		{5e-9, 1e-8},
		{36500, 36500},
		{0, 0},
		{53.626901234, 53.62690123},
	} {
		if got := roundTo8(c.in); got != c.want {
			t.Errorf("roundTo8(%v) = %v, want %v", c.in, got, c.want)
		}
		if got := roundTo8Exact(c.in); got != c.want {
			t.Errorf("roundTo8Exact(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	// The fast path agrees with exact decimal rounding.
	x := 0.0
	for i := 0; i < 20000; i++ {
		x = math.Mod(x*1.000003+0.7771234567, 40000)
		for _, v := range []float64{x, -x / 7, x / 1e4} {
			if a, b := roundTo8(v), roundTo8Exact(v); a != b {
				t.Fatalf("roundTo8(%v) = %v, exact %v", v, a, b)
			}
		}
	}
}

func TestJSRound(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{0.5, 1}, {1.5, 2}, {2.4999, 2}, {-0.5, 0}, {-1.5, -1}, {-1.6, -2},
		{0.49999999999999994, 0},
	} {
		if got := jsRound(c.in); got != c.want {
			t.Errorf("jsRound(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
