package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// oneDeck is a library of one built-in deck with n new cards.
func oneDeck(n int) *fakeRepo {
	d := deck.Deck{ID: "solo", Title: "Solo", Builtin: true}
	for i := 1; i <= n; i++ {
		s := fmt.Sprintf("c%d", i)
		d.Cards = append(d.Cards, deck.Card{ID: "solo/" + s, Deck: "solo", Slug: s, Line: i,
			Front: fmt.Sprintf("Q%d?", i), Back: fmt.Sprintf("A%d.", i), Tags: []string{"tag" + s}})
	}
	return newFake(d)
}

func TestReviewRevealShowsIntervalsOnTheButtons(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter")
	if h.m.cur != scrReview {
		t.Fatalf("enter opened %v", h.m.cur)
	}
	h.mustSee("Q1?", "Solo · new · tags: tagc1", "1/3 · new 3 · learn 0 · review 0", "space or enter shows the answer")
	h.mustNotSee("A1.", "Again")
	// A grade before the answer is shown does nothing.
	h.keys("3")
	if n := strings.Count(strings.Join(h.repo.calls, ","), "Grade"); n != 0 {
		t.Fatalf("3 before reveal graded (%d calls)", n)
	}
	h.keys("space")
	h.mustSee("A1.", "1 Again 1m   2 Hard 6m   3 Good 10m   4 Easy ")
	// Easy on a new card: the interval the scheduler previews.
	pv := h.m.review.sched.Preview(fsrs.Card{}, "solo/c1", testNow)
	h.mustSee(fmt.Sprintf("4 Easy %dd", pv[3].ScheduledDays))
	checkFrame(t, h.view(), 80, 24)
}

func TestReviewGradeIsCommittedBeforeTheNextCard(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space")
	r := h.m.review
	// Keys in, commands out: the grade key only starts the store call.
	r2, cmd := r.update(keyMsg("3"))
	if cmd == nil || r2.pending == 0 || r2.cur.Card.ID != "solo/c1" {
		t.Fatalf("grade key: pending %d card %s", r2.pending, r2.cur.Card.ID)
	}
	// While it is in flight, other keys wait.
	r3, cmd3 := r2.update(keyMsg("4"))
	if cmd3 != nil || r3.pending != r2.pending {
		t.Fatal("a second grade was started while the first was in flight")
	}
	if r2.view() == "" || !strings.Contains(r2.view(), "saving…") {
		t.Fatalf("no saving note:\n%s", r2.view())
	}
	// A failed grade keeps the card, revealed, and says why.
	r4, cmd4 := r2.update(gradedMsg{op: r2.pending, cardID: "solo/c1", rating: fsrs.Good, err: errDiskFull})
	if r4.cur.Card.ID != "solo/c1" || !r4.revealed || r4.pending != 0 || r4.reviewed() != 0 {
		t.Fatalf("after a failed grade: card %s revealed %v reviewed %d", r4.cur.Card.ID, r4.revealed, r4.reviewed())
	}
	if st, ok := cmd4().(statusMsg); !ok || !st.err || !strings.Contains(st.text, "no space left on device") {
		t.Fatalf("failed grade status: %#v", cmd4())
	}
	// A result for another operation is dropped.
	r5, _ := r2.update(gradedMsg{op: r2.pending + 1000, cardID: "solo/c1", rating: fsrs.Good})
	if r5.pending != r2.pending || r5.cur.Card.ID != "solo/c1" {
		t.Fatal("a stale grade result was taken")
	}
	// The real result moves on.
	msg := cmd()
	g := inner(msg).(gradedMsg)
	if g.err != nil {
		t.Fatal(g.err)
	}
	r6, _ := r2.update(g)
	if r6.cur.Card.ID != "solo/c2" || r6.revealed || r6.reviewed() != 1 {
		t.Fatalf("after the grade: card %s reviewed %d", r6.cur.Card.ID, r6.reviewed())
	}
}

func TestReviewStoreErrorThroughTheRoot(t *testing.T) {
	h := newHarness(t, oneDeck(2))
	h.keys("enter", "space")
	h.repo.errs["Grade"] = errDiskFull
	h.keys("3")
	h.mustSee("Q1?", "A1.", "error: grade not saved", "no space left")
	if _, ok := h.repo.progress("solo/c1"); ok {
		t.Fatal("the fake saved a failed grade")
	}
	h.keys("3") // retry works
	h.mustSee("Q2?")
	if p, ok := h.repo.progress("solo/c1"); !ok || p.Sched.State != fsrs.Learning {
		t.Fatalf("retry not saved: %+v", p)
	}
}

