package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Settings returns the stored settings (the defaults in a new file).
func (s *Store) Settings() (deck.Settings, error) {
	var st deck.Settings
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		st, err = readSettings(tx)
		return err
	})
	return st, err
}

// Scheduler returns the scheduler Grade uses (the stored settings, the
// store's Location, fuzz on), for previews and day boundaries.
func (s *Store) Scheduler() (*fsrs.Scheduler, error) {
	st, err := s.Settings()
	if err != nil {
		return nil, err
	}
	return s.schedulerFor(st)
}

// Progress returns a card's progress; ok is false for a card never touched
// (a new card: the zero Progress with its ID).
func (s *Store) Progress(id string) (p deck.Progress, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		rec, err := getProgress(tx, id, s.loc)
		if err != nil {
			return err
		}
		if rec.num != 0 && !rec.placeholder {
			p, ok = rec.p, true
		} else {
			p = deck.Progress{CardID: id}
		}
		return nil
	})
	return p, ok, err
}

// AllProgress returns the progress of every card touched, by card ID.
// Cards not in the map are new.
func (s *Store) AllProgress() (map[string]deck.Progress, error) {
	var out map[string]deck.Progress
	err := s.view(func(tx *bolt.Tx) error {
		pb := tx.Bucket(bProgress)
		// The sequence is the number of cards ever numbered: a good size hint.
		out = make(map[string]deck.Progress, int(min(pb.Sequence(), 1<<22)))
		c := pb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			rec, ok := decodeProgress(v, s.loc)
			if !ok {
				return corrupt("progress of", k)
			}
			if rec.placeholder {
				continue
			}
			id := string(k)
			rec.p.CardID = id
			out[id] = rec.p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CardNumber returns the card's stable positive number (the revlog CSV
// card_id); ok is false for a card never numbered (never graded, suspended
// or buried). A number stays when the grade that gave it is undone.
func (s *Store) CardNumber(id string) (n int64, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bProgress).Get([]byte(id)); raw != nil {
			n = int64(progressNum(raw))
			ok = n != 0
		}
		return nil
	})
	return n, ok, err
}

// CustomDecks returns the custom decks with their cards, by ID.
func (s *Store) CustomDecks() ([]deck.Deck, error) { return s.customDecks(true) }

