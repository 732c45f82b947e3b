package store

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

func TestGradeWritesStateAndLog(t *testing.T) {
	s, _ := newStore(t)
	sch, err := s.Scheduler()
	if err != nil {
		t.Fatal(err)
	}
	const id = "kubernetes/qos-classes"
	res := mustGrade(t, s, id, fsrs.Good, t0)
	want := sch.Next(fsrs.Card{}, id, t0, fsrs.Good)
	if !res.After.Sched.Due.Equal(want.Due) || res.After.Sched.Stability != want.Stability || res.After.Sched.State != want.State {
		t.Fatalf("After = %+v, want %+v", res.After.Sched, want)
	}
	if res.Before.Sched.State != fsrs.New || res.CardNumber != 1 {
		t.Fatalf("Before = %+v, number %d", res.Before, res.CardNumber)
	}
	p, ok := mustProgress(t, s, id)
	if !ok || !reflect.DeepEqual(p, res.After) {
		t.Fatalf("stored %+v, result %+v", p, res.After)
	}
	revs, err := s.Reviews(time.Time{}, time.Time{})
	if err != nil || len(revs) != 1 {
		t.Fatalf("Reviews: %v %v", revs, err)
	}
	r := revs[0]
	wantRev := deck.Review{CardID: id, At: t0, Rating: 3, StateBefore: 0, LastInterval: 0,
		Interval: want.ScheduledDays, Stability: float64(float32(want.Stability)),
		Difficulty: float64(float32(want.Difficulty)), Duration: 7 * time.Second}
	if !r.At.Equal(t0) {
		t.Errorf("At = %v", r.At)
	}
	r.At = t0
	if !reflect.DeepEqual(r, wantRev) || !reflect.DeepEqual(res.Review, revs[0]) {
		t.Errorf("review = %+v\nwant     %+v\nresult   %+v", revs[0], wantRev, res.Review)
	}

	// A second grade reads the stored state back.
	at2 := want.Due.Add(time.Minute)
	res2 := mustGrade(t, s, id, fsrs.Good, at2)
	want2 := sch.Next(want, id, at2, fsrs.Good)
	if res2.After.Sched.Stability != want2.Stability || !res2.After.Sched.Due.Equal(want2.Due) || res2.After.Sched.Reps != 2 {
		t.Errorf("second grade %+v, want %+v", res2.After.Sched, want2)
	}
	if res2.Review.LastInterval != want.ScheduledDays || res2.Review.StateBefore != int(want.State) || res2.CardNumber != 1 {
		t.Errorf("second review %+v", res2.Review)
	}
}

