package tui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/stats"
	"opsdeck/study"
)

// fakeBulk is a bulk action's undo entry in the fake: every card's
// progress and text before it.
type fakeBulk struct {
	label string
	ids   []string
	prog  map[string]deck.Progress // absent: the card had none
	had   map[string]bool
	cards map[string]deck.Card
}

// Apply does what study.Service.Apply does, on the fake.
func (f *fakeRepo) Apply(ids []string, a study.Action, now time.Time) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Apply"); err != nil {
		return 0, err
	}
	if err := a.Check(); err != nil {
		return 0, err
	}
	fn := study.ActionFunc(a, f.sched(), now, rand.New(rand.NewPCG(1, 2)))
	b := &fakeBulk{label: a.Label(), prog: map[string]deck.Progress{}, had: map[string]bool{}, cards: map[string]deck.Card{}}
	prog := map[string]deck.Progress{}
	cards := map[string]deck.Card{}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] { // as the store: each card once
			continue
		}
		seen[id] = true
		i, j := f.find(id)
		if i < 0 {
			return 0, fmt.Errorf("card %s: %w", id, deck.ErrNotFound)
		}
		c := f.decks[i].Cards[j]
		c.Tags = slices.Clone(c.Tags)
		p, had := f.prog[id]
		if !had {
			p = deck.Progress{CardID: id}
		}
		np, nc := p, c
		if err := fn(&nc, &np); err != nil {
			return 0, err
		}
		if np != p || !slices.Equal(nc.Tags, c.Tags) {
			b.ids = append(b.ids, id)
			b.prog[id], b.had[id], b.cards[id] = p, had, f.decks[i].Cards[j]
			prog[id], cards[id] = np, nc
		}
	}
	for id, p := range prog {
		f.prog[id] = p
		i, j := f.find(id)
		f.decks[i].Cards[j] = cards[id]
	}
	if len(b.ids) > 0 { // one undo entry, as the store's generic record
		f.undo = append(f.undo, fakeUndo{kind: b.label, bulk: b})
		if len(f.undo) > deck.UndoDepth {
			f.undo = f.undo[1:]
		}
	}
	return len(b.ids), nil
}

func (f *fakeRepo) undoBulk(b *fakeBulk) {
	for _, id := range b.ids {
		if b.had[id] {
			f.prog[id] = b.prog[id]
		} else {
			delete(f.prog, id)
		}
		if i, j := f.find(id); i >= 0 {
			f.decks[i].Cards[j] = b.cards[id]
		}
	}
}

func (f *fakeRepo) SetFlag(id string, flag int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("SetFlag"); err != nil {
		return err
	}
	if flag < 0 || flag > deck.MaxFlag {
		return fmt.Errorf("flag %d is not 0-%d", flag, deck.MaxFlag)
	}
	if i, _ := f.find(id); i < 0 {
		return fmt.Errorf("card %s: %w", id, deck.ErrNotFound)
	}
	// As the store: no undo entry (the flag key again puts it back).
	p, ok := f.prog[id]
	if !ok {
		p = deck.Progress{CardID: id}
	}
	p.Flag = flag
	f.prog[id] = p
	return nil
}

func (f *fakeRepo) Info(id string, now time.Time) (stats.CardInfo, error) {
	lib, err := f.Load(now)
	if err != nil {
		return stats.CardInfo{}, err
	}
	return lib.Info(id, now)
}
