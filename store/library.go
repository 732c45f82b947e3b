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
