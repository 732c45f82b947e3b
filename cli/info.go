package cli

import (
	"fmt"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
	"opsdeck/study"
)

type infoCmd struct {
	Card string `arg:"" name:"CARD-ID" help:"the card, <deck-id>/<slug>"`
	JSON bool   `name:"json" help:"print JSON"`
}

type infoJSON struct {
	searchCardOut
	Leech        bool            `json:"leech"`
	Added        *string         `json:"added"`
	FirstReview  *string         `json:"first_review"`
	LatestReview *string         `json:"latest_review"`
	History      []infoReviewOut `json:"history"`
	Curve        []float64       `json:"forgetting_curve"` // predicted recall 0..N days after the latest review
}

type infoReviewOut struct {
	Time           string  `json:"time"`
	Rating         int     `json:"rating"`
	State          string  `json:"state"` // before the review
	IntervalBefore int     `json:"interval_before"`
	IntervalAfter  int     `json:"interval_after"`
	Stability      float64 `json:"stability"`
	Difficulty     float64 `json:"difficulty"`
	DurationMs     int64   `json:"duration_ms"`
}

func (i infoCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbView)
	if err != nil {
		return err
	}
	defer done()
	now := c.now()
	lib, err := svc.Load(now)
	if err != nil {
		return err
	}
	ci, err := lib.Info(i.Card, now)
	if err != nil {
		return err
	}
	loc := svc.Store().Location()
	if !i.JSON {
		fmt.Fprintf(c.Stdout, "Q: %s\n\n%s\n", clean(firstLine(ci.Card.Front)), clean(stats.RenderCardInfo(ci, 80, loc)))
		return nil
	}
	when := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		s := t.In(loc).Format(time.RFC3339)
		return &s
	}
	out := infoJSON{Leech: ci.Progress.Leech, Added: when(ci.Card.Added), FirstReview: when(ci.FirstReview),
		LatestReview: when(ci.LatestReview), History: []infoReviewOut{}, Curve: ci.Curve}
	out.searchCardOut = cardOut(hitOf(ci), lib.Sched, now, loc)
	for _, r := range ci.History {
		out.History = append(out.History, infoReviewOut{Time: r.At.In(loc).Format(time.RFC3339), Rating: r.Rating,
			State: stats.StateName(fsrs.State(r.StateBefore)), IntervalBefore: r.LastInterval, IntervalAfter: r.Interval,
			Stability: r.Stability, Difficulty: r.Difficulty, DurationMs: r.Duration.Milliseconds()})
	}
	return printJSON(c, out)
}

func hitOf(ci stats.CardInfo) study.Hit {
	return study.Hit{SearchCard: &deck.SearchCard{Card: ci.Card, Progress: ci.Progress}}
}