func TestGradeRejectsBadInput(t *testing.T) {
	s, _ := newStore(t)
	for _, c := range []struct {
		id string
		r  fsrs.Rating
		at time.Time
	}{
		{"a/b", 0, t0}, {"a/b", 5, t0}, {"nodeck", 3, t0}, {"/x", 3, t0}, {"x/", 3, t0},
		{"a/b", 3, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := s.Grade(c.id, c.r, c.at, 0); err == nil {
			t.Errorf("Grade(%q, %d, %v) succeeded", c.id, c.r, c.at)
		}
	}
	if n, _ := s.ReviewCount(); n != 0 {
		t.Errorf("%d reviews logged", n)
	}
}

func TestCardNumbersStable(t *testing.T) {
	s, _ := newStore(t)
	ids := []string{"a/one", "b/two", "a/three"}
	for i, id := range ids {
		mustGrade(t, s, id, fsrs.Good, t0.Add(time.Duration(i)*time.Minute))
	}
	mustGrade(t, s, "a/one", fsrs.Again, t0.Add(time.Hour))
	for i, id := range ids {
		n, ok, err := s.CardNumber(id)
		if err != nil || !ok || n != int64(i+1) {
			t.Errorf("CardNumber(%s) = %d %v %v, want %d", id, n, ok, err, i+1)
		}
	}
	if _, ok, _ := s.CardNumber("a/untouched"); ok {
		t.Error("untouched card has a number")
	}
	// First touch by suspending numbers a card too.
	if err := s.SetSuspended("c/four", true); err != nil {
		t.Fatal(err)
	}
	if n, ok, _ := s.CardNumber("c/four"); !ok || n != 4 {
		t.Errorf("c/four = %d", n)
	}
}

// Undo puts back exactly the previous records, across cards, and removes
// exactly the log entries.
func TestUndoRestoresExactly(t *testing.T) {
	s, _ := newStore(t)
	type snap struct {
		all  map[string]deck.Progress
		revs []deck.Review
		nums map[string]int64
	}
	ids := []string{"k8s/pods", "k8s/services", "azure/vnet"}
	take := func() snap {
		all, err := s.AllProgress()
		if err != nil {
			t.Fatal(err)
		}
		revs, err := s.Reviews(time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		nums := map[string]int64{}
		for _, id := range ids {
			n, _, _ := s.CardNumber(id)
			nums[id] = n
		}
		return snap{all, revs, nums}
	}
	// Prepare: one card already graded and suspended by hand.
	mustGrade(t, s, "k8s/pods", fsrs.Good, t0)
	if err := s.SetSuspended("k8s/pods", true); err != nil {
		t.Fatal(err)
	}
	var snaps []snap
	var graded []string
	at := t0.Add(time.Hour)
	seq := []struct {
		id string
		r  fsrs.Rating
	}{{"k8s/pods", fsrs.Again}, {"k8s/services", fsrs.Good}, {"k8s/pods", fsrs.Hard}, {"azure/vnet", fsrs.Easy}, {"k8s/services", fsrs.Again}}
	for _, g := range seq {
		snaps = append(snaps, take())
		mustGrade(t, s, g.id, g.r, at)
		graded = append(graded, g.id)
		at = at.Add(17 * time.Minute)
	}
	for i := len(seq) - 1; i >= 0; i-- {
		id, err := s.Undo()
		if err != nil {
			t.Fatalf("undo %d: %v", i, err)
		}
		if id != graded[i] {
			t.Errorf("undo %d returned %s, want %s", i, id, graded[i])
		}
		got := take()
		if !reflect.DeepEqual(got.all, snaps[i].all) {
			t.Errorf("undo %d: progress\n got  %+v\n want %+v", i, got.all, snaps[i].all)
		}
		if !reflect.DeepEqual(got.revs, snaps[i].revs) {
			t.Errorf("undo %d: log has %d entries, want %d", i, len(got.revs), len(snaps[i].revs))
		}
		// Numbers stay once given, even when the grade that gave them is undone.
		for _, id := range ids {
			if w := snaps[len(seq)-1].nums[id]; w == 0 {
				continue
			} else if got.nums[id] != w && got.nums[id] != 0 {
				t.Errorf("number of %s changed: %d -> %d", id, w, got.nums[id])
			}
		}
	}
	if p, ok := mustProgress(t, s, "azure/vnet"); ok || p.Sched.State != fsrs.New {
		t.Errorf("azure/vnet after undoing its only grade: %+v ok=%v", p, ok)
	}
	if n, _, _ := s.CardNumber("azure/vnet"); n != 3 {
		t.Errorf("azure/vnet lost its number: %d", n)
	}
	// The hand suspension is an action of its own: undo reverses it, then
	// the grade before it, which restores the record before that grade (no
	// record at all).
	if u, err := s.UndoLast(); err != nil || u.Action != deck.UndoSuspend || u.CardID() != "k8s/pods" {
		t.Fatalf("undo the suspension: %+v %v", u, err)
	}
	if p, _ := mustProgress(t, s, "k8s/pods"); p.Suspended || p.Sched.Reps != 1 {
		t.Errorf("k8s/pods after undoing the suspension: %+v", p)
	}
	if id, err := s.Undo(); err != nil || id != "k8s/pods" {
		t.Fatalf("undo first grade: %q %v", id, err)
	}
	if _, ok := mustProgress(t, s, "k8s/pods"); ok {
		t.Error("k8s/pods still has progress")
	}
	if _, err := s.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("undo with nothing left: %v", err)
	}
	// Grading again after undo reuses the number and the log is consistent.
	res := mustGrade(t, s, "azure/vnet", fsrs.Good, at)
	if res.CardNumber != 3 {
		t.Errorf("regrade number %d", res.CardNumber)
	}
	if n, _ := s.ReviewCount(); n != 1 {
		t.Errorf("log has %d entries", n)
	}
}

func TestUndoDepth(t *testing.T) {
	s, _ := newStore(t)
	s.noSync = true // many commits; durability is not under test here
	const extra = 5
	at := t0
	for i := range UndoDepth + extra {
		mustGrade(t, s, fmt.Sprintf("d/c%d", i%7), fsrs.Rating(i%4+1), at)
		at = at.Add(time.Minute)
	}
	for i := range UndoDepth {
		if _, err := s.Undo(); err != nil {
			t.Fatalf("undo %d: %v", i, err)
		}
	}
	if _, err := s.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("undo beyond depth: %v", err)
	}
	if n, _ := s.ReviewCount(); n != extra {
		t.Errorf("%d entries left, want %d", n, extra)
	}
}

