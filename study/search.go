package study

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
	"opsdeck/store"
)

// Hit is one card a search found: its text, progress (a new card's zero
// progress if never studied) and reviews, shared with the library's index
// (read only).
type Hit struct {
	*deck.SearchCard
	Builtin bool // in the embedded decks (cannot be deleted)
}

// searchIndex is the library's cards prepared for searching, built once.
type searchIndex struct {
	cards   []deck.SearchCard
	builtin []bool
	err     error // reading the review log failed
}

// index returns the prepared cards, building them on first use.
func (l *Library) index() *searchIndex {
	if l.search != nil {
		return l.search()
	}
	return l.buildIndex()
}

func (l *Library) buildIndex() *searchIndex {
	// The log is read here, on the first search, not at load (study.Load
	// reads only today's reviews).
	byCard := map[string][]deck.Review{}
	err := l.EachReview(func(r *deck.Review) error {
		byCard[r.CardID] = append(byCard[r.CardID], *r)
		return nil
	})
	if err != nil {
		return &searchIndex{err: err}
	}
	ix := &searchIndex{cards: make([]deck.SearchCard, 0, l.Cards), builtin: make([]bool, 0, l.Cards)}
	for _, d := range l.Decks {
		for _, c := range d.Cards {
			p, ok := l.Progress[c.ID]
			if !ok {
				p = deck.Progress{CardID: c.ID}
			}
			sc := deck.NewSearchCard(c, p, byCard[c.ID])
			sc.Custom = !d.Builtin || c.Line == 0
			ix.cards = append(ix.cards, sc)
			ix.builtin = append(ix.builtin, !sc.Custom)
		}
	}
	return ix
}

// SortFields are the orders a search can be listed in (besides the
// library's own, ""): all ascending, cards without the value (new cards
// for due, recall, stability, difficulty; unknown added times) last.
var SortFields = []string{"due", "interval", "recall", "lapses", "reps", "added", "deck", "stability", "difficulty", "id"}

// QueryError is a query that does not parse (deck.QueryError).
type QueryError = deck.QueryError

// Search returns the cards matching query (Anki's search language) at
// now, in the order of sortBy (one of SortFields, or "" for the library's
// order: decks as listed, cards as in their deck). A query that does not
// parse is a *QueryError.
func (l *Library) Search(query, sortBy string, now time.Time) ([]Hit, error) {
	q, err := deck.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	return l.SearchQuery(q, sortBy, now)
}

// SearchQuery is Search with a parsed query.
func (l *Library) SearchQuery(q *deck.Query, sortBy string, now time.Time) ([]Hit, error) {
	if sortBy != "" && !slices.Contains(SortFields, sortBy) {
		return nil, fmt.Errorf("unknown sort field %q (use %s)", sortBy, strings.Join(SortFields, ", "))
	}
	if l.counted != nil {
		return nil, errCounted
	}
	ix := l.index()
	if ix.err != nil {
		return nil, ix.err
	}
	env := deck.NewSearchEnv(now, l.Sched)
	var hits []Hit
	for i := range ix.cards {
		c := &ix.cards[i]
		if q.Match(c, env) {
			hits = append(hits, Hit{SearchCard: c, Builtin: ix.builtin[i]})
		}
	}
	if sortBy != "" {
		SortHits(hits, sortBy, l.Sched, now)
	}
	return hits, nil
}

