package fsrs

import (
	"math"
	"math/big"
	"strconv"
)

// The FSRS-6 memory model as pure functions of the 21 weights. They follow
// ts-fsrs 5.4 step by step, including its rounding of every intermediate
// result to 8 decimals, so the scheduler built on them reproduces ts-fsrs
// exactly. w is passed by pointer only to avoid copying 21 floats per call;
// it is never modified.

// Stability and difficulty bounds.
const (
	MinStability  = 0.001
	MaxStability  = 36500.0
	MinDifficulty = 1.0
	MaxDifficulty = 10.0
	// MinInitStability is the floor ts-fsrs applies to the first stability
	// (w[G-1]), which the weights themselves may put as low as 0.001.
	MinInitStability = 0.1
)

// Memory is a card's memory state. The zero value stands for a card that has
// never been reviewed.
type Memory struct {
	Stability  float64
	Difficulty float64
}

// IsNew reports whether m is the state of a card never reviewed.
func (m Memory) IsNew() bool { return m.Stability == 0 && m.Difficulty == 0 }

// DecayFactor returns the forgetting curve's decay (-w20) and factor
// (0.9^(1/decay) - 1, rounded to 8 decimals as ts-fsrs does), chosen so that
// R(S, S) = 0.9.
func DecayFactor(w20 float64) (decay, factor float64) {
	decay = -w20
	factor = roundTo8(math.Exp(math.Pow(decay, -1)*math.Log(0.9)) - 1.0)
	return decay, factor
}

// ForgettingCurve is the retrievability R(t, S) = (1 + factor*t/S)^decay
// after t days (fractional days are fine) at stability s, rounded to 8
// decimals. w20 is the decay weight.
func ForgettingCurve(w20, t, s float64) float64 {
	decay, factor := DecayFactor(w20)
	return forgettingCurve(decay, factor, t, s)
}

func forgettingCurve(decay, factor, t, s float64) float64 {
	return roundTo8(math.Pow(1+(factor*t)/s, decay))
}

// IntervalModifier is the interval, in units of stability, at which R falls
// to the desired retention r: I(r, S) = S * IntervalModifier(w20, r).
func IntervalModifier(w20, r float64) float64 {
	decay, factor := DecayFactor(w20)
	return intervalModifier(decay, factor, r)
}

func intervalModifier(decay, factor, r float64) float64 {
	return roundTo8((math.Pow(r, 1/decay) - 1) / factor)
}

// NextInterval is the interval in whole days for stability s and desired
// retention r: I(r, S) rounded half up, at least 1 day and at most maximum.
// It is the interval before fuzz.
func NextInterval(w20, s, r float64, maximum int) int {
	return nextInterval(s, IntervalModifier(w20, r), maximum)
}

func nextInterval(s, modifier float64, maximum int) int {
	ivl := jsRound(s * modifier)
	if ivl < 1 {
		ivl = 1
	}
	if ivl > float64(maximum) {
		ivl = float64(maximum)
	}
	return int(ivl)
}

// InitStability is the stability after the first review, S0(G) = w[G-1]
// (at least MinInitStability, as in ts-fsrs).
func InitStability(w *[21]float64, g Rating) float64 {
	return math.Max(w[g-1], MinInitStability)
}

// InitDifficulty is D0(G) = w4 - e^(w5*(G-1)) + 1, rounded to 8 decimals and
// NOT clamped (the mean reversion target D0(4) uses it unclamped; clamp it
// with ClampDifficulty for a first review).
func InitDifficulty(w *[21]float64, g Rating) float64 {
	return roundTo8(w[4] - math.Exp(float64(g-1)*w[5]) + 1)
}

// ClampDifficulty limits d to [1, 10].
func ClampDifficulty(d float64) float64 { return clamp(d, MinDifficulty, MaxDifficulty) }

// ClampStability limits s to [0.001, 36500].
func ClampStability(s float64) float64 { return clamp(s, MinStability, MaxStability) }

// NextDifficulty is the difficulty after a review graded g: the change
// -w6*(G-3) damped linearly by (10-D)/9, then mean reversion towards the
// unclamped D0(4) with weight w7, clamped to [1, 10].
func NextDifficulty(w *[21]float64, d float64, g Rating) float64 {
	delta := -w[6] * float64(g-3)
	next := d + roundTo8((delta*(10-d))/9)
	reverted := roundTo8(w[7]*InitDifficulty(w, Easy) + (1-w[7])*next)
	return ClampDifficulty(reverted)
}

