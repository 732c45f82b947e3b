package optimizer

import (
	"encoding/binary"
	"math/bits"
)

// stdRng reproduces Rust rand 0.9's StdRng (ChaCha with 12 rounds, seeded by
// SeedableRng::seed_from_u64) and SliceRandom::shuffle, so that the
// mini-batches come in the same order as in fsrs-rs.
type stdRng struct {
	key     [8]uint32
	counter uint64
	buf     [64]uint32 // four blocks, as rand_chacha generates them
	idx     int
}

func newStdRng(seed uint64) *stdRng {
	// rand_core's seed_from_u64: PCG32 output fills the 32-byte seed.
	var s [32]byte
	state := seed
	for i := 0; i < 32; i += 4 {
		state = state*6364136223846793005 + 11634580027462260723
		xorshifted := uint32(((state >> 18) ^ state) >> 27)
		rot := int(state >> 59)
		binary.LittleEndian.PutUint32(s[i:], bits.RotateLeft32(xorshifted, -rot))
	}
	r := &stdRng{idx: 64}
	for i := range r.key {
		r.key[i] = binary.LittleEndian.Uint32(s[4*i:])
	}
	return r
}

func (r *stdRng) refill() {
	for b := range 4 {
		ctr := r.counter + uint64(b)
		in := [16]uint32{
			0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
			r.key[0], r.key[1], r.key[2], r.key[3], r.key[4], r.key[5], r.key[6], r.key[7],
			uint32(ctr), uint32(ctr >> 32), 0, 0,
		}
		x := in
		for range 6 { // 12 rounds
			quarter(&x, 0, 4, 8, 12)
			quarter(&x, 1, 5, 9, 13)
			quarter(&x, 2, 6, 10, 14)
			quarter(&x, 3, 7, 11, 15)
			quarter(&x, 0, 5, 10, 15)
			quarter(&x, 1, 6, 11, 12)
			quarter(&x, 2, 7, 8, 13)
			quarter(&x, 3, 4, 9, 14)
		}
		for i := range x {
			r.buf[16*b+i] = x[i] + in[i]
		}
	}
	r.counter += 4
	r.idx = 0
}

func quarter(x *[16]uint32, a, b, c, d int) {
	x[a] += x[b]
	x[d] = bits.RotateLeft32(x[d]^x[a], 16)
	x[c] += x[d]
	x[b] = bits.RotateLeft32(x[b]^x[c], 12)
	x[a] += x[b]
	x[d] = bits.RotateLeft32(x[d]^x[a], 8)
	x[c] += x[d]
	x[b] = bits.RotateLeft32(x[b]^x[c], 7)
}

func (r *stdRng) nextU32() uint32 {
	if r.idx >= len(r.buf) {
		r.refill()
	}
	v := r.buf[r.idx]
	r.idx++
	return v
}

// below returns a uniform number in [0, n) the way rand 0.9's
// UniformInt::<u32>::sample_single does (widening multiply, one extra draw
// when the first is in the biased zone).
func (r *stdRng) below(n uint32) uint32 {
	hi, lo := bits.Mul32(r.nextU32(), n)
	if lo > -n {
		hi2, _ := bits.Mul32(r.nextU32(), n)
		if _, carry := bits.Add32(lo, hi2, 0); carry != 0 {
			hi++
		}
	}
	return hi
}

// shuffle is rand 0.9's SliceRandom::shuffle (partial_shuffle over the whole
// slice with IncreasingUniform), for slices shorter than 2^32.
func (r *stdRng) shuffle(s []int) {
	if len(s) <= 1 {
		return
	}
	var n, chunk uint32
	remaining := uint8(1) // n == 0: the first index is always 0
	for i := range s {
		next := n + 1
		var idx uint32
		if remaining == 0 {
			// bound = next * (next+1) * ... while it fits in 32 bits.
			bound, cur := next, next+1
			for {
				hi, lo := bits.Mul32(bound, cur)
				if hi != 0 {
					break
				}
				bound = lo
				cur++
			}
			chunk = r.below(bound)
			remaining = uint8(cur - next)
		}
		remaining--
		if remaining == 0 {
			idx = chunk
		} else {
			idx = chunk % next
			chunk /= next
		}
		n = next
		s[i], s[idx] = s[idx], s[i]
	}
}
