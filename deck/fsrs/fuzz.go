package fsrs

import "math"

// fuzzRanges: the fuzz half-width grows by factor for each day of the
// interval inside [start, end).
var fuzzRanges = [3]struct{ start, end, factor float64 }{
	{2.5, 7, 0.15},
	{7, 20, 0.10},
	{20, math.Inf(1), 0.05},
}

// FuzzRange is the range of days a fuzzed interval is drawn from (ts-fsrs's
// get_fuzz_range): [max(2, round(I-d)), min(round(I+d), maximum)] with
// d = 1 + 0.15 per day of I in 2.5..7 + 0.10 per day in 7..20 + 0.05 per
// day above 20, and the lower end raised above elapsedDays when I is.
func FuzzRange(interval float64, elapsedDays, maximum int) (lo, hi int) {
	delta := 1.0
	for _, r := range fuzzRanges {
		delta += r.factor * math.Max(math.Min(interval, r.end)-r.start, 0)
	}
	interval = math.Min(interval, float64(maximum))
	lo = int(math.Max(2, jsRound(interval-delta)))
	hi = int(math.Min(jsRound(interval+delta), float64(maximum)))
	if interval > float64(elapsedDays) {
		lo = max(lo, elapsedDays+1)
	}
	lo = min(lo, hi)
	return lo, hi
}

// fuzzFactor is a number in [0, 1) fixed by the card's key and its review
// count after the review, so every preview of a review and the review
// itself draw the same fuzz: FNV-1a of the key, mixed with the count by
// SplitMix64's finaliser.
func fuzzFactor(key string, reps int) float64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	h ^= uint64(reps) * 0x9e3779b97f4a7c15
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return float64(h>>11) / (1 << 53)
}
