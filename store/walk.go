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
		txs, err := snapshotTxs(db, runtime.GOMAXPROCS(0))
		if err != nil {
			return err
		}
		defer func() {
			for _, tx := range txs {
				_ = tx.Rollback()
			}
		}()
		var custom []deck.Deck
		if err := txs[0].Bucket(bDecks).ForEach(func(k, v []byte) error {
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
		w := walk{s: s, decks: out, builtin: map[string][]deck.Card{}, custom: map[string]bool{}}
		for _, d := range s.builtin {
			w.builtin[d.ID] = append(w.builtin[d.ID], d.Cards...)
		}
		for _, d := range custom {
			w.custom[d.ID] = true
		}
		var next atomic.Int64
		errs := make([]error, len(txs))
		var wg sync.WaitGroup
		for k, tx := range txs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[k] = guard(func() error {
					for i := int(next.Add(1)) - 1; i < len(out); i = int(next.Add(1)) - 1 {
						if err := w.deck(tx, i, visit(i)); err != nil {
							next.Store(int64(len(out))) // the others stop too
							return err
						}
					}
					return nil
				})
			}()
		}
		wg.Wait()
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

// snapshotTxs begins up to n read transactions on db that see the same
// commit (one, should a write commit between two of them).
func snapshotTxs(db *bolt.DB, n int) ([]*bolt.Tx, error) {
	first, err := db.Begin(false)
	if err != nil {
		return nil, err
	}
	txs := []*bolt.Tx{first}
	for len(txs) < n {
		tx, err := db.Begin(false)
		if err != nil {
			break
		}
		if tx.ID() != first.ID() {
			_ = tx.Rollback()
			break
		}
		txs = append(txs, tx)
	}
	return txs, nil
}

// walk is one WalkCards.
type walk struct {
	s       *Store
	decks   []deck.Deck
	builtin map[string][]deck.Card // the built-in cards by deck ID
	custom  map[string]bool        // deck IDs with a custom deck record
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
