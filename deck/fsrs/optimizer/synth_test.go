package optimizer

import (
	"math"
	"math/rand/v2"
)

// synthLog generates a deterministic review log of about n reviews: cards
// are learned with same-day steps, then reviewed at FSRS intervals (with
// noise) and graded by a simulated student whose memory follows the FSRS
// model with parameters a little off the defaults.
func synthLog(n int, seed uint64) []Review {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	truth := DefaultWeights
	truth[8] += 0.2
	truth[11] -= 0.2
	truth[20] = 0.3
	m := newModel(&truth)
	const day = int64(86400_000)
	start := int64(1_700_000_000_000)
	revs := make([]Review, 0, n+64)
	card := int64(1_000_000)
	for len(revs) < n {
		card++
		t := start + rng.Int64N(365*day)
		pick := func(pass bool) int {
			if !pass {
				return 1
			}
			switch x := rng.Float64(); {
			case x < 0.08:
				return 2
			case x < 0.92:
				return 3
			default:
				return 4
			}
		}
		g := pick(rng.Float64() < 0.7)
		revs = append(revs, Review{CardID: card, Time: t, Rating: g, Duration: 5000})
		s, d := m.init(g)
		// Same-day learning steps until Good or Easy.
		for steps := 0; g < 3 && steps < 4 && len(revs) < n; steps++ {
			t += int64(1+rng.IntN(10)) * 60_000
			g = pick(rng.Float64() < 0.8)
			revs = append(revs, Review{CardID: card, Time: t, Rating: g, Duration: 5000})
			s, d = m.step(s, d, 0, g)
		}
		reviews := 3 + rng.IntN(25)
		for k := 0; k < reviews && len(revs) < n; k++ {
			ivl := math.Max(1, math.Round(s*(0.7+0.6*rng.Float64())))
			ivl = math.Min(ivl, 3650)
			t += int64(ivl)*day + rng.Int64N(6*3600_000)
			r := m.retrievability(ivl, s)
			g = pick(rng.Float64() < r)
			revs = append(revs, Review{CardID: card, Time: t, Rating: g, Duration: 8000})
			s, d = m.step(s, d, ivl, g)
			if g == 1 && len(revs) < n { // a relearning step the same day
				t += 10 * 60_000
				g = pick(rng.Float64() < 0.9)
				revs = append(revs, Review{CardID: card, Time: t, Rating: g, Duration: 6000})
				s, d = m.step(s, d, 0, g)
			}
		}
	}
	return revs
}
