package tui_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/tui"
)

// The Repo contract: one suite, run on the real application layer over a
// store in a temp dir and on the screen tests' fake, so the fake cannot
// drift from what the store does (leech rule, undo depth and clearing,
// error values, validation).

var contractNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type repoMaker func(t *testing.T) tui.Repo

func realRepo(t *testing.T) tui.Repo {
	var builtin, custom []deck.Deck
	for _, d := range tui.FixtureDecks() {
		if d.Builtin {
			builtin = append(builtin, d)
		} else {
			custom = append(custom, d)
		}
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), &store.Options{Builtin: builtin, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Error(err)
		}
		st.Close()
	})
	// The custom deck is imported (an import is not an undoable action), so
	// that the store starts, as the fake does, with nothing to undo.
	if _, err := st.ImportCards(custom); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Undo(); !errors.Is(err, store.ErrNothingToUndo) {
		t.Fatalf("after the setup: %v", err)
	}
	return study.New(st)
}

func fakeRepo(t *testing.T) tui.Repo { return tui.NewFakeRepo(tui.FixtureDecks()...) }

func TestRepoContract(t *testing.T) {
	for name, mk := range map[string]repoMaker{"real": realRepo, "fake": fakeRepo} {
		t.Run(name, func(t *testing.T) {
			for cname, c := range contract {
				t.Run(cname, func(t *testing.T) { c(t, mk(t)) })
			}
		})
	}
}

func progressOf(t *testing.T, r tui.Repo, id string, now time.Time) (deck.Progress, bool) {
	t.Helper()
	lib, err := r.Load(now)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := lib.Progress[id]
	return p, ok
}

