package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// Fill percents: the review log only grows at its end, so its pages are
// filled; the other buckets are mostly rewritten in place.
const (
	revlogFill = 1.0
	tableFill  = 0.9
)

// ParamsFor is the scheduler configuration the store grades with: the
// settings' weights (or the defaults), retention, steps, maximum interval
// and day-start hour, short-term scheduling and fuzz on, days counted in loc.
func ParamsFor(st deck.Settings, loc *time.Location) (fsrs.Params, error) {
	if err := deck.ValidateSettings(st); err != nil {
		return fsrs.Params{}, err
	}
	w := fsrs.DefaultWeights
	if len(st.Weights) > 0 {
		var err error
		if w, err = fsrs.WeightsFrom(st.Weights); err != nil {
			return fsrs.Params{}, &deck.SettingsError{Field: "weights", Msg: err.Error()}
		}
	}
	return fsrs.Params{
		W:                w,
		DesiredRetention: st.DesiredRetention,
		MaximumInterval:  st.MaximumInterval,
		LearningSteps:    st.LearningSteps,
		RelearningSteps:  st.RelearningSteps,
		EnableShortTerm:  true,
		EnableFuzz:       true,
		DayStartHour:     st.DayStartHour,
		Location:         loc,
	}, nil
}

func (s *Store) schedulerFor(st deck.Settings) (*fsrs.Scheduler, error) {
	p, err := ParamsFor(st, s.loc)
	if err != nil {
		return nil, fmt.Errorf("stored settings: %w", err)
	}
	return fsrs.NewScheduler(p)
}

// gradeSetup returns the settings and the scheduler for a grade in tx. The
// scheduler is cached with the settings bytes it was built from, so a grade
// decodes the settings only after they changed.
func (s *Store) gradeSetup(tx *bolt.Tx) (deck.Settings, *fsrs.Scheduler, error) {
	raw := tx.Bucket(bMeta).Get(kSettings)
	s.mu.Lock()
	c := s.sched
	s.mu.Unlock()
	if c != nil && raw != nil && bytes.Equal(c.raw, raw) {
		return c.st, c.sch, nil
	}
	st, err := readSettings(tx)
	if err != nil {
		return st, nil, err
	}
	sch, err := s.schedulerFor(st)
	if err != nil {
		return st, nil, err
	}
	if raw != nil {
		s.mu.Lock()
		s.sched = &schedCache{raw: append([]byte(nil), raw...), st: st, sch: sch}
		s.mu.Unlock()
	}
	return st, sch, nil
}

// schedCache is the scheduler built from one version of the settings.
type schedCache struct {
	raw []byte
	st  deck.Settings
	sch *fsrs.Scheduler

	decks map[string]*fsrs.Scheduler // decks with their own desired retention
}

// deckScheduler is the scheduler for cardID's deck: sch, unless the deck
// has its own desired retention (Settings.Decks), built once per version of
// the settings.
func (s *Store) deckScheduler(st deck.Settings, sch *fsrs.Scheduler, cardID string) (*fsrs.Scheduler, error) {
	d, _, _ := strings.Cut(cardID, "/")
	o, ok := st.Decks[d]
	if !ok || o.DesiredRetention == 0 || o.DesiredRetention == st.DesiredRetention {
		return sch, nil
	}
	s.mu.Lock()
	c := s.sched
	if c != nil && c.sch == sch && c.decks[d] != nil {
		ds := c.decks[d]
		s.mu.Unlock()
		return ds, nil
	}
	s.mu.Unlock()
	ds, err := s.schedulerFor(st.For(d))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if c != nil && c.sch == sch {
		if c.decks == nil {
			c.decks = map[string]*fsrs.Scheduler{}
		}
		c.decks[d] = ds
	}
	s.mu.Unlock()
	return ds, nil
}