func TestReviewUndoAcrossCards(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space", "3", "space", "4")
	h.mustSee("Q3?")
	if h.m.review.reviewed() != 2 {
		t.Fatalf("reviewed %d", h.m.review.reviewed())
	}
	h.keys("u")
	h.mustSee("Q2?", "Undid the grade of solo/c2")
	h.mustNotSee("A2.")
	if _, ok := h.repo.progress("solo/c2"); ok {
		t.Fatal("undo left c2's progress")
	}
	h.keys("u")
	h.mustSee("Q1?")
	if _, ok := h.repo.progress("solo/c1"); ok || len(h.repo.reviews) != 0 {
		t.Fatal("second undo did not reach c1")
	}
	if h.m.review.keys.Undo.Enabled() {
		t.Fatal("undo offered with nothing of this session left")
	}
	h.keys("u")
	if n := strings.Count(strings.Join(h.repo.calls, ","), "Undo"); n != 2 {
		t.Fatalf("%d Undo calls, want 2", n)
	}
	// Grading again after undo records the new grade.
	h.keys("space", "1")
	if p, _ := h.repo.progress("solo/c1"); p.Sched.Reps != 1 || len(h.repo.reviews) != 1 || h.repo.reviews[0].Rating != 1 {
		t.Fatalf("regrade: %+v %+v", p, h.repo.reviews)
	}
}

func TestReviewUndoFromTheSummary(t *testing.T) {
	h := newHarness(t, oneDeck(1))
	h.keys("enter", "space", "4") // easy: out for days
	h.mustSee("Session complete", "cards     1", "accuracy  100%")
	h.keys("u")
	h.mustSee("Q1?")
	if h.m.review.reviewed() != 0 {
		t.Fatal("undo did not take the grade off the session")
	}
}

func TestReviewSummary(t *testing.T) {
	f := oneDeck(3)
	h := newHarness(t, f)
	h.keys("enter")
	h.clock = h.clock.Add(5 * time.Second)
	h.keys("space")
	h.clock = h.clock.Add(5 * time.Second)
	h.keys("4")
	h.clock = h.clock.Add(20 * time.Second)
	h.keys("space", "4")
	h.clock = h.clock.Add(3 * time.Minute) // a break: capped at 60 s
	h.keys("space", "4")
	h.mustSee("Session complete · Everything due", "cards     3   (again 0 · hard 0 · good 0 · easy 3)",
		"accuracy  100%   (3 of 3 not Again)", "time      1m   (30s a card)", "Next card due ")
	if d := f.reviews[0].Duration; d != 10*time.Second {
		t.Fatalf("first card took %v, want 10s", d)
	}
	if d := f.reviews[2].Duration; d != maxAnswerTime {
		t.Fatalf("third card took %v, want the cap", d)
	}
	checkFrame(t, h.view(), 80, 24)
	h.keys("q")
	if h.m.cur != scrDashboard {
		t.Fatal("q on the summary did not go back")
	}
	h.mustSee("reviewed 3")
}

func TestReviewQuitMidSessionShowsSummaryAndContinues(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space", "4", "q")
	h.mustSee("Session paused", "2 cards left in this session: press enter to go on.")
	h.keys("enter")
	h.mustSee("Q2?")
	// Nothing graded: q leaves at once.
	h2 := newHarness(t, oneDeck(3))
	h2.keys("enter", "q")
	if h2.m.cur != scrDashboard {
		t.Fatal("q with nothing graded did not go back")
	}
}

func TestReviewLearningCardComesBackLater(t *testing.T) {
	f := oneDeck(1)
	f.settings.LearningSteps = []time.Duration{time.Hour}
	h := newHarness(t, f)
	h.keys("enter", "space", "1")
	// Due in an hour: beyond the 20-minute learn-ahead.
	h.mustSee("Done for now", "A learning card comes back at 10:00 (in 1h00m); press enter then.")
	h.mustNotSee("Next card due")
	h.keys("enter")
	if !strings.Contains(h.status(), "Not yet") {
		t.Fatalf("enter too early: status %q", h.status())
	}
	// The summary's tick keeps its clock; at 09:45 the card is within the
	// learn-ahead limit and enter shows it.
	h.clock = testNow.Add(45 * time.Minute)
	h.send(tickMsg{op: h.m.review.tickTag})
	h.mustSee("1 card left in this session")
	h.keys("enter")
	h.mustSee("Q1?", "learning")
}

