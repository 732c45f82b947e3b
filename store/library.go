package store

import (
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// Decks is the library the user studies: the built-in decks (Options.Builtin)
// with the user's edits applied, then the custom decks. Custom cards of a
// deck with a built-in ID join that deck.
func (s *Store) Decks() ([]deck.Deck, error) {
	custom, err := s.CustomDecks()
	if err != nil {
		return nil, err
	}
	ov, err := s.Overrides()
	if err != nil {
		return nil, err
	}
	return deck.Merge(s.builtin, custom, func(c deck.Card) deck.Card {
		if o, ok := ov[c.ID]; ok {
			return o.Apply(c)
		}
		return c
	}), nil
}

// builtinCards indexes the built-in cards by ID.
func (s *Store) builtinCards() map[string]deck.Card {
	m := map[string]deck.Card{}
	for _, d := range s.builtin {
		for _, c := range d.Cards {
			m[c.ID] = c
		}
	}
	return m
}

// importAll imports decks in tx: cards with the ID of a built-in card are
// edits of it (stored as overrides when their text differs from what the
// user sees now), every other card goes to importTx as a custom card.
func (s *Store) importAll(tx *bolt.Tx, decks []deck.Deck, write bool) (ImportResult, error) {
	builtin := s.builtinCards()
	isBuiltinDeck := map[string]bool{}
	for _, d := range s.builtin {
		isBuiltinDeck[d.ID] = true
	}
	var custom []deck.Deck
	var edits []deck.Card
	for _, d := range decks {
		cd := d
		cd.Cards = nil
		for _, c := range d.Cards {
			if _, ok := builtin[c.ID]; ok {
				edits = append(edits, c)
			} else {
				cd.Cards = append(cd.Cards, c)
			}
		}
		if isBuiltinDeck[d.ID] && len(cd.Cards) == 0 {
			continue // only built-in cards: no custom deck record
		}
		custom = append(custom, cd)
	}
	res, err := importTx(tx, custom, write)
	if err != nil {
		return res, err
	}
	ob := tx.Bucket(bOverrides)
	seen := map[string]bool{}
	for _, c := range edits {
		if seen[c.ID] {
			return res, fmt.Errorf("card %s appears twice in the import", c.ID)
		}
		seen[c.ID] = true
		base := builtin[c.ID]
		cur := base
		if raw := ob.Get([]byte(c.ID)); raw != nil {
			var o overrideRecord
			if err := json.Unmarshal(raw, &o); err != nil {
				return res, corrupt("override", []byte(c.ID))
			}
			cur = Override(o).Apply(base)
		}
		if c.Front == cur.Front && c.Back == cur.Back && slices.Equal(c.Tags, cur.Tags) {
			res.Unchanged++
			continue
		}
		res.Updated++
		if !write {
			continue
		}
		if c.Front == base.Front && c.Back == base.Back && slices.Equal(c.Tags, base.Tags) {
			if err := ob.Delete([]byte(c.ID)); err != nil {
				return res, err
			}
			continue
		}
		if err := putJSON(ob, c.ID, overrideRecord{Front: c.Front, Back: c.Back, Tags: c.Tags}); err != nil {
			return res, err
		}
	}
	return res, nil
}
