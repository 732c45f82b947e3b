package plan

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
	"opsdeck/study"
)

// Item is a card of a cram or mock session with its predicted recall on
// the interview day (now, without a date).
type Item struct {
	Card     deck.Card
	Progress deck.Progress
	Recall   float64
	Budget   time.Duration // mock only: the time an answer should take
}

// target is the moment recall is predicted for: the interview, or now.
func target(lib *study.Library) time.Time {
	if lib.Interview != "" && daysLeft(lib.Interview, lib.Sched, lib.Now) > 0 {
		return When(lib.Interview, lib.Sched)
	}
	return lib.Now
}

// Cram is the cram session's cards: the studied, unsuspended cards of
// deckID ("" for every area) with the lowest predicted recall on the
// interview day (now without a date) first; at most limit (0: all). New
// cards are the plan's to introduce, so they are left out.
func Cram(lib *study.Library, deckID string, limit int) ([]Item, error) {
	return CramQuery(lib, deckID, "", limit)
}

// CramQuery is Cram over the cards that match an Anki-style search query
// too (the search language of deck/search.go; "" matches every card).
func CramQuery(lib *study.Library, deckID, query string, limit int) ([]Item, error) {
	if deckID != "" && lib.DeckIndex(deckID) < 0 {
		return nil, fmt.Errorf("no deck %q", deckID)
	}
	var match map[string]bool
	if query != "" {
		hits, err := lib.Search(query, "", lib.Now)
		if err != nil {
			return nil, err
		}
		match = make(map[string]bool, len(hits))
		for _, h := range hits {
			match[h.Card.ID] = true
		}
	}
	at := target(lib)
	var out []Item
	for _, d := range lib.Decks {
		if deckID != "" && d.ID != deckID {
			continue
		}
		for _, c := range d.Cards {
			p, ok := lib.Progress[c.ID]
			if !ok || p.Suspended || p.Sched.State == fsrs.New || p.Sched.LastReview.IsZero() {
				continue
			}
			if match != nil && !match[c.ID] {
				continue
			}
			out = append(out, Item{Card: c, Progress: p, Recall: recall(lib, c.ID, at)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Recall < out[j].Recall })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Mock budgets: how long an answer should take in an interview.
const (
	ScenarioBudget = 90 * time.Second
	FactBudget     = 30 * time.Second
	// ScenarioTag marks a scenario card in the decks.
	ScenarioTag = "scenario"
)

// Budget is a card's answer budget: a scenario gets ScenarioBudget.
func Budget(c deck.Card) time.Duration {
	if slices.Contains(c.Tags, ScenarioTag) {
		return ScenarioBudget
	}
	return FactBudget
}

// Mock draws a mock interview of minutes minutes across the areas: each
// area's weight is 1.5 less its readiness (recall now over all its cards),
// so weak areas get more of the time; within an area scenario cards come
// first, then studied cards by predicted recall (lowest first), then
// unseen ones. Cards are picked until their budgets fill the minutes; the
// areas take turns by time given over weight, so they are interleaved.
func Mock(lib *study.Library, minutes int) []Item {
	at := target(lib)
	type pool struct {
		items  []Item
		weight float64
		used   time.Duration
	}
	var pools []*pool
	for _, d := range lib.Decks {
		if len(d.Cards) == 0 {
			continue
		}
		pl := &pool{}
		sum := 0.0
		for _, c := range d.Cards {
			p, ok := lib.Progress[c.ID]
			if ok && p.Suspended {
				continue
			}
			r := recall(lib, c.ID, lib.Now)
			sum += r
			it := Item{Card: c, Progress: p, Recall: recall(lib, c.ID, at), Budget: Budget(c)}
			if !ok {
				it.Progress = deck.Progress{CardID: c.ID}
			}
			pl.items = append(pl.items, it)
		}
		if len(pl.items) == 0 {
			continue
		}
		pl.weight = 1.5 - sum/float64(len(d.Cards))
		rank := func(it Item) int {
			switch {
			case it.Budget == ScenarioBudget:
				return 0
			case it.Progress.Sched.State != fsrs.New:
				return 1
			}
			return 2
		}
		sort.SliceStable(pl.items, func(i, j int) bool {
			a, b := pl.items[i], pl.items[j]
			if ra, rb := rank(a), rank(b); ra != rb {
				return ra < rb
			}
			return a.Recall < b.Recall
		})
		pools = append(pools, pl)
	}
	total := time.Duration(minutes) * time.Minute
	var out []Item
	var used time.Duration
	for used < total {
		var best *pool
		for _, pl := range pools {
			if len(pl.items) == 0 {
				continue
			}
			if best == nil || float64(pl.used)/pl.weight < float64(best.used)/best.weight {
				best = pl
			}
		}
		if best == nil {
			break
		}
		it := best.items[0]
		best.items = best.items[1:]
		best.used += it.Budget
		used += it.Budget
		out = append(out, it)
	}
	return out
}

// MockAnswer is one graded answer of a mock interview.
type MockAnswer struct {
	Item   Item
	Rating fsrs.Rating
	Took   time.Duration
}

// Scorecard sums a mock interview's answers per area, in deck order.
func Scorecard(lib *study.Library, start time.Time, minutes int, answers []MockAnswer) store.MockRecord {
	m := store.MockRecord{Start: start, Minutes: minutes}
	idx := map[string]int{}
	for _, d := range lib.Decks {
		for _, a := range answers {
			if a.Item.Card.Deck == d.ID {
				idx[d.ID] = len(m.Areas)
				m.Areas = append(m.Areas, store.MockArea{ID: d.ID})
				break
			}
		}
	}
	for _, a := range answers {
		i, ok := idx[a.Item.Card.Deck]
		if !ok {
			continue
		}
		ar := &m.Areas[i]
		ar.Answered++
		if a.Rating != fsrs.Again {
			ar.Passed++
		}
		if a.Took > a.Item.Budget {
			ar.OverBudget++
		}
	}
	return m
}
