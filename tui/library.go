package tui

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
)

// library is one consistent read of everything the screens show: the
// decks, every card's progress, the settings and scheduler, the review log,
// and the dashboard's figures computed from them at now. It is built off the
// UI goroutine (loadLibrary runs inside a tea.Cmd) and never changed after,
// except that the root fills in stats when computeStats's result arrives:
// screens that change data ask the root to load a new one.
type library struct {
	now      time.Time
	decks    []deck.Deck
	progress map[string]deck.Progress
	settings deck.Settings
	sched    *fsrs.Scheduler
	reviews  []deck.Review // the whole log, oldest first
	cards    int           // number of cards in all decks
	dash     dashFigures
	stats    *stats.Result // nil until computed (statsCmd)
}

// deckFigures are one dashboard row: what a study session would hold now
// (deck.Queue's counts under today's limits) and the mean predicted recall.
type deckFigures struct {
	counts deck.Counts
	recall *float64 // nil when no card was studied
}

// dashFigures are the dashboard's numbers.
type dashFigures struct {
	decks         []deckFigures // parallel to library.decks
	total         deckFigures   // "study everything due"
	reviewedToday int
	timeToday     time.Duration
	streak        int // days in a row with reviews, ending today (or yesterday)
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
	for _, d := range decks {
		lib.cards += len(d.Cards)
	}
	lib.dash = lib.figures(now)
	return lib, nil
}

// computeStats computes the statistics screen's figures and charts.
func (l *library) computeStats() (*stats.Result, error) {
	infos := make([]stats.DeckInfo, len(l.decks))
	for i, d := range l.decks {
		infos[i] = stats.DeckInfoOf(d)
	}
	res, err := stats.Compute(stats.Input{
		Now: l.now, Sched: l.sched, Decks: infos, Progress: l.progress, Reviews: l.reviews,
		NewPerDay: l.settings.NewPerDay, ReviewsPerDay: l.settings.ReviewsPerDay,
	})
	if err != nil {
		return nil, fmt.Errorf("computing statistics: %w", err)
	}
	return res, nil
}

// figures computes the dashboard in one pass over the cards: for each deck
// (with its own limits) and for everything (with the collection's), the
// counts deck.BuildQueue's queue would show, classifying cards as it does
// but without building the queue; the mean recall; today's reviews, time
// and the streak.
func (l *library) figures(now time.Time) dashFigures {
	var f dashFigures
	f.decks = make([]deckFigures, len(l.decks))
	end := dayEnd(l.sched, now)
	today := l.todayReviews(now, "")
	f.reviewedToday = len(today)
	newDone := map[string]int{}
	revDone := map[string]int{}
	for _, r := range today {
		f.timeToday += r.Duration
		switch fsrs.State(r.StateBefore) {
		case fsrs.New:
			newDone[deckOfCard(r.CardID)]++
		case fsrs.Review:
			revDone[deckOfCard(r.CardID)]++
		}
	}
	var totNew, totRev, totAllNew, totAllRev int
	var totR float64
	var totN int
	tallies := l.tallyDecks(now, end)
	for i, d := range l.decks {
		t := tallies[i]
		fresh, learn, rev, n, rsum := t.fresh, t.learn, t.rev, t.n, t.rsum
		df := &f.decks[i]
		df.counts = deck.Counts{
			New:      min(fresh, max(0, l.settings.NewPerDay-newDone[d.ID])),
			Learning: learn,
			Review:   min(rev, max(0, l.settings.ReviewsPerDay-revDone[d.ID])),
		}
		if n > 0 {
			m := rsum / float64(n)
			df.recall = &m
		}
		f.total.counts.Learning += learn
		totAllNew += fresh
		totAllRev += rev
		totR += rsum
		totN += n
	}
	for _, n := range newDone {
		totNew += n
	}
	for _, n := range revDone {
		totRev += n
	}
	f.total.counts.New = min(totAllNew, max(0, l.settings.NewPerDay-totNew))
	f.total.counts.Review = min(totAllRev, max(0, l.settings.ReviewsPerDay-totRev))
	if totN > 0 {
		m := totR / float64(totN)
		f.total.recall = &m
	}
	f.streak = l.streak(now)
	return f
}

