package deck

import (
	"strings"
	"testing"
	"time"
)

func TestLeechThresholdRule(t *testing.T) {
	cases := []struct {
		lapses, threshold int
		want              bool
	}{
		{7, 8, false}, {8, 8, true}, {9, 8, false}, {12, 8, true}, {16, 8, true}, {15, 8, false},
		{1, 1, true}, {2, 1, true}, {3, 3, true}, {4, 3, true}, {5, 3, true}, {0, 0, false},
	}
	for _, c := range cases {
		if got := LeechThresholdMet(c.lapses, c.threshold); got != c.want {
			t.Errorf("LeechThresholdMet(%d, %d) = %v", c.lapses, c.threshold, got)
		}
	}
}

func TestMonthsSince(t *testing.T) {
	now := time.Date(2027, 2, 15, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		asOf string
		want int
	}{
		{"2026-12-01", 2}, {"2025-12-01", 14}, {"2025-12-16", 13}, {"2025-12", 14}, {"2027-02-15", 0}, {"soon", -1},
	} {
		if got := MonthsSince(c.asOf, now); got != c.want {
			t.Errorf("MonthsSince(%q) = %d, want %d", c.asOf, got, c.want)
		}
	}
}

// Custom decks sort as people read numbers: Extra 2 before Extra 10.
func TestMergeSortsCustomDecksNaturally(t *testing.T) {
	var custom []Deck
	for _, id := range []string{"extra-1", "extra-10", "extra-2", "alpha"} {
		custom = append(custom, Deck{ID: id, Title: strings.ToUpper(id[:1]) + strings.ReplaceAll(id[1:], "-", " ")})
	}
	got := Merge([]Deck{{ID: "zeta", Title: "Zeta"}}, custom, nil)
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if want := "zeta alpha extra-1 extra-2 extra-10"; strings.Join(ids, " ") != want {
		t.Fatalf("order %v, want %s", ids, want)
	}
	if NaturalCompare("a9", "a10") >= 0 || NaturalCompare("a010", "a9") <= 0 || NaturalCompare("b", "a") <= 0 {
		t.Fatal("NaturalCompare")
	}
}

func TestPlainText(t *testing.T) {
	in := "**Guaranteed** and `kubectl get`:\n```yaml\na: **b**\n```\nend `x"
	want := "Guaranteed and kubectl get:\ncode (yaml):\na: **b**\nend of code\nend `x"
	if got := PlainText(in); got != want {
		t.Fatalf("PlainText:\n%s\nwant\n%s", got, want)
	}
}

// Tags: one rule in deck files, on the command line and in the app.
func TestSplitTagsOneRule(t *testing.T) {
	if got := strings.Join(SplitTags(" a b,c ,, a\td "), "|"); got != "a|b|c|d" {
		t.Fatalf("SplitTags: %q", got)
	}
	d, err := ParseFile("t.md", strings.NewReader("# T\nid: t\n\n## one\ntags: a b, c\n\nQ: q\n\nA: a\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Cards[0].Tags, "|"); got != "a|b|c" {
		t.Fatalf("deck file tags: %q", got)
	}
}
