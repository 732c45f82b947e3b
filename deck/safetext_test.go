package deck

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text\tand\nlines":    "plain text\tand\nlines",
		"\x1b]2;pwned\x07":          "␛]2;pwned␇",
		"\x1b]52;c;aGk=\x1b\\":      "␛]52;c;aGk=␛\\",
		"wipe\x1b[2J":               "wipe␛[2J",
		"a\rb\x00c\x7fd":            "a␍b␀c␡d",
		"c1 \u009b31m csi":          "c1 <U+009B>31m csi",
		"raw \x9b byte":             "raw <0x9B> byte",
		"ünïcödé ✓ 漢字 \u2400 stays": "ünïcödé ✓ 漢字 \u2400 stays",
	} {
		got := SafeText(in)
		if got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
		if SafeText(got) != got {
			t.Errorf("SafeText not idempotent on %q", got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("SafeText(%q) is not valid UTF-8", in)
		}
		for _, r := range got {
			if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) {
				t.Errorf("SafeText(%q) keeps control %U", in, r)
			}
		}
	}
	for in, want := range map[string]int{
		"clean\ttext\n": 0, "\x1b]2;x\x07": 2, "\u009b\x9b\r": 3,
	} {
		if got := CountControl(in); got != want {
			t.Errorf("CountControl(%q) = %d, want %d", in, got, want)
		}
	}
	s := strings.Repeat("clean ", 100)
	if n := testing.AllocsPerRun(10, func() { _ = SafeText(s) }); n != 0 {
		t.Errorf("SafeText allocates %v times on clean text", n)
	}
}

func FuzzSafeText(f *testing.F) {
	f.Add("\x1b[2J\u009b\x9b\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeText(s)
		if !utf8.ValidString(got) || SafeText(got) != got || CountControl(got) != 0 {
			t.Fatalf("SafeText(%q) = %q", s, got)
		}
		if (CountControl(s) == 0) != (got == s) {
			t.Fatalf("CountControl(%q) = %d but SafeText changed=%v", s, CountControl(s), got != s)
		}
	})
}
