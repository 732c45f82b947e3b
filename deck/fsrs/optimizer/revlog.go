// Package optimizer fits the 21 FSRS-6 parameters to a review log the way
// fsrs-rs 6.5 (open-spaced-repetition/fsrs-rs) does: the same training
// items, outlier filter, pre-training of the initial stabilities, mini-batch
// Adam over length-sorted batches shuffled by the same random generator
// (Rust rand's StdRng), cosine annealing, L2 regularization toward the
// initial parameters, parameter clipping and choice of the best epoch, and
// the same evaluation metrics (recency-weighted log loss and RMSE over bins).
// It computes in float64 where fsrs-rs uses float32, with exact gradients
// (forward-mode differentiation with analytic local derivatives), so its
// results agree with fsrs-rs's to about 1e-6, not bit for bit.
//
// Typical use:
//
//	revs, err := optimizer.ReadRevlogFile(path)
//	items := optimizer.Items(revs, time.UTC, 4)
//	res, err := optimizer.Optimize(ctx, items, optimizer.Options{Progress: bar})
//	before, _ := optimizer.Evaluate(optimizer.DefaultWeights, items)
//	after, _ := optimizer.Evaluate(res.Weights, items)
//
// It imports the standard library and opsdeck/deck/fsrs only, and never reads
// the clock.
package optimizer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// Review is one entry of a review log.
type Review struct {
	CardID   int64
	Time     int64 // Unix milliseconds
	Rating   int   // 1 Again, 2 Hard, 3 Good, 4 Easy
	Duration int64 // milliseconds spent on the card (informational)
}

// ReadRevlogFile reads a review-log CSV file; see ReadRevlog.
func ReadRevlogFile(path string) ([]Review, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadRevlog(f, path)
}

// ReadRevlog reads a review-log CSV. The header names the columns, in any
// order; card_id, review_time and review_rating are required and
// review_duration is optional. Two formats are known: the FSRS CSV
// (`card_id,review_rating,review_time,review_duration`, ISO 8601 times) and
// opsdeck's `export --revlog` (`card_id,review_time,review_rating,
// review_state,review_duration,...`, Unix-millisecond times); a review_time
// that is all digits is Unix milliseconds, anything else must be RFC 3339.
// Blank lines are skipped. Errors name the place as name:line.
func ReadRevlog(r io.Reader, name string) ([]Review, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	errf := func(format string, a ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}

	// Header.
	var header []byte
	for sc.Scan() {
		line++
		header = bytes.TrimSpace(sc.Bytes())
		header = bytes.TrimPrefix(header, []byte("\xef\xbb\xbf"))
		if len(header) > 0 {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(header) == 0 {
		return nil, fmt.Errorf("%s: empty file, want a CSV header", name)
	}
	colCard, colTime, colRating, colDur := -1, -1, -1, -1
	ncols := 0
	for i, f := range bytes.Split(header, []byte(",")) {
		ncols++
		switch string(bytes.ToLower(bytes.TrimSpace(f))) {
		case "card_id":
			colCard = i
		case "review_time":
			colTime = i
		case "review_rating":
			colRating = i
		case "review_duration":
			colDur = i
		}
	}
	var missing []string
	if colCard < 0 {
		missing = append(missing, "card_id")
	}
	if colTime < 0 {
		missing = append(missing, "review_time")
	}
	if colRating < 0 {
		missing = append(missing, "review_rating")
	}
	if missing != nil {
		return nil, errf("header lacks column(s) %v; want card_id, review_time, review_rating", missing)
	}
	maxCol := max(colCard, colTime, colRating, colDur)

	var out []Review
	fields := make([][]byte, 0, ncols)
	for sc.Scan() {
		line++
		b := bytes.TrimRight(sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		fields = fields[:0]
		for {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				fields = append(fields, b)
				break
			}
			fields = append(fields, b[:i])
			b = b[i+1:]
		}
		if len(fields) <= maxCol {
			return nil, errf("%d field(s), want at least %d", len(fields), maxCol+1)
		}
		var rv Review
		id, ok := parseInt(fields[colCard])
		if !ok {
			return nil, errf("card_id %q is not an integer", fields[colCard])
		}
		rv.CardID = id
		rating, ok := parseInt(fields[colRating])
		if !ok || rating < 1 || rating > 4 {
			return nil, errf("review_rating %q is not 1-4", fields[colRating])
		}
		rv.Rating = int(rating)
		tf := bytes.TrimSpace(fields[colTime])
		if ms, ok := parseInt(tf); ok {
			rv.Time = ms
		} else {
			t, err := time.Parse(time.RFC3339Nano, string(tf))
			if err != nil {
				return nil, errf("review_time %q is neither Unix milliseconds nor an RFC 3339 time", tf)
			}
			rv.Time = t.UnixMilli()
		}
		if colDur >= 0 {
			if df := bytes.TrimSpace(fields[colDur]); len(df) > 0 {
				d, ok := parseInt(df)
				if !ok {
					if f, err := strconv.ParseFloat(string(df), 64); err == nil {
						d, ok = int64(f), true
					}
				}
				if !ok {
					return nil, errf("review_duration %q is not a number", df)
				}
				rv.Duration = d
			}
		}
		out = append(out, rv)
	}
	if err := sc.Err(); err != nil {
		return nil, errf("%v", err)
	}
	return out, nil
}

// parseInt parses an optionally signed decimal integer without allocating.
func parseInt(b []byte) (int64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