func readSettings(tx *bolt.Tx) (deck.Settings, error) {
	b := tx.Bucket(bMeta).Get(kSettings)
	if b == nil {
		return defaultSettings(), nil
	}
	st, err := decodeSettings(b)
	if err != nil {
		return st, fmt.Errorf("%w: settings: %v", ErrDamaged, err)
	}
	return st, nil
}

func putSettings(tx *bolt.Tx, st deck.Settings) error {
	b, err := json.Marshal(settingsToRecord(st))
	if err != nil {
		return err
	}
	return tx.Bucket(bMeta).Put(kSettings, b)
}

// SaveSettings validates and stores the settings (weights included).
func (s *Store) SaveSettings(st deck.Settings) error {
	p, err := ParamsFor(st, s.loc)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error { return putSettings(tx, st) })
}

// checkCardID checks the "<deck-id>/<slug>" form.
func checkCardID(id string) error {
	d, slug, ok := strings.Cut(id, "/")
	if !ok || d == "" || slug == "" || strings.TrimSpace(id) != id {
		return fmt.Errorf("card ID %q is not <deck-id>/<slug>", id)
	}
	return nil
}

// getProgress reads a card's record; a missing one is a new card without
// a number (num 0).
func getProgress(tx *bolt.Tx, id string, loc *time.Location) (progressRec, error) {
	b := tx.Bucket(bProgress).Get([]byte(id))
	if b == nil {
		return progressRec{p: deck.Progress{CardID: id}}, nil
	}
	r, ok := decodeProgress(b, loc)
	if !ok {
		return r, corrupt("progress of", []byte(id))
	}
	r.p.CardID = id
	return r, nil
}

// putProgress writes a card's record, numbering the card on first touch.
func putProgress(tx *bolt.Tx, r *progressRec) error {
	pb := tx.Bucket(bProgress)
	pb.FillPercent = tableFill
	if r.num == 0 {
		n, err := pb.NextSequence()
		if err != nil {
			return err
		}
		r.num = n
	}
	return pb.Put([]byte(r.p.CardID), encodeProgress(*r))
}

// GradeResult is what Grade did (a deck type, so that the TUI's Repo
// interface can name it).
type GradeResult = deck.GradeResult

// Grade records a review of cardID graded r at now, which took took: it
// computes the card's next state with the stored settings, writes it and
// appends the review-log entry (and an undo record) in one transaction. A
// card without a record is new. The store does not enforce queue rules: a
// suspended or buried card can be graded.
func (s *Store) Grade(cardID string, r fsrs.Rating, now time.Time, took time.Duration) (GradeResult, error) {
	var res GradeResult
	if r < fsrs.Again || r > fsrs.Easy {
		return res, fmt.Errorf("grade %d is not 1-4", r)
	}
	if err := checkCardID(cardID); err != nil {
		return res, err
	}
	if !timeOK(now) {
		return res, fmt.Errorf("review time %v is outside 1970-2262", now)
	}
	err := s.update(func(tx *bolt.Tx) error {
		st, sch, err := s.gradeSetup(tx)
		if err != nil {
			return err
		}
		if sch, err = s.deckScheduler(st, sch, cardID); err != nil {
			return err
		}
		res, err = gradeTx(tx, s.loc, st, sch, cardID, r, now, took)
		return err
	})
	if err != nil {
		return GradeResult{}, err
	}
	return res, nil
}

