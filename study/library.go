// Package study is opsdeck's application layer for studying: one
// consistent read of the library (Library), today's queue and its limits
// (one rule: Limits), the dashboard's figures, and a study session's
// bookkeeping (Session: next card, grade, undo, bury, suspend). Both front
// ends (cli and tui) call it; neither computes a queue or a limit itself.
package study

import (
	"errors"
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
	"opsdeck/store"
)

// library is one consistent read of everything the screens show: the
// decks, every card's progress, the settings and scheduler, the review log,
// and the dashboard's figures computed from them at now. It is built off the
// UI goroutine (loadLibrary runs inside a tea.Cmd) and never changed after,
// except that the root fills in stats when computeStats's result arrives:
// screens that change data ask the root to load a new one.
type Library struct {
	Now      time.Time
	Decks    []deck.Deck
	Progress map[string]deck.Progress
	Settings deck.Settings
	Sched    *fsrs.Scheduler
	// Reviews is the whole log, oldest first, for a library built in
	// memory (tests, a Reader that cannot stream). Load over a store leaves
	// it nil and reads only today's reviews (Today): the whole log is read
	// on demand, streamed (EachReview) or in full (Log).
	Reviews []deck.Review
	// Today are the reviews since the start of Now's scheduling day
	// (after Now included), oldest first.
	Today []deck.Review
	Cards int // number of cards in all decks
	Dash  Figures
	Stats *stats.Result // nil until computed (ComputeStats)

	deckSched map[string]*fsrs.Scheduler // decks with their own desired retention
	// Interview is the interview date, "YYYY-MM-DD", or "" (package plan).
	Interview string
	// pace is the new-card limit of each deck (by ID) under the plan's
	// pace, nil unless Settings.PlanPace is on with a date ahead.
	pace map[string]int
	// log reads the whole log on demand (nil: Reviews is the log). Shared
	// by the copies Only makes.
	log *logSource

	search func() *searchIndex // the cards prepared for Search, built once (nil: build each time)

	// counted is the cards of a library loaded by LoadCounts (nil for a
	// full one): Decks then carry no cards and Progress is nil.
	counted *cardCounts
}

// errCounted is what a counted library says when asked for its cards.
var errCounted = errors.New("the library was loaded for its figures only (LoadCounts): load it whole to study or show cards")

// Counted reports whether the library was loaded by LoadCounts: it has
// the figures (Dash, DeckList, ComputeStats) but no cards to study, show
// or search (Decks carry no cards, Progress is nil).
func (l *Library) Counted() bool { return l.counted != nil }

// eachCard calls fn for every card, deck by deck, with the index of its
// deck and its progress (nil: never touched). In a counted library the
// studied cards of every deck come first, in card order, then the new
// ones; the figures are sums, so the order of new cards (which add no
// fractions) does not change them.
func (l *Library) eachCard(fn func(deck int, p *deck.Progress)) {
	if c := l.counted; c != nil {
		var p deck.Progress
		for _, ch := range c.chunks {
			for j := range ch.ps {
				ch.ps[j].to(&p, c.loc)
				fn(ch.deck, &p)
			}
		}
		for i, n := range c.fresh {
			for range n {
				fn(i, nil)
			}
		}
		return
	}
	for i, d := range l.Decks {
		for _, c := range d.Cards {
			if p, ok := l.Progress[c.ID]; ok {
				fn(i, &p)
			} else {
				fn(i, nil)
			}
		}
	}
}

// LogReader is what a Reader offers to read the review log in parts, so
// that Load reads only today's reviews (*store.Store has it).
type LogReader interface {
	// EachReview streams the entries with from <= time < to, oldest first.
	EachReview(from, to time.Time, fn func(store.LogEntry) error) error
	// ReviewDays calls fn with the start of each day holding a review,
	// newest first, until fn returns false.
	ReviewDays(dayStart func(time.Time) time.Time, fn func(day time.Time) bool) error
}

// logSource reads the whole log once, when first asked for.
type logSource struct {
	repo LogReader
	mu   sync.Mutex
	read bool // revs and err are set
	revs []deck.Review
	err  error
}