// SortHits orders hits by field (one of SortFields), ascending and
// stable.
func SortHits(hits []Hit, field string, sch *fsrs.Scheduler, now time.Time) {
	key := func(h *Hit) (float64, string) {
		s := &h.Progress.Sched
		unseen := s.State == fsrs.New
		inf := math.Inf(1)
		switch field {
		case "due":
			if unseen || h.Progress.Suspended {
				return inf, ""
			}
			return float64(s.Due.UnixNano()), ""
		case "interval":
			return float64(s.ScheduledDays), ""
		case "recall":
			if unseen {
				return inf, ""
			}
			return sch.Retrievability(*s, now), ""
		case "lapses":
			return float64(s.Lapses), ""
		case "reps":
			return float64(s.Reps), ""
		case "added":
			if h.Card.Added.IsZero() {
				return inf, ""
			}
			return float64(h.Card.Added.UnixNano()), ""
		case "stability":
			if unseen {
				return inf, ""
			}
			return s.Stability, ""
		case "difficulty":
			if unseen {
				return inf, ""
			}
			return s.Difficulty, ""
		case "deck":
			return 0, h.Card.Deck
		case "id":
			return 0, h.Card.ID
		}
		return 0, ""
	}
	type keyed struct {
		f float64
		s string
		h Hit
	}
	ks := make([]keyed, len(hits))
	for i := range hits {
		f, s := key(&hits[i])
		ks[i] = keyed{f, s, hits[i]}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.s, b.s); c != 0 {
			return c
		}
		return cmp.Compare(a.f, b.f)
	})
	for i := range ks {
		hits[i] = ks[i].h
	}
}

// ActionKind is a bulk action on the cards a search found.
type ActionKind int

const (
	ActSuspend ActionKind = iota + 1
	ActUnsuspend
	ActBury
	ActFlag
	ActTagAdd
	ActTagRemove
	ActForget
	ActSetDue
)

// Action is one bulk action and its argument.
type Action struct {
	Kind           ActionKind
	Flag           int    // ActFlag: 0-7
	Tag            string // ActTagAdd, ActTagRemove
	DueMin, DueMax int    // ActSetDue: days from today, DueMin <= DueMax
}

// Label names the action for messages and the undo entry.
func (a Action) Label() string {
	switch a.Kind {
	case ActSuspend:
		return "suspend"
	case ActUnsuspend:
		return "unsuspend"
	case ActBury:
		return "bury"
	case ActFlag:
		if a.Flag == 0 {
			return "clear flag"
		}
		return "flag " + deck.FlagNames[a.Flag]
	case ActTagAdd:
		return "add tag " + a.Tag
	case ActTagRemove:
		return "remove tag " + a.Tag
	case ActForget:
		return "forget"
	case ActSetDue:
		if a.DueMin == a.DueMax {
			return fmt.Sprintf("set due in %d days", a.DueMin)
		}
		return fmt.Sprintf("set due in %d-%d days", a.DueMin, a.DueMax)
	}
	return "action"
}

// Check validates the action's argument.
func (a Action) Check() error {
	switch a.Kind {
	case ActFlag:
		if a.Flag < 0 || a.Flag > deck.MaxFlag {
			return fmt.Errorf("flag %d is not 0-%d", a.Flag, deck.MaxFlag)
		}
	case ActTagAdd, ActTagRemove:
		if a.Tag == "" || strings.ContainsAny(a.Tag, ", \t\n") {
			return fmt.Errorf("tag %q: one tag, without spaces or commas", a.Tag)
		}
	case ActSetDue:
		if a.DueMin < 0 || a.DueMax < a.DueMin || a.DueMax > 36500 {
			return fmt.Errorf("due days %d-%d: use N or N-M with 0 <= N <= M <= 36500", a.DueMin, a.DueMax)
		}
	case ActSuspend, ActUnsuspend, ActBury, ActForget:
	default:
		return errors.New("unknown action")
	}
	return nil
}

// ParseDueDays reads Anki's "set due date" days: "N" or "N-M" (a random
// day in the range for each card), 0 is today.
func ParseDueDays(s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	lo, err = strconv.Atoi(a)
	if err != nil {
		return 0, 0, fmt.Errorf("due days %q: use N or N-M (days from today)", s)
	}
	hi = lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil {
			return 0, 0, fmt.Errorf("due days %q: use N or N-M (days from today)", s)
		}
	}
	act := Action{Kind: ActSetDue, DueMin: lo, DueMax: hi}
	return lo, hi, act.Check()
}