// gradeTx is Grade inside a write transaction.
func gradeTx(tx *bolt.Tx, loc *time.Location, st deck.Settings, sch *fsrs.Scheduler, cardID string, r fsrs.Rating, now time.Time, took time.Duration) (GradeResult, error) {
	var res GradeResult
	rec, err := getProgress(tx, cardID, loc)
	if err != nil {
		return res, err
	}
	// The record before, copied: undo puts it back byte for byte. A card
	// never touched gets a placeholder once its number is known.
	var prevBytes []byte
	if raw := tx.Bucket(bProgress).Get([]byte(cardID)); raw != nil {
		prevBytes = append([]byte(nil), raw...)
	}
	before := rec.p
	if rec.placeholder {
		before = deck.Progress{CardID: cardID}
	}
	next := sch.Next(before.Sched, cardID, now, r)
	after := before
	after.Sched = next
	if next.Lapses > before.Sched.Lapses && deck.LeechThresholdMet(next.Lapses, st.LeechThreshold) {
		after.Leech = true
		res.Leech = true
		if st.LeechAction == deck.LeechSuspend {
			after.Suspended = true
			res.Suspended = !before.Suspended
		}
	}
	newRec := progressRec{num: rec.num, p: after}
	if err := putProgress(tx, &newRec); err != nil {
		return res, err
	}
	// Return what is stored (times in loc, no monotonic reading).
	stored, _ := decodeProgress(encodeProgress(newRec), loc)
	after = stored.p
	after.CardID = cardID
	if prevBytes == nil {
		prevBytes = encodeProgress(progressRec{num: newRec.num, placeholder: true})
	}

	lb := tx.Bucket(bRevlog)
	lb.FillPercent = revlogFill
	tie, err := lb.NextSequence()
	if err != nil {
		return res, err
	}
	key := revKey(now, uint32(tie))
	rv := reviewRec{
		num:          newRec.num,
		rating:       r,
		stateBefore:  before.Sched.State,
		lastInterval: before.Sched.ScheduledDays,
		interval:     next.ScheduledDays,
		stability:    float32(next.Stability),
		difficulty:   float32(next.Difficulty),
		duration:     took,
	}
	if err := lb.Put(key, encodeReview(rv)); err != nil {
		return res, err
	}

	ub := tx.Bucket(bUndo)
	seq, err := ub.NextSequence()
	if err != nil {
		return res, err
	}
	if err := ub.Put(undoKey(seq), encodeUndo(undoRec{seq: seq, logKey: key, cardID: cardID, prev: prevBytes})); err != nil {
		return res, err
	}

	res.Before = before
	res.After = after
	res.CardNumber = int64(newRec.num)
	res.Review = toReview(cardID, revKeyTime(key, loc), rv)
	return res, nil
}

// toReview converts a decoded log entry to the domain type.
func toReview(cardID string, at time.Time, v reviewRec) deck.Review {
	return deck.Review{
		CardID:       cardID,
		At:           at,
		Rating:       int(v.rating),
		StateBefore:  int(v.stateBefore),
		LastInterval: v.lastInterval,
		Interval:     v.interval,
		Stability:    float64(v.stability),
		Difficulty:   float64(v.difficulty),
		Duration:     v.duration,
	}
}

// Undo reverses the latest action not yet undone and returns the first
// card it touched (see UndoLast).
func (s *Store) Undo() (string, error) {
	u, err := s.UndoLast()
	return u.CardID(), err
}