// Log is the whole review log, oldest first: Reviews, or read from the
// store on first use (the reading is shared by every caller; the result
// must not be changed).
func (l *Library) Log() ([]deck.Review, error) {
	if l.log == nil {
		return l.Reviews, nil
	}
	src := l.log
	src.mu.Lock()
	defer src.mu.Unlock()
	if !src.read {
		src.read = true
		src.err = src.repo.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
			src.revs = append(src.revs, e.Review)
			return nil
		})
		if src.err != nil {
			src.revs = nil
			src.err = fmt.Errorf("reading the review log: %w", src.err)
		}
	}
	return src.revs, src.err
}

// EachReview calls fn for each entry of the whole log, oldest first,
// streamed from the store without holding the log in memory (unless Log
// already read it). fn must not keep r; it may run inside a read
// transaction, so it must not call the store.
func (l *Library) EachReview(fn func(r *deck.Review) error) error {
	revs := l.Reviews
	if src := l.log; src != nil {
		src.mu.Lock()
		read, err := src.read, src.err
		revs = src.revs
		src.mu.Unlock()
		if err != nil {
			return err
		}
		if !read {
			var r deck.Review // one copy, reused (fn must not keep it)
			if err := src.repo.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
				r = e.Review
				return fn(&r)
			}); err != nil {
				return fmt.Errorf("reading the review log: %w", err)
			}
			return nil
		}
	}
	for i := range revs {
		if err := fn(&revs[i]); err != nil {
			return err
		}
	}
	return nil
}

// SchedFor is the scheduler that grades deckID's cards: Sched, or one with
// the deck's own desired retention (Settings.Decks), as the store grades.
func (l *Library) SchedFor(deckID string) *fsrs.Scheduler {
	if s, ok := l.deckSched[deckID]; ok {
		return s
	}
	return l.Sched
}

// deckSchedulers builds the schedulers of decks with their own retention.
func (l *Library) deckSchedulers() error {
	for id, o := range l.Settings.Decks {
		if o.DesiredRetention == 0 || o.DesiredRetention == l.Settings.DesiredRetention {
			continue
		}
		p := l.Sched.Params()
		p.DesiredRetention = o.DesiredRetention
		s, err := fsrs.NewScheduler(p)
		if err != nil {
			return fmt.Errorf("deck %s: %w", id, err)
		}
		if l.deckSched == nil {
			l.deckSched = map[string]*fsrs.Scheduler{}
		}
		l.deckSched[id] = s
	}
	return nil
}

// interviewReader is a Reader that also keeps the interview date
// (*store.Store does; a fake may not).
type interviewReader interface {
	InterviewDate() (string, error)
}

// DeckFigures are one dashboard row: what a study session would hold now
// (deck.Queue's counts under today's limits) and the mean predicted recall.
type DeckFigures struct {
	Counts deck.Counts
	Recall *float64 // nil when no card was studied
	// Knowledge is the sum of predicted recall now over the cards (stats'
	// knowledge): the plan's readiness is Knowledge / cards.
	Knowledge float64
}

// Figures are the dashboard's numbers.
type Figures struct {
	Decks         []DeckFigures // parallel to library.decks
	Total         DeckFigures   // "study everything due"
	ReviewedToday int
	TimeToday     time.Duration
	Streak        int // days in a row with reviews, ending today (or yesterday)
}

// Load reads the library and computes the dashboard figures at now.
func Load(repo Reader, now time.Time) (*Library, error) { return load(repo, now, false) }

// outliner is a Reader that can list the cards without their text
// (*store.Store can).
type outliner interface {
	DeckOutlines() ([]deck.Deck, error)
}

// LoadOutline is Load for figures that only count cards (decks, stats):
// over a store, custom cards come without their text (ID and Deck only),
// so the library must not be studied or shown card by card.
func LoadOutline(repo Reader, now time.Time) (*Library, error) { return load(repo, now, true) }

// walker is a Reader that can stream every card's progress without
// holding the cards (*store.Store can: store.WalkCards).
type walker interface {
	WalkCards(visit func(deck int) func(p *deck.Progress)) ([]deck.Deck, error)
}