func TestLeechTag(t *testing.T) {
	for _, action := range []deck.LeechAction{deck.LeechTag, deck.LeechSuspend} {
		t.Run(fmt.Sprint(action), func(t *testing.T) {
			s, _ := newStore(t)
			st := deck.DefaultSettings()
			st.LeechAction = action
			if err := s.SaveSettings(st); err != nil {
				t.Fatal(err)
			}
			const id = "az/leechy"
			res := mustGrade(t, s, id, fsrs.Easy, t0) // straight to review
			at := res.After.Sched.Due
			var leechAt []int
			for lapses := 1; lapses <= 17; lapses++ {
				res = mustGrade(t, s, id, fsrs.Again, at)
				if res.After.Sched.Lapses != lapses {
					t.Fatalf("lapses %d, want %d (state %v)", res.After.Sched.Lapses, lapses, res.After.Sched.State)
				}
				if res.Leech {
					leechAt = append(leechAt, lapses)
					if !res.After.Leech {
						t.Error("leech not tagged")
					}
					if got := res.After.Suspended; got != (action == deck.LeechSuspend) {
						t.Errorf("suspended = %v with action %v", got, action)
					}
					if res.Suspended != (action == deck.LeechSuspend && lapses == 8) {
						t.Errorf("lapse %d: Suspended = %v", lapses, res.Suspended)
					}
				}
				if lapses < 8 && res.After.Leech {
					t.Errorf("tagged at %d lapses", lapses)
				}
				p, _ := mustProgress(t, s, id)
				if p.Leech != (lapses >= 8) {
					t.Errorf("stored leech = %v at %d lapses", p.Leech, lapses)
				}
				// Back to review through the relearning step.
				res = mustGrade(t, s, id, fsrs.Good, res.After.Sched.Due)
				if res.After.Sched.State != fsrs.Review {
					t.Fatalf("state %v after relearning", res.After.Sched.State)
				}
				at = res.After.Sched.Due
			}
			if want := []int{8, 12, 16}; !reflect.DeepEqual(leechAt, want) {
				t.Errorf("leech at lapses %v, want %v", leechAt, want)
			}
		})
	}
}