// UndoLast reverses the latest action not yet undone, of any kind (a grade,
// bury, suspend, edit, delete or add), in one transaction: a grade's
// review-log entry is deleted and the card's progress record put back
// exactly as it was; any other action's changed values are put back (or
// deleted, where it created them). Repeated calls walk back through the
// last UndoDepth actions. ErrNothingToUndo when there is none.
func (s *Store) UndoLast() (deck.Undone, error) {
	var out deck.Undone
	err := s.update(func(tx *bolt.Tx) error {
		ub := tx.Bucket(bUndo)
		seq := ub.Sequence()
		if seq == 0 {
			return ErrNothingToUndo
		}
		raw := ub.Get(undoKey(seq))
		if raw == nil {
			return ErrNothingToUndo
		}
		u, ok := decodeUndo(raw)
		if !ok {
			return corrupt("undo record", undoKey(seq))
		}
		if u.seq != seq {
			return ErrNothingToUndo // the ring slot was reused: older than UndoDepth
		}
		if u.generic {
			for i := len(u.entries) - 1; i >= 0; i-- {
				e := u.entries[i]
				b := tx.Bucket(e.bucket)
				if b == nil {
					return fmt.Errorf("%w: the undo record names a missing bucket %q", ErrDamaged, e.bucket)
				}
				b.FillPercent = tableFill
				var err error
				if e.present {
					err = b.Put(e.key, e.prev)
				} else {
					err = b.Delete(e.key)
				}
				if err != nil {
					return err
				}
			}
			out = deck.Undone{Action: u.action, CardIDs: u.cardIDs}
		} else {
			lb := tx.Bucket(bRevlog)
			if lb.Get(u.logKey) == nil {
				return fmt.Errorf("%w: the review to undo (key %x) is missing from the log", ErrDamaged, u.logKey)
			}
			if err := lb.Delete(u.logKey); err != nil {
				return err
			}
			pb := tx.Bucket(bProgress)
			pb.FillPercent = tableFill
			if err := pb.Put([]byte(u.cardID), u.prev); err != nil {
				return err
			}
			out = deck.Undone{Action: deck.UndoGrade, CardIDs: []string{u.cardID}}
		}
		if err := ub.Delete(undoKey(seq)); err != nil {
			return err
		}
		return ub.SetSequence(seq - 1)
	})
	if err != nil {
		return deck.Undone{}, err
	}
	return out, nil
}

// undoLog collects, inside one action's transaction, every value as it
// was before the action changed it; push stores them as the action's undo
// record.
type undoLog struct {
	tx      *bolt.Tx
	entries []undoEntry
	seen    map[string]bool
}

func newUndoLog(tx *bolt.Tx) *undoLog { return &undoLog{tx: tx, seen: map[string]bool{}} }

// save remembers bucket/key as it is now (the first time only).
func (u *undoLog) save(bucket []byte, key string) {
	k := string(bucket) + "\x00" + key
	if u.seen[k] {
		return
	}
	u.seen[k] = true
	e := undoEntry{bucket: append([]byte(nil), bucket...), key: []byte(key)}
	if v := u.tx.Bucket(bucket).Get([]byte(key)); v != nil {
		e.present, e.prev = true, append([]byte(nil), v...)
	}
	u.entries = append(u.entries, e)
}

// push writes the undo record of action, which touched cardIDs.
func (u *undoLog) push(action string, cardIDs ...string) error {
	ub := u.tx.Bucket(bUndo)
	seq, err := ub.NextSequence()
	if err != nil {
		return err
	}
	return ub.Put(undoKey(seq), encodeGenericUndo(undoRec{seq: seq, generic: true, action: action, cardIDs: cardIDs, entries: u.entries}))
}

// modifyProgress applies fn to a card's record (a new card if it has none)
// and writes it, in one transaction, undoable as action ("" for none).
func (s *Store) modifyProgress(id, action string, fn func(p *deck.Progress)) error {
	if err := checkCardID(id); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		if !s.cardExists(tx, id) {
			return fmt.Errorf("card %s: %w", id, ErrNotFound)
		}
		rec, err := getProgress(tx, id, s.loc)
		if err != nil {
			return err
		}
		if rec.placeholder {
			rec = progressRec{num: rec.num, p: deck.Progress{CardID: id}}
		}
		fn(&rec.p)
		if action == "" {
			return putProgress(tx, &rec)
		}
		ul := newUndoLog(tx)
		ul.save(bProgress, id)
		if err := putProgress(tx, &rec); err != nil {
			return err
		}
		return ul.push(action, id)
	})
}

// SetSuspended suspends or unsuspends a card.
func (s *Store) SetSuspended(id string, suspended bool) error {
	return s.modifyProgress(id, deck.UndoSuspend, func(p *deck.Progress) { p.Suspended = suspended })
}