// LoadCounts is Load for the figures alone: the dashboard (Dash), the
// decks list (DeckList) and the statistics (ComputeStats), without the
// cards. Over a store it reads every card's progress in one pass, keeps
// only the studied cards' progress (no card, no text, no map) and counts
// the rest, so a 100,000-card collection loads in a fraction of Load's
// time and memory; the library is Counted and cannot be studied, shown
// card by card or searched. With a sibling-burying option on, the counts
// are the queues' own, which need the cards: then, and over a Reader that
// cannot walk, it is Load (full) or LoadOutline (!full), not Counted.
func LoadCounts(repo Reader, now time.Time, full bool) (*Library, error) {
	w, ok := repo.(walker)
	if ok {
		st, err := repo.Settings()
		if err != nil {
			return nil, fmt.Errorf("reading settings: %w", err)
		}
		ok = !st.BuryNew && !st.BuryReview && !st.BuryInterday
	}
	if !ok {
		return load(repo, now, !full)
	}
	return loadWith(repo, now, func() ([]deck.Deck, map[string]deck.Progress, *cardCounts, error) {
		var cn counter
		decks, err := w.WalkCards(cn.visit)
		if err != nil {
			return nil, nil, nil, err
		}
		c, ok := cn.counts(len(decks))
		if !ok {
			return nil, nil, nil, fmt.Errorf("reading the decks: a card of a deck not in the list of %d", len(decks))
		}
		return decks, nil, c, nil
	})
}

func load(repo Reader, now time.Time, outline bool) (*Library, error) {
	return loadWith(repo, now, func() ([]deck.Deck, map[string]deck.Progress, *cardCounts, error) {
		d, p, err := readCards(repo, outline)
		return d, p, nil, err
	})
}

// readCards reads the decks (their custom cards without text when
// outline) and every card's progress.
func readCards(repo Reader, outline bool) ([]deck.Deck, map[string]deck.Progress, error) {
	var decks []deck.Deck
	var prog map[string]deck.Progress
	var err, perr error
	readDecks := func() {
		if o, ok := repo.(outliner); ok && outline {
			decks, err = o.DeckOutlines()
		} else {
			decks, err = repo.Decks()
		}
	}
	if _, ok := repo.(*store.Store); ok {
		// The store's reads may run at once (bbolt read transactions):
		// the cards and the progress, the two big reads, on two cores.
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			prog, perr = repo.AllProgress()
		}()
		readDecks()
		wg.Wait()
	} else {
		readDecks()
		if err == nil {
			prog, perr = repo.AllProgress()
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the decks: %w", err)
	}
	if perr != nil {
		return nil, nil, fmt.Errorf("reading progress: %w", perr)
	}
	return decks, prog, nil
}

// loadWith is Load with the cards read by cards.
func loadWith(repo Reader, now time.Time, cards func() ([]deck.Deck, map[string]deck.Progress, *cardCounts, error)) (*Library, error) {
	var decks []deck.Deck
	var prog map[string]deck.Progress
	var counted *cardCounts
	var cerr error
	readCards := func() { decks, prog, counted, cerr = cards() }
	var wg sync.WaitGroup
	if _, ok := repo.(*store.Store); ok {
		// The cards, the big read, on one core while the rest (today's
		// reviews, the streak) is read on the other: a store's reads may
		// run at once (bbolt read transactions).
		wg.Add(1)
		go func() {
			defer wg.Done()
			readCards()
		}()
	} else {
		readCards()
	}
	lib, streak, err := loadRest(repo, now)
	wg.Wait()
	if cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	lib.Decks, lib.Progress, lib.counted = decks, prog, counted
	if counted != nil {
		if counted.loc = lib.Sched.Params().Location; counted.loc == nil {
			counted.loc = time.Local
		}
	}
	for _, d := range decks {
		lib.Cards += len(d.Cards)
	}
	if counted != nil {
		for i := range counted.fresh {
			lib.Cards += counted.cards(i)
		}
	}
	lib.pace = lib.planPace(now)
	if lib.Dash, err = lib.figures(now); err != nil {
		return nil, err
	}
	lib.Dash.Streak = streak
	lib.search = sync.OnceValue(lib.buildIndex)
	return lib, nil
}

