package store

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

func randTime(rng *rand.Rand) time.Time {
	if rng.IntN(4) == 0 {
		return time.Time{}
	}
	return time.Unix(0, rng.Int64N(math.MaxInt64)).In(time.UTC)
}

func randProgress(rng *rand.Rand) progressRec {
	return progressRec{
		num:         1 + rng.Uint64N(1<<40),
		placeholder: rng.IntN(8) == 0,
		p: deck.Progress{
			Sched: fsrs.Card{
				State:         fsrs.State(rng.IntN(4)),
				Due:           randTime(rng),
				Stability:     rng.Float64() * 1000,
				Difficulty:    1 + 9*rng.Float64(),
				ElapsedDays:   rng.IntN(5000) - 10,
				ScheduledDays: rng.IntN(36500),
				Step:          rng.IntN(5),
				Reps:          rng.IntN(1000),
				Lapses:        rng.IntN(100),
				LastReview:    randTime(rng),
			},
			Suspended:   rng.IntN(2) == 0,
			BuriedUntil: randTime(rng),
			Leech:       rng.IntN(2) == 0,
			Flag:        rng.IntN(deck.MaxFlag + 1),
		},
	}
}

func TestRecordRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		p := randProgress(rng)
		b := encodeProgress(p)
		got, ok := decodeProgress(b, time.UTC)
		if !ok || !reflect.DeepEqual(got, p) {
			t.Fatalf("progress %+v -> %x -> %+v %v", p, b, got, ok)
		}
		if progressNum(b) != p.num {
			t.Fatalf("progressNum = %d, want %d", progressNum(b), p.num)
		}
		// Every strict prefix is refused, never a panic.
		for i := range len(b) {
			if _, ok := decodeProgress(b[:i], time.UTC); ok {
				t.Fatalf("prefix %d of %x accepted", i, b)
			}
		}

		r := reviewRec{
			num:          1 + rng.Uint64N(1<<40),
			rating:       fsrs.Rating(1 + rng.IntN(4)),
			stateBefore:  fsrs.State(rng.IntN(4)),
			lastInterval: rng.IntN(36500),
			interval:     rng.IntN(36500),
			stability:    float32(rng.Float64() * 1000),
			difficulty:   float32(1 + 9*rng.Float64()),
			duration:     time.Duration(rng.IntN(1e6)) * time.Millisecond,
		}
		rb := encodeReview(r)
		gr, ok := decodeReview(rb)
		if !ok || gr != r {
			t.Fatalf("review %+v -> %+v %v", r, gr, ok)
		}
		for i := range len(rb) {
			if _, ok := decodeReview(rb[:i]); ok {
				t.Fatalf("review prefix %d accepted", i)
			}
		}

		u := undoRec{seq: rng.Uint64(), logKey: revKey(randTime(rng), rng.Uint32()), cardID: "kubernetes/qos-classes", prev: b}
		gu, ok := decodeUndo(encodeUndo(u))
		if !ok || !reflect.DeepEqual(gu, u) {
			t.Fatalf("undo %+v -> %+v %v", u, gu, ok)
		}
	}
}

func TestReviewRecordIsCompact(t *testing.T) {
	// A typical entry: card 54,321, Good on a 12-day review card, 8.5 s.
	b := encodeReview(reviewRec{num: 54321, rating: fsrs.Good, stateBefore: fsrs.Review, lastInterval: 12,
		interval: 31, stability: 30.7, difficulty: 5.1, duration: 8500 * time.Millisecond})
	if len(b) > 18 {
		t.Errorf("review record is %d bytes", len(b))
	}
}

func TestRevKeysSortByTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		a := time.Unix(0, rng.Int64N(math.MaxInt64))
		b := time.Unix(0, rng.Int64N(math.MaxInt64))
		ka, kb := string(revKey(a, rng.Uint32())), string(revKey(b, rng.Uint32()))
		if a.Before(b) != (ka < kb) && !a.Equal(b) {
			t.Fatalf("%v vs %v: keys out of order", a, b)
		}
		if !revKeyTime([]byte(ka), time.UTC).Equal(a) {
			t.Fatal("key time lost")
		}
	}
}

// FuzzDecoders: no input makes a decoder panic, and what decodes
// re-encodes to the same bytes.
func FuzzDecoders(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		p := randProgress(rng)
		f.Add(encodeProgress(p))
		f.Add(encodeReview(reviewRec{num: p.num, rating: fsrs.Hard, interval: 3}))
		f.Add(encodeUndo(undoRec{seq: 9, logKey: revKey(t0, 1), cardID: "a/b", prev: encodeProgress(p)}))
		f.Add(encodeGenericUndo(undoRec{seq: 4, generic: true, action: "flag red", cardIDs: []string{"a/b", "a/c"},
			entries: []undoEntry{{bucket: bProgress, key: []byte("a/b"), present: true, prev: encodeProgress(p)}, {bucket: bOverrides, key: []byte("a/c")}}}))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, ok := decodeProgress(b, time.UTC); ok {
			if got := encodeProgress(p); string(got) != string(b) {
				// Zero times are stored as absent, so only canonical
				// encodings round-trip; decoding the re-encoding must agree.
				if q, ok := decodeProgress(got, time.UTC); !ok || !reflect.DeepEqual(q, p) && !sameProgress(q, p) {
					t.Fatalf("progress %x -> %+v -> %x", b, p, got)
				}
			}
		}
		if r, ok := decodeReview(b); ok {
			if q, ok := decodeReview(encodeReview(r)); !ok || q != r && !(math.IsNaN(float64(q.stability)) || math.IsNaN(float64(q.difficulty))) {
				t.Fatalf("review %x -> %+v", b, r)
			}
		}
		if u, ok := decodeUndo(b); ok && u.generic {
			// (bulk actions' records too.) A non-minimal uvarint decodes, so
			// decoding the re-encoding must agree.
			if q, ok := decodeUndo(encodeGenericUndo(u)); !ok || !reflect.DeepEqual(q, u) {
				t.Fatalf("generic undo %x -> %+v -> %+v", b, u, q)
			}
		}
	})
}

func sameProgress(a, b progressRec) bool {
	// NaN floats compare unequal; compare bits instead.
	ab, bb := encodeProgress(a), encodeProgress(b)
	return string(ab) == string(bb)
}
