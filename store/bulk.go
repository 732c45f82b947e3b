package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// BulkFunc changes one card of a bulk action: it gets the card's text and
// progress as stored (a new card's progress for one never touched) and
// changes them in place. Only the progress and the tags are written back.
type BulkFunc func(c *deck.Card, p *deck.Progress) error

// Undone says what UndoLast reversed.
type Undone struct {
	CardID string   // the graded card; "" for a bulk action
	Label  string   // "grade", or the bulk action's label
	Cards  []string // the cards a bulk action changed
}

// Bulk applies fn to every card of ids in one transaction, and records one
// undo entry (in the same ring as the grades) that puts back every record
// it changed: UndoLast reverses the whole action at once. It returns the
// number of cards that changed; when none did, nothing is written. Any
// error (an unknown card, fn's) leaves the file unchanged.
func (s *Store) Bulk(label string, ids []string, fn BulkFunc) (int, error) {
	for _, id := range ids {
		if err := checkCardID(id); err != nil {
			return 0, err
		}
	}
	builtin := s.builtinCards()
	var changed int
	err := s.update(func(tx *bolt.Tx) error {
		changed = 0
		var prev []bulkPrev
		seen := make(map[string]bool, len(ids))
		pb, cb, ob := tx.Bucket(bProgress), tx.Bucket(bCards), tx.Bucket(bOverrides)
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			// The card's text: a custom card, or a built-in one with its edits.
			var c deck.Card
			custom := cb.Get([]byte(id))
			if custom != nil {
				var err error
				if c, err = decodeCard(id, custom); err != nil {
					return err
				}
			} else if b, ok := builtin[id]; ok {
				c = b
				if raw := ob.Get([]byte(id)); raw != nil {
					o, err := decodeOverride(id, raw)
					if err != nil {
						return err
					}
					c = o.Apply(c)
				}
			} else {
				return fmt.Errorf("card %s: %w", id, ErrNotFound)
			}
			rec, err := getProgress(tx, id, s.loc)
			if err != nil {
				return err
			}
			if rec.placeholder {
				rec = progressRec{num: rec.num, p: deck.Progress{CardID: id}}
			}
			oldTags := slices.Clone(c.Tags)
			oldRaw := pb.Get([]byte(id))
			oldEnc := encodeProgress(rec)
			if err := fn(&c, &rec.p); err != nil {
				return fmt.Errorf("card %s: %w", id, err)
			}
			if rec.p.Flag < 0 || rec.p.Flag > deck.MaxFlag {
				return fmt.Errorf("card %s: flag %d is not 0-%d", id, rec.p.Flag, deck.MaxFlag)
			}
			did := false
			if newEnc := encodeProgress(rec); string(newEnc) != string(oldEnc) {
				prev = append(prev, bulkPrev{bucket: 1, key: id, had: oldRaw != nil, value: slices.Clone(oldRaw)})
				if err := putProgress(tx, &rec); err != nil {
					return err
				}
				did = true
			}
			if !slices.Equal(oldTags, c.Tags) {
				if len(c.Tags) == 0 {
					c.Tags = nil
				}
				if custom != nil {
					prev = append(prev, bulkPrev{bucket: 2, key: id, had: true, value: slices.Clone(custom)})
					if err := putJSON(cb, id, cardToRecord(c)); err != nil {
						return err
					}
				} else {
					old := ob.Get([]byte(id))
					prev = append(prev, bulkPrev{bucket: 3, key: id, had: old != nil, value: slices.Clone(old)})
					if err := putJSON(ob, id, overrideRecord{Front: c.Front, Back: c.Back, Tags: c.Tags}); err != nil {
						return err
					}
				}
				did = true
			}
			if did {
				changed++
			}
		}
		if len(prev) == 0 {
			return nil
		}
		ub := tx.Bucket(bUndo)
		seq, err := ub.NextSequence()
		if err != nil {
			return err
		}
		return ub.Put(undoKey(seq), encodeBulkUndo(seq, label, prev))
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}

// builtinCards indexes the embedded cards by ID.
func (s *Store) builtinCards() map[string]deck.Card {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.builtinIdx == nil {
		s.builtinIdx = map[string]deck.Card{}
		for _, d := range s.builtin {
			for _, c := range d.Cards {
				s.builtinIdx[c.ID] = c
			}
		}
	}
	return s.builtinIdx
}

// bulkPrev is one record as it was before a bulk action.
type bulkPrev struct {
	bucket byte // 1 progress, 2 cards, 3 overrides
	key    string
	had    bool
	value  []byte
}

func bulkBucket(n byte) []byte {
	switch n {
	case 1:
		return bProgress
	case 2:
		return bCards
	case 3:
		return bOverrides
	}
	return nil
}

// isBulkUndo tells a bulk action's undo record from a grade's.
func isBulkUndo(v []byte) bool { return len(v) > 0 && v[0] == 0 }

func encodeBulkUndo(seq uint64, label string, prev []bulkPrev) []byte {
	b := []byte{0, 1}
	b = binary.AppendUvarint(b, seq)
	b = binary.AppendUvarint(b, uint64(len(label)))
	b = append(b, label...)
	b = binary.AppendUvarint(b, uint64(len(prev)))
	for _, p := range prev {
		b = append(b, p.bucket)
		b = binary.AppendUvarint(b, uint64(len(p.key)))
		b = append(b, p.key...)
		if p.had {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(p.value)))
		b = append(b, p.value...)
	}
	return b
}