func TestSuspendAndBury(t *testing.T) {
	s, _ := newStore(t)
	const id = "k8s/hpa"
	mustGrade(t, s, id, fsrs.Good, t0)
	before, _ := mustProgress(t, s, id)
	if err := s.SetSuspended(id, true); err != nil {
		t.Fatal(err)
	}
	until := t0.Add(20 * time.Hour)
	if err := s.Bury(id, until); err != nil {
		t.Fatal(err)
	}
	p, _ := mustProgress(t, s, id)
	if !p.Suspended || !p.BuriedUntil.Equal(until) || !reflect.DeepEqual(p.Sched, before.Sched) {
		t.Fatalf("after suspend+bury: %+v", p)
	}
	if err := s.SetSuspended(id, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Bury(id, time.Time{}); err != nil {
		t.Fatal(err)
	}
	p, _ = mustProgress(t, s, id)
	if !reflect.DeepEqual(p, before) {
		t.Fatalf("unsuspend+unbury: %+v, want %+v", p, before)
	}
	// An untouched card can be suspended; it stays new.
	if err := s.SetSuspended("k8s/new", true); err != nil {
		t.Fatal(err)
	}
	p, ok := mustProgress(t, s, "k8s/new")
	if !ok || !p.Suspended || p.Sched.State != fsrs.New {
		t.Fatalf("new suspended: %+v", p)
	}
	if err := s.SetLeech(id, true); err != nil {
		t.Fatal(err)
	}
	if p, _ := mustProgress(t, s, id); !p.Leech {
		t.Error("SetLeech did not tag")
	}
	if err := s.SetSuspended("bad id", true); err == nil {
		t.Error("bad ID accepted")
	}
}

func TestSettingsValidation(t *testing.T) {
	s, _ := newStore(t)
	good := deck.DefaultSettings()
	good.DesiredRetention = 0.85
	good.NewPerDay = 0
	good.DayStartHour = 0
	good.LearningSteps = []time.Duration{30 * time.Second, 5 * time.Minute, time.Hour}
	good.RelearningSteps = nil
	good.LeechThreshold = 1
	good.LeechAction = deck.LeechSuspend
	good.Weights = append([]float64(nil), fsrs.DefaultWeights[:]...)
	good.Weights[0] = 0.3
	if err := s.SaveSettings(good); err != nil {
		t.Fatal(err)
	}
	got, err := s.Settings()
	if err != nil || !reflect.DeepEqual(got, good) {
		t.Fatalf("Settings() = %+v, %v\nwant %+v", got, err, good)
	}
	sch, err := s.Scheduler()
	if err != nil || sch.Params().W[0] != 0.3 || sch.Params().DesiredRetention != 0.85 || !sch.Params().EnableFuzz || sch.Params().Location != time.UTC {
		t.Fatalf("scheduler params %+v, %v", sch.Params(), err)
	}
	// Empty step lists stay empty (not nil) and vice versa.
	good.RelearningSteps = []time.Duration{}
	if err := s.SaveSettings(good); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Settings(); got.RelearningSteps == nil || len(got.RelearningSteps) != 0 {
		t.Errorf("empty relearning steps read back as %#v", got.RelearningSteps)
	}

	bad := []struct {
		field string
		edit  func(*deck.Settings)
	}{
		{"desired retention", func(s *deck.Settings) { s.DesiredRetention = 0.69 }},
		{"desired retention", func(s *deck.Settings) { s.DesiredRetention = 0.98 }},
		{"desired retention", func(s *deck.Settings) { s.DesiredRetention = math.NaN() }},
		{"new cards per day", func(s *deck.Settings) { s.NewPerDay = -1 }},
		{"reviews per day", func(s *deck.Settings) { s.ReviewsPerDay = -1 }},
		{"day start hour", func(s *deck.Settings) { s.DayStartHour = 24 }},
		{"day start hour", func(s *deck.Settings) { s.DayStartHour = -1 }},
		{"learning steps", func(s *deck.Settings) { s.LearningSteps = []time.Duration{time.Minute, 0} }},
		{"relearning steps", func(s *deck.Settings) { s.RelearningSteps = []time.Duration{-time.Minute} }},
		{"leech threshold", func(s *deck.Settings) { s.LeechThreshold = 0 }},
		{"leech action", func(s *deck.Settings) { s.LeechAction = 7 }},
		{"maximum interval", func(s *deck.Settings) { s.MaximumInterval = 0 }},
		{"weights", func(s *deck.Settings) { s.Weights = []float64{1, 2, 3} }},
	}
	for _, b := range bad {
		st := deck.DefaultSettings()
		b.edit(&st)
		err := s.SaveSettings(st)
		var se *deck.SettingsError
		if !errors.As(err, &se) || se.Field != b.field {
			t.Errorf("%s: err = %v", b.field, err)
		}
	}
	// Weights out of the FSRS ranges are refused by the scheduler's check.
	st := deck.DefaultSettings()
	st.Weights = append([]float64(nil), fsrs.DefaultWeights[:]...)
	st.Weights[3] = -5
	if err := s.SaveSettings(st); err == nil {
		t.Error("out-of-range weight accepted")
	}
	// Nothing refused was stored.
	if got, _ := s.Settings(); got.DesiredRetention != 0.85 {
		t.Errorf("settings changed by a refused save: %+v", got)
	}
}

func TestAddEditDeleteCustomCards(t *testing.T) {
	s, _ := newStore(t)
	c := deck.Card{Deck: "mine", Slug: "dns-ttl", Front: "What is a DNS TTL?", Back: "How long resolvers cache a record.", Tags: []string{"dns"}}
	if err := s.AddCard(c); err != nil {
		t.Fatal(err)
	}
	if err := s.AddCard(c); !errors.Is(err, ErrExists) {
		t.Fatalf("second add: %v", err)
	}
	for _, bad := range []deck.Card{
		{Deck: "mine", Slug: "x", Front: "", Back: "b"},
		{Deck: "mine", Slug: "x", Front: "f", Back: " "},
		{ID: "mine/x", Deck: "other", Front: "f", Back: "b"},
		{Slug: "x", Front: "f", Back: "b"},
	} {
		if err := s.AddCard(bad); err == nil {
			t.Errorf("AddCard(%+v) succeeded", bad)
		}
	}
	decks, err := s.CustomDecks()
	if err != nil || len(decks) != 1 || decks[0].ID != "mine" || decks[0].Title != "mine" || len(decks[0].Cards) != 1 {
		t.Fatalf("CustomDecks = %+v, %v", decks, err)
	}
	want := c
	want.ID = "mine/dns-ttl"
	if !reflect.DeepEqual(decks[0].Cards[0], want) {
		t.Fatalf("card %+v, want %+v", decks[0].Cards[0], want)
	}

	// Grade it, then edit: ID, state and history stay.
	mustGrade(t, s, want.ID, fsrs.Good, t0)
	before, _ := mustProgress(t, s, want.ID)
	edited := want
	edited.Front = "What does a DNS record's TTL control?"
	edited.Tags = nil
	if err := s.EditCard(edited); err != nil {
		t.Fatal(err)
	}
	decks, _ = s.CustomDecks()
	if !reflect.DeepEqual(decks[0].Cards[0], edited) {
		t.Fatalf("edited card %+v", decks[0].Cards[0])
	}
	if p, _ := mustProgress(t, s, want.ID); !reflect.DeepEqual(p, before) {
		t.Error("edit changed the progress")
	}
	if ov, _ := s.Overrides(); len(ov) != 0 {
		t.Errorf("custom edit made an override: %v", ov)
	}

	// Delete: the card and its progress go, the history stays, orphaned.
	if err := s.DeleteCard(want.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCard(want.ID); !errors.Is(err, ErrNotCustom) {
		t.Fatalf("second delete: %v", err)
	}
	if err := s.DeleteCard("kubernetes/builtin"); !errors.Is(err, ErrNotCustom) {
		t.Fatalf("delete built-in: %v", err)
	}
	if _, ok := mustProgress(t, s, want.ID); ok {
		t.Error("progress kept")
	}
	var entries []LogEntry
	_ = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error { entries = append(entries, e); return nil })
	if len(entries) != 1 || !entries[0].Orphaned || entries[0].CardID != want.ID || entries[0].CardNumber != 1 {
		t.Fatalf("history after delete: %+v", entries)
	}
	// The delete is undoable: card, progress and number come back, the
	// orphan mark goes.
	if u, err := s.UndoLast(); err != nil || u.Action != deck.UndoDelete || u.CardID() != want.ID {
		t.Fatalf("undo the delete: %+v %v", u, err)
	}
	if p, ok := mustProgress(t, s, want.ID); !ok || p.Sched.Reps != 1 {
		t.Errorf("progress after undoing the delete: %+v %v", p, ok)
	}
	if n, _, _ := s.CardNumber(want.ID); n != 1 {
		t.Errorf("number after undoing the delete: %d", n)
	}
	entries = nil
	_ = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error { entries = append(entries, e); return nil })
	if len(entries) != 1 || entries[0].Orphaned {
		t.Fatalf("history after undoing the delete: %+v", entries)
	}
	if err := s.DeleteCard(want.ID); err != nil {
		t.Fatal(err)
	}
	decks, _ = s.CustomDecks()
	if len(decks) != 1 || len(decks[0].Cards) != 0 {
		t.Errorf("decks after delete: %+v", decks)
	}
	// Re-adding the ID makes a new card with a new number.
	if err := s.AddCard(c); err != nil {
		t.Fatal(err)
	}
	if res := mustGrade(t, s, want.ID, fsrs.Good, t0.Add(time.Hour)); res.CardNumber != 2 || res.Before.Sched.State != fsrs.New {
		t.Errorf("re-added card: %+v", res)
	}
	entries = nil
	_ = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error { entries = append(entries, e); return nil })
	if len(entries) != 2 || !entries[0].Orphaned || entries[1].Orphaned || entries[1].CardNumber != 2 {
		t.Errorf("history: %+v", entries)
	}
}