// loadRest reads what Load reads besides the cards: the settings and
// scheduler, today's reviews (over a store; else the whole log), the
// interview date, and the streak.
func loadRest(repo Reader, now time.Time) (*Library, int, error) {
	st, err := repo.Settings()
	if err != nil {
		return nil, 0, fmt.Errorf("reading settings: %w", err)
	}
	sch, err := repo.Scheduler()
	if err != nil {
		return nil, 0, fmt.Errorf("building the scheduler: %w", err)
	}
	lib := &Library{Now: now, Settings: st, Sched: sch}
	// Over a store, only today's reviews are read: the dashboard needs no
	// more (the streak reads the log's keys, one per day).
	if lr, ok := repo.(LogReader); ok {
		lib.log = &logSource{repo: lr}
		lib.Today, err = repo.Reviews(sch.DayStart(now), time.Time{})
	} else {
		lib.Reviews, err = repo.Reviews(time.Time{}, time.Time{})
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading the review log: %w", err)
	}
	if err := lib.deckSchedulers(); err != nil {
		return nil, 0, fmt.Errorf("building the scheduler: %w", err)
	}
	if ir, ok := repo.(interviewReader); ok {
		if lib.Interview, err = ir.InterviewDate(); err != nil {
			return nil, 0, fmt.Errorf("reading the interview date: %w", err)
		}
	}
	streak, err := lib.streak(now)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the review log: %w", err)
	}
	return lib, streak, nil
}

// ComputeStats computes the statistics screen's figures and charts.
func (l *Library) ComputeStats() (*stats.Result, error) {
	// The log is streamed: statistics over 1,000,000 reviews need not
	// hold them in memory.
	res, err := stats.Compute(stats.Input{
		Now: l.Now, Sched: l.Sched, Decks: l.deckInfos(), EachCard: l.statsCards, EachReview: l.EachReview})
	if err != nil {
		return nil, fmt.Errorf("computing statistics: %w", err)
	}
	return res, nil
}

// deckInfos are the decks as deck/stats reports them (their cards come
// from statsCards).
func (l *Library) deckInfos() []stats.DeckInfo {
	infos := make([]stats.DeckInfo, len(l.Decks))
	for i, d := range l.Decks {
		infos[i] = stats.DeckInfo{ID: d.ID, Title: d.Title, Builtin: d.Builtin}
	}
	return infos
}

// statsCards is eachCard as stats.Input.EachCard.
func (l *Library) statsCards(fn func(deck int, p *deck.Progress)) error {
	l.eachCard(fn)
	return nil
}

// Limits is the one rule for what today's daily limits leave: the number
// of new cards and of reviews a session of the deck (deckID, or "" for
// everything) may still show at now. One deck uses its own limits less what
// was studied in that deck today; everything uses the collection's limits
// less what was studied in all decks today (Anki applies a preset to each
// deck, and the collection's to the whole). A deck's own limits are its
// "this deck" overrides (Settings.Decks), else the collection's. Unless new
// cards ignore the review limit, the new cards studied today count against
// the review limit too, and what the review limit leaves after the queue's
// reviews bounds the new cards (deck.LimitCounts), as in Anki.
//
// With Settings.PlanPace and an interview date ahead, the new-card limit
// is the plan's pace instead (deck.PlanPace over the deck's cards not yet
// seen at the day's start; for everything, the decks' paces summed).
func (l *Library) Limits(deckID string, now time.Time) (newLeft, reviewsLeft int) {
	st := l.Settings.For(deckID)
	newDone, revDone := deck.TodayDone(l.todayReviews(now, deckID))
	newLimit := st.NewPerDay
	if l.pace != nil {
		if deckID == "" {
			newLimit = 0
			for _, n := range l.pace {
				newLimit += n
			}
		} else {
			newLimit = l.pace[deckID]
		}
	}
	newLeft, reviewsLeft = max(0, newLimit-newDone), max(0, st.ReviewsPerDay-revDone)
	if !st.NewIgnoresReviewLimit {
		reviewsLeft = max(0, reviewsLeft-newDone)
	}
	return newLeft, reviewsLeft
}

// planPace is each deck's new-card limit under the plan's pace (nil when
// it does not apply): the cards never studied (and not suspended), plus
// those introduced today, spread by deck.PlanPace over the days left.
func (l *Library) planPace(now time.Time) map[string]int {
	if !l.Settings.PlanPace || l.Interview == "" {
		return nil
	}
	left := deck.InterviewDaysLeft(l.Interview, l.Sched, now)
	if left <= 0 {
		return nil
	}
	unseen := make([]int, len(l.Decks))
	l.eachCard(func(i int, p *deck.Progress) {
		if p == nil || (p.Sched.State == fsrs.New && !p.Suspended) {
			unseen[i]++
		}
	})
	out := make(map[string]int, len(l.Decks))
	for i, d := range l.Decks {
		newDone, _ := deck.TodayDone(l.todayReviews(now, d.ID))
		out[d.ID] = deck.PlanPace(unseen[i]+newDone, left)
	}
	return out
}

