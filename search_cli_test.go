package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// searchOut is search --json.
type searchOut struct {
	Total int              `json:"total"`
	Cards []map[string]any `json:"cards"`
}

func searchJSON(t *testing.T, db, query string, args ...string) searchOut {
	t.Helper()
	code, out, errs := opsdeck(t, "", append([]string{"--db", db, "search", query, "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("search %q: %d %s", query, code, errs)
	}
	var s searchOut
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("search %q: %v\n%s", query, err, out)
	}
	return s
}

func ids(s searchOut) []string {
	var out []string
	for _, c := range s.Cards {
		out = append(out, c["id"].(string))
	}
	return out
}

// studied is a database with a few cards graded on 2026-03-01.
func studied(t *testing.T) string {
	t.Helper()
	t.Setenv("TZ", "UTC")
	t.Setenv("OPSDECK_NOW", "2026-03-01T09:00:00Z")
	db := tempDB(t)
	if code, _, errs := opsdeck(t, "\n3\n\n1\n\n4\n\n3\nq\n", "--db", db, "review", "--plain", "--deck", "kubernetes"); code != 0 {
		t.Fatal(errs)
	}
	return db
}

func TestSearchJSONIsTheContract(t *testing.T) {
	db := studied(t)
	s := searchJSON(t, db, "deck:kubernetes", "--limit", "3", "--sort", "reps")
	if s.Total < 50 || len(s.Cards) != 3 {
		t.Fatalf("total %d, %d cards", s.Total, len(s.Cards))
	}
	want := []string{"buried", "deck", "difficulty", "due", "flag", "id", "interval_days", "lapses", "question", "reps",
		"retrievability", "stability", "state", "suspended", "tags"}
	for _, c := range s.Cards {
		var keys []string
		for k := range c {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("fields %v\nwant %v", keys, want)
		}
		if c["state"] != "new" || c["due"] != nil || c["stability"] != nil || c["retrievability"] != nil {
			t.Errorf("a new card: %v", c)
		}
	}
	seen := searchJSON(t, db, "-is:new")
	if seen.Total != 4 {
		t.Fatalf("-is:new: %d cards, want the 4 studied", seen.Total)
	}
	for _, c := range seen.Cards {
		if c["due"] == nil || c["stability"] == nil || c["retrievability"] == nil || c["reps"].(float64) != 1 {
			t.Errorf("a studied card: %v", c)
		}
		if _, ok := c["due"].(string); !ok || !strings.HasPrefix(c["due"].(string), "2026-03-") {
			t.Errorf("due %v", c["due"])
		}
	}
	if n := searchJSON(t, db, "rated:1:1").Total; n != 1 {
		t.Errorf("rated:1:1: %d", n)
	}
	if n := searchJSON(t, db, "is:learn").Total; n != 3 {
		t.Errorf("is:learn: %d (two Good/Again on the first step, one Good... )", n)
	}
	// The text form lists the same cards.
	_, out, _ := opsdeck(t, "", "--db", db, "search", "-is:new")
	for _, id := range ids(seen) {
		if !strings.Contains(out, id) {
			t.Errorf("text output lacks %s:\n%s", id, out)
		}
	}
	if !strings.HasSuffix(out, "4 cards\n") {
		t.Errorf("text output ends %q", out[max(0, len(out)-40):])
	}
}

func TestSearchRefusesBadQueriesAndUsage(t *testing.T) {
	db := tempDB(t)
	// The database exists: a read of a missing one adds a note on stderr.
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "Q?", "--back", "A."); code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"is:foo"}, 1, "opsdeck: query: 4: unknown is:foo"},
		{[]string{"(dog"}, 1, "opsdeck: query: 1: '(' is not closed"},
		{[]string{"prop:ease>2"}, 1, "opsdeck: query: 6: unknown prop:ease"},
		{[]string{"x", "--suspend", "--bury"}, 2, "one action at a time"},
		{[]string{"x", "--flag", "9"}, 2, "flag 9 is not 0-7"},
		{[]string{"x", "--set-due", "soon"}, 2, "--set-due"},
		{[]string{"x", "--set-due", "5-2"}, 2, "--set-due"},
		{[]string{"x", "--tag-add", "a b"}, 2, "one tag"},
		{[]string{"x", "--sort", "colour"}, 2, "unknown sort field"},
		{[]string{"x", "--dry-run"}, 2, "--dry-run goes with an action"},
	} {
		code, _, errs := opsdeck(t, "", append([]string{"--db", db, "search"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.err) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: %d %q, want %d %q", c.args, code, errs, c.code, c.err)
		}
	}
}

// search QUERY --suspend is one action: opsdeck undo restores every card.
func TestSearchSuspendThenUndoRestoresEveryCard(t *testing.T) {
	db := studied(t)
	before := searchJSON(t, db, "")
	aks := searchJSON(t, db, "tag:aks")
	if aks.Total < 10 {
		t.Fatalf("tag:aks: %d", aks.Total)
	}
	code, out, errs := opsdeck(t, "", "--db", db, "search", "tag:aks", "--suspend")
	if code != 0 || !strings.Contains(out, "suspend: ") {
		t.Fatal(code, out, errs)
	}
	if got := searchJSON(t, db, "is:suspended"); !reflect.DeepEqual(ids(got), ids(aks)) {
		t.Fatalf("suspended %d, want the %d aks cards", got.Total, aks.Total)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "undo")
	if code != 0 || !strings.Contains(out, "undid suspend:") {
		t.Fatal(code, out)
	}
	// (Recall now moves on with the clock between the two commands.)
	noR := func(s searchOut) searchOut {
		for _, c := range s.Cards {
			delete(c, "retrievability")
		}
		return s
	}
	if after := searchJSON(t, db, ""); !reflect.DeepEqual(noR(after), noR(before)) {
		t.Fatal("undo did not restore every card")
	}
	// Then the grades before it, one by one.
	if _, out, _ := opsdeck(t, "", "--db", db, "undo"); !strings.HasPrefix(out, "undid the grade of kubernetes/") {
		t.Fatalf("second undo: %q", out)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "check"); code != 0 {
		t.Fatal(errs)
	}
}