func TestEditBuiltinCardStoresOverride(t *testing.T) {
	s, _ := newStore(t)
	const id = "kubernetes/qos-classes"
	mustGrade(t, s, id, fsrs.Good, t0)
	before, _ := mustProgress(t, s, id)
	orig := deck.Card{ID: id, Deck: "kubernetes", Slug: "qos-classes", Front: "Name the QoS classes.", Back: "Guaranteed, Burstable, BestEffort.", Source: "https://kubernetes.io", Line: 12}
	edit := orig
	edit.Back = "Guaranteed, Burstable and BestEffort."
	edit.Tags = []string{"pods"}
	if err := s.EditCard(edit); err != nil {
		t.Fatal(err)
	}
	ov, err := s.Overrides()
	if err != nil || len(ov) != 1 {
		t.Fatalf("Overrides = %v, %v", ov, err)
	}
	applied := ov[id].Apply(orig)
	want := orig
	want.Back, want.Tags = edit.Back, edit.Tags
	if !reflect.DeepEqual(applied, want) {
		t.Errorf("applied %+v", applied)
	}
	if p, _ := mustProgress(t, s, id); !reflect.DeepEqual(p, before) {
		t.Error("edit changed progress")
	}
	if decks, _ := s.CustomDecks(); len(decks) != 0 {
		t.Error("override created a custom deck")
	}
	if err := s.RevertCard(id); err != nil {
		t.Fatal(err)
	}
	if ov, _ := s.Overrides(); len(ov) != 0 {
		t.Error("override kept after revert")
	}
	if err := s.RevertCard(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second revert: %v", err)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	s, path := newStore(t)
	card := func(slug, front string) deck.Card {
		return deck.Card{Slug: slug, Front: front, Back: "answer to " + front}
	}
	first := []deck.Deck{
		{ID: "net", Title: "Networking", Cards: []deck.Card{card("a", "A?"), card("b", "B?")}},
		{ID: "sec", Title: "Security", Cards: []deck.Card{card("c", "C?")}},
	}
	plan, err := s.PlanImport(first)
	if err != nil {
		t.Fatal(err)
	}
	if decks, _ := s.CustomDecks(); len(decks) != 0 {
		t.Fatal("dry run wrote")
	}
	res, err := s.ImportCards(first)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportResult{DecksAdded: 2, Added: 3}); res != want || plan != want {
		t.Fatalf("import %+v, plan %+v, want %+v", res, plan, want)
	}
	second := []deck.Deck{
		{ID: "net", Title: "Networking", Cards: []deck.Card{card("a", "A?"), card("b", "B changed?"), card("d", "D?")}},
		{ID: "sec", Title: "Security & Identity", Cards: []deck.Card{card("c", "C?")}},
	}
	want := ImportResult{DecksUpdated: 1, Added: 1, Updated: 1, Unchanged: 2}
	if plan, err := s.PlanImport(second); err != nil || plan != want {
		t.Fatalf("plan %+v %v, want %+v", plan, err, want)
	}
	snapshot, _ := s.CustomDecks()
	// A bad card at the very end refuses the whole import.
	broken := append([]deck.Deck{}, second...)
	broken = append(broken, deck.Deck{ID: "ops", Cards: []deck.Card{card("e", "E?"), {Slug: "f", Front: "F?"}}})
	if _, err := s.ImportCards(broken); err == nil || !strings.Contains(err.Error(), "ops/f") {
		t.Fatalf("broken import: %v", err)
	}
	dup := []deck.Deck{{ID: "net", Cards: []deck.Card{card("z", "Z?"), card("z", "Z again?")}}}
	if _, err := s.ImportCards(dup); err == nil {
		t.Fatal("duplicate IDs accepted")
	}
	wrongDeck := []deck.Deck{{ID: "net", Cards: []deck.Card{{Deck: "sec", Slug: "q", Front: "Q", Back: "R"}}}}
	if _, err := s.ImportCards(wrongDeck); err == nil {
		t.Fatal("card of another deck accepted")
	}
	if after, _ := s.CustomDecks(); !reflect.DeepEqual(after, snapshot) {
		t.Fatalf("failed imports changed the decks:\n%+v\n%+v", after, snapshot)
	}
	res, err = s.ImportCards(second)
	if err != nil || res != want {
		t.Fatalf("import %+v %v", res, err)
	}
	decks, _ := s.CustomDecks()
	if len(decks) != 2 || decks[1].Title != "Security & Identity" || len(decks[0].Cards) != 3 || decks[0].Cards[1].Front != "B changed?" {
		t.Fatalf("after import: %+v", decks)
	}
	if res, _ := s.ImportCards(second); res != (ImportResult{Unchanged: 4}) {
		t.Errorf("re-import: %+v", res)
	}
	_ = path
}

