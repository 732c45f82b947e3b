package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// ImportCards adds or updates decks and their cards, all or nothing, in one
// transaction. A card with the ID of a built-in card is an edit of it
// (stored as an override when its text differs from what the user sees);
// every other card is a custom card. A deck's cards must carry its ID (or
// leave Deck empty); an empty deck title keeps the stored one. Card IDs must
// be unique across the import. Progress and history are untouched.
func (s *Store) ImportCards(decks []deck.Deck) (ImportResult, error) {
	return s.ImportStream(true, feedAll(decks))
}

// PlanImport is ImportCards' dry run: the same checks and counts, nothing
// written.
func (s *Store) PlanImport(decks []deck.Deck) (ImportResult, error) {
	return s.ImportStream(false, feedAll(decks))
}

// feedAll is an ImportStream feed of decks held in memory.
func feedAll(decks []deck.Deck) func(func(deck.Deck) error) error {
	return func(add func(deck.Deck) error) error {
		for _, d := range decks {
			if err := add(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// ImportStream is ImportCards for imports too large to hold in memory: feed
// calls add with decks as it reads them, each with a batch of its cards (a
// deck may come in many batches; its title and description are taken from
// the first). Everything happens in one transaction, written only when
// write is set and neither add nor feed returned an error: a feed that finds
// a bad row goes on reading to report every problem, then returns an error,
// and nothing is written.
func (s *Store) ImportStream(write bool, feed func(add func(deck.Deck) error) error) (ImportResult, error) {
	im := s.newImporter(write)
	run := func(tx *bolt.Tx) error {
		im.tx = tx
		if err := feed(im.add); err != nil {
			return err
		}
		return im.flush()
	}
	var err error
	if write {
		err = s.update(run)
	} else {
		err = s.view(run)
	}
	if err != nil {
		return ImportResult{}, err
	}
	return im.res, nil
}

func (s *Store) newImporter(write bool) *importer {
	im := &importer{
		write: write, seen: map[string]bool{}, decks: map[string]bool{}, builtin: map[string]deck.Card{},
		builtinDeck: map[string]deck.Deck{},
	}
	for _, d := range s.builtin {
		im.builtinDeck[d.ID] = d
		for _, c := range d.Cards {
			im.builtin[c.ID] = c
		}
	}
	return im
}

type importer struct {
	tx          *bolt.Tx
	write       bool
	res         ImportResult
	seen        map[string]bool // card IDs imported so far
	decks       map[string]bool // deck headers handled: true once its record is written or checked
	builtin     map[string]deck.Card
	builtinDeck map[string]deck.Deck
	headers     map[string]deck.Deck // headers of built-in decks waiting for a first custom card
	cards       []kv                 // custom cards to write, in flush
	guids       map[string]string    // Anki GUID -> stored note ID (deck/slug), read on first use
	renamed     map[string]string    // incoming card ID -> the stored card's ID it was matched to
}

func (im *importer) add(d deck.Deck) error {
	if !deck.ValidID(d.ID) {
		return fmt.Errorf("deck ID %q is not valid", d.ID)
	}
	if _, known := im.decks[d.ID]; !known {
		im.decks[d.ID] = false
		if _, isBuiltin := im.builtinDeck[d.ID]; isBuiltin {
			// A built-in deck needs a record only to hold custom cards.
			if im.headers == nil {
				im.headers = map[string]deck.Deck{}
			}
			im.headers[d.ID] = d
		} else if err := im.header(d); err != nil {
			return err
		}
	}
	for _, c := range d.Cards {
		if err := im.card(d.ID, c); err != nil {
			return err
		}
	}
	return nil
}

// header adds or updates the record of deck d.
func (im *importer) header(d deck.Deck) error {
	im.decks[d.ID] = true
	db := im.tx.Bucket(bDecks)
	want := deckRecord{Title: d.Title, Description: d.Description}
	raw := db.Get([]byte(d.ID))
	if raw == nil {
		if want.Title == "" {
			want.Title = d.ID
		}
		im.res.DecksAdded++
	} else {
		var have deckRecord
		if err := json.Unmarshal(raw, &have); err != nil {
			return corrupt("deck", []byte(d.ID))
		}
		if want.Title == "" {
			want.Title = have.Title
		}
		if want == have {
			return nil
		}
		im.res.DecksUpdated++
	}
	if !im.write {
		return nil
	}
	return putJSON(db, d.ID, want)
}

func (im *importer) card(deckID string, c deck.Card) error {
	if c.Deck == "" {
		c.Deck = deckID
	}
	if c.Deck != deckID {
		return fmt.Errorf("card %s belongs to deck %q, not %q", c.ID, c.Deck, deckID)
	}
	c, err := normalizeCard(c)
	if err != nil {
		return err
	}
	if im.seen[c.ID] {
		return fmt.Errorf("card %s appears twice in the import", c.ID)
	}
	im.seen[c.ID] = true
	if base, ok := im.builtin[c.ID]; ok {
		return im.edit(base, c)
	}
	orig := c.ID
	if c, err = im.guidMatch(c); err != nil { // a card edited in Anki keeps its ID
		return err
	}
	c = im.legacyMatch(c) // a card imported before 64-bit IDs keeps its ID
	im.seen[c.ID] = true
	if c.ID != orig {
		if im.renamed == nil {
			im.renamed = map[string]string{}
		}
		im.renamed[orig] = c.ID
	}
	if !im.decks[deckID] {
		if err := im.header(im.headers[deckID]); err != nil {
			return err
		}
	}
	cb := im.tx.Bucket(bCards)
	rec := cardToRecord(c)
	if raw := cb.Get([]byte(c.ID)); raw == nil {
		im.res.Added++
	} else {
		var have cardRecord
		if err := json.Unmarshal(raw, &have); err != nil {
			return corrupt("card", []byte(c.ID))
		}
		if rec.Added == nil { // files do not carry it: the card keeps its added time
			rec.Added = have.Added
		}
		if c.NoMeta && rec.Source == "" && rec.AsOf == "" {
			rec.Source, rec.AsOf = have.Source, have.AsOf
		}
		if reflect.DeepEqual(have, rec) {
			im.res.Unchanged++
			return nil
		}
		im.res.Updated++
	}
	if !im.write {
		return nil
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	im.cards = append(im.cards, kv{c.ID, data})
	return nil
}

// kv is a card record waiting to be written.
type kv struct {
	key   string
	value []byte
}

// flush writes the custom cards in key order. bbolt splits nodes only at
// commit, so keys put in random order into one transaction make every put
// shift a growing node (quadratic: 200,000 cards took 33 s); in key order
// each put appends. The values are held until then either way: bbolt keeps
// them in memory until the commit.
func (im *importer) flush() error {
	if len(im.cards) == 0 {
		return nil
	}
	slices.SortFunc(im.cards, func(a, b kv) int { return strings.Compare(a.key, b.key) })
	cb := im.tx.Bucket(bCards)
	cb.FillPercent = tableFill
	for _, e := range im.cards {
		if err := cb.Put([]byte(e.key), e.value); err != nil {
			return err
		}
	}
	im.cards = nil
	return nil
}

// edit imports c over the built-in card base: unchanged when it reads as
// the user sees the card now, else stored as an override (or the override
// dropped when c is the built-in text again).
func (im *importer) edit(base, c deck.Card) error {
	ob := im.tx.Bucket(bOverrides)
	cur := base
	if raw := ob.Get([]byte(c.ID)); raw != nil {
		var o overrideRecord
		if err := json.Unmarshal(raw, &o); err != nil {
			return corrupt("override", []byte(c.ID))
		}
		cur = Override(o).Apply(base)
	}
	same := func(a, b deck.Card) bool {
		return a.Front == b.Front && a.Back == b.Back && slices.Equal(a.Tags, b.Tags)
	}
	if same(c, cur) {
		im.res.Unchanged++
		return nil
	}
	im.res.Updated++
	if !im.write {
		return nil
	}
	if same(c, base) {
		return ob.Delete([]byte(c.ID))
	}
	return putJSON(ob, c.ID, overrideRecord{Front: c.Front, Back: c.Back, Tags: c.Tags})
}

// guidMatch gives c the ID of the stored card imported with the same Anki
// GUID in the same deck, so an edited question updates that card (and its
// history stays) instead of adding another.
func (im *importer) guidMatch(c deck.Card) (deck.Card, error) {
	if c.GUID == "" {
		return c, nil
	}
	if im.guids == nil {
		im.guids = map[string]string{}
		err := im.tx.Bucket(bCards).ForEach(func(k, v []byte) error {
			if !bytes.Contains(v, []byte(`"guid"`)) {
				return nil
			}
			var r cardRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return corrupt("card", k)
			}
			if r.GUID != "" {
				nc := recordToCard(string(k), r)
				im.guids[r.GUID] = nc.Deck + "/" + nc.Slug
			}
			return nil
		})
		if err != nil {
			return c, err
		}
	}
	note, ok := im.guids[c.GUID]
	d, slug, _ := strings.Cut(note, "/")
	if !ok || d != c.Deck || slug == c.Slug {
		return c, nil
	}
	c.Slug = slug
	if c.Kind == deck.Cloze {
		c.ID = deck.ClozeID(d, slug, c.Index)
	} else {
		c.ID = deck.CardID(d, slug)
	}
	if im.seen[c.ID] {
		return c, fmt.Errorf("card %s appears twice in the import (GUID %q)", c.ID, c.GUID)
	}
	im.seen[c.ID] = true
	return c, nil
}