// Bury hides a card until the given instant (normally the next day start);
// the zero time unburies it.
func (s *Store) Bury(id string, until time.Time) error {
	if !until.IsZero() && !timeOK(until) {
		return fmt.Errorf("bury time %v is outside 1970-2262", until)
	}
	return s.modifyProgress(id, deck.UndoBury, func(p *deck.Progress) { p.BuriedUntil = until })
}

// SetLeech sets or clears a card's leech tag (for example after the user
// has rewritten it).
func (s *Store) SetLeech(id string, leech bool) error {
	return s.modifyProgress(id, "", func(p *deck.Progress) { p.Leech = leech })
}

// normalizeCard fills ID, Deck and Slug from each other and checks the text.
func normalizeCard(c deck.Card) (deck.Card, error) {
	if c.ID == "" {
		c.ID = c.Deck + "/" + c.Slug
	}
	if err := checkCardID(c.ID); err != nil {
		return c, err
	}
	d, slug, _ := strings.Cut(c.ID, "/")
	if c.Kind == deck.Cloze && c.Deck != "" && c.Slug != "" {
		if c.ID != deck.ClozeID(c.Deck, c.Slug, c.Index) {
			return c, fmt.Errorf("cloze card ID %q does not match deck %q, slug %q and deletion c%d", c.ID, c.Deck, c.Slug, c.Index)
		}
		slug = c.Slug
	} else if (c.Deck != "" && c.Deck != d) || (c.Slug != "" && c.Slug != slug) {
		return c, fmt.Errorf("card ID %q does not match deck %q and slug %q", c.ID, c.Deck, c.Slug)
	}
	c.Deck, c.Slug = d, slug
	if strings.TrimSpace(c.Front) == "" {
		return c, fmt.Errorf("card %s: the front is empty", c.ID)
	}
	if strings.TrimSpace(c.Back) == "" && c.Kind != deck.Cloze {
		return c, fmt.Errorf("card %s: the back is empty", c.ID)
	}
	if len(c.Tags) == 0 {
		c.Tags = nil
	}
	return c, nil
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.FillPercent = tableFill
	return b.Put([]byte(key), data)
}

// AddCard adds a custom card, creating its deck (titled with its ID) if it
// is new. ErrExists if a custom card has the ID. The caller checks that the
// ID is not a built-in card's.
func (s *Store) AddCard(c deck.Card) error { return s.AddCards([]deck.Card{c}) }

// Override is the edited text of a built-in card. The caller applies it
// over the embedded card with Apply.
type Override struct {
	Front string
	Back  string
	Tags  []string
	Text  string // a cloze note's edited source text ("" for a basic card)
	Extra string // and its extra text
}

// Apply returns c with the override's text: for a cloze card with an
// edited note, the note's text and extra, and the front and back rendered
// from them.
func (o Override) Apply(c deck.Card) deck.Card {
	c.Front, c.Back, c.Tags = o.Front, o.Back, o.Tags
	if c.Kind == deck.Cloze && o.Text != "" {
		c.Text, c.Extra = o.Text, o.Extra
		c.Front, c.Back = deck.RenderCloze(c.Text, c.Index, c.Extra)
	}
	return c
}

// EditCard changes a card's text; its ID, state and history stay. A custom
// card is rewritten in full (all fields but ID, deck and slug). Any other ID
// is taken as a built-in card: its front, back and tags are stored as an
// Override (see Overrides) that the caller applies over the embedded text.
func (s *Store) EditCard(c deck.Card) error { return s.EditCards([]deck.Card{c}) }

