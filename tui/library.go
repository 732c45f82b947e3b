package tui

import (
	"fmt"
	"sort"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
)

// library is one consistent read of everything the screens show: the
// decks, every card's progress, the settings and scheduler, the review log
// and the statistics computed from them at now. It is built off the UI
// goroutine (loadLibrary runs inside a tea.Cmd) and never changed after:
// screens that change data ask the root to load a new one.
type library struct {
	now      time.Time
	decks    []deck.Deck
	progress map[string]deck.Progress
	settings deck.Settings
	sched    *fsrs.Scheduler
	reviews  []deck.Review // the whole log, oldest first
	stats    *stats.Result
	cards    int // number of cards in all decks
}

// loadLibrary reads the repo and computes the statistics at now.
func loadLibrary(repo Repo, now time.Time) (*library, error) {
	decks, err := repo.Decks()
	if err != nil {
		return nil, fmt.Errorf("reading the decks: %w", err)
	}
	prog, err := repo.AllProgress()
	if err != nil {
		return nil, fmt.Errorf("reading progress: %w", err)
	}
	st, err := repo.Settings()
	if err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	sch, err := repo.Scheduler()
	if err != nil {
		return nil, fmt.Errorf("building the scheduler: %w", err)
	}
	revs, err := repo.Reviews(time.Time{}, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("reading the review log: %w", err)
	}
	lib := &library{now: now, decks: decks, progress: prog, settings: st, sched: sch, reviews: revs}
	infos := make([]stats.DeckInfo, len(decks))
	for i, d := range decks {
		infos[i] = stats.DeckInfoOf(d)
		lib.cards += len(d.Cards)
	}
	res, err := stats.Compute(stats.Input{
		Now: now, Sched: sch, Decks: infos, Progress: prog, Reviews: revs,
		NewPerDay: st.NewPerDay, ReviewsPerDay: st.ReviewsPerDay,
	})
	if err != nil {
		return nil, fmt.Errorf("computing statistics: %w", err)
	}
	lib.stats = res
	return lib, nil
}

// deckIndex returns the index of the deck with the ID, or -1.
func (l *library) deckIndex(id string) int {
	for i, d := range l.decks {
		if d.ID == id {
			return i
		}
	}
	return -1
}

// deckTitle is the deck's title, or its ID.
func (l *library) deckTitle(id string) string {
	if i := l.deckIndex(id); i >= 0 && l.decks[i].Title != "" {
		return l.decks[i].Title
	}
	return id
}

// dayEnd is the start of the scheduling day after the one holding t.
func dayEnd(s *fsrs.Scheduler, t time.Time) time.Time {
	// A day lasts 23 to 25 hours, so 36 hours after its start lies in the next.
	return s.DayStart(s.DayStart(t).Add(36 * time.Hour))
}

// todayReviews returns the reviews since the day start of now, of the deck
// only ("" for all decks).
func (l *library) todayReviews(now time.Time, deckID string) []deck.Review {
	start := l.sched.DayStart(now)
	i := sort.Search(len(l.reviews), func(i int) bool { return !l.reviews[i].At.Before(start) })
	today := l.reviews[i:]
	if deckID == "" {
		return today
	}
	var out []deck.Review
	for _, r := range today {
		if deckOfCard(r.CardID) == deckID {
			out = append(out, r)
		}
	}
	return out
}

// deckOfCard is the deck part of a card ID "<deck-id>/<slug>".
func deckOfCard(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			return id[:i]
		}
	}
	return id
}

// session is what a study session starts from.
type session struct {
	deckID string // "" for everything due
	title  string
	queue  *deck.Queue
}

// newSession builds the queue of a study session at now: the deck's cards
// (all decks when deckID is ""), in Anki's order, within what today's
// limits leave (the deck's own limits for one deck, the whole collection's
// for everything: as Anki applies a preset to each deck).
func (l *library) newSession(deckID string, now time.Time) session {
	var cards []deck.Card
	order := make([]string, len(l.decks))
	for i, d := range l.decks {
		order[i] = d.ID
		if deckID == "" || d.ID == deckID {
			cards = append(cards, d.Cards...)
		}
	}
	newDone, revDone := deck.TodayDone(l.todayReviews(now, deckID))
	q := deck.BuildQueue(cards, l.progress, deck.QueueOptions{
		Now:         now,
		DayEnd:      dayEnd(l.sched, now),
		NewLimit:    max(0, l.settings.NewPerDay-newDone),
		ReviewLimit: max(0, l.settings.ReviewsPerDay-revDone),
		DeckOrder:   order,
	})
	title := "Everything due"
	if deckID != "" {
		title = l.deckTitle(deckID)
	}
	return session{deckID: deckID, title: title, queue: q}
}

// nextDue is the earliest due time after now of a studied card that is
// not suspended (a buried card counts from when it comes back), with the
// progress changed in this session (changed) taking precedence, and the
// number of cards due before the end of the day after now's.
func (l *library) nextDue(now time.Time, changed map[string]deck.Progress) (next time.Time, tomorrow int) {
	end := dayEnd(l.sched, dayEnd(l.sched, now))
	visit := func(p deck.Progress) {
		if p.Suspended || p.Sched.State == fsrs.New {
			return
		}
		due := p.Sched.Due
		if p.BuriedUntil.After(due) {
			due = p.BuriedUntil
		}
		if !due.After(now) {
			due = now
		}
		if next.IsZero() || due.Before(next) {
			next = due
		}
		if due.Before(end) {
			tomorrow++
		}
	}
	for id, p := range l.progress {
		if _, ok := changed[id]; ok {
			continue
		}
		visit(p)
	}
	for _, p := range changed {
		visit(p)
	}
	return next, tomorrow
}
