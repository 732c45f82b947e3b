package deck

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func parseAnkiFile(t *testing.T, path string, o AnkiOptions) ([]Deck, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParseAnki(path, f, o)
}

func TestAnkiHeadersQuotingBOMCRLF(t *testing.T) {
	decks, err := parseAnkiFile(t, "testdata/anki-semicolon.txt", AnkiOptions{Fallback: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(decks) != 1 || decks[0].ID != "interview-prep-k8s" || decks[0].Title != "Interview Prep::K8s" {
		t.Fatalf("decks %+v", decks)
	}
	cs := decks[0].Cards
	if len(cs) != 3 {
		t.Fatalf("%d cards", len(cs))
	}
	if cs[0].Front != "What is a **Pod**?" || cs[0].Back != "The smallest unit; one or more\\\ncontainers & shared *network*" {
		t.Errorf("card 1: %q / %q", cs[0].Front, cs[0].Back)
	}
	if strings.Join(cs[0].Tags, " ") != "imported anki k8s core" {
		t.Errorf("tags %v", cs[0].Tags)
	}
	if cs[1].Front != `Quote "inside"` || cs[1].Back != "Line one\nLine two" || cs[1].Line != 8 {
		t.Errorf("card 2: %q / %q line %d", cs[1].Front, cs[1].Back, cs[1].Line)
	}
	if cs[2].Front != "Has; a separator" || cs[2].Back != "first\\\nsecond\n- a\n- b" || cs[2].Line != 10 {
		t.Errorf("card 3: %q / %q line %d", cs[2].Front, cs[2].Back, cs[2].Line)
	}
	// Same file again: same IDs (matched by deck and question).
	again, _ := parseAnkiFile(t, "testdata/anki-semicolon.txt", AnkiOptions{})
	for i := range cs {
		if again[0].Cards[i].ID != cs[i].ID {
			t.Errorf("IDs differ on re-import: %s vs %s", again[0].Cards[i].ID, cs[i].ID)
		}
	}
}

func TestAnkiColumnsAndCloze(t *testing.T) {
	decks, err := parseAnkiFile(t, "testdata/anki-tab.txt", AnkiOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs := decks[0].Cards
	if decks[0].ID != "devops" || len(cs) != 4 {
		t.Fatalf("deck %s, %d cards", decks[0].ID, len(cs))
	}
	if cs[0].Front != "What does CI stand for?" || cs[0].Tags[0] != "ci" {
		t.Errorf("basic: %+v", cs[0])
	}
	if cs[1].Kind != Cloze || cs[1].Index != 1 || cs[2].Index != 2 || cs[1].Extra != "Extra <b>text</b>" {
		t.Errorf("cloze: %+v %+v", cs[1], cs[2])
	}
	if cs[2].Front != "Terraform stores state in [where]" || !strings.HasSuffix(cs[2].ID, "-c2") {
		t.Errorf("cloze 2: %q %s", cs[2].Front, cs[2].ID)
	}
	// --deck overrides the deck column.
	decks, _ = parseAnkiFile(t, "testdata/anki-tab.txt", AnkiOptions{DeckID: "mine"})
	if len(decks) != 1 || decks[0].ID != "mine" {
		t.Errorf("--deck: %+v", decks)
	}
}

func TestAnkiBrokenFileListsEveryProblem(t *testing.T) {
	_, err := parseAnkiFile(t, "testdata/anki-broken.csv", AnkiOptions{DeckID: "d"})
	var el ErrorList
	if !errors.As(err, &el) {
		t.Fatalf("want ErrorList, got %v", err)
	}
	// line 3 opens a quote that never closes: the rest of the file is one
	// unterminated field, so that is the one problem after line 2.
	if len(el) != 1 || el[0].Line != 3 || !strings.Contains(el[0].Msg, "quote") {
		t.Fatalf("errors: %v", err)
	}
	_, err = ParseAnki("b.csv", strings.NewReader("#separator:comma\nok,fine\nonly one field\n,empty front\nq,\n"), AnkiOptions{DeckID: "d"})
	want := "b.csv:3: 1 field(s), want at least front and back (is the separator \",\" right?)\nb.csv:4: empty front\nb.csv:5: empty back"
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	_, err = ParseAnki("h.csv", strings.NewReader("#separator:Banana\n#colour:red\na,b\n"), AnkiOptions{DeckID: "d"})
	if err == nil || !strings.Contains(err.Error(), "h.csv:1: unknown separator") || !strings.Contains(err.Error(), "h.csv:2: unknown header #colour") {
		t.Fatalf("headers: %v", err)
	}
}

func TestAnkiExportReimports(t *testing.T) {
	decks, err := parseAnkiFile(t, "testdata/anki-tab.txt", AnkiOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteAnkiCSV(&buf, decks); err != nil {
		t.Fatal(err)
	}
	back, err := ParseAnki("e.csv", &buf, AnkiOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	back[0].Title = decks[0].Title
	if !sameDeck(decks[0], back[0]) {
		t.Fatalf("csv round trip:\n got %+v\nwant %+v", back[0], decks[0])
	}
}

func TestHTMLToText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"br is a hard break", "a<br>b<br/>c", "a\\\nb\\\nc"},
		{"br at the end goes", "a<br>", "a"},
		{"two br make a paragraph", "a<br><br>b", "a\n\nb"},
		{"p", "<p>x</p><p>y</p>", "x\n\ny"},
		{"div", "<div>first</div><div>second</div>", "first\\\nsecond"},
		{"no hard break where the renderer breaks anyway", "intro<br>- item<br>| a |<br>text", "intro\n- item\n| a |\ntext"},
		{"pre with a language", `<pre><code class="language-sh">ls -l \</code></pre>`, "```sh\nls -l \\\n```"},
		{"entities", "&lt;tag&gt; &amp; &quot;q&quot;", `<tag> & "q"`},
		{"nbsp", "plain &nbsp;text", "plain  text"},
		{"bold", "a <b>bold</b> and <strong>strong</strong>", "a **bold** and **strong**"},
		{"italics", "<i>it</i> <em>em</em>", "*it* *em*"},
		{"code", "run <code>kubectl get pods</code>", "run `kubectl get pods`"},
		{"pre", "see:<pre>line 1\n  line &lt;2&gt;<br>line 3</pre>after", "see:\n```\nline 1\n  line <2>\nline 3\n```\nafter"},
		{"ul", "<ul><li>a</li><li>b</li></ul>", "- a\n- b"},
		{"ol", "<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"},
		{"nested list", "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>", "- a\n  - a1\n- b"},
		{"table", "<table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>2</td></tr></table>", "| k | v |\n| --- | --- |\n| a\\|b | 2 |"},
		{"link", `<a href="https://learn.microsoft.com/x?a=1&amp;b=2">docs</a>`, "[docs](https://learn.microsoft.com/x?a=1&b=2)"},
		{"bare link", `<a href="https://x.io">https://x.io</a>`, "<https://x.io>"},
		{"image", `<img src="diagram.png" alt="Hub and spoke">`, "[image: Hub and spoke]"},
		{"image without alt", `<img src="d.png">`, "[image: d.png]"},
		{"style and script dropped", "<style>.card{color:red}</style>Q<script>alert(1)</script>", "Q"},
		{"comment dropped", "a<!-- hidden -->b", "ab"},
		{"heading", "<h2>Title</h2>text", "## Title\n\ntext"},
		{"stray <", "a < b", "a < b"},
		{"deep lists stay linear", "a" + strings.Repeat("<ul>", 1000) + "<li>x", "a\n" + strings.Repeat("  ", 8) + "- x"},
	}
	for _, c := range cases {
		if got := HTMLToText(c.in); got != c.want {
			t.Errorf("%s: HTMLToText(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// FuzzParseAnki: no panic, and every accepted file exports to CSV and
// imports back to the same cards.
func FuzzParseAnki(f *testing.F) {
	for _, p := range []string{"testdata/anki-semicolon.txt", "testdata/anki-tab.txt", "testdata/anki-broken.csv"} {
		b, _ := os.ReadFile(p)
		f.Add(string(b))
	}
	f.Add("q;a\n\"x\"\"y\";\"multi\nline\"\n")
	f.Fuzz(func(t *testing.T, text string) {
		decks, err := ParseAnki("f.csv", strings.NewReader(text), AnkiOptions{Fallback: "fuzz"})
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteAnkiCSV(&buf, decks); err != nil {
			t.Fatal(err)
		}
		back, err := ParseAnki("e.csv", &buf, AnkiOptions{Fallback: "fuzz"})
		if err != nil {
			t.Fatalf("export did not import: %v\n%q", err, buf.String())
		}
		if len(back) != len(decks) {
			t.Fatalf("%d decks, then %d", len(decks), len(back))
		}
		for i := range decks {
			back[i].Title = decks[i].Title
			if !sameDeck(decks[i], back[i]) {
				t.Fatalf("round trip changed deck %s:\n got %#v\nwant %#v\n%q", decks[i].ID, back[i], decks[i], buf.String())
			}
		}
	})
}

// FuzzHTMLToText: no panic, never a control character, and never longer
// than a few times its input (links and tables add their markup).
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"a<br>b", "<table><tr><td>x<td>y</table>", `<a href="u">t</a>`, "<pre><code>x</code></pre>", "<ul><li>a<ol><li>b", "<style>x", "<!--", "&#x1b;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := HTMLToText(s)
		if CountControl(got) != 0 {
			t.Fatalf("control character in %q", got)
		}
		if len(got) > 8*len(s)+16 {
			t.Fatalf("%d bytes from %d", len(got), len(s))
		}
	})
}