func TestCountsAndRanges(t *testing.T) {
	s, _ := newStore(t)
	dayStart := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	// Yesterday: two new cards. Today: one new, two learning, one review.
	mustGrade(t, s, "d/a", fsrs.Good, dayStart.Add(-3*time.Hour))
	mustGrade(t, s, "d/b", fsrs.Easy, dayStart.Add(-2*time.Hour))
	mustGrade(t, s, "d/c", fsrs.Again, dayStart.Add(time.Hour))
	mustGrade(t, s, "d/c", fsrs.Again, dayStart.Add(2*time.Hour))
	mustGrade(t, s, "d/a", fsrs.Good, dayStart.Add(3*time.Hour))
	p, _ := mustProgress(t, s, "d/b")
	mustGrade(t, s, "d/b", fsrs.Good, p.Sched.Due.Add(time.Hour))

	got, err := s.CountsSince(dayStart)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counts{New: 1, Learning: 2, Review: 1}); got != want || got.Total() != 4 {
		t.Errorf("CountsSince = %+v, want %+v", got, want)
	}
	today, err := s.TodayCounts(dayStart.Add(5 * time.Hour))
	if err != nil || today != got {
		t.Errorf("TodayCounts = %+v %v", today, err)
	}
	all, _ := s.CountsSince(time.Time{})
	if all.Total() != 6 || all.New != 3 {
		t.Errorf("all = %+v", all)
	}
	// Half-open ranges.
	revs, _ := s.Reviews(dayStart.Add(-2*time.Hour), dayStart.Add(2*time.Hour))
	if len(revs) != 2 || revs[0].CardID != "d/b" || revs[1].CardID != "d/c" {
		t.Errorf("range: %+v", revs)
	}
	revs, _ = s.Reviews(dayStart.Add(time.Hour), time.Time{})
	if len(revs) != 4 {
		t.Errorf("open end: %d", len(revs))
	}
	revs, _ = s.Reviews(time.Time{}, dayStart)
	if len(revs) != 2 {
		t.Errorf("open start: %d", len(revs))
	}
	for i := 1; i < len(revs); i++ {
		if revs[i].At.Before(revs[i-1].At) {
			t.Error("not in time order")
		}
	}
	// Same-instant grades are both kept, in grading order.
	mustGrade(t, s, "d/x", fsrs.Good, dayStart.Add(10*time.Hour))
	mustGrade(t, s, "d/y", fsrs.Good, dayStart.Add(10*time.Hour))
	revs, _ = s.Reviews(dayStart.Add(10*time.Hour), dayStart.Add(10*time.Hour+1))
	if len(revs) != 2 || revs[0].CardID != "d/x" || revs[1].CardID != "d/y" {
		t.Errorf("ties: %+v", revs)
	}
}