// RecallStability is the stability after a successful review (G >= 2) at
// retrievability r: S * (1 + e^w8 * (11-D) * S^-w9 * (e^(w10*(1-R)) - 1)
// * (w15 if Hard) * (w16 if Easy)), clamped and rounded to 8 decimals. For
// G = 1 it uses no grade factor, like ts-fsrs.
func RecallStability(w *[21]float64, d, s, r float64, g Rating) float64 {
	hardPenalty, easyBonus := 1.0, 1.0
	if g == Hard {
		hardPenalty = w[15]
	}
	if g == Easy {
		easyBonus = w[16]
	}
	inc := math.Exp(w[8]) * (11 - d) * math.Pow(s, -w[9]) * (math.Exp((1-r)*w[10]) - 1) * hardPenalty * easyBonus
	return roundTo8(ClampStability(s * (1 + inc)))
}

// ForgetStability is the post-lapse stability formula w11 * D^-w12 *
// ((S+1)^w13 - 1) * e^(w14*(1-R)), clamped and rounded, without the cap
// that LapseStability applies.
func ForgetStability(w *[21]float64, d, s, r float64) float64 {
	v := w[11] * math.Pow(d, -w[12]) * (math.Pow(s+1, w[13]) - 1) * math.Exp((1-r)*w[14])
	return roundTo8(ClampStability(v))
}

// LapseStability is the stability after a lapse (G = 1, t > 0):
// min(ForgetStability, S / e^(w17*w18)). With short-term disabled the cap
// is S itself (w17 = w18 = 0).
func LapseStability(w *[21]float64, d, s, r float64, shortTerm bool) float64 {
	w17, w18 := 0.0, 0.0
	if shortTerm {
		w17, w18 = w[17], w[18]
	}
	limit := s / math.Exp(w17*w18)
	return clamp(roundTo8(limit), MinStability, ForgetStability(w, d, s, r))
}

// ShortTermStability is the stability after a same-day review:
// S * e^(w17*(G-3+w18)) * S^-w19, the increase being at least 1 when G >= 2.
func ShortTermStability(w *[21]float64, s float64, g Rating) float64 {
	sinc := math.Pow(s, -w[19]) * math.Exp(w[17]*(float64(g-3)+w[18]))
	if g >= Hard {
		sinc = math.Max(sinc, 1)
	}
	return roundTo8(ClampStability(s * sinc))
}

// NextMemory is the memory state after a review graded g, t days after the
// previous one. The zero Memory is a first review (t is ignored). With
// shortTerm, a review on the same day (t = 0) uses ShortTermStability;
// without it, it uses the success/lapse formulas with R = 1. A memory state
// outside the model's bounds is clamped into them first.
func NextMemory(w *[21]float64, m Memory, t float64, g Rating, shortTerm bool) Memory {
	decay, factor := DecayFactor(w[20])
	return nextMemory(w, m, t, g, shortTerm, forgettingCurve(decay, factor, t, m.Stability))
}

// nextMemory is NextMemory with the retrievability r already computed (it
// is ignored for a first review).
func nextMemory(w *[21]float64, m Memory, t float64, g Rating, shortTerm bool, r float64) Memory {
	if m.IsNew() {
		return Memory{Stability: InitStability(w, g), Difficulty: ClampDifficulty(InitDifficulty(w, g))}
	}
	d, s := ClampDifficulty(m.Difficulty), ClampStability(m.Stability)
	var ns float64
	switch {
	case t == 0 && shortTerm:
		ns = ShortTermStability(w, s, g)
	case g == Again:
		ns = LapseStability(w, d, s, r, shortTerm)
	default:
		ns = RecallStability(w, d, s, r, g)
	}
	return Memory{Stability: ns, Difficulty: NextDifficulty(w, d, g)}
}

// clamp limits v to [lo, hi]; a NaN stays NaN, as with Math.min/Math.max.
func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// jsRound is JavaScript's Math.round: the nearest integer, ties towards +Inf.
func jsRound(x float64) float64 {
	f := math.Floor(x)
	if x-f >= 0.5 {
		return f + 1
	}
	return f
}

// roundTo8 rounds x to 8 decimals exactly like ts-fsrs's roundTo(x, 8),
// which rounds the shortest decimal form of x (Number(x + "e8")) half
// towards +Inf. The fast path is exact whenever x*1e8 is not within a few
// ulps of a tie; ties are settled in exact decimal arithmetic.
func roundTo8(x float64) float64 {
	y := x * 1e8
	if !(math.Abs(y) < 1<<52) { // also NaN and Inf
		return x
	}
	f := math.Floor(y)
	frac := y - f // exact
	if math.Abs(frac-0.5) > math.Abs(y)*0x1p-50 {
		if frac > 0.5 {
			f++
		}
		return f / 1e8
	}
	return roundTo8Exact(x)
}

func roundTo8Exact(x float64) float64 {
	v, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		return x
	}
	v.Mul(v, big.NewRat(100000000, 1))
	v.Add(v, big.NewRat(1, 2))
	n := new(big.Int).Div(v.Num(), v.Denom()) // floor: the denominator is positive
	f, _ := new(big.Rat).SetFrac(n, big.NewInt(100000000)).Float64()
	return f
}
