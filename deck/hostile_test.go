package deck

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
)

// hostile inputs each importer must refuse with a file:line error.
func TestAnkiRefusesHostileInput(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"lone CR", "#separator:comma\nq1,a1\rq2,a2\nq3,a3\n", "f.csv:2: a carriage return (CR) not followed by a newline"},
		{"extra column", "#separator:comma\nq,a,dropped\n", "f.csv:2: 3 fields, but a note has 2"},
		{"beyond #columns", "#separator:comma\n#columns:front,back\nq,a,x\n", "f.csv:3: 3 columns, but #columns: names 2"},
		{"invalid UTF-8", "#separator:comma\nq,caf\xe9\n", "f.csv:2: invalid UTF-8"},
		{"NUL", "#separator:comma\nq,a\x00b\n", "f.csv:2: a NUL byte"},
		{"ESC", "#separator:comma\nq,a\x1b]2;pwned\x07\n", "f.csv:2: control character U+001B (ESC)"},
		{"C1", "#separator:comma\nq,a\u009b2J\n", "f.csv:2: control character U+009B"},
		{"HTML entity", "#separator:comma\n#html:true\nq,a&#x1b;[2J\n", "f.csv:3: column 2: HTML decodes to control character U+001B (ESC)"},
		{"HTML entity dec", "#separator:comma\n#html:true\nq,a&#7;b\n", "f.csv:3: column 2: HTML decodes to control character U+0007 (BEL)"},
		{"nested cloze", "#separator:tab\n#notetype:Cloze\n{{c1::a {{c2::b}} c}}\textra\n", "f.csv:3: nested cloze deletion"},
		{"deck column", "#separator:comma\n#deck column:99\nq,a\n", "f.csv:3: #deck column:99, but the row has 2 column(s)"},
		{"tags column", "#separator:comma\n#tags column:3\nq,a\n", "f.csv:3: #tags column:3, but the row has 2 column(s)"},
		{"long line", "#separator:comma\nq," + strings.Repeat("a", MaxLineBytes) + "\n", "f.csv:2: line 2 is longer than 1 MiB"},
		{"long header", "#" + strings.Repeat("a", MaxLineBytes), "f.csv:1: line 1 is longer than 1 MiB"},
	} {
		_, err := ParseAnki("f.csv", strings.NewReader(c.text), AnkiOptions{DeckID: "d"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	// Empty extra fields drop nothing: accepted.
	if _, err := ParseAnki("f.csv", strings.NewReader("#separator:comma\nq,a,,\n"), AnkiOptions{DeckID: "d"}); err != nil {
		t.Errorf("empty extra fields: %v", err)
	}
	// A file's last line may end in a lone CR (it merges nothing).
	if _, err := ParseAnki("f.csv", strings.NewReader("#separator:comma\nq,a\r"), AnkiOptions{DeckID: "d"}); err != nil {
		t.Errorf("final CR: %v", err)
	}
	// HTMLToText never makes a control character.
	if got := HTMLToText("a&#x1b;[2J&#x9b;&#127;"); CountControl(got) != 0 {
		t.Errorf("HTMLToText made a control character: %q", got)
	}
}

func TestParseRefusesHostileInput(t *testing.T) {
	head := "# T\nid: d\n\n## a\nQ: q\nA: "
	for _, c := range []struct {
		name, text, want string
	}{
		{"lone CR", head + "one\rtwo\n", "f.md:6: a carriage return (CR) not followed by a newline"},
		{"invalid UTF-8", head + "caf\xe9\n", "f.md:6: invalid UTF-8"},
		{"NUL", head + "a\x00b\n", "f.md:6: a NUL byte"},
		{"ESC", head + "a\x1b[2J\n", "f.md:6: control character U+001B (ESC)"},
		{"nested cloze", "# T\nid: d\n\n## a\nC: {{c1::a {{c2::b}} c}}\n", "f.md:5: card \"a\": nested cloze deletion"},
		{"long line", head + strings.Repeat("a", MaxLineBytes) + "\n", "f.md:6: line 6 is longer than 1 MiB"},
	} {
		_, err := Parse("f.md", c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	// CRLF stays fine.
	if _, err := Parse("f.md", strings.ReplaceAll(head+"a\n", "\n", "\r\n")); err != nil {
		t.Errorf("CRLF: %v", err)
	}
}

// endless is /dev/zero: an endless line of NUL bytes.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.n += int64(len(p))
	return len(p), nil
}

// /dev/zero fails fast, after reading about 1 MiB, with an error in words.
func TestEndlessInputFailsFast(t *testing.T) {
	for _, parse := range []struct {
		name string
		fn   func(io.Reader) error
	}{
		{"anki", func(r io.Reader) error { _, err := ParseAnki("/dev/zero", r, AnkiOptions{DeckID: "d"}); return err }},
		{"md", func(r io.Reader) error { _, err := ParseFile("/dev/zero", r); return err }},
		{"anki header", func(r io.Reader) error {
			_, err := ParseAnki("/dev/zero", io.MultiReader(strings.NewReader("#"), r), AnkiOptions{DeckID: "d"})
			return err
		}},
	} {
		e := &endless{}
		err := parse.fn(e)
		var el ErrorList
		if !errors.As(err, &el) || !strings.Contains(err.Error(), "/dev/zero:1: line 1 is longer than 1 MiB") {
			t.Errorf("%s: %v", parse.name, err)
		}
		if e.n > 2*MaxLineBytes {
			t.Errorf("%s: read %d bytes", parse.name, e.n)
		}
	}
}

// Card IDs: a 64-bit hash of the whole question, and a file where two
// different questions still share an ID is refused naming both lines.
func TestAnkiIDsDoNotCollide(t *testing.T) {
	// These two collided under the 32-bit hash of the issue.
	a := "What is the meaning of item number 23895 in the big list?"
	b := "What is the meaning of item number 44581 in the big list?"
	if SlugFor(a) == SlugFor(b) {
		t.Fatalf("SlugFor collides: %s", SlugFor(a))
	}
	if !strings.HasPrefix(SlugFor(a), "what-is-the-meaning-of-") || len(SlugFor(a)) != len("what-is-the-meaning-of-")+16 {
		t.Errorf("SlugFor(a) = %s", SlugFor(a))
	}
	// A 10,000-question deck sharing its first five words: no collision.
	seen := map[string]int{}
	for i := range 10000 {
		s := SlugFor("What is the meaning of item number " + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("y", i/26))
		if j, ok := seen[s]; ok {
			t.Fatalf("questions %d and %d share slug %s", i, j, s)
		}
		seen[s] = i
	}
	// The legacy slug is the old one (kept for matching stored cards).
	if got := LegacySlugFor("What is a Pod?"); got != "what-is-a-pod-"+legacyHash("What is a Pod?") {
		t.Errorf("LegacySlugFor = %s", got)
	}
	// Same text twice: "the same question"; different texts, one ID: both
	// lines named, never "same question".
	_, err := ParseAnki("f.csv", strings.NewReader("#separator:tab\nq one\ta\nq one\tb\n"), AnkiOptions{DeckID: "d"})
	if err == nil || !strings.Contains(err.Error(), "f.csv:3: the same question as line 2") {
		t.Errorf("duplicate: %v", err)
	}
	old := slugHook
	defer func() { slugHook = old }()
	slugHook = func(string) string { return "fixed-0000000000000000" }
	_, err = ParseAnki("f.csv", strings.NewReader("#separator:tab\nq one\ta\nq two\tb\n"), AnkiOptions{DeckID: "d"})
	if err == nil || !strings.Contains(err.Error(), `f.csv:3: card ID "d/fixed-0000000000000000" is also the ID of the different question of line 2`) {
		t.Errorf("collision: %v", err)
	}
}

func legacyHash(q string) string {
	sum := sha1.Sum([]byte(q))
	return hex.EncodeToString(sum[:4])
}

// add and edit check with CheckCard: it refuses what the parser refuses.
func TestCheckCardRefusesControl(t *testing.T) {
	for _, c := range []Card{
		{Deck: "d", Slug: "s", Front: "q\x1b[2J", Back: "a"},
		{Deck: "d", Slug: "s", Front: "q", Back: "a\xff"},
		{Deck: "d", Slug: "s", Kind: Cloze, Text: "{{c1::x}}", Extra: "\x00"},
		{Deck: "d", Slug: "s", Kind: Cloze, Text: "{{c1::a {{c2::b}} c}}"},
	} {
		if err := CheckCard(c); err == nil {
			t.Errorf("CheckCard(%q) accepted it", c.Front+c.Back+c.Text+c.Extra)
		}
	}
	if err := CheckCard(Card{Deck: "d", Slug: "s", Front: "q\r\nline\ttab", Back: "a"}); err != nil {
		t.Errorf("CRLF and tab: %v", err)
	}
}

func TestLegacyID(t *testing.T) {
	decks, err := ParseAnki("f.csv", strings.NewReader("#separator:tab\nWhat is a Pod?\tunit\n{{c1::x}} and {{c2::y}}\t\n"), AnkiOptions{DeckID: "d"})
	if err != nil {
		t.Fatal(err)
	}
	cs := decks[0].Cards
	if got, want := LegacyID(cs[0]), "d/what-is-a-pod-"+legacyHash("What is a Pod?"); got != want {
		t.Errorf("basic: %s, want %s", got, want)
	}
	if got, want := LegacyID(cs[2]), "d/c1-x-and-c2-y-"+legacyHash("{{c1::x}} and {{c2::y}}")+"-c2"; got != want {
		t.Errorf("cloze 2: %s, want %s", got, want)
	}
	if cs[0].ID == LegacyID(cs[0]) {
		t.Error("the new ID is the legacy one")
	}
}

// A field of many lines is held to MaxFieldBytes too.
func TestFieldLimit(t *testing.T) {
	big := strings.Repeat(strings.Repeat("x", 1000)+"\n", 1100)
	_, err := ParseAnki("f.csv", strings.NewReader("#separator:comma\nq,\""+big+"\"\n"), AnkiOptions{DeckID: "d"})
	if err == nil || !strings.Contains(err.Error(), "f.csv:2: column 2 is longer than 1 MiB") {
		t.Errorf("anki: %v", err)
	}
	_, err = Parse("f.md", "# T\nid: d\n\n## a\nQ: q\nA: "+big)
	if err == nil || !strings.Contains(err.Error(), "f.md:4: card \"a\": a side is longer than 1 MiB") {
		t.Errorf("md: %v", err)
	}
}
