package store

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"opsdeck/deck"
)

// decodeCardRecord decodes a card record (JSON, as json.Marshal writes a
// cardRecord). Start-up reads every custom card, and encoding/json (a
// validating scan, then a reflective decode) made that a quarter of a
// second at 100,000 cards; so the form json.Marshal writes is decoded by
// hand in one pass, and anything else (other keys or spacing, escapes
// other than the simple ones, invalid UTF-8) falls back to json.Unmarshal,
// so the result is always json.Unmarshal's.
func decodeCardRecord(b []byte) (cardRecord, error) {
	if r, ok := fastCard(b); ok {
		return r, nil
	}
	var r cardRecord
	err := json.Unmarshal(b, &r)
	return r, err
}

// fastCard decodes the exact form json.Marshal writes; ok is false when
// b is in any other form.
func fastCard(b []byte) (r cardRecord, ok bool) {
	p := cardParser{b: b}
	if !p.lit('{') {
		return r, false
	}
	if p.lit('}') {
		return r, p.i == len(b)
	}
	for {
		key, ok := p.rawString()
		if !ok || !p.lit(':') {
			return r, false
		}
		switch string(key) {
		case "kind":
			n, ok := p.int()
			if !ok {
				return r, false
			}
			r.Kind = deck.Kind(n)
		case "index":
			n, ok := p.int()
			if !ok {
				return r, false
			}
			r.Index = n
		case "front":
			r.Front, ok = p.str()
		case "back":
			r.Back, ok = p.str()
		case "source":
			r.Source, ok = p.str()
		case "as_of":
			r.AsOf, ok = p.str()
		case "text":
			r.Text, ok = p.str()
		case "extra":
			r.Extra, ok = p.str()
		case "tags":
			r.Tags, ok = p.strs()
		default:
			return r, false
		}
		if !ok {
			return r, false
		}
		if p.lit('}') {
			return r, p.i == len(b)
		}
		if !p.lit(',') {
			return r, false
		}
	}
}

type cardParser struct {
	b []byte
	i int
}

func (p *cardParser) lit(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// rawString returns a string's bytes when it has no escapes.
func (p *cardParser) rawString() ([]byte, bool) {
	if !p.lit('"') {
		return nil, false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			return s, true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// str decodes a string; the escapes json.Marshal writes for control
// characters, quotes, backslashes and HTML characters are handled,
// anything else is refused.
func (p *cardParser) str() (string, bool) {
	if !p.lit('"') {
		return "", false
	}
	start := p.i
	var out []byte // nil until an escape is met
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			seg := p.b[start:p.i]
			p.i++
			if !utf8.Valid(seg) {
				return "", false
			}
			if out == nil {
				return string(seg), true
			}
			return string(append(out, seg...)), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if !utf8.Valid(p.b[start:p.i]) || p.i+1 >= len(p.b) {
				return "", false
			}
			out = append(out, p.b[start:p.i]...)
			switch e := p.b[p.i+1]; e {
			case '"', '\\', '/':
				out = append(out, e)
				p.i += 2
			case 'n':
				out = append(out, '\n')
				p.i += 2
			case 't':
				out = append(out, '\t')
				p.i += 2
			case 'r':
				out = append(out, '\r')
				p.i += 2
			case 'u':
				if p.i+6 > len(p.b) {
					return "", false
				}
				v, err := strconv.ParseUint(string(p.b[p.i+2:p.i+6]), 16, 16)
				if err != nil || (v >= 0xd800 && v < 0xe000) {
					return "", false // surrogates: leave them to encoding/json
				}
				out = utf8.AppendRune(out, rune(v))
				p.i += 6
			default:
				return "", false
			}
			start = p.i
		default:
			p.i++
		}
	}
	return "", false
}

func (p *cardParser) strs() ([]string, bool) {
	if p.i+4 <= len(p.b) && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return nil, true
	}
	if !p.lit('[') {
		return nil, false
	}
	out := []string{}
	if p.lit(']') {
		return out, true
	}
	for {
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if p.lit(']') {
			return out, true
		}
		if !p.lit(',') {
			return nil, false
		}
	}
}

// int decodes a small non-negative integer (anything else: encoding/json).
func (p *cardParser) int() (int, bool) {
	start := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	n := p.i - start
	if n == 0 || n > 9 || (n > 1 && p.b[start] == '0') {
		return 0, false
	}
	v, err := strconv.Atoi(string(p.b[start:p.i]))
	return v, err == nil
}
