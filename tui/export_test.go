package tui

import "opsdeck/deck"

// For the external tests (contract_test.go): the fake and its decks.

// NewFakeRepo is the in-memory Repo the screen tests use.
func NewFakeRepo(decks ...deck.Deck) Repo { return newFake(decks...) }

// FixtureDecks are the fake's usual decks: two built-in, one custom.
func FixtureDecks() []deck.Deck { return testDecks() }
