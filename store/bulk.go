package store

import (
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// BulkFunc changes one card of a bulk action: it gets the card's text and
// progress as stored (a new card's progress for one never touched) and
// changes them in place. Only the progress and the tags are written back.
type BulkFunc func(c *deck.Card, p *deck.Progress) error

// Bulk applies fn to every card of ids in one transaction, undoable as one
// action named action (a generic undo record, as every other action's:
// UndoLast reverses the whole action at once and reports the cards that
// changed). It returns the number of cards that changed; when none did,
// nothing is written. Any error (an unknown card, fn's) leaves the file
// unchanged.
func (s *Store) Bulk(action string, ids []string, fn BulkFunc) (int, error) {
	if action == "" {
		return 0, fmt.Errorf("a bulk action needs a name")
	}
	for _, id := range ids {
		if err := checkCardID(id); err != nil {
			return 0, err
		}
	}
	builtin := s.builtinCards()
	var changed int
	err := s.update(func(tx *bolt.Tx) error {
		changed = 0
		ul := newUndoLog(tx)
		var touched []string
		seen := make(map[string]bool, len(ids))
		cb, ob := tx.Bucket(bCards), tx.Bucket(bOverrides)
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			// The card's text: a custom card, or a built-in one with its edits.
			var c deck.Card
			if custom := cb.Get([]byte(id)); custom != nil {
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
			oldEnc := encodeProgress(rec)
			if err := fn(&c, &rec.p); err != nil {
				return fmt.Errorf("card %s: %w", id, err)
			}
			if rec.p.Flag < 0 || rec.p.Flag > deck.MaxFlag {
				return fmt.Errorf("card %s: flag %d is not 0-%d", id, rec.p.Flag, deck.MaxFlag)
			}
			did := false
			if string(encodeProgress(rec)) != string(oldEnc) {
				ul.save(bProgress, id)
				if err := putProgress(tx, &rec); err != nil {
					return err
				}
				did = true
			}
			if !slices.Equal(oldTags, c.Tags) {
				if len(c.Tags) == 0 {
					c.Tags = nil
				}
				// As an edit: a custom card rewritten (its added time
				// kept), a built-in one's override (a cloze note's text
				// kept).
				if err := editTx(tx, ul, c); err != nil {
					return err
				}
				did = true
			}
			if did {
				changed++
				touched = append(touched, id)
			}
		}
		if len(touched) == 0 {
			return nil
		}
		return ul.push(action, touched...)
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

func decodeCard(id string, v []byte) (deck.Card, error) {
	cr, err := decodeCardRecord(v)
	if err != nil {
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
// SetLeech, it writes no undo record: pressing the flag's key again puts it
// back, and undo keeps reversing the review's grades. A flag set on many
// cards at once (Bulk) is undoable.
func (s *Store) SetFlag(id string, flag int) error {
	if flag < 0 || flag > deck.MaxFlag {
		return fmt.Errorf("flag %d is not 0-%d", flag, deck.MaxFlag)
	}
	return s.modifyProgress(id, "", func(p *deck.Progress) { p.Flag = flag })
}