// figures computes the dashboard in one pass over the cards: for each deck
// and for everything, the counts that Queue's queue would show (the cards
// classified by deck.Classify, capped by Limits), without building the
// queue; the mean recall; today's reviews and time (the streak is
// loadRest's).
func (l *Library) figures(now time.Time) (Figures, error) {
	var f Figures
	f.Decks = make([]DeckFigures, len(l.Decks))
	today := l.todayReviews(now, "")
	f.ReviewedToday = len(today)
	for _, r := range today {
		f.TimeToday += r.Duration
	}
	var all tally
	tallies := l.tallyDecks(now, DayEnd(l.Sched, now))
	for i, d := range l.Decks {
		t := tallies[i]
		n, r := l.Limits(d.ID, now)
		f.Decks[i] = t.figures(n, r, l.Settings.NewIgnoresReviewLimit)
		all.add(t)
	}
	n, r := l.Limits("", now)
	f.Total = all.figures(n, r, l.Settings.NewIgnoresReviewLimit)
	if l.Settings.BuryNew || l.Settings.BuryReview || l.Settings.BuryInterday {
		// Burying siblings depends on the notes, which a per-card tally
		// cannot see: the counts are the queues' own.
		for i, d := range l.Decks {
			if q, err := l.Queue(d.ID, now); err == nil {
				f.Decks[i].Counts = q.Counts()
			}
		}
		if q, err := l.Queue("", now); err == nil {
			f.Total.Counts = q.Counts()
		}
	}
	return f, nil
}