// editTx is EditCard inside a transaction, its old values saved in ul.
func editTx(tx *bolt.Tx, ul *undoLog, c deck.Card) error {
	cb := tx.Bucket(bCards)
	if raw := cb.Get([]byte(c.ID)); raw != nil {
		ul.save(bCards, c.ID)
		rec := cardToRecord(c)
		if rec.Added == nil { // the card keeps its added time
			var have cardRecord
			if json.Unmarshal(raw, &have) == nil {
				rec.Added = have.Added
			}
		}
		return putJSON(cb, c.ID, rec)
	}
	ul.save(bOverrides, c.ID)
	o := overrideRecord{Front: c.Front, Back: c.Back, Tags: c.Tags}
	if c.Kind == deck.Cloze {
		o.Text, o.Extra = c.Text, c.Extra
	}
	return putJSON(tx.Bucket(bOverrides), c.ID, o)
}

// EditCards changes the text of several cards at once (every card of a
// cloze note), as EditCard does each, in one transaction, undone as one
// action.
func (s *Store) EditCards(cs []deck.Card) error {
	if len(cs) == 0 {
		return nil
	}
	for i := range cs {
		c, err := normalizeCard(cs[i])
		if err != nil {
			return err
		}
		cs[i] = c
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return s.update(func(tx *bolt.Tx) error {
		ul := newUndoLog(tx)
		for _, c := range cs {
			if !s.cardExists(tx, c.ID) {
				return fmt.Errorf("card %s: %w", c.ID, ErrNotFound)
			}
			if err := editTx(tx, ul, c); err != nil {
				return err
			}
		}
		return ul.push(deck.UndoEdit, ids...)
	})
}

// AddCards adds several custom cards at once (every card of a new cloze
// note), as AddCard does each, in one transaction, undone as one action.
func (s *Store) AddCards(cs []deck.Card) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]string, len(cs))
	for i := range cs {
		c, err := normalizeCard(cs[i])
		if err != nil {
			return err
		}
		cs[i], ids[i] = c, c.ID
	}
	return s.update(func(tx *bolt.Tx) error {
		ul := newUndoLog(tx)
		cb, db := tx.Bucket(bCards), tx.Bucket(bDecks)
		for _, c := range cs {
			if cb.Get([]byte(c.ID)) != nil {
				return fmt.Errorf("card %s: %w", c.ID, ErrExists)
			}
			ul.save(bDecks, c.Deck)
			ul.save(bCards, c.ID)
			if db.Get([]byte(c.Deck)) == nil {
				if err := putJSON(db, c.Deck, deckRecord{Title: c.Deck}); err != nil {
					return err
				}
			}
			if err := putJSON(cb, c.ID, cardToRecord(c)); err != nil {
				return err
			}
		}
		return ul.push(deck.UndoAdd, ids...)
	})
}

// RevertCard drops a built-in card's override (its embedded text shows
// again). ErrNotFound if it has none.
func (s *Store) RevertCard(id string) error {
	return s.update(func(tx *bolt.Tx) error {
		ob := tx.Bucket(bOverrides)
		if ob.Get([]byte(id)) == nil {
			return fmt.Errorf("card %s has no edits: %w", id, ErrNotFound)
		}
		ul := newUndoLog(tx)
		ul.save(bOverrides, id)
		if err := ob.Delete([]byte(id)); err != nil {
			return err
		}
		return ul.push(deck.UndoEdit, id)
	})
}

