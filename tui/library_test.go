package tui

import (
	"fmt"
	"math"
	"opsdeck/study"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// mixed is a library with cards in every state and a review streak.
func mixed() *fakeRepo {
	f := newFake(testDecks()...)
	f.settings.NewPerDay = 2
	f.settings.ReviewsPerDay = 2
	f.prog["alpha/card-1"] = reviewCard("alpha/card-1", testNow.Add(-time.Hour), 3)
	f.prog["alpha/card-2"] = reviewCard("alpha/card-2", testNow.Add(-2*time.Hour), 9)
	f.prog["alpha/card-3"] = reviewCard("alpha/card-3", testNow.Add(-3*time.Hour), 30)
	learn := reviewCard("beta/card-1", testNow.Add(5*time.Minute), 0)
	learn.Sched.State = fsrs.Learning
	f.prog["beta/card-1"] = learn
	inter := reviewCard("beta/card-2", testNow.Add(time.Hour), 2)
	inter.Sched.State = fsrs.Relearning // a day-long relearning step: counts as a review
	f.prog["beta/card-2"] = inter
	susp := reviewCard("mine/card-1", testNow.Add(-time.Hour), 3)
	susp.Suspended = true
	f.prog["mine/card-1"] = susp
	f.prog["mine/card-2"] = deck.Progress{CardID: "mine/card-2", BuriedUntil: testNow.Add(19 * time.Hour)}
	for d := 0; d < 4; d++ { // yesterday and the three days before, none today
		f.reviews = append(f.reviews, deck.Review{CardID: "alpha/card-4", At: testNow.AddDate(0, 0, -4+d).Add(time.Hour), Rating: 3, StateBefore: 2, LastInterval: 1})
	}
	f.reviews = append([]deck.Review{{CardID: "alpha/card-4", At: testNow.AddDate(0, 0, -9), Rating: 3}}, f.reviews...)
	return f
}

// The dashboard's one-pass figures agree with the queue a session builds
// and with deck/stats.
func TestDashboardFiguresMatchQueueAndStats(t *testing.T) {
	for _, f := range []*fakeRepo{mixed(), newFake(testDecks()...)} {
		lib, err := study.Load(f, testNow)
		if err != nil {
			t.Fatal(err)
		}
		res, err := lib.ComputeStats()
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range lib.Decks {
			want := mustSession(lib, d.ID).Queue.Counts()
			if got := lib.Dash.Decks[i].Counts; got != want {
				t.Errorf("%s: dashboard %+v, queue %+v", d.ID, got, want)
			}
			if !sameRecall(lib.Dash.Decks[i].Recall, res.Report.Decks[i].Retrievability) {
				t.Errorf("%s: recall differs from stats", d.ID)
			}
		}
		if got, want := lib.Dash.Total.Counts, mustSession(lib, "").Queue.Counts(); got != want {
			t.Errorf("total: dashboard %+v, queue %+v", got, want)
		}
		if !sameRecall(lib.Dash.Total.Recall, res.Report.Total.Retrievability) {
			t.Error("total recall differs from stats")
		}
		if lib.Dash.Streak != res.Total.Activity.CurrentStreak {
			t.Errorf("streak %d, stats %d", lib.Dash.Streak, res.Total.Activity.CurrentStreak)
		}
		if lib.Dash.ReviewedToday != res.Report.Total.Reviews.Today || lib.Dash.TimeToday != res.Total.Activity.TimeToday {
			t.Error("today's reviews differ from stats")
		}
	}
	lib, _ := study.Load(mixed(), testNow)
	if lib.Dash.Streak != 4 {
		t.Fatalf("streak %d, want 4", lib.Dash.Streak)
	}
	// Three reviews due, a review limit of 2: the review limit leaves no
	// room for new cards (Anki's default), unless new cards ignore it.
	if c := lib.Dash.Decks[0].Counts; c.Review != 2 || c.New != 0 {
		t.Fatalf("alpha %+v: limits not applied", c)
	}
	f := mixed()
	f.settings.NewIgnoresReviewLimit = true
	lib, _ = study.Load(f, testNow)
	if c := lib.Dash.Decks[0].Counts; c.Review != 2 || c.New != 2 {
		t.Fatalf("alpha with new cards ignoring the review limit %+v", c)
	}
	if got, want := lib.Dash.Decks[0].Counts, mustSession(lib, "alpha").Queue.Counts(); got != want {
		t.Errorf("alpha: dashboard %+v, queue %+v", got, want)
	}
}

// The review limit also limits new cards (Anki's default), and new cards
// studied today count against it; a setting turns that off.
func TestReviewLimitLimitsNewCards(t *testing.T) {
	f := newFake(testDecks()...)
	f.settings.ReviewsPerDay = 3
	f.settings.NewPerDay = 20
	for i := 1; i <= 2; i++ { // two reviews due
		id := fmt.Sprintf("alpha/card-%d", i)
		f.prog[id] = reviewCard(id, testNow.Add(-time.Hour), 3)
	}
	// One new card studied today.
	f.reviews = append(f.reviews, deck.Review{CardID: "beta/card-1", At: testNow.Add(-time.Hour), Rating: 3, StateBefore: 0})
	lib, _ := study.Load(f, testNow)
	if c := lib.Dash.Total.Counts; c.Review != 2 || c.New != 0 {
		t.Errorf("limit 3, 1 new done, 2 reviews due: %+v, want 2 reviews and no new", c)
	}
	f.settings.ReviewsPerDay = 5
	lib, _ = study.Load(f, testNow)
	if c := lib.Dash.Total.Counts; c.Review != 2 || c.New != 2 {
		t.Errorf("limit 5, 1 new done, 2 reviews due: %+v, want 2 reviews and 2 new", c)
	}
	f.settings.NewIgnoresReviewLimit = true
	f.settings.ReviewsPerDay = 2
	lib, _ = study.Load(f, testNow)
	if c := lib.Dash.Total.Counts; c.Review != 2 || c.New != 8 {
		t.Errorf("new cards ignoring the review limit: %+v, want 2 reviews and all 8 new", c)
	}
}

func sameRecall(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func mustSession(lib *study.Library, deckID string) *study.Session {
	s, err := lib.Session(deckID, testNow)
	if err != nil {
		panic(err)
	}
	return s
}
