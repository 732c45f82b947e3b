package store

import (
	"bytes"
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// WalkCards reads every card's progress without holding the cards: the
// fast path of the figures that only count (the dashboard, decks, stats).
// It returns the decks in Decks' order, without their cards (Cards nil).
// For each deck i of that list it calls visit(i) once, then the function
// visit returned for every card of the deck in Decks' order (the built-in
// cards, then the custom ones by ID), with the card's progress: nil for a
// card never touched, as AllProgress leaves it out. *p is valid only
// during the call and has no CardID.
//
// Decks are walked on every core at once (the walk is mostly page reads
// of a file of 100 MB), so visit and the functions it returns for
// different decks may run at the same time; one deck's cards are visited
// in order by one goroutine. The walkers' read transactions all see one
// commit: the walk is one consistent read.
//
// Nothing is allocated per card: a deck's custom cards and their progress
// records are both in card-ID order, so they are read side by side (a
// merge), not looked up.
func (s *Store) WalkCards(visit func(deck int) func(p *deck.Progress)) ([]deck.Deck, error) {
	var out []deck.Deck
	err := guard(func() error {
		db, release, err := s.acquire(false)
		if err != nil {
			return err
		}
		defer release()
		first, err := db.Begin(false)
		if err != nil {
			return err
		}
		firstDone := false
		defer func() {
			if !firstDone {
				_ = first.Rollback()
			}
		}()
		w := walk{s: s, builtin: map[string][]deck.Card{}, custom: map[string]bool{}}
		if err := w.readDecks(first); err != nil {
			return err
		}
		out = w.decks
		var next atomic.Int64
		work := func(tx *bolt.Tx) error {
			for i := int(next.Add(1)) - 1; i < len(out); i = int(next.Add(1)) - 1 {
				if err := w.deck(tx, i, visit(i)); err != nil {
					next.Store(int64(len(out))) // the others stop too
					return err
				}
			}
			return nil
		}
		// Helpers walk in read transactions of their own that see the
		// commit first sees. A helper's Begin may wait (for bbolt's mmap
		// lock, when a write of this process waits for first to end to
		// grow the file): first walks on meanwhile and is let go when the
		// decks are done; a helper that gets its transaction only then
		// finds another commit, or nothing left, and stops.
		helpers := runtime.GOMAXPROCS(0) - 1
		errs := make([]error, helpers)
		commit := first.ID()
		var wg sync.WaitGroup
		for k := range helpers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[k] = guard(func() error {
					tx, err := db.Begin(false)
					if err != nil {
						return nil // first walks alone
					}
					defer func() { _ = tx.Rollback() }()
					if tx.ID() != commit {
						return nil
					}
					return work(tx)
				})
			}()
		}
		err = work(first)
		firstDone = true
		_ = first.Rollback()
		wg.Wait()
		if err != nil {
			return err
		}
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.noteDamage(s.wrapPanic(err))
	}
	return out, nil
}

// walk is one WalkCards.
type walk struct {
	s       *Store
	decks   []deck.Deck
	builtin map[string][]deck.Card // the built-in cards by deck ID
	custom  map[string]bool        // deck IDs with a custom deck record
}

// readDecks reads the decks in Decks' order, without cards.
func (w *walk) readDecks(tx *bolt.Tx) error {
	var custom []deck.Deck
	if err := tx.Bucket(bDecks).ForEach(func(k, v []byte) error {
		var dr deckRecord
		if err := json.Unmarshal(v, &dr); err != nil {
			return corrupt("deck", k)
		}
		custom = append(custom, deck.Deck{ID: string(k), Title: dr.Title, Description: dr.Description})
		w.custom[string(k)] = true
		return nil
	}); err != nil {
		return err
	}
	heads := make([]deck.Deck, len(w.s.builtin))
	for i, d := range w.s.builtin {
		heads[i] = d
		heads[i].Cards = nil
		w.builtin[d.ID] = append(w.builtin[d.ID], d.Cards...)
	}
	w.decks = deck.Merge(heads, custom, nil)
	for i := range w.decks {
		w.decks[i].Cards = nil
	}
	return nil
}

// deck walks deck i's cards in tx.
func (w *walk) deck(tx *bolt.Tx, i int, fn func(p *deck.Progress)) error {
	d := w.decks[i]
	pb := tx.Bucket(bProgress)
	var p deck.Progress
	// visit decodes a progress record (nil: none) and hands it on.
	visit := func(k, v []byte) error {
		if v == nil {
			fn(nil)
			return nil
		}
		rec, ok := decodeProgress(v, w.s.loc)
		if !ok {
			return corrupt("progress of", k)
		}
		if rec.placeholder {
			fn(nil)
			return nil
		}
		p = rec.p
		fn(&p)
		return nil
	}
	var key []byte
	for _, c := range w.builtin[d.ID] {
		key = append(key[:0], c.ID...)
		if err := visit(key, pb.Get(key)); err != nil {
			return err
		}
	}
	if !w.custom[d.ID] {
		return nil
	}
	prefix := append([]byte(d.ID), '/')
	cc, pc := tx.Bucket(bCards).Cursor(), pb.Cursor()
	pk, pv := pc.Seek(prefix)
	for ck, _ := cc.Seek(prefix); ck != nil && bytes.HasPrefix(ck, prefix); ck, _ = cc.Next() {
		for pk != nil && bytes.Compare(pk, ck) < 0 {
			pk, pv = pc.Next()
		}
		var v []byte
		if pk != nil && bytes.Equal(pk, ck) {
			v = pv
		}
		if err := visit(ck, v); err != nil {
			return err
		}
	}
	return nil
}