func TestReviewLearnAheadShowsShortStepAtOnce(t *testing.T) {
	h := newHarness(t, oneDeck(1))
	h.keys("enter", "space", "3") // Good: the 10m step, within 20 minutes
	h.mustSee("Q1?", "Solo · learning")
}

func TestReviewBuryAndSuspend(t *testing.T) {
	f := oneDeck(3)
	h := newHarness(t, f)
	h.keys("enter", "-")
	h.mustSee("Q2?")
	p, _ := f.progress("solo/c1")
	want := time.Date(2026, 3, 3, 4, 0, 0, 0, time.UTC)
	if !p.BuriedUntil.Equal(want) {
		t.Fatalf("buried until %v, want %v", p.BuriedUntil, want)
	}
	if !strings.Contains(h.status(), "Buried solo/c1 until tomorrow from 04:00") {
		t.Fatalf("status %q", h.status())
	}
	h.keys("@")
	h.mustSee("Q3?")
	if p, _ := f.progress("solo/c2"); !p.Suspended {
		t.Fatal("@ did not suspend")
	}
	f.errs["Bury"] = errDiskFull
	h.keys("-")
	h.mustSee("Q3?", "error: bury failed")
}

func TestReviewEditInPlaceKeepsSchedule(t *testing.T) {
	f := oneDeck(2)
	f.prog["solo/c1"] = reviewCard("solo/c1", testNow.Add(-time.Hour), 4)
	h := newHarness(t, f)
	h.keys("enter")
	h.mustSee("Q1?", "Solo · review")
	h.keys("e")
	if h.m.cur != scrEdit || h.m.edit.add {
		t.Fatalf("e opened %v", h.m.cur)
	}
	h.typeText(" Really")
	h.keys("ctrl+s")
	if h.m.cur != scrReview {
		t.Fatalf("save returned to %v", h.m.cur)
	}
	h.mustSee("Q1? Really", "Saved solo/c1")
	if f.decks[0].Cards[0].Front != "Q1? Really" {
		t.Fatalf("store has %q", f.decks[0].Cards[0].Front)
	}
	if p, _ := f.progress("solo/c1"); p.Sched.Reps != 3 || p.Sched.State != fsrs.Review {
		t.Fatal("edit changed the schedule")
	}
	h.keys("space", "3")
	if p, _ := f.progress("solo/c1"); p.Sched.Reps != 4 {
		t.Fatal("grading after the edit did not reach the edited card")
	}
}

func TestReviewLongAnswerScrollsAndCodeIsSetApart(t *testing.T) {
	d := deck.Deck{ID: "long", Title: "Long", Builtin: true}
	var back []string
	for i := 1; i <= 40; i++ {
		back = append(back, fmt.Sprintf("line %d of the answer", i))
	}
	back = append(back, "```yaml", "spec:", "  replicas: 3", "```", "The end.")
	d.Cards = []deck.Card{{ID: "long/x", Deck: "long", Slug: "x", Line: 1, Front: "Long one?", Back: strings.Join(back, "\n")}}
	h := newHarness(t, newFake(d))
	h.keys("enter", "space")
	if !h.m.review.keys.Down.Enabled() {
		t.Fatal("scrolling not offered for a long answer")
	}
	h.mustSee("↓ more", "line 1 of the answer")
	h.mustNotSee("The end.")
	for i := 0; i < 40; i++ {
		h.keys("j")
	}
	h.mustSee("The end.", "┌─ yaml", "│ spec:", "│   replicas: 3", "└─")
	h.mustNotSee("```")
	h.keys("k")
	if h.m.review.vp.AtBottom() {
		t.Fatal("k did not scroll up")
	}
	checkFrame(t, h.view(), 80, 24)
}

func TestReviewLeechIsReported(t *testing.T) {
	f := oneDeck(1)
	f.settings.LeechThreshold = 1
	f.settings.LeechAction = deck.LeechSuspend
	f.prog["solo/c1"] = reviewCard("solo/c1", testNow.Add(-time.Hour), 4)
	h := newHarness(t, f)
	h.keys("enter", "space", "1")
	if !strings.Contains(h.status(), "leech and was suspended") {
		t.Fatalf("status %q", h.status())
	}
	h.mustSee("Session complete")
}