// tally is what figures counts in (part of) a deck.
type tally struct {
	fresh, learn, rev, n int
	rsum                 float64
}

func (t *tally) add(o tally) {
	t.fresh += o.fresh
	t.learn += o.learn
	t.rev += o.rev
	t.n += o.n
	t.rsum += o.rsum
}

// tallyChunk is the number of cards one worker counts at a time.
const tallyChunk = 4096

// tallyDecks counts every deck's cards. Looking up 100,000 cards' progress
// is most of the dashboard's cost, so large decks are counted in chunks by
// GOMAXPROCS workers; the chunks are fixed and summed in order, so the
// result does not depend on the number of workers.
func (l *library) tallyDecks(now, end time.Time) []tally {
	type chunk struct{ deck, lo, hi int }
	var chunks []chunk
	for i, d := range l.decks {
		for lo := 0; lo < len(d.Cards); lo += tallyChunk {
			chunks = append(chunks, chunk{i, lo, min(len(d.Cards), lo+tallyChunk)})
		}
	}
	parts := make([]tally, len(chunks))
	count := func(k int) {
		c := chunks[k]
		parts[k] = l.tallyCards(l.decks[c.deck].Cards[c.lo:c.hi], now, end)
	}
	workers := min(runtime.GOMAXPROCS(0), len(chunks))
	if workers <= 1 {
		for k := range chunks {
			count(k)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := int(next.Add(1)) - 1; k < len(chunks); k = int(next.Add(1)) - 1 {
					count(k)
				}
			}()
		}
		wg.Wait()
	}
	out := make([]tally, len(l.decks))
	for k, c := range chunks {
		out[c.deck].add(parts[k])
	}
	return out
}

// tallyCards classifies cards as deck.BuildQueue does (without building
// the queue) and sums their predicted recall.
func (l *library) tallyCards(cards []deck.Card, now, end time.Time) tally {
	var t tally
	for i := range cards {
		p, seen := l.progress[cards[i].ID]
		if !seen {
			t.fresh++
			continue
		}
		if p.Sched.State != fsrs.New {
			if r := l.sched.Retrievability(p.Sched, now); !math.IsNaN(r) && !math.IsInf(r, 0) {
				t.rsum += r
				t.n++
			}
		}
		if !deck.Available(p, now) {
			continue
		}
		switch p.Sched.State {
		case fsrs.New:
			t.fresh++
		case fsrs.Learning, fsrs.Relearning:
			if p.Sched.Due.Before(end) {
				if p.Sched.ScheduledDays > 0 {
					t.rev++
				} else {
					t.learn++
				}
			}
		case fsrs.Review:
			if p.Sched.Due.Before(end) {
				t.rev++
			}
		}
	}
	return t
}

// streak counts the days in a row with at least one review, ending today,
// or yesterday when nothing is done yet today (as deck/stats does).
func (l *library) streak(now time.Time) int {
	if len(l.reviews) == 0 {
		return 0
	}
	prev := func(dayStart time.Time) time.Time { return l.sched.DayStart(dayStart.Add(-time.Second)) }
	cur := l.sched.DayStart(now) // a review after now counts as today
	last := l.reviews[len(l.reviews)-1].At
	if last.Before(cur) {
		cur = prev(cur)
		if last.Before(cur) {
			return 0
		}
	}
	n := 1
	for i := len(l.reviews) - 2; i >= 0; i-- {
		at := l.reviews[i].At
		if !at.Before(cur) {
			continue // the same day
		}
		p := prev(cur)
		if at.Before(p) {
			break
		}
		n++
		cur = p
	}
	return n
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