// figures caps a tally by the limits left (deck.LimitCounts, the queue's
// rule).
func (t tally) figures(newLeft, reviewsLeft int, newIgnoresReviewLimit bool) DeckFigures {
	df := DeckFigures{Counts: deck.LimitCounts(t.fresh, t.learn, t.rev, newLeft, reviewsLeft, newIgnoresReviewLimit), Knowledge: t.rsum}
	if t.n > 0 {
		m := t.rsum / float64(t.n)
		df.Recall = &m
	}
	return df
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
func (l *Library) tallyDecks(now, end time.Time) []tally {
	if l.counted != nil {
		return l.tallyCounted(now, end)
	}
	type chunk struct{ deck, lo, hi int }
	var chunks []chunk
	for i, d := range l.Decks {
		for lo := 0; lo < len(d.Cards); lo += tallyChunk {
			chunks = append(chunks, chunk{i, lo, min(len(d.Cards), lo+tallyChunk)})
		}
	}
	parts := make([]tally, len(chunks))
	count := func(k int) {
		c := chunks[k]
		parts[k] = l.tallyCards(l.Decks[c.deck].Cards[c.lo:c.hi], now, end)
	}
	parallel(len(chunks), count)
	out := make([]tally, len(l.Decks))
	for k, c := range chunks {
		out[c.deck].add(parts[k])
	}
	return out
}

// tallyCards classifies cards as deck.BuildQueue does (without building
// the queue) and sums their predicted recall.
func (l *Library) tallyCards(cards []deck.Card, now, end time.Time) tally {
	var t tally
	for i := range cards {
		p, seen := l.Progress[cards[i].ID]
		if !seen {
			t.fresh++ // never studied: new, and available
			continue
		}
		t.addStudied(&p, l.Sched, now, end)
	}
	return t
}

// addStudied counts a card with progress as deck.BuildQueue classifies it
// and adds its predicted recall.
func (t *tally) addStudied(p *deck.Progress, sched *fsrs.Scheduler, now, end time.Time) {
	if p.Sched.State != fsrs.New {
		if r := sched.Retrievability(p.Sched, now); !math.IsNaN(r) && !math.IsInf(r, 0) {
			t.rsum += r
			t.n++
		}
	}
	switch deck.Classify(*p, now, end) {
	case deck.InNew:
		t.fresh++
	case deck.InLearning:
		t.learn++
	case deck.InReview:
		t.rev++
	}
}

// tallyCounted is tallyDecks over a counted library's chunks.
func (l *Library) tallyCounted(now, end time.Time) []tally {
	c := l.counted
	parts := make([]tally, len(c.chunks))
	parallel(len(c.chunks), func(k int) {
		var p deck.Progress
		for j := range c.chunks[k].ps {
			c.chunks[k].ps[j].to(&p, c.loc)
			parts[k].addStudied(&p, l.Sched, now, end)
		}
	})
	out := make([]tally, len(c.fresh))
	for k, ch := range c.chunks {
		out[ch.deck].add(parts[k])
	}
	for i, n := range c.fresh {
		out[i].fresh += n
	}
	return out
}

// parallel calls do(k) for k in [0, n) on GOMAXPROCS workers.
func parallel(n int, do func(k int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for k := range n {
			do(k)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(next.Add(1)) - 1; k < n; k = int(next.Add(1)) - 1 {
				do(k)
			}
		}()
	}
	wg.Wait()
}

// streak counts the days in a row with at least one review, ending today,
// or yesterday when nothing is done yet today (as deck/stats does). Over a
// store it reads one log key per day (LogReader.ReviewDays).
func (l *Library) streak(now time.Time) (int, error) {
	prev := func(dayStart time.Time) time.Time { return l.Sched.DayStart(dayStart.Add(-time.Second)) }
	cur := l.Sched.DayStart(now) // a review after now counts as today
	n := 0
	visit := func(day time.Time) bool {
		if n == 0 {
			if day.Before(cur) {
				cur = prev(cur)
				if day.Before(cur) {
					return false
				}
			}
			n = 1
			return true
		}
		if !day.Before(cur) {
			return true // the same day
		}
		p := prev(cur)
		if day.Before(p) {
			return false
		}
		n++
		cur = p
		return true
	}
	if l.log != nil {
		err := l.log.repo.ReviewDays(l.Sched.DayStart, visit)
		return n, err
	}
	var day time.Time // the day of the last review visited
	for i := len(l.Reviews) - 1; i >= 0; i-- {
		if at := l.Reviews[i].At; day.IsZero() || at.Before(day) {
			if day = l.Sched.DayStart(at); !visit(day) {
				break
			}
		}
	}
	return n, nil
}

// deckIndex returns the index of the deck with the ID, or -1.
func (l *Library) DeckIndex(id string) int {
	for i, d := range l.Decks {
		if d.ID == id {
			return i
		}
	}
	return -1
}

// deckTitle is the deck's title, or its ID.
func (l *Library) DeckTitle(id string) string {
	if i := l.DeckIndex(id); i >= 0 && l.Decks[i].Title != "" {
		return l.Decks[i].Title
	}
	return id
}

// dayEnd is the start of the scheduling day after the one holding t.
func DayEnd(s *fsrs.Scheduler, t time.Time) time.Time {
	// A day lasts 23 to 25 hours, so 36 hours after its start lies in the next.
	return s.DayStart(s.DayStart(t).Add(36 * time.Hour))
}

// todayReviews returns the reviews since the day start of now, of the deck
// only ("" for all decks).
//
// A library loaded from a store holds the reviews from the start of Now's
// day (Today), so now must not lie in an earlier day.
func (l *Library) todayReviews(now time.Time, deckID string) []deck.Review {
	start := l.Sched.DayStart(now)
	revs := l.Reviews
	if l.log != nil {
		revs = l.Today
	}
	i := sort.Search(len(revs), func(i int) bool { return !revs[i].At.Before(start) })
	today := revs[i:]
	if deckID == "" {
		return today
	}
	var out []deck.Review
	for _, r := range today {
		if DeckOf(r.CardID) == deckID {
			out = append(out, r)
		}
	}
	return out
}

// deckOfCard is the deck part of a card ID "<deck-id>/<slug>".
func DeckOf(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			return id[:i]
		}
	}
	return id
}