// Apply does the action to every card of ids at now in one transaction,
// undone as one action named a.Label() (Service.Undo); it returns how many
// cards changed.
func (s *Service) Apply(ids []string, a Action, now time.Time) (int, error) {
	if err := a.Check(); err != nil {
		return 0, err
	}
	sch, err := s.st.Scheduler()
	if err != nil {
		return 0, err
	}
	fn := ActionFunc(a, sch, now, rand.New(rand.NewPCG(uint64(now.UnixNano()), 16)))
	return s.st.Bulk(a.Label(), ids, fn)
}

// SetFlag sets one card's flag (0 clears it).
func (s *Service) SetFlag(id string, flag int) error { return s.st.SetFlag(id, flag) }

// ActionFunc is what action a does to one card at now (rnd picks the day
// of a set-due range).
func ActionFunc(a Action, sch *fsrs.Scheduler, now time.Time, rnd *rand.Rand) store.BulkFunc {
	return func(c *deck.Card, p *deck.Progress) error {
		switch a.Kind {
		case ActSuspend:
			p.Suspended = true
		case ActUnsuspend:
			p.Suspended = false
		case ActBury:
			p.BuriedUntil = DayEnd(sch, now)
		case ActFlag:
			p.Flag = a.Flag
		case ActTagAdd:
			if !slices.ContainsFunc(c.Tags, func(t string) bool { return strings.EqualFold(t, a.Tag) }) {
				c.Tags = append(slices.Clone(c.Tags), a.Tag)
			}
		case ActTagRemove:
			c.Tags = slices.DeleteFunc(slices.Clone(c.Tags), func(t string) bool { return strings.EqualFold(t, a.Tag) })
		case ActForget:
			// Anki's "reset": back to new, at the end of the new cards,
			// history and counts kept.
			p.Sched = fsrs.Card{State: fsrs.New, Reps: p.Sched.Reps, Lapses: p.Sched.Lapses}
			p.Suspended, p.BuriedUntil = false, time.Time{}
		case ActSetDue:
			days := a.DueMin
			if a.DueMax > a.DueMin {
				days += rnd.IntN(a.DueMax - a.DueMin + 1)
			}
			setDue(p, sch, now, days)
		}
		return nil
	}
}

// setDue is Anki's "set due date": the card becomes a review card due at
// the start of the day days from today; its interval is the time since
// its last review (or days, for a card never reviewed), at least a day.
func setDue(p *deck.Progress, sch *fsrs.Scheduler, now time.Time, days int) {
	// Day lengths vary by at most an hour or two across DST changes, so
	// noon of the target day is days*24h+12h after today's start.
	day := sch.DayStart(sch.DayStart(now).Add(time.Duration(days)*24*time.Hour + 12*time.Hour))
	s := &p.Sched
	ivl := days
	if !s.LastReview.IsZero() {
		ivl = sch.DayIndex(day) - sch.DayIndex(s.LastReview)
	}
	s.State = fsrs.Review
	s.Step = 0
	s.Due = day
	s.ScheduledDays = max(1, ivl)
	p.BuriedUntil = time.Time{}
}

// Info is a card's info at now (Anki's card info): state, memory, the
// whole review history and the forgetting curve.
func (l *Library) Info(id string, now time.Time) (stats.CardInfo, error) {
	if l.counted != nil {
		return stats.CardInfo{}, errCounted
	}
	ix := l.index()
	if ix.err != nil {
		return stats.CardInfo{}, ix.err
	}
	for i := range ix.cards {
		c := &ix.cards[i]
		if c.Card.ID == id {
			return stats.CardInfoOf(c.Card, l.DeckTitle(c.Card.Deck), c.Progress, c.Reviews, l.Sched, now), nil
		}
	}
	return stats.CardInfo{}, fmt.Errorf("no card %q", id)
}

// Info is the card's info at now, read fresh from the store (one Load).
func (s *Service) Info(id string, now time.Time) (stats.CardInfo, error) {
	lib, err := s.Load(now)
	if err != nil {
		return stats.CardInfo{}, err
	}
	return lib.Info(id, now)
}