func decodeBulkUndo(v []byte) (seq uint64, label string, prev []bulkPrev, ok bool) {
	r := reader{b: v}
	if r.byte1() != 0 || r.byte1() != 1 {
		return 0, "", nil, false
	}
	seq = r.uvarint()
	bytesOf := func() []byte {
		n := r.uvarint()
		if r.bad || uint64(len(r.b)) < n {
			r.bad = true
			return nil
		}
		out := append([]byte(nil), r.b[:n]...)
		r.b = r.b[n:]
		return out
	}
	label = string(bytesOf())
	n := r.uvarint()
	for i := uint64(0); i < n && !r.bad; i++ {
		var p bulkPrev
		p.bucket = r.byte1()
		p.key = string(bytesOf())
		p.had = r.byte1() == 1
		p.value = bytesOf()
		if bulkBucket(p.bucket) == nil {
			return 0, "", nil, false
		}
		if p.had && p.bucket == 1 {
			if _, ok := decodeProgress(p.value, time.UTC); !ok {
				return 0, "", nil, false
			}
		}
		prev = append(prev, p)
	}
	return seq, label, prev, !r.bad && len(r.b) == 0 && seq != 0
}

// undoBulkTx puts back every record of a bulk action's undo record.
func undoBulkTx(tx *bolt.Tx, raw []byte, seq uint64, out *Undone) error {
	useq, label, prev, ok := decodeBulkUndo(raw)
	if !ok {
		return corrupt("undo record", undoKey(seq))
	}
	if useq != seq {
		return ErrNothingToUndo
	}
	seen := map[string]bool{}
	for i := len(prev) - 1; i >= 0; i-- {
		p := prev[i]
		b := tx.Bucket(bulkBucket(p.bucket))
		b.FillPercent = tableFill
		var err error
		if p.had {
			err = b.Put([]byte(p.key), p.value)
		} else {
			err = b.Delete([]byte(p.key))
		}
		if err != nil {
			return err
		}
		if !seen[p.key] {
			seen[p.key] = true
			out.Cards = append(out.Cards, p.key)
		}
	}
	slices.Reverse(out.Cards)
	out.Label = label
	ub := tx.Bucket(bUndo)
	if err := ub.Delete(undoKey(seq)); err != nil {
		return err
	}
	return ub.SetSequence(seq - 1)
}

func decodeCard(id string, v []byte) (deck.Card, error) {
	var cr cardRecord
	if err := json.Unmarshal(v, &cr); err != nil {
		return deck.Card{}, corrupt("card", []byte(id))
	}
	return recordToCard(id, cr), nil
}

func decodeOverride(id string, v []byte) (Override, error) {
	var r overrideRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return Override{}, corrupt("override", []byte(id))
	}
	return Override(r), nil
}

// SetFlag sets a card's flag (0 clears it; 1-7 are Anki's colours). Like
// SetSuspended, it is not an undo entry: undo reverses grades and bulk
// actions.
func (s *Store) SetFlag(id string, flag int) error {
	if flag < 0 || flag > deck.MaxFlag {
		return fmt.Errorf("flag %d is not 0-%d", flag, deck.MaxFlag)
	}
	return s.modifyProgress(id, func(p *deck.Progress) { p.Flag = flag })
}
