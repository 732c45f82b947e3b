package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"opsdeck/deck"
)

// WalkCards while this process writes cards that grow the file (a write
// that grows it takes bbolt's mmap lock, which waits for every read
// transaction to end): the walks and the writes all finish, and each walk
// counts a whole commit, never part of one.
func TestWalkCardsWhileWritesGrowTheFile(t *testing.T) {
	s := openAt(t, dbPath(t))
	body := strings.Repeat("a long answer that makes the pages grow ", 60)
	const batches, per = 40, 25
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := 0; b < batches; b++ {
			cs := make([]deck.Card, per)
			for i := range cs {
				cs[i] = deck.Card{ID: fmt.Sprintf("grow/c%03d-%02d", b, i), Deck: "grow", Front: fmt.Sprintf("question %d %d", b, i), Back: body}
			}
			if err := s.AddCards(cs); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	walks := 0
	for done := false; !done; walks++ {
		n := 0
		var mu sync.Mutex
		decks, err := s.WalkCards(func(int) func(*deck.Progress) {
			return func(*deck.Progress) { mu.Lock(); n++; mu.Unlock() }
		})
		if err != nil {
			t.Fatal(err)
		}
		custom := n - len(knownIDs)
		if custom%per != 0 {
			t.Fatalf("walk %d counted %d custom cards: part of a commit of %d", walks, custom, per)
		}
		done = custom == batches*per
		if len(decks) == 0 {
			t.Fatal("no decks")
		}
	}
	wg.Wait()
	t.Logf("%d walks", walks)
}
