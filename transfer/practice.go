package transfer

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/store"
)

// ReviewKindHeader is the last column of export --revlog --all.
const ReviewKindHeader = "review_kind"

// WriteRevlogAll is WriteRevlog with the cram and mock grades merged in
// by time and a last column review_kind (study, cram or mock). A practice
// grade's intervals before and after are the card's scheduled interval,
// which it leaves alone.
func WriteRevlogAll(st *store.Store, w io.Writer) error {
	practice, err := st.PracticeLog()
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, RevlogHeader...), ReviewKindHeader)); err != nil {
		return err
	}
	row := func(num int64, at time.Time, rating, state int, took time.Duration, id string, last, next int, kind string) error {
		deckID, _, _ := strings.Cut(id, "/")
		return cw.Write([]string{
			strconv.FormatInt(num, 10), strconv.FormatInt(at.UnixMilli(), 10), strconv.Itoa(rating), strconv.Itoa(state),
			strconv.FormatInt(took.Milliseconds(), 10), deckID, id, strconv.Itoa(last), strconv.Itoa(next), kind,
		})
	}
	flush := func(before time.Time, all bool) error {
		for len(practice) > 0 && (all || practice[0].At.Before(before)) {
			p := practice[0]
			practice = practice[1:]
			if err := row(p.CardNumber, p.At, int(p.Rating), int(p.State), p.Duration, p.CardID, p.Interval, p.Interval, kindName(p.Kind)); err != nil {
				return err
			}
		}
		return nil
	}
	err = st.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
		if err := flush(e.At, false); err != nil {
			return err
		}
		return row(e.CardNumber, e.At, e.Rating, e.StateBefore, e.Duration, e.CardID, e.LastInterval, e.Interval, "study")
	})
	if err == nil {
		err = flush(time.Time{}, true)
	}
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return err
}

func kindName(k deck.PracticeKind) string { return k.String() }

// ExportRevlogAll writes WriteRevlogAll's CSV to out ("" or "-": stdout).
func ExportRevlogAll(st *store.Store, out string, stdout io.Writer) error {
	return Output(out, stdout, []string{st.Path()}, func(w io.Writer) error { return WriteRevlogAll(st, w) })
}
