package deck

import (
	"math/rand"
	"regexp"
	"testing"
)

// splitField and escaped are the regular expressions they replace, by
// hand: both agree with them on lines made of the characters that matter.
func TestFieldAndEscapeMatchTheirRegexps(t *testing.T) {
	fieldRe := regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]*):(.*)$`)
	escRe := regexp.MustCompile(`^\\*(##( |$)|Q:|A:|C:)`)
	alphabet := []string{"a", "Z", "0", "_", "-", ":", " ", "#", "\\", "Q", "A", "C", "é", "\xff", "@", "[", "`", "{", "\t"}
	r := rand.New(rand.NewSource(1))
	lines := []string{"", ":", "a:", "source: x", "as-of: 2026", "Q: x", "\\Q: x", "\\\\## a", "##", "## ", "#", "Q", "x-y_z9: :"}
	for i := 0; i < 200000; i++ {
		n := r.Intn(8)
		b := ""
		for j := 0; j < n; j++ {
			b += alphabet[r.Intn(len(alphabet))]
		}
		lines = append(lines, b)
	}
	for _, l := range lines {
		m := fieldRe.FindStringSubmatch(l)
		name, value, ok := splitField(l)
		if ok != (m != nil) || (ok && (name != m[1] || value != m[2])) {
			t.Fatalf("splitField(%q) = %q %q %v, the regexp %q", l, name, value, ok, m)
		}
		if escaped(l) != escRe.MatchString(l) {
			t.Fatalf("escaped(%q) = %v, the regexp %v", l, escaped(l), escRe.MatchString(l))
		}
	}
}
