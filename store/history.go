package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// HistoryReview is one review of an imported history.
type HistoryReview struct {
	At       time.Time
	Rating   fsrs.Rating
	Duration time.Duration
}

// CardHistory is what an import from another program (an Anki package)
// knows of one card besides its text: its reviews, oldest first, and its
// flags.
type CardHistory struct {
	CardID      string // the ID the card has in the import's feed
	Reviews     []HistoryReview
	Suspended   bool
	BuriedUntil time.Time
}

// HistoryResult counts what ImportWithHistory did with the histories.
type HistoryResult struct {
	Cards   int // cards whose state was recomputed from their history
	Reviews int // review-log entries written
	Kept    int // cards that already had progress here: theirs was kept, the import's left out
}

// ImportWithHistory is ImportStream and then, in the same transaction, the
// review histories: for each card that has no progress here yet, every
// review goes through the scheduler with the stored settings, as if it had
// been graded then (so its memory state, interval and due date are what
// opsdeck would have made of the same reviews), is written to the review
// log, and the card's final state and flags are stored. A card that
// already has progress keeps it (a re-import adds no reviews twice).
// Histories name cards by their IDs in the feed; a card the import matched
// to a stored one (by GUID or legacy ID) gets its history under the stored
// ID. All or nothing; nothing is written unless write is set.
func (s *Store) ImportWithHistory(write bool, feed func(add func(deck.Deck) error) error, hist []CardHistory) (ImportResult, HistoryResult, error) {
	var hres HistoryResult
	for _, h := range hist {
		for _, r := range h.Reviews {
			if r.Rating < fsrs.Again || r.Rating > fsrs.Easy {
				return ImportResult{}, hres, fmt.Errorf("card %s: grade %d is not 1-4", h.CardID, r.Rating)
			}
			if !timeOK(r.At) {
				return ImportResult{}, hres, fmt.Errorf("card %s: review time %v is outside 1970-2262", h.CardID, r.At)
			}
		}
		if !h.BuriedUntil.IsZero() && !timeOK(h.BuriedUntil) {
			return ImportResult{}, hres, fmt.Errorf("card %s: bury time %v is outside 1970-2262", h.CardID, h.BuriedUntil)
		}
	}
	im := s.newImporter(write)
	run := func(tx *bolt.Tx) error {
		im.tx = tx
		if err := feed(im.add); err != nil {
			return err
		}
		if err := im.flush(); err != nil {
			return err
		}
		var err error
		hres, err = s.historyTx(tx, im, hist)
		return err
	}
	var err error
	if write {
		err = s.update(run)
	} else {
		err = s.view(run)
	}
	if err != nil {
		return ImportResult{}, HistoryResult{}, err
	}
	return im.res, hres, nil
}

func (s *Store) historyTx(tx *bolt.Tx, im *importer, hist []CardHistory) (HistoryResult, error) {
	var res HistoryResult
	if len(hist) == 0 {
		return res, nil
	}
	st, sch, err := s.gradeSetup(tx)
	if err != nil {
		return res, err
	}
	hs := make([]CardHistory, len(hist))
	for i, h := range hist {
		if to, ok := im.renamed[h.CardID]; ok {
			h.CardID = to
		}
		if !im.seen[h.CardID] && !s.cardExists(tx, h.CardID) {
			return res, fmt.Errorf("history of card %s, which is not in the import", h.CardID)
		}
		hs[i] = h
	}
	// In key order: bbolt appends instead of shifting nodes (see flush).
	slices.SortFunc(hs, func(a, b CardHistory) int { return strings.Compare(a.CardID, b.CardID) })
	var logs []kv
	lb := tx.Bucket(bRevlog)
	for i, h := range hs {
		if i > 0 && hs[i-1].CardID == h.CardID {
			return res, fmt.Errorf("two histories for card %s", h.CardID)
		}
		rec, err := getProgress(tx, h.CardID, s.loc)
		if err != nil {
			return res, err
		}
		if rec.num != 0 && !rec.placeholder {
			res.Kept++
			continue
		}
		p := deck.Progress{CardID: h.CardID}
		type entry struct {
			key []byte
			rv  reviewRec
		}
		entries := make([]entry, 0, len(h.Reviews))
		for _, r := range h.Reviews {
			next := sch.Next(p.Sched, h.CardID, r.At, r.Rating)
			if next.Lapses > p.Sched.Lapses && deck.LeechThresholdMet(next.Lapses, st.LeechThreshold) {
				p.Leech = true
				if st.LeechAction == deck.LeechSuspend {
					p.Suspended = true
				}
			}
			var tie uint64
			if im.write {
				if tie, err = lb.NextSequence(); err != nil {
					return res, err
				}
			}
			entries = append(entries, entry{revKey(r.At, uint32(tie)), reviewRec{
				rating:       r.Rating,
				stateBefore:  p.Sched.State,
				lastInterval: p.Sched.ScheduledDays,
				interval:     next.ScheduledDays,
				stability:    float32(next.Stability),
				difficulty:   float32(next.Difficulty),
				duration:     r.Duration,
			}})
			p.Sched = next
		}
		p.Suspended = p.Suspended || h.Suspended
		p.BuriedUntil = h.BuriedUntil
		if len(h.Reviews) == 0 && !p.Suspended && p.BuriedUntil.IsZero() {
			continue // a new card: nothing to store
		}
		nr := progressRec{num: rec.num, p: p}
		if im.write {
			if err := putProgress(tx, &nr); err != nil {
				return res, err
			}
			for _, e := range entries {
				e.rv.num = nr.num
				logs = append(logs, kv{string(e.key), encodeReview(e.rv)})
			}
		}
		res.Cards++
		res.Reviews += len(h.Reviews)
	}
	if !im.write {
		return res, nil
	}
	slices.SortFunc(logs, func(a, b kv) int { return strings.Compare(a.key, b.key) })
	lb.FillPercent = revlogFill
	for _, e := range logs {
		if err := lb.Put([]byte(e.key), e.value); err != nil {
			return res, err
		}
	}
	return res, nil
}
