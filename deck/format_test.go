package deck

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// roundTrip formats d and parses it back.
func roundTrip(t testing.TB, d Deck) Deck {
	var buf bytes.Buffer
	if err := Format(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(d.File, buf.String())
	if err != nil {
		t.Fatalf("re-parse failed: %v\n--- formatted:\n%s", err, buf.String())
	}
	return back
}

func sameDeck(a, b Deck) bool {
	if a.ID != b.ID || a.Title != b.Title || a.Description != b.Description || len(a.Cards) != len(b.Cards) {
		return false
	}
	for i := range a.Cards {
		x, y := a.Cards[i], b.Cards[i]
		x.Line, y.Line = 0, 0
		if len(x.Tags) == 0 {
			x.Tags = nil
		}
		if len(y.Tags) == 0 {
			y.Tags = nil
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func TestFormatRoundTripAwkwardText(t *testing.T) {
	d := Deck{ID: "custom", Title: "Ünïcode | \"quotes\"", Description: "pipes | and, commas", Cards: []Card{
		{ID: "custom/a", Deck: "custom", Slug: "a", Front: "Q: looks like a marker\n## and a heading", Back: "A: too\n\\## escaped already\n```sh\n## in a fence\nQ: here\n```\n\"quoted\", |piped|, 日本語 ✓"},
		{ID: "custom/b", Deck: "custom", Slug: "b", Front: "  leading spaces kept", Back: "C: cloze-like\n\\\\Q: two backslashes", Tags: []string{"x", "y-z"}, Source: "https://example.com/a?b=c", AsOf: "2026-11-25"},
	}}
	c1, c2 := func() (Card, Card) {
		text := "{{c1::Pods}} run on {{c2::nodes::where}}"
		f1, b1 := RenderCloze(text, 1, "extra | text")
		f2, b2 := RenderCloze(text, 2, "extra | text")
		return Card{ID: "custom/cz", Deck: "custom", Slug: "cz", Kind: Cloze, Text: text, Index: 1, Extra: "extra | text", Front: f1, Back: b1},
			Card{ID: "custom/cz-c2", Deck: "custom", Slug: "cz", Kind: Cloze, Text: text, Index: 2, Extra: "extra | text", Front: f2, Back: b2}
	}()
	d.Cards = append(d.Cards, c1, c2)
	back := roundTrip(t, d)
	if !sameDeck(d, back) {
		t.Fatalf("round trip changed the deck:\n got %#v\nwant %#v", back, d)
	}
}

func TestFormatRoundTripBuiltin(t *testing.T) {
	files, _ := filepath.Glob("../decks/*.md")
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(filepath.Base(f), string(text))
		if err != nil {
			continue // TestBuiltinDecks reports it
		}
		if back := roundTrip(t, d); !sameDeck(d, back) {
			t.Errorf("%s: round trip changed the deck", f)
		}
	}
}

func TestCheckCard(t *testing.T) {
	ok := Card{Deck: "d", Slug: "s", Front: "q", Back: "a"}
	if err := CheckCard(ok); err != nil {
		t.Fatal(err)
	}
	bad := []Card{
		{Deck: "d", Slug: "s", Front: " ", Back: "a"},
		{Deck: "d", Slug: "s", Front: "q", Back: "```\ncode"},
		{Deck: "D!", Slug: "s", Front: "q", Back: "a"},
		{Deck: "d", Slug: "s", Front: "q", Back: "a", Tags: []string{"two words"}},
		{Deck: "d", Slug: "s", Kind: Cloze, Text: "no deletion"},
	}
	for _, c := range bad {
		if CheckCard(c) == nil {
			t.Errorf("CheckCard(%+v) accepted a bad card", c)
		}
	}
}

// FuzzParse: the parser never panics, and every deck it accepts formats and
// parses back to the same deck.
func FuzzParse(f *testing.F) {
	// Small seeds only: the fuzzer minimises every seed before it starts
	// and mutates them all, so the built-in decks (tens of KB each) slowed
	// it to about 5,800 inputs a minute. TestParseFS covers the decks.
	f.Add(example)
	f.Add("# T\nid: d\n## a\nQ: ```\n## x\n```\nA: \\## y\n")
	f.Add("# T\nid: d\n\n## c\ntags: a, b\nsource: https://x.example/y\nas-of: 2025-01\n\nC: {{c1::x::hint}} and {{c2::y}}\nA: extra\n")
	f.Add("# T\r\nid: d\r\n\r\n## a\r\nQ: q\r\n\r\nA: - a\r\n  \\Q: b\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse("f.md", text)
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			return
		}
		if back := roundTrip(t, d); !sameDeck(d, back) {
			t.Fatalf("round trip changed the deck:\n got %#v\nwant %#v", back, d)
		}
	})
}
