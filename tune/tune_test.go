package tune

import (
	"context"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/fsrs/optimizer"
)

func TestTooFewReviewsAreNotFitted(t *testing.T) {
	sched, err := fsrs.NewScheduler(fsrs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	log := []deck.Review{{CardID: "a/b", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Rating: 3}}
	f := Prepare(log, sched, deck.DefaultSettings())
	if f.TooFew == "" || f.Better() || f.Reviews != 1 {
		t.Fatalf("%+v", f)
	}
	called := false
	err = f.Run(context.Background(), func(context.Context, []optimizer.Item, optimizer.Options) (optimizer.Result, error) {
		called = true
		return optimizer.Result{}, nil
	}, nil)
	if err != nil || called {
		t.Fatalf("a too-small history was fitted: %v %v", err, called)
	}
}

func TestReviewsNumberCardsInOrderOfFirstAppearance(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	got := Reviews([]deck.Review{{CardID: "x/2", At: at, Rating: 3}, {CardID: "x/1", At: at, Rating: 1}, {CardID: "x/2", At: at, Rating: 4}})
	if len(got) != 3 || got[0].CardID != 1 || got[1].CardID != 2 || got[2].CardID != 1 || got[1].Rating != 1 {
		t.Fatalf("%+v", got)
	}
}