// Queue builds the queue of a study session at now: the deck's cards (all
// decks when deckID is ""), in Anki's order, within what Limits leaves. It
// reports an error for an unknown deck.
func (l *Library) Queue(deckID string, now time.Time) (*deck.Queue, error) {
	if l.counted != nil {
		return nil, errCounted
	}
	var parts [][]deck.Card // the decks' own slices: 100,000 cards are not copied
	order := make([]string, len(l.Decks))
	found := deckID == ""
	for i, d := range l.Decks {
		order[i] = d.ID
		if deckID == "" || d.ID == deckID {
			found = true
			parts = append(parts, d.Cards)
		}
	}
	if !found {
		return nil, fmt.Errorf("no deck %q", deckID)
	}
	newLeft, revLeft := l.Limits(deckID, now)
	return deck.BuildQueueOf(parts, l.Progress, deck.QueueOptions{
		Now:                   now,
		DayEnd:                DayEnd(l.Sched, now),
		NewLimit:              newLeft,
		ReviewLimit:           revLeft,
		NewIgnoresReviewLimit: l.Settings.NewIgnoresReviewLimit,
		BuryNew:               l.Settings.BuryNew,
		BuryReview:            l.Settings.BuryReview,
		BuryInterday:          l.Settings.BuryInterday,
		AnsweredToday:         l.answeredToday(now),
		DeckOrder:             order,
	}), nil
}

// answeredToday are the cards graded since the day start, when a sibling
// option needs them (nil otherwise).
func (l *Library) answeredToday(now time.Time) []string {
	if !l.Settings.BuryNew && !l.Settings.BuryReview && !l.Settings.BuryInterday {
		return nil
	}
	today := l.todayReviews(now, "")
	ids := make([]string, len(today))
	for i, r := range today {
		ids[i] = r.CardID
	}
	return ids
}

// Title is what a session of deckID is called.
func (l *Library) Title(deckID string) string {
	if deckID == "" {
		return "Everything due"
	}
	return l.DeckTitle(deckID)
}

// NextDue is the earliest time after now when a studied card that is not
// suspended becomes available (a card due in days from its day's start,
// as the queue shows it) (a buried card counts from when it comes back), with the
// progress changed in this session (changed) taking precedence, and the
// number of cards due before the end of the day after now's.
func (l *Library) NextDue(now time.Time, changed map[string]deck.Progress) (next time.Time, tomorrow int) {
	end := DayEnd(l.Sched, DayEnd(l.Sched, now))
	visit := func(p deck.Progress) {
		if p.Suspended || p.Sched.State == fsrs.New {
			return
		}
		due := p.Sched.Due
		if p.Sched.State == fsrs.Review || p.Sched.ScheduledDays > 0 {
			// A card due in days is shown from the start of its day
			// (deck.Classify), not at the hour it was graded.
			due = l.Sched.DayStart(due)
		}
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
	for id, p := range l.Progress {
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

// DeckList is the `decks --json` document: each deck's card counts and
// due cards (deck/stats, over the cards alone: no review log is read) and
// the new cards today's limits would show (the dashboard's figures).
func (l *Library) DeckList() (stats.DeckList, error) {
	res, err := stats.Compute(stats.Input{Now: l.Now, Sched: l.Sched, Decks: l.deckInfos(), EachCard: l.statsCards, CardsOnly: true})
	if err != nil {
		return stats.DeckList{}, err
	}
	out := stats.DeckList{Decks: make([]stats.DeckListEntry, len(l.Decks))}
	for i, d := range res.Report.Decks {
		out.Decks[i] = stats.DeckListEntry{ID: d.ID, Title: d.Title, Builtin: d.Builtin,
			Cards: d.Cards, DueToday: d.DueToday, NewToday: l.Dash.Decks[i].Counts.New}
	}
	return out, nil
}

// Only is the library restricted to the deck with deckID (nil if there is
// none), for figures of one deck.
func (l *Library) Only(deckID string) *Library {
	i := l.DeckIndex(deckID)
	if i < 0 {
		return nil
	}
	c := *l
	c.Decks = l.Decks[i : i+1]
	c.Cards = len(c.Decks[0].Cards)
	if k := l.counted; k != nil {
		c.counted = k.only(i)
		c.Cards = k.cards(i)
	}
	c.Dash = Figures{Decks: l.Dash.Decks[i : i+1], Total: l.Dash.Decks[i],
		ReviewedToday: l.Dash.ReviewedToday, TimeToday: l.Dash.TimeToday, Streak: l.Dash.Streak}
	c.Stats = nil
	c.search = nil
	return &c
}
