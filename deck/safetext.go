package deck

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// SafeText returns s with every character that a terminal could act on made
// visible, so that card text (untrusted: it comes from imported files) can
// be written to a terminal as it is. Tab and newline stay. Otherwise:
//
//   - a C0 control character c (U+0000-U+001F) becomes the Control Pictures
//     symbol U+2400+c: ESC shows as "␛", CR as "␍", NUL as "␀";
//   - DEL (U+007F) becomes "␡" (U+2421);
//   - a C1 control character (U+0080-U+009F, which some terminals read as
//     ESC sequences: U+009B is CSI) becomes "<U+009B>" and the like;
//   - a byte that is not part of valid UTF-8 becomes "<0xNN>" (a raw 0x9b
//     byte is CSI to an 8-bit terminal).
//
// Text without such characters is returned as it is, without allocating.
// SafeText(SafeText(s)) == SafeText(s).
func SafeText(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\t' || c == '\n':
				b.WriteByte(c)
			case c < 0x20:
				b.WriteRune(0x2400 + rune(c))
			case c == 0x7f:
				b.WriteRune(0x2421)
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "<0x%02X>", c)
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// CountControl counts what SafeText would replace in s: control characters
// other than tab and newline (C0, DEL, C1) and bytes that are not valid
// UTF-8.
func CountControl(s string) int {
	n := 0
	for i := firstUnsafe(s); i >= 0 && i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeASCII(c) {
				n++
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w == 1) || (r >= 0x80 && r <= 0x9f) {
			n++
		}
		i += w
	}
	return n
}

func unsafeASCII(c byte) bool { return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f }

// firstUnsafe is the byte offset of the first character SafeText replaces,
// or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeASCII(c) {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || (r >= 0x80 && r <= 0x9f) {
			return i
		}
		i += n
	}
	return -1
}

// PlainText is card text (a little Markdown) as plain text, for output that
// is read out or parsed rather than looked at (`review --plain`): **bold**
// markers and inline `backticks` go, a code fence becomes
// "code (yaml):" ... "end of code", and the text is made safe (SafeText).
func PlainText(s string) string {
	lines := strings.Split(SafeText(s), "\n")
	inCode := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			if inCode {
				lines[i] = ind + "end of code"
			} else if lang := strings.TrimSpace(strings.Trim(t, "`")); lang != "" {
				lines[i] = ind + "code (" + lang + "):"
			} else {
				lines[i] = ind + "code:"
			}
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		l = strings.ReplaceAll(l, "**", "")
		if strings.Count(l, "`")%2 == 0 {
			l = strings.ReplaceAll(l, "`", "")
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}
