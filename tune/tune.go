// Package tune is the application layer's optimize flow, written once for
// both front ends: read the review history, refuse a history too small to
// fit, fit the FSRS parameters, compare how well the current and the fitted
// parameters predict the log, and save only a fit that is better.
package tune

import (
	"context"
	"errors"
	"fmt"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/fsrs/optimizer"
)

// MinReviews is the smallest review log that is fitted: below it (or below
// optimizer.DefaultMinItems training items) the current parameters stay.
const MinReviews = 400

// OptimizeFunc is optimizer.Optimize's signature (tests wrap it).
type OptimizeFunc func(ctx context.Context, items []optimizer.Item, opt optimizer.Options) (optimizer.Result, error)

// Fit is the outcome of a fit.
type Fit struct {
	Reviews, Items  int
	TooFew          string // why nothing was fitted; "" when it was
	Current, Fitted [optimizer.NumParams]float64
	Before, After   optimizer.Metrics

	items   []optimizer.Item
	relearn int
}

// Better reports whether the fitted parameters predict the log better
// than the current ones (only such a fit may be saved).
func (f *Fit) Better() bool { return f.TooFew == "" && f.After.LogLoss < f.Before.LogLoss }

// Prepare turns the review log into training items with the current
// scheduler's parameters and day boundaries; TooFew says when the history
// is too small to fit.
func Prepare(log []deck.Review, sched *fsrs.Scheduler, settings deck.Settings) *Fit {
	p := sched.Params()
	reviews := Reviews(log)
	items := optimizer.Items(reviews, p.Location, settings.DayStartHour)
	f := &Fit{Reviews: len(reviews), Items: len(items), Current: p.W, items: items, relearn: len(settings.RelearningSteps)}
	if len(reviews) < MinReviews || len(items) < optimizer.DefaultMinItems {
		f.TooFew = fmt.Sprintf("%d reviews (%d training items) are too few to fit reliably: at least a few hundred are needed.",
			len(reviews), len(items))
	}
	return f
}

// Run fits the parameters (optimize nil: optimizer.Optimize), reporting
// progress, and evaluates the current and the fitted parameters. The
// optimizer's own "not enough data" sets TooFew instead of an error.
func (f *Fit) Run(ctx context.Context, optimize OptimizeFunc, progress func(done, total int)) error {
	if f.TooFew != "" {
		return nil
	}
	if optimize == nil {
		optimize = optimizer.Optimize
	}
	before, err := optimizer.Evaluate(f.Current, f.items)
	if err != nil {
		return err
	}
	res, err := optimize(ctx, f.items, optimizer.Options{Progress: progress, RelearningSteps: f.relearn})
	var nd *optimizer.NotEnoughDataError
	if errors.As(err, &nd) {
		f.TooFew = fmt.Sprintf("%d reviews, %d training items: %v.", f.Reviews, f.Items, nd)
		return nil
	} else if err != nil {
		return err
	}
	after, err := optimizer.Evaluate(res.Weights, f.items)
	if err != nil {
		return err
	}
	f.Fitted, f.Before, f.After = res.Weights, before, after
	return nil
}

// Reviews numbers the log's cards (in order of first appearance) for the
// optimizer, which groups reviews by that number.
func Reviews(log []deck.Review) []optimizer.Review {
	nums := make(map[string]int64)
	out := make([]optimizer.Review, 0, len(log))
	for _, r := range log {
		n, ok := nums[r.CardID]
		if !ok {
			n = int64(len(nums) + 1)
			nums[r.CardID] = n
		}
		out = append(out, optimizer.Review{CardID: n, Time: r.At.UnixMilli(), Rating: r.Rating, Duration: r.Duration.Milliseconds()})
	}
	return out
}

// FitFile fits the parameters to an FSRS-format review-log CSV, with days
// starting at dayStart in loc, against the default parameters.
func FitFile(ctx context.Context, path string, loc *time.Location, dayStart int, progress func(done, total int)) (*Fit, error) {
	reviews, err := optimizer.ReadRevlogFile(path)
	if err != nil {
		return nil, err
	}
	items := optimizer.Items(reviews, loc, dayStart)
	f := &Fit{Reviews: len(reviews), Items: len(items), Current: fsrs.DefaultWeights, items: items}
	if err := f.Run(ctx, nil, progress); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}