// customDecks reads the custom decks, their cards whole (withText) or as
// their IDs only (DeckOutlines: no record is decoded).
func (s *Store) customDecks(withText bool) ([]deck.Deck, error) {
	var out []deck.Deck
	err := s.view(func(tx *bolt.Tx) error {
		cc := tx.Bucket(bCards).Cursor()
		return tx.Bucket(bDecks).ForEach(func(k, v []byte) error {
			var dr deckRecord
			if err := json.Unmarshal(v, &dr); err != nil {
				return corrupt("deck", k)
			}
			d := deck.Deck{ID: string(k), Title: dr.Title, Description: dr.Description}
			prefix := append(append([]byte(nil), k...), '/')
			n := 0 // counted first: growing the slice would copy 100,000 cards over and over
			for ck, _ := cc.Seek(prefix); ck != nil && bytes.HasPrefix(ck, prefix); ck, _ = cc.Next() {
				n++
			}
			if n > 0 {
				d.Cards = make([]deck.Card, 0, n)
			}
			for ck, cv := cc.Seek(prefix); ck != nil && bytes.HasPrefix(ck, prefix); ck, cv = cc.Next() {
				if !withText {
					d.Cards = append(d.Cards, deck.Card{ID: string(ck), Deck: d.ID})
					continue
				}
				cr, err := decodeCardRecord(cv)
				if err != nil {
					return corrupt("card", ck)
				}
				d.Cards = append(d.Cards, recordToCard(string(ck), cr))
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// Overrides returns the edited text of built-in cards, by card ID.
func (s *Store) Overrides() (map[string]Override, error) {
	out := map[string]Override{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bOverrides).ForEach(func(k, v []byte) error {
			var r overrideRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return corrupt("override", k)
			}
			out[string(k)] = Override(r)
			return nil
		})
	})
	return out, err
}

// LogEntry is a review-log entry with the card's number.
type LogEntry struct {
	deck.Review
	CardNumber int64 // the revlog CSV card_id
	Orphaned   bool  // the card was deleted; its history is kept
}

// EachReview calls fn for each review-log entry with from <= time < to,
// oldest first; a zero from or to leaves that end open. fn runs inside a
// read transaction: it must not call the Store.
func (s *Store) EachReview(from, to time.Time, fn func(LogEntry) error) error {
	lo, hi, empty := revRange(from, to)
	if empty {
		return nil
	}
	return s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRevlog).Cursor()
		var k, v []byte
		if lo == nil {
			k, v = c.First()
		} else {
			k, v = c.Seek(lo)
		}
		var names *cardNameTable
		var orphans *bolt.Bucket
		if k != nil {
			// A short range (today's reviews) names its few cards alone,
			// not all 100,000.
			names = fewCardNames(tx, k, hi)
			orphans = tx.Bucket(bOrphans)
		}
		for ; k != nil && (hi == nil || bytes.Compare(k, hi) < 0); k, v = c.Next() {
			if len(k) != revKeyLen {
				return corrupt("review-log key", k)
			}
			r, ok := decodeReview(v)
			if !ok {
				return corrupt("review-log entry", k)
			}
			if names == nil {
				names = cardNames(tx)
				orphans = tx.Bucket(bOrphans)
			}
			e := LogEntry{CardNumber: int64(r.num)}
			id, ok := names.get(r.num)
			if !ok {
				if o := orphans.Get(numKey(r.num)); o != nil {
					id = string(o)
					e.Orphaned = true
				} else {
					return fmt.Errorf("%w: review-log entry %x names card number %d, which no card has", ErrDamaged, k, r.num)
				}
			}
			e.Review = toReview(id, revKeyTime(k, s.loc), r)
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// cardNameTable maps card numbers to IDs for every card with a record.
// Numbers are given in sequence, so a slice indexed by number holds them
// (a lookup per entry of a 1,000,000-review log costs a third of a map's);
// a number beyond the sequence (not written by this code) goes in a map.
type cardNameTable struct {
	dense  []string
	sparse map[uint64]string
}

func (t *cardNameTable) get(n uint64) (string, bool) {
	if n < uint64(len(t.dense)) {
		id := t.dense[n]
		return id, id != ""
	}
	id, ok := t.sparse[n]
	return id, ok
}

// fewRange is the most review-log entries fewCardNames names alone.
const fewRange = 4096

// fewCardNames is cardNames for the log entries from key first to hi (nil:
// the end) when there are at most fewRange of them: only their cards get
// a name (a string), found in one pass over the progress records' numbers.
// A longer range, or an entry that cannot be read, gets cardNames (whose
// caller reports the damage).
func fewCardNames(tx *bolt.Tx, first, hi []byte) *cardNameTable {
	want := map[uint64]bool{}
	c := tx.Bucket(bRevlog).Cursor()
	n := 0
	for k, v := c.Seek(first); k != nil && (hi == nil || bytes.Compare(k, hi) < 0); k, v = c.Next() {
		if n++; n > fewRange {
			return cardNames(tx)
		}
		r, ok := decodeReview(v)
		if !ok {
			return cardNames(tx)
		}
		want[r.num] = true
	}
	t := &cardNameTable{sparse: make(map[uint64]string, len(want))}
	pc := tx.Bucket(bProgress).Cursor()
	for k, v := pc.First(); k != nil && len(t.sparse) < len(want); k, v = pc.Next() {
		if n := progressNum(v); n != 0 && want[n] {
			t.sparse[n] = string(k)
		}
	}
	return t
}

func cardNames(tx *bolt.Tx) *cardNameTable {
	pb := tx.Bucket(bProgress)
	t := &cardNameTable{}
	if seq := pb.Sequence(); seq < 1<<24 {
		t.dense = make([]string, seq+1)
	}
	c := pb.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		n := progressNum(v)
		switch {
		case n == 0:
		case n < uint64(len(t.dense)):
			t.dense[n] = string(k)
		default:
			if t.sparse == nil {
				t.sparse = map[uint64]string{}
			}
			t.sparse[n] = string(k)
		}
	}
	return t
}

// Reviews returns the review-log entries with from <= time < to, oldest
// first (a zero bound is open).
func (s *Store) Reviews(from, to time.Time) ([]deck.Review, error) {
	var out []deck.Review
	err := s.EachReview(from, to, func(e LogEntry) error {
		out = append(out, e.Review)
		return nil
	})
	return out, err
}

// Counts are review-log entries counted by the card's state before the
// review. New is the number of new cards introduced.
type Counts struct {
	New, Learning, Review, Relearning int
}

// Total is the number of reviews.
func (c Counts) Total() int { return c.New + c.Learning + c.Review + c.Relearning }

// CountsSince counts the reviews at or after since (the daily limits use
// the day start).
func (s *Store) CountsSince(since time.Time) (Counts, error) {
	var n Counts
	err := s.view(func(tx *bolt.Tx) error {
		lo, _, empty := revRange(since, time.Time{})
		if empty {
			return nil
		}
		c := tx.Bucket(bRevlog).Cursor()
		k, v := c.First()
		if lo != nil {
			k, v = c.Seek(lo)
		}
		for ; k != nil; k, v = c.Next() {
			if len(v) == 0 {
				return corrupt("review-log entry", k)
			}
			switch fsrs.State(v[0] >> 3 & 3) {
			case fsrs.New:
				n.New++
			case fsrs.Learning:
				n.Learning++
			case fsrs.Review:
				n.Review++
			case fsrs.Relearning:
				n.Relearning++
			}
		}
		return nil
	})
	return n, err
}

// TodayCounts counts the reviews since the start of the scheduling day
// that contains now.
func (s *Store) TodayCounts(now time.Time) (Counts, error) {
	sch, err := s.Scheduler()
	if err != nil {
		return Counts{}, err
	}
	return s.CountsSince(sch.DayStart(now))
}

// ReviewCount is the number of entries in the review log.
func (s *Store) ReviewCount() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bRevlog).Stats().KeyN
		return nil
	})
	return n, err
}