var contract = map[string]func(t *testing.T, r tui.Repo){
	"grade then undo restores the card and the log": func(t *testing.T, r tui.Repo) {
		res, err := r.Grade("alpha/card-1", fsrs.Good, contractNow, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if res.After.Sched.State != fsrs.Learning || res.Before.Sched.State != fsrs.New {
			t.Fatalf("grade result %+v", res)
		}
		lib, _ := r.Load(contractNow)
		if log := wholeLog(t, lib); len(log) != 1 || log[0].CardID != "alpha/card-1" || log[0].Duration != 5*time.Second {
			t.Fatalf("log %+v", log)
		}
		u, err := r.Undo()
		if err != nil || u.CardID() != "alpha/card-1" || u.Action != deck.UndoGrade {
			t.Fatalf("undo: %+v %v", u, err)
		}
		if p, ok := progressOf(t, r, u.CardID(), contractNow); ok && p.Sched.State != fsrs.New {
			t.Fatalf("after undo: %+v", p)
		}
		if lib, _ := r.Load(contractNow); len(wholeLog(t, lib)) != 0 {
			t.Fatalf("log after undo: %+v", wholeLog(t, lib))
		}
		if _, err := r.Undo(); !errors.Is(err, deck.ErrNothingToUndo) {
			t.Fatalf("undo of nothing: %v", err)
		}
	},
	"undo walks back UndoDepth grades across cards": func(t *testing.T, r tui.Repo) {
		at := contractNow
		for i := 0; i < deck.UndoDepth+2; i++ {
			id := []string{"alpha/card-1", "beta/card-1", "mine/card-1"}[i%3]
			at = at.Add(time.Minute)
			if _, err := r.Grade(id, fsrs.Again, at, time.Second); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < deck.UndoDepth; i++ {
			if _, err := r.Undo(); err != nil {
				t.Fatalf("undo %d: %v", i+1, err)
			}
		}
		if _, err := r.Undo(); !errors.Is(err, deck.ErrNothingToUndo) {
			t.Fatalf("undo beyond the depth: %v", err)
		}
		if lib, _ := r.Load(at); len(wholeLog(t, lib)) != 2 {
			t.Fatalf("%d reviews left, want 2", len(wholeLog(t, lib)))
		}
	},
	"a card becomes a leech at the threshold and every half threshold after": func(t *testing.T, r tui.Repo) {
		st, _ := r.Settings()
		st.LeechThreshold = 2
		if err := r.SaveSettings(st); err != nil {
			t.Fatal(err)
		}
		id := "alpha/card-2"
		at := contractNow
		var leeches []int
		for lapse := 1; lapse <= 4; lapse++ {
			// to review: Easy on a new or relearning card graduates it
			for {
				p, _ := progressOf(t, r, id, at)
				if p.Sched.State == fsrs.Review {
					break
				}
				at = at.Add(time.Hour)
				if _, err := r.Grade(id, fsrs.Easy, at, time.Second); err != nil {
					t.Fatal(err)
				}
			}
			at = at.AddDate(0, 0, 40)
			res, err := r.Grade(id, fsrs.Again, at, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if res.Leech {
				leeches = append(leeches, res.After.Sched.Lapses)
			}
		}
		if len(leeches) != 3 || leeches[0] != 2 || leeches[1] != 3 || leeches[2] != 4 {
			t.Fatalf("leech at lapses %v, want [2 3 4] (threshold 2, then every 1)", leeches)
		}
	},
	"add, edit and delete a custom card": func(t *testing.T, r tui.Repo) {
		c, err := study.NewCard("mine", "What is new?", "This.", []string{"x"})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.AddCard(c); err != nil {
			t.Fatal(err)
		}
		if err := r.AddCard(c); !errors.Is(err, deck.ErrExists) {
			t.Fatalf("adding it again: %v", err)
		}
		if _, err := r.Grade(c.ID, fsrs.Good, contractNow, time.Second); err != nil {
			t.Fatal(err)
		}
		c.Back = "That."
		if err := r.EditCard(c); err != nil {
			t.Fatal(err)
		}
		p, ok := progressOf(t, r, c.ID, contractNow)
		if !ok || p.Sched.Reps != 1 {
			t.Fatalf("edit lost the schedule: %+v", p)
		}
		if err := r.DeleteCard(c.ID); err != nil {
			t.Fatal(err)
		}
		lib, _ := r.Load(contractNow)
		for _, d := range lib.Decks {
			for _, x := range d.Cards {
				if x.ID == c.ID {
					t.Fatal("deleted card still in the library")
				}
			}
		}
		if u, err := r.Undo(); err != nil || u.Action != deck.UndoDelete {
			t.Fatalf("undo of the delete: %+v %v", u, err)
		}
		if _, ok := progressOf(t, r, c.ID, contractNow); !ok {
			t.Fatal("the undone delete did not bring the card's progress back")
		}
		if err := r.DeleteCard("alpha/card-1"); !errors.Is(err, deck.ErrNotCustom) {
			t.Fatalf("deleting a built-in card: %v", err)
		}
		missing := c
		missing.ID, missing.Slug = "mine/nope", "nope"
		if err := r.EditCard(missing); !errors.Is(err, deck.ErrNotFound) {
			t.Fatalf("editing a missing card: %v", err)
		}
	},
	"suspend and bury show in the library": func(t *testing.T, r tui.Repo) {
		until := contractNow.Add(19 * time.Hour)
		if err := r.SetSuspended("beta/card-2", true); err != nil {
			t.Fatal(err)
		}
		if err := r.Bury("beta/card-3", until); err != nil {
			t.Fatal(err)
		}
		if p, _ := progressOf(t, r, "beta/card-2", contractNow); !p.Suspended {
			t.Fatalf("not suspended: %+v", p)
		}
		if p, _ := progressOf(t, r, "beta/card-3", contractNow); !p.BuriedUntil.Equal(until) {
			t.Fatalf("not buried: %+v", p)
		}
		if err := r.SetSuspended("beta/none", true); !errors.Is(err, deck.ErrNotFound) {
			t.Fatalf("suspending a missing card: %v", err)
		}
	},
	"settings are validated and saved": func(t *testing.T, r tui.Repo) {
		st, _ := r.Settings()
		st.DesiredRetention = 0.99
		var se *deck.SettingsError
		if err := r.SaveSettings(st); !errors.As(err, &se) || se.Field != "desired retention" {
			t.Fatalf("bad retention: %v", err)
		}
		st.DesiredRetention = 0.85
		st.NewPerDay = 7
		if err := r.SaveSettings(st); err != nil {
			t.Fatal(err)
		}
		if got, _ := r.Settings(); got.NewPerDay != 7 || got.DesiredRetention != 0.85 {
			t.Fatalf("saved %+v", got)
		}
	},
	"new weights clear undo": func(t *testing.T, r tui.Repo) {
		if _, err := r.Grade("alpha/card-1", fsrs.Good, contractNow, time.Second); err != nil {
			t.Fatal(err)
		}
		n, err := r.ApplyWeights(fsrs.DefaultWeights, false)
		if err != nil || n != 1 {
			t.Fatalf("apply: %d %v", n, err)
		}
		if _, err := r.Undo(); !errors.Is(err, deck.ErrNothingToUndo) {
			t.Fatalf("undo after new weights: %v", err)
		}
	},
	"a bulk action is one undoable action, undone before the grade": func(t *testing.T, r tui.Repo) {
		if _, err := r.Grade("alpha/card-1", fsrs.Good, contractNow, time.Second); err != nil {
			t.Fatal(err)
		}
		ids := []string{"alpha/card-1", "alpha/card-2", "mine/card-1", "alpha/card-2"}
		if n, err := r.Apply(ids, study.Action{Kind: study.ActSuspend}, contractNow); err != nil || n != 3 {
			t.Fatalf("bulk suspend: %d %v", n, err)
		}
		if n, err := r.Apply([]string{"alpha/card-1", "mine/card-1"}, study.Action{Kind: study.ActTagAdd, Tag: "bulk"}, contractNow); err != nil || n != 2 {
			t.Fatalf("bulk tag: %d %v", n, err)
		}
		tagged := func(id string) bool {
			lib, _ := r.Load(contractNow)
			for _, d := range lib.Decks {
				for _, c := range d.Cards {
					if c.ID == id {
						return slices.Contains(c.Tags, "bulk")
					}
				}
			}
			t.Fatalf("no card %s", id)
			return false
		}
		if !tagged("alpha/card-1") || !tagged("mine/card-1") || tagged("alpha/card-2") {
			t.Fatal("tags not added")
		}
		for _, id := range []string{"alpha/card-1", "alpha/card-2", "mine/card-1"} {
			if p, _ := progressOf(t, r, id, contractNow); !p.Suspended {
				t.Fatalf("%s not suspended: %+v", id, p)
			}
		}
		// A card the store does not know fails the whole action.
		if _, err := r.Apply([]string{"beta/card-1", "beta/none"}, study.Action{Kind: study.ActSuspend}, contractNow); !errors.Is(err, deck.ErrNotFound) {
			t.Fatalf("bulk with a missing card: %v", err)
		}
		if p, _ := progressOf(t, r, "beta/card-1", contractNow); p.Suspended {
			t.Fatal("a failed bulk action changed a card")
		}
		// Nothing to change: no undo entry.
		if n, err := r.Apply([]string{"beta/card-2"}, study.Action{Kind: study.ActUnsuspend}, contractNow); err != nil || n != 0 {
			t.Fatalf("no-op bulk: %d %v", n, err)
		}
		u, err := r.Undo()
		if err != nil || u.Action != "add tag bulk" || !slices.Equal(u.CardIDs, []string{"alpha/card-1", "mine/card-1"}) {
			t.Fatalf("undo of the tags: %+v %v", u, err)
		}
		if tagged("alpha/card-1") || tagged("mine/card-1") {
			t.Fatal("undo left the tag")
		}
		u, err = r.Undo()
		if err != nil || u.Action != "suspend" || !slices.Equal(u.CardIDs, []string{"alpha/card-1", "alpha/card-2", "mine/card-1"}) {
			t.Fatalf("undo of the suspend: %+v %v", u, err)
		}
		for _, id := range []string{"alpha/card-1", "alpha/card-2", "mine/card-1"} {
			if p, _ := progressOf(t, r, id, contractNow); p.Suspended {
				t.Fatalf("%s still suspended", id)
			}
		}
		if p, _ := progressOf(t, r, "alpha/card-1", contractNow); p.Sched.Reps != 1 {
			t.Fatalf("the undone suspend lost the grade: %+v", p)
		}
		if u, err := r.Undo(); err != nil || u.Action != deck.UndoGrade || u.CardID() != "alpha/card-1" {
			t.Fatalf("then the grade: %+v %v", u, err)
		}
		if _, err := r.Undo(); !errors.Is(err, deck.ErrNothingToUndo) {
			t.Fatalf("nothing left: %v", err)
		}
	},
	"a flag is set and cleared (no undo entry); a bulk flag is undone": func(t *testing.T, r tui.Repo) {
		if err := r.SetFlag("alpha/card-3", 4); err != nil {
			t.Fatal(err)
		}
		if p, _ := progressOf(t, r, "alpha/card-3", contractNow); p.Flag != 4 {
			t.Fatalf("flag %+v", p)
		}
		if _, err := r.Undo(); !errors.Is(err, deck.ErrNothingToUndo) {
			t.Fatalf("a flag made an undo entry: %v", err)
		}
		if err := r.SetFlag("alpha/card-3", deck.MaxFlag+1); err == nil {
			t.Fatal("flag 8 accepted")
		}
		if err := r.SetFlag("beta/none", 1); !errors.Is(err, deck.ErrNotFound) {
			t.Fatalf("flagging a missing card: %v", err)
		}
		if n, err := r.Apply([]string{"alpha/card-3", "alpha/card-4"}, study.Action{Kind: study.ActFlag, Flag: 2}, contractNow); err != nil || n != 2 {
			t.Fatalf("bulk flag: %d %v", n, err)
		}
		if u, err := r.Undo(); err != nil || u.Action != "flag orange" {
			t.Fatalf("undo of the bulk flag: %+v %v", u, err)
		}
		if p, _ := progressOf(t, r, "alpha/card-3", contractNow); p.Flag != 4 {
			t.Fatalf("after undo: %+v", p)
		}
		if err := r.SetFlag("alpha/card-3", 0); err != nil {
			t.Fatal(err)
		}
		if p, _ := progressOf(t, r, "alpha/card-3", contractNow); p.Flag != 0 {
			t.Fatalf("cleared %+v", p)
		}
	},
	"card info has the history": func(t *testing.T, r tui.Repo) {
		if _, err := r.Grade("beta/card-1", fsrs.Good, contractNow, time.Second); err != nil {
			t.Fatal(err)
		}
		ci, err := r.Info("beta/card-1", contractNow.Add(time.Hour))
		if err != nil || len(ci.History) != 1 || ci.State != "learning" || !ci.FirstReview.Equal(contractNow) {
			t.Fatalf("info %+v %v", ci, err)
		}
		if _, err := r.Info("beta/none", contractNow); err == nil {
			t.Fatal("info of a missing card")
		}
	},
}

// wholeLog is lib's whole review log (read on demand over a store).
func wholeLog(t *testing.T, lib *study.Library) []deck.Review {
	t.Helper()
	log, err := lib.Log()
	if err != nil {
		t.Fatal(err)
	}
	return log
}
