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
	"errors"
	"fmt"
	"io"
	"math"
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

// Limits of ReadRevlog.
const (
	maxRevlogLine    = 1 << 20    // bytes in one line
	MaxRevlogReviews = 20_000_000 // reviews in one file (about 640 MB held)
	maxDurationMs    = 86_400_000 // one day
)

// The review times ReadRevlog accepts: 1970-01-01 to 2200-01-01 (UTC).
var (
	minRevlogMs = int64(0)
	maxRevlogMs = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
)

// ReadRevlog reads a review-log CSV. The header names the columns, in any
// order; card_id, review_time and review_rating are required and
// review_duration is optional. Two formats are known: the FSRS CSV
// (`card_id,review_rating,review_time,review_duration`, ISO 8601 times) and
// opsdeck's `export --revlog` (`card_id,review_time,review_rating,
// review_state,review_duration,...`, Unix-millisecond times); a review_time
// that is all digits is Unix milliseconds, anything else must be RFC 3339.
// Fields may be quoted as in CSV ("card_id"), but not span lines. Blank
// lines are skipped.
//
// It is strict, and every error names the place as name:line: an integer
// that does not fit in 64 bits, a time before 1970 or from 2200 on, a
// duration that is not a finite number of milliseconds from 0 to one day,
// a rating outside 1-4, a row with more or fewer fields than the header, a
// line longer than 1 MiB, more than MaxRevlogReviews reviews. A file with a
// header and no review is an error too.
func ReadRevlog(r io.Reader, name string) ([]Review, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxRevlogLine+2)
	line := 0
	errf := func(format string, a ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	scanErr := func() error {
		err := sc.Err()
		if errors.Is(err, bufio.ErrTooLong) {
			line++
			return errf("line %d is longer than 1 MiB", line)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	var fields [][]byte
	var scratch []byte

	// Header.
	var header []byte
	for sc.Scan() {
		line++
		header = bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			header = bytes.TrimPrefix(header, []byte("\xef\xbb\xbf"))
		}
		if len(header) > 0 {
			break
		}
	}
	if err := scanErr(); err != nil {
		return nil, err
	}
	if len(header) == 0 {
		return nil, fmt.Errorf("%s: empty file, want a CSV header", name)
	}
	fields, scratch, err := splitCSV(header, fields, scratch)
	if err != "" {
		return nil, errf("header: %s", err)
	}
	colCard, colTime, colRating, colDur := -1, -1, -1, -1
	ncols := len(fields)
	seen := map[string]bool{}
	for i, f := range fields {
		col := string(bytes.ToLower(bytes.TrimSpace(f)))
		if col != "" && seen[col] {
			return nil, errf("header names column %q twice", col)
		}
		seen[col] = true
		switch col {
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

	var out []Review
	for sc.Scan() {
		line++
		b := bytes.TrimRight(sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var bad string
		fields, scratch, bad = splitCSV(b, fields[:0], scratch[:0])
		if bad != "" {
			return nil, errf("%s", bad)
		}
		if len(fields) != ncols {
			return nil, errf("%d field(s), want %d as in the header", len(fields), ncols)
		}
		if len(out) >= MaxRevlogReviews {
			return nil, errf("more than %d reviews in one file", MaxRevlogReviews)
		}
		var rv Review
		id, ok := parseInt(fields[colCard])
		if !ok {
			return nil, errf("card_id %q is not a 64-bit integer", fields[colCard])
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
		} else if allDigits(tf) {
			return nil, errf("review_time %q does not fit in 64 bits", tf)
		} else {
			t, err := time.Parse(time.RFC3339Nano, string(tf))
			if err != nil {
				return nil, errf("review_time %q is neither Unix milliseconds nor an RFC 3339 time", tf)
			}
			if t.Year() < 1970 || t.Year() >= 2200 {
				return nil, errf("review_time %q is outside 1970-2199", tf)
			}
			rv.Time = t.UnixMilli()
		}
		if rv.Time < minRevlogMs || rv.Time >= maxRevlogMs {
			return nil, errf("review_time %q is outside 1970-2199 (as Unix milliseconds)", tf)
		}
		if colDur >= 0 {
			if df := bytes.TrimSpace(fields[colDur]); len(df) > 0 {
				d, ok := parseInt(df)
				if !ok && !allDigits(df) {
					if f, err := strconv.ParseFloat(string(df), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) &&
						f >= 0 && f <= maxDurationMs {
						d, ok = int64(f), true
					} else if err == nil || errors.Is(err, strconv.ErrRange) {
						return nil, errf("review_duration %q is not a number of milliseconds from 0 to %d (one day)", df, maxDurationMs)
					}
				}
				if !ok {
					return nil, errf("review_duration %q is not a number", df)
				}
				if d < 0 || d > maxDurationMs {
					return nil, errf("review_duration %q is not a number of milliseconds from 0 to %d (one day)", df, maxDurationMs)
				}
				rv.Duration = d
			}
		}
		out = append(out, rv)
	}
	if err := scanErr(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no reviews after the header", name)
	}
	return out, nil
}

// splitCSV splits one CSV line at commas into fields, appending them to
// fields: a field may be quoted ("a, b" with "" for a quote), and an
// unquoted field may not hold a quote. Quoted fields are unquoted into
// scratch. It returns what is wrong, or "".
func splitCSV(b []byte, fields [][]byte, scratch []byte) ([][]byte, []byte, string) {
	if bytes.IndexByte(b, '"') < 0 { // the common case: no quote, no copy
		for {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				return append(fields, b), scratch, ""
			}
			fields = append(fields, b[:i])
			b = b[i+1:]
		}
	}
	// Quoted fields: unquote into scratch, which must not move while the
	// fields point into it, so size it first.
	if cap(scratch) < len(b) {
		scratch = make([]byte, 0, len(b))
	}
	scratch = scratch[:0]
	for {
		t := bytes.TrimLeft(b, " ")
		if len(t) > 0 && t[0] == '"' {
			start := len(scratch)
			i := 1
			for {
				j := bytes.IndexByte(t[i:], '"')
				if j < 0 {
					return fields, scratch, "a quoted field does not end on its line"
				}
				scratch = append(scratch, t[i:i+j]...)
				i += j + 1
				if i < len(t) && t[i] == '"' {
					scratch = append(scratch, '"')
					i++
					continue
				}
				break
			}
			fields = append(fields, scratch[start:len(scratch):len(scratch)])
			rest := bytes.TrimLeft(t[i:], " ")
			if len(rest) == 0 {
				return fields, scratch, ""
			}
			if rest[0] != ',' {
				return fields, scratch, "text after a quoted field (quote the whole field)"
			}
			b = rest[1:]
			continue
		}
		i := bytes.IndexByte(b, ',')
		f := b
		if i >= 0 {
			f = b[:i]
		}
		if bytes.IndexByte(f, '"') >= 0 {
			return fields, scratch, "a quote inside an unquoted field (quote the field and double the quote)"
		}
		fields = append(fields, f)
		if i < 0 {
			return fields, scratch, ""
		}
		b = b[i+1:]
	}
}

func allDigits(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseInt parses an optionally signed decimal integer that fits in an
// int64, without allocating.
func parseInt(b []byte) (int64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
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
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxUint64-9)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		if n > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(n), true // 1<<63 wraps to MinInt64, as it should
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}
