package deck

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const example = "# Kubernetes & Container Orchestration\n" +
	"id: kubernetes\n" +
	"description: Pods, scheduling.\n" +
	"\n" +
	"## qos-classes\n" +
	"tags: pods, resources\n" +
	"source: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/\n" +
	"\n" +
	"Q: What are the three Pod QoS classes?\n" +
	"\n" +
	"A: Guaranteed, Burstable, BestEffort.\n" +
	"\n" +
	"```yaml\n" +
	"## a comment inside a fence is not a card\n" +
	"A: nor a second answer\n" +
	"```\n" +
	"\n" +
	"## aks-versions\n" +
	"tags: aks\n" +
	"as-of: 2026-08\n" +
	"C: AKS supports {{c1::three}} GA minor versions ({{c2::N-2::window}}).\n" +
	"A: Extra text.\n"

func TestParseExample(t *testing.T) {
	d, err := Parse("k.md", example)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "kubernetes" || d.Title != "Kubernetes & Container Orchestration" || d.Description != "Pods, scheduling." {
		t.Fatalf("header: %+v", d)
	}
	if len(d.Cards) != 3 {
		t.Fatalf("got %d cards, want 3", len(d.Cards))
	}
	c := d.Cards[0]
	want := Card{
		ID: "kubernetes/qos-classes", Deck: "kubernetes", Slug: "qos-classes", Kind: Basic,
		Front:  "What are the three Pod QoS classes?",
		Back:   "Guaranteed, Burstable, BestEffort.\n\n```yaml\n## a comment inside a fence is not a card\nA: nor a second answer\n```",
		Tags:   []string{"pods", "resources"},
		Source: "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/",
		Line:   5,
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("card 1:\n got %#v\nwant %#v", c, want)
	}
	c1, c2 := d.Cards[1], d.Cards[2]
	if c1.ID != "kubernetes/aks-versions" || c2.ID != "kubernetes/aks-versions-c2" {
		t.Fatalf("cloze ids %q %q", c1.ID, c2.ID)
	}
	if c1.Front != "AKS supports [...] GA minor versions (N-2)." ||
		c1.Back != "AKS supports [three] GA minor versions (N-2).\n\nExtra text." {
		t.Fatalf("cloze 1: %q / %q", c1.Front, c1.Back)
	}
	if c2.Front != "AKS supports three GA minor versions ([window])." || c2.Index != 2 || c2.AsOf != "2026-08" {
		t.Fatalf("cloze 2: %q %+v", c2.Front, c2)
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"no title", "id: x\n", []string{`f.md:1: a deck starts with a line "# <title>"`}},
		{"no id", "# T\n\n## a\nQ: q\nA: a\n", []string{`f.md:1: missing header field "id: <deck-id>"`}},
		{"duplicate id", "# T\nid: d\n## a\nQ: q\nA: a\n## a\nQ: q2\nA: a2\n", []string{`f.md:6: duplicate card slug "a" (first at line 3)`}},
		{"empty answer", "# T\nid: d\n## a\nQ: q\nA:\n\n## b\nQ: q\nA: x\n", []string{`f.md:5: empty answer in card "a"`}},
		{"no answer", "# T\nid: d\n## a\nQ: q\n", []string{`f.md:3: card "a" has no answer`}},
		{"unknown field", "# T\nid: d\n## a\ncolour: red\nQ: q\nA: a\n", []string{`f.md:4: unknown field "colour"`}},
		{"unterminated fence", "# T\nid: d\n## a\nQ: q\nA: a\n```go\nx\n## b\nQ: q\nA: a\n", []string{`f.md:3: unterminated code fence in card "a"`}},
		{"bad slug", "# T\nid: d\n## Not A Slug\nQ: q\nA: a\n", []string{`f.md:3: invalid card slug "Not A Slug"`}},
		{"text before cards", "# T\nid: d\nhello there\n## a\nQ: q\nA: a\n", []string{`f.md:3: text before the first card`}},
		{"bad source", "# T\nid: d\n## a\nsource: http://x.org\nQ: q\nA: a\n", []string{`f.md:4: source: "http://x.org" is not an https URL`}},
		{"bad date", "# T\nid: d\n## a\nas-of: 2026-13\nQ: q\nA: a\n", []string{`f.md:4: as-of "2026-13"`}},
		{"second question", "# T\nid: d\n## a\nQ: q\nA: a\nQ: q2\n", []string{`f.md:6: "Q:" inside card "a"`}},
		{"cloze without deletion", "# T\nid: d\n## a\nC: nothing hidden\n", []string{`f.md:4: card "a": cloze text has no deletion`}},
		{"several at once", "# T\nid: d\n## a\nQ:\nA: a\n## b\nfoo: 1\nQ: q\nA:\n", []string{
			`f.md:4: empty question in card "a"`, `f.md:7: unknown field "foo"`, `f.md:9: empty answer in card "b"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.md", tc.text)
			var el ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("want an ErrorList, got %v", err)
			}
			if len(el) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(el), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(el[i].Error(), w) {
					t.Errorf("error %d = %q, want prefix %q", i, el[i].Error(), w)
				}
			}
		})
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	for _, l := range []string{"## x", "##", "Q: x", "A:", "C:y", `\## x`, `\\Q: x`, "plain", `\frac`, `\\server`, "### h3"} {
		e := EscapeLine(l)
		if UnescapeLine(e) != l {
			t.Errorf("%q -> %q -> %q", l, e, UnescapeLine(e))
		}
		if e != l && !strings.HasPrefix(e, `\`) {
			t.Errorf("%q escaped as %q", l, e)
		}
	}
	if EscapeLine("plain") != "plain" || EscapeLine(`\frac`) != `\frac` {
		t.Error("lines that are not markers must stay as they are")
	}
}

func TestCRLFAndBOM(t *testing.T) {
	d, err := Parse("f.md", "\uFEFF# T\r\nid: d\r\n## a\r\nQ: q\r\nA: line1\r\nline2\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if d.Cards[0].Back != "line1\nline2" {
		t.Fatalf("back %q", d.Cards[0].Back)
	}
}