// revRange turns [from, to) into cursor bounds; nil is an open end.
func revRange(from, to time.Time) (lo, hi []byte, empty bool) {
	epoch := time.Unix(0, 0)
	switch {
	case from.IsZero() || from.Before(epoch):
	case timeOK(from):
		lo = revSeek(from)
	default:
		return nil, nil, true // after 2262
	}
	switch {
	case to.IsZero():
	case !to.After(epoch):
		return nil, nil, true
	case timeOK(to):
		hi = revSeek(to)
	}
	return lo, hi, false
}

// ReviewDays calls fn with the start of each day that holds a review,
// newest first, until fn returns false; dayStart maps a time to the start
// of its day (the scheduler's DayStart). It reads only the log's keys, one
// seek per day, so a streak of years costs a few thousand key reads rather
// than decoding the whole log.
func (s *Store) ReviewDays(dayStart func(time.Time) time.Time, fn func(day time.Time) bool) error {
	return s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRevlog).Cursor()
		k, _ := c.Last()
		for k != nil {
			if len(k) != revKeyLen {
				return corrupt("review-log key", k)
			}
			day := dayStart(revKeyTime(k, s.loc))
			if !fn(day) {
				return nil
			}
			if !timeOK(day) || day.UnixNano() <= 0 {
				return nil // nothing sorts before the epoch
			}
			// The newest entry before this day: seek to the day's first
			// key (or past the end), then step back.
			if sk, _ := c.Seek(revSeek(day)); sk == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
			if k != nil && len(k) == revKeyLen && !revKeyTime(k, s.loc).Before(day) {
				return fmt.Errorf("%w: review-log keys out of order at %x", ErrDamaged, k)
			}
		}
		return nil
	})
}
