package store

import (
	"bytes"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// WalkCards reads every card's progress without holding the cards: the
// fast path of the figures that only count (the dashboard, decks, stats).
// It returns the decks in Decks' order, without their cards (Cards nil),
// and calls fn for every card of the library in Decks' order (each deck's
// built-in cards, then its custom cards by ID), with the index of the
// card's deck in that list and its progress: nil for a card never touched,
// as AllProgress leaves it out. *p is valid only during the call and has
// no CardID.
//
// All of it is one read transaction. Nothing is allocated per card: the
// custom cards' keys and their progress records are both in card-ID
// order, so they are read side by side (a merge), not looked up.
func (s *Store) WalkCards(fn func(deck int, p *deck.Progress)) ([]deck.Deck, error) {
	var out []deck.Deck
	err := s.view(func(tx *bolt.Tx) error {
		var custom []deck.Deck
		if err := tx.Bucket(bDecks).ForEach(func(k, v []byte) error {
			var dr deckRecord
			if err := json.Unmarshal(v, &dr); err != nil {
				return corrupt("deck", k)
			}
			custom = append(custom, deck.Deck{ID: string(k), Title: dr.Title, Description: dr.Description})
			return nil
		}); err != nil {
			return err
		}
		heads := make([]deck.Deck, len(s.builtin))
		for i, d := range s.builtin {
			heads[i] = d
			heads[i].Cards = nil
		}
		out = deck.Merge(heads, custom, nil)
		for i := range out {
			out[i].Cards = nil
		}
		isCustom := make(map[string]bool, len(custom))
		for _, d := range custom {
			isCustom[d.ID] = true
		}
		pb := tx.Bucket(bProgress)
		var p deck.Progress
		// visit decodes a progress record (nil: none) and hands it on.
		visit := func(i int, k, v []byte) error {
			if v == nil {
				fn(i, nil)
				return nil
			}
			rec, ok := decodeProgress(v, s.loc)
			if !ok {
				return corrupt("progress of", k)
			}
			if rec.placeholder {
				fn(i, nil)
				return nil
			}
			p = rec.p
			fn(i, &p)
			return nil
		}
		builtin := make(map[string][]deck.Card, len(s.builtin))
		for _, d := range s.builtin {
			builtin[d.ID] = append(builtin[d.ID], d.Cards...)
		}
		var key []byte
		cc, pc := tx.Bucket(bCards).Cursor(), pb.Cursor()
		for i, d := range out {
			for _, c := range builtin[d.ID] {
				key = append(key[:0], c.ID...)
				if err := visit(i, key, pb.Get(key)); err != nil {
					return err
				}
			}
			if !isCustom[d.ID] {
				continue
			}
			prefix := append([]byte(d.ID), '/')
			pk, pv := pc.Seek(prefix)
			for ck, _ := cc.Seek(prefix); ck != nil && bytes.HasPrefix(ck, prefix); ck, _ = cc.Next() {
				for pk != nil && bytes.Compare(pk, ck) < 0 {
					pk, pv = pc.Next()
				}
				var v []byte
				if pk != nil && bytes.Equal(pk, ck) {
					v = pv
				}
				if err := visit(i, ck, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