func TestAllProgress(t *testing.T) {
	s, _ := newStore(t)
	want := map[string]deck.Progress{}
	for i := range 30 {
		id := fmt.Sprintf("d/c%02d", i)
		res := mustGrade(t, s, id, fsrs.Rating(i%4+1), t0.Add(time.Duration(i)*time.Minute))
		want[id] = res.After
	}
	mustGrade(t, s, "d/undone", fsrs.Good, t0.Add(time.Hour))
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	got, err := s.AllProgress()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("AllProgress: %v, %d entries, want %d", err, len(got), len(want))
	}
}

func TestBackup(t *testing.T) {
	s, path := newStore(t)
	if err := s.AddCard(deck.Card{Deck: "mine", Slug: "x", Front: "F", Back: "B"}); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		mustGrade(t, s, fmt.Sprintf("k/c%d", i%6), fsrs.Rating(i%4+1), t0.Add(time.Duration(i)*time.Hour))
	}
	st := deck.DefaultSettings()
	st.NewPerDay = 7
	if err := s.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(dst); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	// Writes after the backup do not reach it.
	mustGrade(t, s, "k/late", fsrs.Good, t0.Add(100*time.Hour))
	b := openAt(t, dst)
	for name, eq := range map[string]func() (any, any){
		"settings": func() (any, any) { x, _ := s.Settings(); y, _ := b.Settings(); return x, y },
		"decks":    func() (any, any) { x, _ := s.CustomDecks(); y, _ := b.CustomDecks(); return x, y },
		"reviews": func() (any, any) {
			x, _ := s.Reviews(time.Time{}, t0.Add(50*time.Hour))
			y, _ := b.Reviews(time.Time{}, time.Time{})
			return x, y
		},
	} {
		x, y := eq()
		if !reflect.DeepEqual(x, y) {
			t.Errorf("backup %s differs:\n%+v\n%+v", name, x, y)
		}
	}
	orig, _ := s.AllProgress()
	delete(orig, "k/late")
	if copied, _ := b.AllProgress(); !reflect.DeepEqual(orig, copied) {
		t.Error("backup progress differs")
	}
	if err := s.Backup(path); err == nil {
		t.Error("backup over the database itself accepted")
	}
	if err := s.Backup(filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")); err == nil {
		t.Error("backup into a missing directory succeeded")
	}
}

// With card IDs of a typical length, the undo ring stays small enough for
// bbolt to keep it inline in the root page (no extra page per grade).
func TestUndoRingInline(t *testing.T) {
	s, _ := newStore(t)
	s.noSync = true
	at := t0
	for i := range 3 * UndoDepth {
		id := fmt.Sprintf("solution-architecture/topic-%05d-explained", i) // 43 characters
		res := mustGrade(t, s, id, fsrs.Good, at)
		if i%3 == 0 {
			// Cards with some history have bigger records.
			mustGrade(t, s, id, fsrs.Again, res.After.Sched.Due)
		}
		at = at.Add(time.Hour)
	}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bUndo)
		if n := b.Stats().KeyN; n != UndoDepth {
			t.Errorf("undo ring has %d records", n)
		}
		if b.RootPage() != 0 {
			t.Errorf("the undo bucket is not inline (root page %d, %d bytes)", b.RootPage(), b.Stats().InlineBucketInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
