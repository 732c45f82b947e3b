package store

import (
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
	custom, err := s.customDecks(false)
	if err != nil {
		return nil, err
	}
	return deck.Merge(s.builtin, custom, func(c deck.Card) deck.Card { return c }), nil
}
