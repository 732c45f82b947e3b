package deck

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Limits on the files the parsers read. A file beyond them is refused with
// a file:line error in words, after reading at most a little more than the
// limit: `opsdeck import /dev/zero` fails after 1 MiB.
const (
	MaxLineBytes  = 1 << 20   // one line of a deck file or Anki export
	MaxFieldBytes = 1 << 20   // one side of a card (a field of many lines)
	MaxFileBytes  = 256 << 20 // one file
	MaxCards      = 1_000_000 // cards from one file
)

// checkedReader serves the bytes of r line by line and checks each line as
// it passes: its length (a fatal error: reading stops), and then text that
// the parsers refuse: invalid UTF-8, control characters other than tab and
// the newline (a NUL, an ESC), a carriage return not followed by a newline
// (which would merge two rows of a CSV file). Those are appended to errs
// and the line is served anyway, so that every problem is reported.
type checkedReader struct {
	br    *bufio.Reader
	name  string
	line  int // lines read so far
	total int64
	buf   []byte // the rest of the current line, to serve
	lbuf  []byte
	err   error // the error that ends reading (io.EOF or a fatal Error)
	fatal bool
	errs  *ErrorList
}

func newCheckedReader(name string, r io.Reader, line int, errs *ErrorList) *checkedReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &checkedReader{br: br, name: name, line: line, errs: errs}
}

func (c *checkedReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.fill()
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *checkedReader) fail(msg string) {
	c.err = Error{c.name, c.line, msg}
	c.fatal = true
	c.buf = nil
}

// fatalErr is the error that stopped reading early, or nil.
func (c *checkedReader) fatalErr() error {
	if c.fatal {
		return c.err
	}
	return nil
}

func (c *checkedReader) fill() {
	l := c.lbuf[:0]
	c.line++
	for {
		frag, err := c.br.ReadSlice('\n')
		l = append(l, frag...)
		if len(l) > MaxLineBytes+1 || (len(l) == MaxLineBytes+1 && l[len(l)-1] != '\n') {
			c.fail(fmt.Sprintf("line %d is longer than 1 MiB", c.line))
			return
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			c.err = err
			if !errors.Is(err, io.EOF) {
				c.fatal = true
			}
		}
		break
	}
	c.lbuf = l
	c.total += int64(len(l))
	if c.total > MaxFileBytes {
		c.fail(fmt.Sprintf("the file is larger than %d MiB", MaxFileBytes>>20))
		return
	}
	if len(l) == 0 {
		return
	}
	if msg := lineProblem(l); msg != "" && len(*c.errs) < maxErrors {
		*c.errs = append(*c.errs, Error{c.name, c.line, msg})
	}
	c.buf = l
}

// lineProblem says what is wrong with one line of text (its newline
// included), or "".
func lineProblem(l []byte) string {
	plain := true // printable ASCII and tabs only: the usual line, at once
	for _, b := range l {
		if (b < 0x20 && b != '\t') || b >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return ""
	}
	for i := 0; i < len(l); {
		b := l[i]
		if b >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(l[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				return fmt.Sprintf("invalid UTF-8 (byte 0x%02X at column %d): save the file as UTF-8", b, i+1)
			case r >= 0x80 && r <= 0x9f:
				return fmt.Sprintf("control character U+%04X at column %d: only tab and newline may appear in card text", r, i+1)
			}
			i += n
			continue
		}
		switch {
		case b == '\r':
			if i+1 < len(l) && l[i+1] == '\n' {
				break
			}
			if i+1 == len(l) {
				break // the file's last line ends in a CR: it merges nothing
			}
			return fmt.Sprintf("a carriage return (CR) not followed by a newline at column %d: it would merge two lines; use LF or CRLF line ends", i+1)
		case b == 0:
			return fmt.Sprintf("a NUL byte at column %d: is this a text file?", i+1)
		case b == '\t' || b == '\n':
		case b < 0x20 || b == 0x7f:
			return fmt.Sprintf("control character %s at column %d: only tab and newline may appear in card text", controlName(rune(b)), i+1)
		}
		i++
	}
	return ""
}

// controlName names a control character: "U+001B (ESC)".
func controlName(r rune) string {
	names := map[rune]string{0: "NUL", 7: "BEL", 8: "BS", 0x0b: "VT", 0x0c: "FF", 0x0d: "CR", 0x1b: "ESC", 0x7f: "DEL"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}
