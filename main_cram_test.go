package main

import (
	"encoding/csv"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/tune"
)

// snapshot is what cram and mock must not change: decks --json, every
// card's progress (due, S, D, ...), the exported review log and the
// optimizer's training items.
type snapshot struct {
	decks, revlog string
	prog          map[string]deck.Progress
	items         int
}

func snap(t *testing.T, db string) snapshot {
	t.Helper()
	var s snapshot
	var code int
	var errs string
	if code, s.decks, errs = opsdeck(t, "", "--db", db, "decks", "--json"); code != 0 {
		t.Fatal(errs)
	}
	if code, s.revlog, errs = opsdeck(t, "", "--db", db, "export", "--revlog"); code != 0 {
		t.Fatal(errs)
	}
	st, err := store.Open(db, &store.Options{Builtin: mustBuiltin(t), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if s.prog, err = st.AllProgress(); err != nil {
		t.Fatal(err)
	}
	lib, err := study.Load(st, time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	log, err := lib.Log()
	if err != nil {
		t.Fatal(err)
	}
	s.items = tune.Prepare(log, lib.Sched, lib.Settings).Items
	return s
}

// TestCramAndMockLeaveTheScheduleAlone: cram and mock sessions, graded
// and undone, change neither decks --json nor any card's state, the
// review log or the optimizer's item count; the mock saves a scorecard
// that the plan screen's trend reads.
func TestCramAndMockLeaveTheScheduleAlone(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := filepath.Join(t.TempDir(), "opsdeck.db")
	day0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	plainSession(t, db, day0, strings.Repeat("\n3\n", 10)+strings.Repeat("\n1\n", 4), "--limit", "14")
	plainSession(t, db, day0.AddDate(0, 0, 3), strings.Repeat("\n3\n", 20))
	t.Setenv("OPSDECK_NOW", day0.AddDate(0, 0, 5).Format(time.RFC3339))
	if code, _, errs := opsdeck(t, "", "--db", db, "plan", "--date", "2026-04-01"); code != 0 {
		t.Fatal(errs)
	}
	before := snap(t, db)
	if before.items == 0 {
		t.Fatal("no training items to compare")
	}

	code, out, errs := opsdeck(t, "\n1\n\n2\n\nu\n\n4\n\n3\n", "--db", db, "cram", "--plain", "--limit", "5")
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.HasPrefix(out, "--- 1/5 ") || !strings.Contains(out, "undone: ") || !strings.Contains(out, "done: 3 crammed, 66% correct") {
		t.Fatalf("cram:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !(strings.HasPrefix(l, "  ") || regexpMatch(l, `^(--- |Q: |A: |grade: |undone: |done: )`)) {
			t.Errorf("cram line outside the protocol: %q", l)
		}
	}
	code, out, errs = opsdeck(t, strings.Repeat("\n3\n\n1\n", 20), "--db", db, "mock", "--plain", "--minutes", "5")
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "time: 0s of ") || !strings.Contains(out, "score: ") || !strings.Contains(out, "% passed") {
		t.Fatalf("mock:\n%s", out)
	}
	// 5 minutes hold about 5-10 cards of 30-90 s, drawn from several areas.
	if n := strings.Count(out, "\n--- "); n < 3 || n > 10 {
		t.Errorf("%d cards in a 5-minute mock", n+1)
	}
	if strings.Count(out, "score: ") < 2 {
		t.Errorf("the mock kept to one area:\n%s", out)
	}

	after := snap(t, db)
	if before.decks != after.decks {
		t.Errorf("decks --json changed:\n%s\n%s", before.decks, after.decks)
	}
	if before.revlog != after.revlog {
		t.Error("the review log changed")
	}
	if !reflect.DeepEqual(before.prog, after.prog) {
		t.Error("a card's progress changed")
	}
	if before.items != after.items {
		t.Errorf("optimizer items %d -> %d", before.items, after.items)
	}
	st, err := store.Open(db, &store.Options{Builtin: mustBuiltin(t)})
	if err != nil {
		t.Fatal(err)
	}
	log, _ := st.PracticeLog()
	mocks, _ := st.Mocks()
	if len(mocks) != 1 || len(log) < 3+3 {
		t.Errorf("%d mocks, %d practice entries", len(mocks), len(log))
	}
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// export --revlog --all has them, with review_kind; ordered by time.
	code, all, errs := opsdeck(t, "", "--db", db, "export", "--revlog", "--all")
	if code != 0 {
		t.Fatal(errs)
	}
	rows, err := csv.NewReader(strings.NewReader(all)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "card_id,review_time,review_rating,review_state,review_duration,deck_id,card_key,last_interval,interval,review_kind" {
		t.Errorf("header %v", rows[0])
	}
	kinds := map[string]int{}
	prevT := int64(0)
	for _, r := range rows[1:] {
		kinds[r[9]]++
		ts, _ := strconv.ParseInt(r[1], 10, 64)
		if n, _ := strconv.Atoi(r[0]); n <= 0 || ts < prevT {
			t.Errorf("row %v", r)
		}
		prevT = ts
	}
	study := strings.Count(before.revlog, "\n") - 1
	if kinds["study"] != study || kinds["cram"] != 3 || kinds["mock"] != len(log)-3 {
		t.Errorf("kinds %v; %d study reviews, %d practice", kinds, study, len(log))
	}
	if code, _, _ := opsdeck(t, "", "--db", db, "export", "--all"); code != 2 {
		t.Errorf("--all without --revlog: %d", code)
	}
	// stats shows them apart; stats --json is as before.
	if code, out, _ := opsdeck(t, "", "--db", db, "stats"); code != 0 || !strings.Contains(out, "Practice, not counted above (the schedule stays): 3 cram and") {
		t.Errorf("stats:\n%s", out)
	}
	// Usage.
	if code, _, errs := opsdeck(t, "", "--db", db, "cram"); code != 2 || !strings.Contains(errs, "--plain") {
		t.Errorf("cram without --plain: %d %q", code, errs)
	}
	if code, _, _ := opsdeck(t, "", "--db", db, "mock", "--plain", "--minutes", "0"); code != 2 {
		t.Errorf("mock --minutes 0: %d", code)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "cram", "--plain", "--deck", "nope"); code != 1 || !strings.Contains(errs, `no deck "nope"`) {
		t.Errorf("cram --deck nope: %d %q", code, errs)
	}
}

func regexpMatch(s, pattern string) bool { return len(regexpAll(s, pattern)) > 0 }
