package store

import (
	"encoding/json"

	"opsdeck/deck"
)

// legacyMatch keeps the IDs of cards imported before card IDs used a
// 64-bit hash (issue 11). When custom card c is not stored under its ID,
// its slug is the one deck.SlugFor derives from its question (an imported
// or added card, not a deck file's own slug), and a card is stored under
// deck.LegacyID(c) with the same question, c is that card: it returns c
// moved to the legacy ID, so a re-import of an old file updates its cards
// instead of adding them twice. The question must match because the old
// 32-bit hash can stand for two questions.
func (im *importer) legacyMatch(c deck.Card) deck.Card {
	cb := im.tx.Bucket(bCards)
	if cb.Get([]byte(c.ID)) != nil {
		return c
	}
	q := c.Front
	if c.Kind == deck.Cloze {
		q = c.Text
	}
	if c.Slug != deck.SlugFor(q) {
		return c
	}
	old := deck.LegacyID(c)
	raw := cb.Get([]byte(old))
	if raw == nil || im.seen[old] {
		return c
	}
	var have cardRecord
	if json.Unmarshal(raw, &have) != nil || have.Kind != c.Kind {
		return c
	}
	hq := have.Front
	if have.Kind == deck.Cloze {
		hq = have.Text
	}
	if deck.NormalizeText(hq) != deck.NormalizeText(q) {
		return c
	}
	c.ID, c.Slug = old, deck.LegacySlugFor(q)
	return c
}
