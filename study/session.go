package study

import (
	"errors"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// action is one undoable action of a session (a grade, bury, suspend or
// edit), for undo: the card as it was before.
type action struct {
	kind   string // deck.UndoGrade, UndoBury, UndoSuspend, UndoEdit
	item   deck.Item
	rating fsrs.Rating
	took   time.Duration
	olds   []deck.Item // an edit: every card of the note as it was
	first  string      // an edit: the first card ID the store's undo names
}

// Session is the bookkeeping of one study session: the queue, what was
// graded (for undo), the totals for the summary. The front ends call the
// Service for the store's part of an action and then tell the session what
// happened (Graded, Undone, Removed); the session never touches the store,
// so a TUI can run the store call in a tea.Cmd and update the session when
// the result arrives.
type Session struct {
	DeckID, Title string
	Queue         *deck.Queue
	Sched         *fsrs.Scheduler
	lib           *Library

	done    []action
	changed map[string]deck.Progress // progress written this session
	grades  [4]int
	spent   time.Duration
	started time.Time
}

// Session starts a study session of deckID ("" for everything) at now.
func (l *Library) Session(deckID string, now time.Time) (*Session, error) {
	q, err := l.Queue(deckID, now)
	if err != nil {
		return nil, err
	}
	return &Session{DeckID: deckID, Title: l.Title(deckID), Queue: q, Sched: l.Sched, lib: l,
		changed: map[string]deck.Progress{}, started: now}, nil
}

// Preview is the state each grade would give it at now (indexed by
// Rating-1), with its deck's scheduler (Library.SchedFor), as Grade will.
func (s *Session) Preview(it deck.Item, now time.Time) [4]fsrs.Card {
	return s.lib.SchedFor(it.Card.Deck).Preview(it.Progress.Sched, it.Card.ID, now)
}

// Next is the card to show at now, if any.
func (s *Session) Next(now time.Time) (deck.Item, bool) { return s.Queue.Next(now) }

// Graded records that it was graded r (saved by Service.Grade with res).
func (s *Session) Graded(it deck.Item, r fsrs.Rating, took time.Duration, res deck.GradeResult) {
	s.done = append(s.done, action{kind: deck.UndoGrade, item: it, rating: r, took: took})
	s.grades[r-1]++
	s.spent += took
	s.changed[it.Card.ID] = res.After
	s.Queue.Answered(it.Card, res.After)
}

// CanUndo reports whether the session has an action to undo.
func (s *Session) CanUndo() bool { return len(s.done) > 0 }

// LastAction is the kind of the action undo would reverse (deck.UndoGrade,
// ...), "" when there is none.
func (s *Session) LastAction() string {
	if len(s.done) == 0 {
		return ""
	}
	return s.done[len(s.done)-1].kind
}

// ErrForeignUndo says the store undid an action this session did not make.
var ErrForeignUndo = errors.New("undo reversed an action from before this session")

// Undone records that Service.Undo reversed u: the card goes back, as it
// was before the action, to the front of the queue (a grade gives back the
// daily limit it used; a bury or suspend used none), and is returned to be
// shown next. ErrForeignUndo when u is not this session's last action (the
// session then forgets its own: the store has moved past them).
func (s *Session) Undone(u deck.Undone) (deck.Item, error) {
	if len(s.done) == 0 {
		return deck.Item{}, ErrForeignUndo
	}
	last := s.done[len(s.done)-1]
	id := last.item.Card.ID
	if last.kind == deck.UndoEdit {
		id = last.first
	}
	if id != u.CardID() || last.kind != u.Action {
		s.done = nil
		return deck.Item{}, ErrForeignUndo
	}
	s.done = s.done[:len(s.done)-1]
	id = last.item.Card.ID
	switch last.kind {
	case deck.UndoGrade:
		s.grades[last.rating-1]--
		s.spent -= last.took
		s.changed[id] = last.item.Progress
		s.Queue.PutBack(last.item, true)
	case deck.UndoBury, deck.UndoSuspend:
		if _, ok := s.changed[id]; ok {
			s.changed[id] = last.item.Progress
		}
		s.Queue.PutBack(last.item, false)
	case deck.UndoEdit:
		for _, o := range last.olds {
			s.edited(o.Card)
		}
	}
	return last.item, nil
}

// Removed records that the card was buried until until (zero: suspended).
// It uses up none of today's limits: the next card takes its place.
func (s *Session) Removed(it deck.Item, buriedUntil time.Time) {
	kind := deck.UndoBury
	if buriedUntil.IsZero() {
		kind = deck.UndoSuspend
	}
	s.done = append(s.done, action{kind: kind, item: it})
	s.Queue.Remove(it.Card.ID)
	p := it.Progress
	if buriedUntil.IsZero() {
		p.Suspended = true
	} else {
		p.BuriedUntil = buriedUntil
	}
	if _, seen := s.lib.Progress[it.Card.ID]; seen || p.Sched.State != fsrs.New {
		s.changed[it.Card.ID] = p
	}
}

// Edited replaces the text of the cards of one edited note (one card, or
// every card of a cloze note) in what the session remembers and in the
// queue, and remembers the old text for undo (one action, as the store
// saved it).
func (s *Session) Edited(cs ...deck.Card) {
	var olds []deck.Item
	for _, c := range cs {
		if old, ok := s.edited(c); ok {
			olds = append(olds, old)
		}
	}
	if len(olds) > 0 {
		s.done = append(s.done, action{kind: deck.UndoEdit, item: olds[0], olds: olds, first: cs[0].ID})
	}
}

// edited puts c's text everywhere the session holds the card and returns
// the card as it was.
func (s *Session) edited(c deck.Card) (deck.Item, bool) {
	var old deck.Item
	found := false
	for i := range s.done {
		if s.done[i].item.Card.ID == c.ID {
			if !found {
				old, found = s.done[i].item, true
			}
			s.done[i].item.Card = c
		}
	}
	if it, ok := s.Queue.Replace(c); ok {
		old, found = it, true
	}
	return old, found
}

// Reviewed is the number of grades this session.
func (s *Session) Reviewed() int { return s.grades[0] + s.grades[1] + s.grades[2] + s.grades[3] }

// Grades are the counts of each grade (Again, Hard, Good, Easy).
func (s *Session) Grades() [4]int { return s.grades }

// Spent is the answer time recorded this session.
func (s *Session) Spent() time.Duration { return s.spent }

// Started is when the session began.
func (s *Session) Started() time.Time { return s.started }

// Correct is the share of grades other than Again, in percent (0 when none).
func (s *Session) Correct() int {
	n := s.Reviewed()
	if n == 0 {
		return 0
	}
	return 100 * (n - s.grades[0]) / n
}

// NextDue is when the next card of the library comes due after now (this
// session's changes counted) and how many come due by the end of tomorrow.
func (s *Session) NextDue(now time.Time) (time.Time, int) { return s.lib.NextDue(now, s.changed) }

// MaxAnswerTime caps the time recorded for one card (Anki's default).
const MaxAnswerTime = 60 * time.Second

// TookSince is the answer time to record for a card shown at shown.
func TookSince(shown, now time.Time) time.Duration { return min(max(0, now.Sub(shown)), MaxAnswerTime) }
