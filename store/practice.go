package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Cram and mock grades ("practice") leave a card's schedule and memory
// state alone. They are kept apart from the review log, in buckets made on
// first use (a file without them has none; an older opsdeck ignores them,
// so they need no schema change), so that FSRS fitting, true retention,
// the daily limits and export --revlog never see them.
var (
	bPractice = []byte("practice")
	bMocks    = []byte("mocks")
)

// The practice types are the domain's (deck.Practice and friends).
type (
	PracticeKind = deck.PracticeKind
	Practice     = deck.Practice
	MockArea     = deck.MockArea
	MockRecord   = deck.MockRecord
)

const (
	Cram = deck.Cram
	Mock = deck.Mock
)

func encodePractice(p Practice) []byte {
	b := []byte{byte(p.Kind), byte(p.Rating), byte(p.State)}
	b = binary.AppendUvarint(b, uint64(max(p.Duration.Milliseconds(), 0)))
	b = binary.AppendVarint(b, int64(p.Interval))
	b = binary.AppendUvarint(b, uint64(p.CardNumber))
	return append(b, p.CardID...)
}

func decodePractice(k, v []byte, loc *time.Location) (Practice, bool) {
	if len(k) != revKeyLen || len(v) < 4 {
		return Practice{}, false
	}
	p := Practice{Key: append([]byte(nil), k...), Kind: PracticeKind(v[0]), Rating: fsrs.Rating(v[1]),
		State: fsrs.State(v[2]), At: revKeyTime(k, loc)}
	r := reader{b: v[3:]}
	ms := r.uvarint()
	p.Interval = int(r.varint())
	p.CardNumber = int64(r.uvarint())
	if r.bad || ms > 1<<40 || p.State > fsrs.Relearning || p.CardNumber <= 0 {
		return Practice{}, false
	}
	p.Duration = time.Duration(ms) * time.Millisecond
	p.CardID = string(r.b)
	ok := (p.Kind == Cram || p.Kind == Mock) && p.Rating >= fsrs.Again && p.Rating <= fsrs.Easy && checkCardID(p.CardID) == nil
	return p, ok
}

// AddPractice records a cram or mock grade of cardID at now, in one
// transaction; the card's progress is not touched (a card never studied
// only gets a placeholder record that gives it a number, which reads treat
// as absent). It returns the entry.
func (s *Store) AddPractice(kind PracticeKind, cardID string, r fsrs.Rating, now time.Time, took time.Duration) (Practice, error) {
	p := Practice{Kind: kind, CardID: cardID, At: now, Rating: r, Duration: took}
	switch {
	case kind != Cram && kind != Mock:
		return p, fmt.Errorf("unknown practice kind %d", kind)
	case r < fsrs.Again || r > fsrs.Easy:
		return p, fmt.Errorf("grade %d is not 1-4", r)
	case !timeOK(now):
		return p, fmt.Errorf("review time %v is outside 1970-2262", now)
	}
	if err := checkCardID(cardID); err != nil {
		return p, err
	}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bPractice)
		if err != nil {
			return err
		}
		b.FillPercent = revlogFill
		rec, err := getProgress(tx, cardID, s.loc)
		if err != nil {
			return err
		}
		if rec.num == 0 {
			ph := progressRec{p: deck.Progress{CardID: cardID}, placeholder: true}
			if err := putProgress(tx, &ph); err != nil {
				return err
			}
			rec.num = ph.num
		}
		if !rec.placeholder {
			p.State, p.Interval = rec.p.Sched.State, rec.p.Sched.ScheduledDays
		}
		p.CardNumber = int64(rec.num)
		tie, err := b.NextSequence()
		if err != nil {
			return err
		}
		p.Key = revKey(now, uint32(tie))
		return b.Put(p.Key, encodePractice(p))
	})
	return p, err
}

// UndoPractice deletes a practice entry (AddPractice's result), in one
// transaction.
func (s *Store) UndoPractice(key []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPractice)
		if b == nil || b.Get(key) == nil {
			return ErrNothingToUndo
		}
		return b.Delete(key)
	})
}

// PracticeLog returns every cram and mock grade, oldest first.
func (s *Store) PracticeLog() ([]Practice, error) {
	var out []Practice
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPractice)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			p, ok := decodePractice(k, v, s.loc)
			if !ok {
				return corrupt("practice entry", k)
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// SaveMock stores a mock interview's scorecard, keyed by its start, in one
// transaction.
func (s *Store) SaveMock(m MockRecord) error {
	if !timeOK(m.Start) {
		return errors.New("mock start outside 1970-2262")
	}
	v, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bMocks)
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, uint64(m.Start.UnixNano())), v)
	})
}

// Mocks returns the saved mock interviews, oldest first.
func (s *Store) Mocks() ([]MockRecord, error) {
	var out []MockRecord
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMocks)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var m MockRecord
			if len(k) != 8 || json.Unmarshal(v, &m) != nil {
				return corrupt("mock scorecard", k)
			}
			m.Start = m.Start.In(s.loc)
			out = append(out, m)
			return nil
		})
	})
	return out, err
}

// verifyPractice decodes every entry of the optional practice buckets.
func verifyPractice(tx *bolt.Tx) error {
	if b := tx.Bucket(bPractice); b != nil {
		if err := b.ForEach(func(k, v []byte) error {
			if _, ok := decodePractice(k, v, time.UTC); !ok {
				return fmt.Errorf("bucket %q key %x: undecodable value", bPractice, k)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if b := tx.Bucket(bMocks); b != nil {
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 || !json.Valid(v) {
				return fmt.Errorf("bucket %q key %x: undecodable value", bMocks, k)
			}
			return nil
		})
	}
	return nil
}
