package tui

import "testing"

// m then a digit flags the card on screen (Anki's flags; the same digit
// again clears it); the flag shows on the card.
func TestReviewFlagsTheCard(t *testing.T) {
	f := oneDeck(2)
	h := newHarness(t, f)
	h.keys("enter", "m")
	h.mustSee("flag: 1 red 2 orange")
	if h.m.review.keys.Again.Enabled() {
		t.Fatal("grades offered while choosing a flag")
	}
	h.keys("4")
	if p, _ := f.progress("solo/c1"); p.Flag != 4 {
		t.Fatalf("flag %d", p.Flag)
	}
	h.mustSee("blue flag · Solo", "Flagged blue (flag:4).")
	// The digit after m is a flag, not a grade, even on the answer side.
	h.keys("space", "m", "4")
	if p, _ := f.progress("solo/c1"); p.Flag != 0 || h.m.review.sess.Reviewed() != 0 {
		t.Fatalf("m 4 again: flag %d, reviewed %d", p.Flag, h.m.review.sess.Reviewed())
	}
	h.mustSee("Flag cleared.")
	// Another key cancels.
	h.keys("m", "x")
	if h.m.review.flagKey {
		t.Fatal("x did not cancel")
	}
	f.errs["SetFlag"] = errDiskFull
	h.keys("m", "1")
	h.mustSee("error: flag not saved")
}

// i opens the card info (read fresh: this session's grades are in it).
func TestReviewCardInfo(t *testing.T) {
	f := oneDeck(2)
	h := newHarness(t, f)
	h.keys("enter", "space", "1") // solo/c1 again: it comes back
	h.keys("i")
	h.mustSee("Q: Q2?", "card            solo/c2", "state           new", "first review    —")
	if !h.m.capturesText() && h.m.review.info.open {
		h.keys("q") // q closes the panel, not the session
	}
	if h.m.cur != scrReview || h.m.review.info.open {
		t.Fatal("q did not close the info panel only")
	}
	h.keys("space", "3", "i")
	h.mustSee("card            solo/c1", "latest review", "recall now")
	h.keys("pgdown", "pgdown")
	h.mustSee("history: 1 review", "again")
	h.keys("esc")
	h.mustSee("Q1?")
}