func TestReviewQueueOrderAndLimits(t *testing.T) {
	f := newFake(testDecks()...)
	f.settings.NewPerDay = 3
	// One new card of alpha studied today already: 2 more for everything.
	f.reviews = []deck.Review{{CardID: "alpha/card-5", At: testNow.Add(-time.Hour), Rating: 3, StateBefore: 0}}
	f.prog["alpha/card-5"] = reviewCard("alpha/card-5", testNow.AddDate(0, 0, 2), 2)
	f.prog["beta/card-3"] = reviewCard("beta/card-3", testNow.Add(-2*time.Hour), 3)
	h := newHarness(t, f)
	h.keys("enter")
	// The review first, then new cards, areas taking turns.
	var order []string
	for i := 0; i < 3; i++ {
		order = append(order, h.m.review.cur.Card.ID)
		h.keys("space", "4")
	}
	want := []string{"beta/card-3", "alpha/card-1", "beta/card-1"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("order %v, want %v", order, want)
	}
	h.mustSee("Session complete")
}

func TestReviewNothingDueStaysOnDashboard(t *testing.T) {
	f := oneDeck(1)
	f.prog["solo/c1"] = reviewCard("solo/c1", testNow.AddDate(0, 0, 2), 4)
	h := newHarness(t, f)
	h.keys("enter")
	if h.m.cur != scrDashboard || !strings.Contains(h.status(), "Nothing to study in Everything due now; next card due on Wed 4 Mar") {
		t.Fatalf("screen %v status %q", h.m.cur, h.status())
	}
}

func TestReviewStartWaitsForFreshData(t *testing.T) {
	h := newHarness(t, oneDeck(2))
	h.keys("enter", "space", "4", "q", "q")
	// Back on the dashboard the data were reloaded: c1 is not new any more.
	if h.m.stale || h.m.lib.Progress["solo/c1"].Sched.State != fsrs.Review {
		t.Fatal("dashboard not reloaded after the session")
	}
	// A start while a load is in flight waits for it.
	h.m.loading = true
	h.m.loadSeq++
	h.send(startReviewMsg{})
	if h.m.cur != scrDashboard || h.m.pending == nil {
		t.Fatal("start did not wait for the load")
	}
	h.run(loadCmd(h.repo, h.clock, h.m.loadSeq))
	if h.m.cur != scrReview || h.m.review.cur.Card.ID != "solo/c2" {
		t.Fatalf("after the load: %v %s", h.m.cur, h.m.review.cur.Card.ID)
	}
}

func TestReviewHelpTellsTheTruth(t *testing.T) {
	h := newHarness(t, oneDeck(2))
	h.keys("enter")
	k := h.m.review.keys
	if k.Down.Enabled() || k.Again.Enabled() || k.Undo.Enabled() || !k.Reveal.Enabled() || !k.Bury.Enabled() {
		t.Fatalf("question of a short card: scroll %v grade %v undo %v reveal %v", k.Down.Enabled(), k.Again.Enabled(), k.Undo.Enabled(), k.Reveal.Enabled())
	}
	h.keys("?")
	h.mustSee("space show answer", "- bury")
	h.mustNotSee("scroll", "1 again", "undo")
	h.keys("?", "space")
	k = h.m.review.keys
	if !k.Again.Enabled() || k.Reveal.Enabled() {
		t.Fatal("answer shown: grades off or reveal on")
	}
	h.keys("3")
	if !h.m.review.keys.Undo.Enabled() {
		t.Fatal("undo not offered after a grade")
	}
}

// A card's as-of date older than 12 months is shown with its age.
func TestReviewShowsTheAgeOfOldFacts(t *testing.T) {
	if got := asOfText("2025-09-01", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)); got != "as of 2025-09-01 (checked 15 months ago: look again)" {
		t.Errorf("old: %q", got)
	}
	if got := asOfText("2026-08", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)); got != "as of 2026-08" {
		t.Errorf("recent: %q", got)
	}
	f := oneDeck(1)
	for i := range f.decks[0].Cards {
		f.decks[0].Cards[i].AsOf = "2025-01-15"
	}
	h := newHarness(t, f)
	h.keys("enter", "space")
	h.mustSee("checked")
}