// DeleteCard deletes a custom card and its progress. Its review history is
// kept, orphaned: the log entries keep the card's number, which orphans/
// maps to the deleted ID. A card added again later with the same ID gets a
// new number unless the delete is undone (UndoLast puts the card, its
// progress and number back). ErrNotCustom for other IDs.
func (s *Store) DeleteCard(id string) error {
	return s.update(func(tx *bolt.Tx) error {
		cb := tx.Bucket(bCards)
		if cb.Get([]byte(id)) == nil {
			return fmt.Errorf("card %s: %w", id, ErrNotCustom)
		}
		ul := newUndoLog(tx)
		ul.save(bCards, id)
		ul.save(bProgress, id)
		if err := cb.Delete([]byte(id)); err != nil {
			return err
		}
		pb := tx.Bucket(bProgress)
		if raw := pb.Get([]byte(id)); raw != nil {
			num := progressNum(raw)
			if num == 0 {
				return corrupt("progress of", []byte(id))
			}
			ul.save(bOrphans, string(numKey(num)))
			if err := tx.Bucket(bOrphans).Put(numKey(num), []byte(id)); err != nil {
				return err
			}
			if err := pb.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return ul.push(deck.UndoDelete, id)
	})
}

// RenameDeck gives a custom deck a new title; its ID, cards and history
// stay.
func (s *Store) RenameDeck(id, title string) error {
	if s.isBuiltinDeck(id) {
		return fmt.Errorf("deck %s: %w (its title comes from its deck file)", id, ErrNotCustomDeck)
	}
	return s.update(func(tx *bolt.Tx) error {
		db := tx.Bucket(bDecks)
		raw := db.Get([]byte(id))
		if raw == nil {
			return fmt.Errorf("deck %s: %w", id, ErrNotCustomDeck)
		}
		var rec deckRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return corrupt("deck", []byte(id))
		}
		rec.Title = title
		return putJSON(db, id, rec)
	})
}

// DeleteDeck deletes a custom deck and its cards, in one transaction, as
// DeleteCard does each card: their review history is kept. It returns the
// number of cards deleted.
func (s *Store) DeleteDeck(id string) (int, error) {
	if s.isBuiltinDeck(id) {
		return 0, fmt.Errorf("deck %s: %w", id, ErrNotCustomDeck)
	}
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		db := tx.Bucket(bDecks)
		if db.Get([]byte(id)) == nil {
			return fmt.Errorf("deck %s: %w", id, ErrNotCustomDeck)
		}
		if err := db.Delete([]byte(id)); err != nil {
			return err
		}
		cb, pb := tx.Bucket(bCards), tx.Bucket(bProgress)
		prefix := []byte(id + "/")
		var ids [][]byte
		c := cb.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			ids = append(ids, bytes.Clone(k))
		}
		for _, k := range ids {
			if err := cb.Delete(k); err != nil {
				return err
			}
			if raw := pb.Get(k); raw != nil {
				num := progressNum(raw)
				if num == 0 {
					return corrupt("progress of", k)
				}
				if err := tx.Bucket(bOrphans).Put(numKey(num), k); err != nil {
					return err
				}
				if err := pb.Delete(k); err != nil {
					return err
				}
			}
		}
		n = len(ids)
		return clearUndo(tx)
	})
	return n, err
}

// isBuiltinDeck reports whether id is a built-in deck's.
func (s *Store) isBuiltinDeck(id string) bool {
	for _, d := range s.builtin {
		if d.ID == id {
			return true
		}
	}
	return false
}

func numKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// clearUndo empties the undo ring.
func clearUndo(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bUndo); err != nil {
		return err
	}
	_, err := tx.CreateBucket(bUndo)
	return err
}

// ImportResult counts what an import did (or, for PlanImport, would do).
type ImportResult struct {
	DecksAdded   int
	DecksUpdated int // title or description changed
	Added        int
	Updated      int
	Unchanged    int
}

// isBuiltinCard reports whether id is a card of the built-in decks.
func (s *Store) isBuiltinCard(id string) bool {
	s.builtinOnce.Do(func() {
		s.builtinIDs = map[string]bool{}
		for _, d := range s.builtin {
			for _, c := range d.Cards {
				s.builtinIDs[c.ID] = true
			}
		}
	})
	return s.builtinIDs[id]
}

// cardExists reports whether id is a card the store knows: a custom card,
// a built-in one, or one with a stored progress record (graded before).
func (s *Store) cardExists(tx *bolt.Tx, id string) bool {
	return tx.Bucket(bCards).Get([]byte(id)) != nil || s.isBuiltinCard(id) ||
		tx.Bucket(bProgress).Get([]byte(id)) != nil
}
