package store

import (
	"bytes"
	"encoding/json"

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

// DeckOutlines is Decks without the custom cards' text: every deck with
// its cards in Decks' order, a custom card carrying only its ID and Deck
// (built-in cards come whole: they are in memory anyway). For figures
// that count cards (decks, stats), which need no card text: reading keys
// only skips decoding 100,000 records.
func (s *Store) DeckOutlines() ([]deck.Deck, error) {
	var custom []deck.Deck
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
			for ck, _ := cc.Seek(prefix); ck != nil && bytes.HasPrefix(ck, prefix); ck, _ = cc.Next() {
				d.Cards = append(d.Cards, deck.Card{ID: string(ck), Deck: d.ID})
			}
			custom = append(custom, d)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return deck.Merge(s.builtin, custom, func(c deck.Card) deck.Card { return c }), nil
}