func TestSearchActions(t *testing.T) {
	db := studied(t)
	q := "tag:aks -is:new"
	first := ids(searchJSON(t, db, "-is:new"))
	if len(first) == 0 {
		t.Fatal("nothing studied")
	}
	one := "card:" + first[0]
	// --dry-run changes nothing.
	h := sha(t, db)
	code, out, _ := opsdeck(t, "", "--db", db, "search", "deck:kubernetes", "--forget", "--dry-run")
	if code != 0 || !strings.HasPrefix(out, "would forget ") || sha(t, db) != h {
		t.Fatalf("dry run: %d %q, file changed %v", code, out[:min(60, len(out))], sha(t, db) != h)
	}
	run := func(args ...string) {
		t.Helper()
		if code, out, errs := opsdeck(t, "", append([]string{"--db", db, "search", one}, args...)...); code != 0 {
			t.Fatal(args, out, errs)
		}
	}
	card := func() map[string]any { return searchJSON(t, db, one).Cards[0] }
	run("--flag", "5")
	if card()["flag"].(float64) != 5 || searchJSON(t, db, "flag:5").Total != 1 {
		t.Fatal("flag 5")
	}
	run("--flag", "0")
	if card()["flag"].(float64) != 0 {
		t.Fatal("flag 0")
	}
	run("--tag-add", "weak")
	if !slices.Contains(card()["tags"].([]any), any("weak")) || searchJSON(t, db, "tag:weak").Total != 1 {
		t.Fatal("tag-add")
	}
	run("--tag-remove", "WEAK")
	if slices.Contains(card()["tags"].([]any), any("weak")) {
		t.Fatal("tag-remove")
	}
	run("--bury")
	if !card()["buried"].(bool) || searchJSON(t, db, "is:buried").Total != 1 {
		t.Fatal("bury")
	}
	run("--set-due", "7")
	if c := card(); c["state"] != "review" || !strings.HasPrefix(c["due"].(string), "2026-03-08T04:00:00") || c["buried"].(bool) {
		t.Fatalf("set-due 7: %v", c)
	}
	if searchJSON(t, db, "prop:due=7").Total != 1 {
		t.Fatal("prop:due=7")
	}
	run("--forget")
	if c := card(); c["state"] != "new" || c["reps"].(float64) != 1 {
		t.Fatalf("forget keeps the history and counts: %v", c)
	}
	run("--suspend")
	run("--unsuspend")
	if card()["suspended"].(bool) {
		t.Fatal("unsuspend")
	}
	// A card's history stays through all of it.
	code, out, _ = opsdeck(t, "", "--db", db, "info", first[0], "--json")
	var info map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil || len(info["history"].([]any)) != 1 {
		t.Fatalf("info: %d %s", code, out)
	}
	_ = q
}

func TestInfo(t *testing.T) {
	db := studied(t)
	id := ids(searchJSON(t, db, "rated:1:4"))[0]
	code, out, errs := opsdeck(t, "", "--db", db, "info", id)
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"Q: ", "card            " + id, "state           review", "first review    2026-03-01 09:00",
		"stability", "recall now      100.0%", "forgetting curve", "history: 1 review", "easy"} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = opsdeck(t, "", "--db", db, "info", id, "--json")
	var info map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil {
		t.Fatal(out)
	}
	h := info["history"].([]any)[0].(map[string]any)
	if h["rating"].(float64) != 4 || h["state"] != "new" || h["interval_before"].(float64) != 0 || info["first_review"] == nil ||
		len(info["forgetting_curve"].([]any)) < 8 {
		t.Errorf("info json %v", info)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "info", "kubernetes/no-such-card"); code != 1 || !strings.Contains(errs, `no card "kubernetes/no-such-card"`) {
		t.Errorf("unknown card: %d %q", code, errs)
	}
}

// opsdeck add keeps the time, for added:N and the card info.
func TestAddedTime(t *testing.T) {
	t.Setenv("TZ", "UTC")
	t.Setenv("OPSDECK_NOW", "2026-03-01T09:00:00Z")
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "What is a PDB?", "--back", "A disruption budget.")
	if code != 0 {
		t.Fatal(errs)
	}
	id := strings.TrimSpace(out)
	if s := searchJSON(t, db, "added:1"); len(s.Cards) != 1 || s.Cards[0]["id"] != id {
		t.Fatalf("added:1: %v", ids(s))
	}
	_, info, _ := opsdeck(t, "", "--db", db, "info", id)
	if !strings.Contains(info, "added           2026-03-01 09:00") {
		t.Fatalf("info:\n%s", info)
	}
	t.Setenv("OPSDECK_NOW", "2026-03-09T09:00:00Z")
	if s := searchJSON(t, db, "added:7"); s.Total != 0 {
		t.Fatalf("added:7 a week later: %v", ids(s))
	}
}
