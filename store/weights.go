package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck/fsrs"
)

// ApplyWeights saves w as the FSRS parameters and, in the same transaction,
// recomputes the memory state (stability and difficulty) of every card with
// history by replaying its review log with them. Due dates and intervals
// stay, unless reschedule: then each review card's interval becomes the one
// its new memory state gives from its last review. The undo history is
// cleared (it holds states computed with the old parameters). It returns the
// number of cards recomputed.
func (s *Store) ApplyWeights(w [21]float64, reschedule bool) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		st, err := readSettings(tx)
		if err != nil {
			return err
		}
		st.Weights = append([]float64(nil), w[:]...)
		sched, err := s.schedulerFor(st)
		if err != nil {
			return fmt.Errorf("parameters: %w", err)
		}
		type ev struct {
			at time.Time
			r  fsrs.Rating
		}
		hist := map[uint64][]ev{}
		c := tx.Bucket(bRevlog).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			r, ok := decodeReview(v)
			if !ok || len(k) != revKeyLen {
				return corrupt("review-log entry", k)
			}
			hist[r.num] = append(hist[r.num], ev{revKeyTime(k, s.loc), r.rating})
		}
		pb := tx.Bucket(bProgress)
		var changed []progressRec
		err = pb.ForEach(func(k, v []byte) error {
			rec, ok := decodeProgress(v, s.loc)
			if !ok {
				return corrupt("progress", k)
			}
			rec.p.CardID = string(k)
			h := hist[rec.num]
			if rec.placeholder || len(h) == 0 {
				return nil
			}
			var card fsrs.Card
			for _, e := range h {
				card = sched.Next(card, rec.p.CardID, e.at, e.r)
			}
			p := &rec.p.Sched
			p.Stability, p.Difficulty = card.Stability, card.Difficulty
			if reschedule && p.State == fsrs.Review && !p.LastReview.IsZero() {
				days := fsrs.NextInterval(w[20], p.Stability, st.DesiredRetention, st.MaximumInterval)
				p.ScheduledDays = days
				p.Due = p.LastReview.AddDate(0, 0, days)
			}
			changed = append(changed, rec)
			return nil
		})
		if err != nil {
			return err
		}
		for i := range changed {
			if err := putProgress(tx, &changed[i]); err != nil {
				return err
			}
			noteKey(tx, bProgress, changed[i].p.CardID)
		}
		n = len(changed)
		if err := clearUndo(tx); err != nil {
			return err
		}
		return putSettings(tx, st)
	})
	return n, err
}
