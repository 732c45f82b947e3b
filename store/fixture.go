package store

import (
	"fmt"
	"math/rand/v2"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Fixture describes a large database built for benchmarks and for the
// tests that check the fast read paths against a full recomputation
// (BuildFixture). Not for users' files.
type Fixture struct {
	Cards   int // custom cards, imported (ImportCards) into FixtureDecks
	Reviews int // reviews made by the real grading code
	// Last is the time of the last review (set by BuildFixture).
	Last time.Time
}

// FixtureDecks are the custom decks a fixture's cards are imported into.
var FixtureDecks = []string{"imported-architecture", "imported-infrastructure", "imported-integration",
	"imported-devops", "imported-kubernetes", "imported-mlops", "imported-migration"}

// FixtureCardID is the ID of the fixture's card i.
func FixtureCardID(i int) string {
	return fmt.Sprintf("%s/topic-%06d-explained", FixtureDecks[i%len(FixtureDecks)], i)
}

// BuildFixture makes a new database at path (Location UTC) holding
// f.Cards custom cards imported as a user would import them, and f.Reviews
// reviews of them, one every 90 seconds from 2023-05-01 (about 960 a day),
// made by the real grading code (scheduler, progress, log and undo ring)
// with NoSync on. One review in ten introduces a new card until all are
// studied. It returns f with Last set.
func BuildFixture(path string, builtin []deck.Deck, f Fixture) (Fixture, error) {
	s, err := Open(path, &Options{Location: time.UTC, Builtin: builtin})
	if err != nil {
		return f, err
	}
	defer s.Close()
	s.noSync = true
	decks := make([]deck.Deck, len(FixtureDecks))
	for i, id := range FixtureDecks {
		decks[i] = deck.Deck{ID: id, Title: fmt.Sprintf("Imported %d", i+1)}
	}
	for i := 0; i < f.Cards; i++ {
		id := FixtureCardID(i)
		d := &decks[i%len(decks)]
		d.Cards = append(d.Cards, deck.Card{ID: id, Deck: d.ID, Slug: id[len(d.ID)+1:],
			Front: fmt.Sprintf("Topic %d: what does it do, and when would you choose it over the alternatives?", i),
			Back: fmt.Sprintf("Topic %d is explained here in a paragraph of about the length of a real answer: "+
				"what it is, the trade-off it makes, a typical failure mode and how you would notice it in production.", i),
			Tags: []string{"imported", fmt.Sprintf("group-%d", i%50)}})
	}
	if _, err := s.ImportCards(decks); err != nil {
		return f, err
	}
	st, err := s.Settings()
	if err != nil {
		return f, err
	}
	sch, err := s.schedulerFor(st)
	if err != nil {
		return f, err
	}
	const step = 90 * time.Second
	rng := rand.New(rand.NewPCG(42, 42))
	now := time.Date(2023, 5, 1, 8, 0, 0, 0, time.UTC)
	introduced := 0
	for done := 0; done < f.Reviews; {
		// Big batches first, then small ones, whose growth reuses the free
		// pages the big commits left (as a real file's small commits would).
		batch := 50_000
		if done >= f.Reviews*7/10 {
			batch = 200
		}
		err := s.update(func(tx *bolt.Tx) error {
			for n := 0; n < batch && done < f.Reviews; n++ {
				var i int
				if f.Cards > 0 && introduced < f.Cards && (introduced == 0 || rng.IntN(10) == 0) {
					i = introduced
					introduced++
				} else if introduced > 0 {
					i = rng.IntN(introduced)
				} else {
					return fmt.Errorf("fixture: reviews without cards")
				}
				r := fsrs.Good
				switch x := rng.IntN(100); {
				case x < 10:
					r = fsrs.Again
				case x < 18:
					r = fsrs.Hard
				case x > 92:
					r = fsrs.Easy
				}
				took := time.Duration(2000+rng.IntN(30000)) * time.Millisecond
				if _, err := gradeTx(tx, s.loc, st, sch, FixtureCardID(i), r, now, took); err != nil {
					return err
				}
				f.Last = now
				now = now.Add(step)
				done++
			}
			return nil
		})
		if err != nil {
			return f, err
		}
	}
	db, release, err := s.acquire(true)
	if err != nil {
		return f, err
	}
	defer release()
	return f, db.Sync()
}
