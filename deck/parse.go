package deck

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Error is one problem in a deck file, at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ErrorList is every problem found in one or more files, in file and line order.
type ErrorList []Error

func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// maxErrors bounds how many problems one file reports.
const maxErrors = 200

var (
	idRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	clozeRe = regexp.MustCompile(`\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}`)
	// a body line that would read as a marker, maybe already escaped
)

// ValidID reports whether s is a valid deck ID or card slug.
func ValidID(s string) bool { return len(s) <= 80 && idRe.MatchString(s) }

// isHeading reports whether line starts a card.
func isHeading(line string) bool { return line == "##" || strings.HasPrefix(line, "## ") }

// marker returns "Q", "A" or "C" when line starts with that marker.
func marker(line string) string {
	if len(line) >= 2 && line[1] == ':' {
		switch line[0] {
		case 'Q', 'A', 'C':
			return line[:1]
		}
	}
	return ""
}

// splitField splits a field line "name: value" (the name a letter, then
// letters, digits, _ and -, then a colon); ok is false for any other line.
// It is the regular expression ^([A-Za-z][A-Za-z0-9_-]*):(.*)$, by hand:
// the built-in decks are parsed at each start.
func splitField(l string) (name, value string, ok bool) {
	letter := func(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }
	if l == "" || !letter(l[0]) {
		return "", "", false
	}
	for i := 1; i < len(l); i++ {
		switch b := l[i]; {
		case b == ':':
			return l[:i], l[i+1:], true
		case letter(b), b >= '0' && b <= '9', b == '_', b == '-':
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// escaped reports whether line, less any leading backslashes, reads as a
// heading or a marker (the regular expression ^\\*(##( |$)|Q:|A:|C:)).
func escaped(line string) bool {
	line = strings.TrimLeft(line, `\`)
	return line == "##" || strings.HasPrefix(line, "## ") || marker(line) != ""
}

// EscapeLine prefixes a backslash to a body line that would otherwise read
// as a marker (or is an escaped one already); UnescapeLine undoes it.
func EscapeLine(line string) string {
	if escaped(line) {
		return `\` + line
	}
	return line
}

// UnescapeLine removes the backslash EscapeLine added.
func UnescapeLine(line string) string {
	if strings.HasPrefix(line, `\`) && escaped(line[1:]) {
		return line[1:]
	}
	return line
}

// fence tracks fenced code blocks (``` or ~~~, as CommonMark).
type fence struct {
	ch byte
	n  int
}

// step updates the fence state with line and reports whether the line is
// inside a code block (fence lines included).
func (f *fence) step(line string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 {
		return f.ch != 0
	}
	c := t[0]
	if c != '`' && c != '~' {
		return f.ch != 0
	}
	n := 0
	for n < len(t) && t[n] == c {
		n++
	}
	if n < 3 {
		return f.ch != 0
	}
	if f.ch == 0 {
		if c == '`' && strings.Contains(t[n:], "`") {
			return false // not a fence: an info string may not hold a backtick
		}
		f.ch, f.n = c, n
		return true
	}
	if c == f.ch && n >= f.n && strings.TrimSpace(t[n:]) == "" {
		f.ch = 0
	}
	return true
}

func (f *fence) open() bool { return f.ch != 0 }

type parser struct {
	file string
	errs ErrorList
}

func (p *parser) errf(line int, format string, args ...any) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, Error{p.file, line, fmt.Sprintf(format, args...)})
	}
}

// ParseFile parses one deck file. The error, if any, is an ErrorList with
// every problem found, each naming file and line.
func ParseFile(name string, r io.Reader) (Deck, error) {
	p := &parser{file: name}
	lines, err := p.readLines(r)
	var fe Error
	if errors.As(err, &fe) {
		return Deck{}, append(p.errs, fe)
	} else if err != nil {
		return Deck{}, ErrorList{{name, 0, err.Error()}}
	}
	d := p.parse(lines)
	d.File = name
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return d, p.errs
	}
	return d, nil
}

// Parse parses deck text held in a string.
func Parse(name, text string) (Deck, error) { return ParseFile(name, strings.NewReader(text)) }

// readLines reads the lines of a deck file within the limits (a line of at
// most MaxLineBytes, a file of at most MaxFileBytes: a longer one is an
// error at once) and reports what the format refuses in any line (invalid
// UTF-8, a NUL or another control character, a lone CR) as p's errors.
func (p *parser) readLines(r io.Reader) ([]string, error) {
	cr := newCheckedReader(p.file, r, 0, &p.errs)
	sc := bufio.NewScanner(cr)
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes+64*1024)
	var lines []string
	for sc.Scan() {
		l := strings.TrimSuffix(sc.Text(), "\r")
		if len(lines) == 0 {
			l = strings.TrimPrefix(l, "\uFEFF")
		}
		lines = append(lines, l)
	}
	if err := cr.fatalErr(); err != nil {
		return nil, err
	}
	return lines, sc.Err()
}

// note is one card block of a file before it becomes cards.
type note struct {
	line            int
	slug            string
	fields          map[string]string
	kind            string // "Q" or "C"
	front, back     []string
	frontAt, backAt int
	hasBack         bool
	tags            []string
	source, asOf    string
}

func (p *parser) parse(lines []string) Deck {
	var d Deck
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i == len(lines) {
		p.errf(1, "empty file: a deck starts with a line \"# <title>\"")
		return d
	}
	if !strings.HasPrefix(lines[i], "# ") || strings.TrimSpace(lines[i][2:]) == "" {
		p.errf(i+1, "a deck starts with a line \"# <title>\", found %q", clip(lines[i]))
		return d
	}
	d.Title = oneLine(lines[i][2:])
	i++
	seen := map[string]bool{}
	for ; i < len(lines) && !isHeading(lines[i]); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			continue
		}
		name, value, ok := splitField(l)
		if !ok {
			p.errf(i+1, "text before the first card (cards start with \"## <slug>\"): %q", clip(l))
			continue
		}
		k, v := strings.ToLower(name), strings.TrimSpace(value)
		if seen[k] {
			p.errf(i+1, "duplicate header field %q", k)
			continue
		}
		seen[k] = true
		switch k {
		case "id":
			if !ValidID(v) {
				p.errf(i+1, "invalid deck id %q: use lowercase letters, digits and '-'", v)
			}
			d.ID = v
		case "description":
			d.Description = oneLine(v)
		default:
			p.errf(i+1, "unknown header field %q (known: id, description)", k)
		}
	}
	if d.ID == "" && !seen["id"] {
		p.errf(1, "missing header field \"id: <deck-id>\"")
	}
	ids := map[string]int{}
	slugs := map[string]int{} // a slug names one note: its cards' IDs derive from it
	for i < len(lines) {
		var n note
		i = p.card(lines, i, &n)
		if prev, ok := slugs[n.slug]; ok && n.slug != "" {
			p.errf(n.line, "duplicate card slug %q (first at line %d)", n.slug, prev)
			continue
		}
		slugs[n.slug] = n.line
		for _, c := range p.cards(d.ID, &n) {
			if prev, ok := ids[c.ID]; ok {
				p.errf(n.line, "duplicate card id %q (first at line %d)", c.ID, prev)
				continue
			}
			ids[c.ID] = n.line
			d.Cards = append(d.Cards, c)
		}
		if len(d.Cards) > MaxCards {
			p.errf(n.line, "more than %d cards in one file: split it", MaxCards)
			return d
		}
	}
	return d
}

// card parses the card block whose heading is lines[i] and returns the
// index of the next heading (or len(lines)).
func (p *parser) card(lines []string, i int, n *note) int {
	n.line = i + 1
	n.slug = strings.TrimSpace(strings.TrimPrefix(lines[i], "##"))
	if !ValidID(n.slug) {
		p.errf(n.line, "invalid card slug %q: use lowercase letters, digits and '-' (a heading \"## \" starts a card; write \"\\## \" for a heading inside an answer)", clip(n.slug))
		n.slug = ""
	}
	n.fields = map[string]string{}
	i++
	// fields, until Q: or C:
	for ; i < len(lines); i++ {
		l := lines[i]
		if isHeading(l) {
			p.errf(n.line, "card %q has no question: expected \"Q:\" or \"C:\"", n.slug)
			return i
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		if mk := marker(l); mk == "Q" || mk == "C" {
			break
		} else if mk == "A" {
			p.errf(i+1, "\"A:\" before \"Q:\" or \"C:\"")
			continue
		}
		name, value, ok := splitField(l)
		if !ok {
			p.errf(i+1, "expected a field, \"Q:\" or \"C:\", found %q", clip(l))
			continue
		}
		k, v := strings.ToLower(name), strings.TrimSpace(value)
		if _, dup := n.fields[k]; dup {
			p.errf(i+1, "duplicate field %q", k)
			continue
		}
		n.fields[k] = v
		p.field(i+1, n, k, v)
	}
	if i == len(lines) {
		p.errf(n.line, "card %q has no question: expected \"Q:\" or \"C:\"", n.slug)
		return i
	}
	n.kind = marker(lines[i])
	n.frontAt = i + 1
	var f fence
	cur := &n.front
	first := true
	for ; i < len(lines); i++ {
		l := lines[i]
		if first {
			l = strings.TrimPrefix(l[2:], " ")
			first = false
		} else if !f.open() {
			if isHeading(l) {
				break
			}
			switch marker(l) {
			case "A":
				if n.hasBack {
					p.errf(i+1, "a second \"A:\" in card %q", n.slug)
				} else {
					n.hasBack = true
					n.backAt = i + 1
					cur = &n.back
				}
				l = strings.TrimPrefix(l[2:], " ")
			case "Q", "C":
				p.errf(i+1, "%q inside card %q: start a new card with \"## <slug>\"", l[:2], n.slug)
				continue
			}
		}
		f.step(l)
		*cur = append(*cur, UnescapeLine(l))
	}
	if f.open() {
		p.errf(n.line, "unterminated code fence in card %q", n.slug)
	}
	return i
}

func (p *parser) field(line int, n *note, k, v string) {
	switch k {
	case "tags":
		n.tags = append(n.tags, SplitTags(v)...)
	case "source":
		if err := checkURL(v); err != nil {
			p.errf(line, "source: %v", err)
		}
		n.source = v
	case "as-of":
		if !validDate(v) {
			p.errf(line, "as-of %q: use YYYY-MM or YYYY-MM-DD", v)
		}
		n.asOf = v
	default:
		p.errf(line, "unknown field %q (known: tags, source, as-of)", k)
	}
}

func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(v, " \t") {
		return fmt.Errorf("%q is not an https URL", v)
	}
	return nil
}

func validDate(v string) bool {
	if _, err := time.Parse("2006-01-02", v); err == nil {
		return true
	}
	_, err := time.Parse("2006-01", v)
	return err == nil
}

// cards turns a parsed block into its cards (one, or one per cloze number).
func (p *parser) cards(deckID string, n *note) []Card {
	if n.slug == "" || n.kind == "" {
		return nil
	}
	front := trimBlank(n.front)
	back := trimBlank(n.back)
	if len(front) > MaxFieldBytes || len(back) > MaxFieldBytes {
		p.errf(n.line, "card %q: a side is longer than 1 MiB", n.slug)
		return nil
	}
	base := Card{Deck: deckID, Slug: n.slug, Tags: n.tags, Source: n.source, AsOf: n.asOf, Line: n.line}
	if n.kind == "Q" {
		ok := true
		if front == "" {
			p.errf(n.frontAt, "empty question in card %q", n.slug)
			ok = false
		}
		if !n.hasBack {
			p.errf(n.line, "card %q has no answer: expected \"A:\"", n.slug)
			ok = false
		} else if back == "" {
			p.errf(n.backAt, "empty answer in card %q", n.slug)
			ok = false
		}
		if !ok {
			return nil
		}
		base.ID = deckID + "/" + n.slug
		base.Kind = Basic
		base.Front, base.Back = front, back
		return []Card{base}
	}
	if front == "" {
		p.errf(n.frontAt, "empty cloze text in card %q", n.slug)
		return nil
	}
	if n.hasBack && back == "" {
		p.errf(n.backAt, "empty extra text after \"A:\" in card %q", n.slug)
		return nil
	}
	nums, err := clozeNumbers(front)
	if err != nil {
		p.errf(n.frontAt, "card %q: %v", n.slug, err)
		return nil
	}
	var out []Card
	for _, k := range nums {
		c := base
		c.Kind = Cloze
		c.Text, c.Index, c.Extra = front, k, back
		c.ID = ClozeID(deckID, n.slug, k)
		c.Front, c.Back = RenderCloze(front, k, back)
		out = append(out, c)
	}
	return out
}

// IsClozeText says whether text has a {{cN::...}} deletion (or tries to),
// i.e. makes a cloze note rather than a basic card.
func IsClozeText(text string) bool { return strings.Contains(text, "{{c") }

// ClozeNumbers returns the sorted deletion numbers of a cloze text, or why
// it is not one.
func ClozeNumbers(text string) ([]int, error) { return clozeNumbers(text) }

// ClozeCards are the cards of a cloze note: one per deletion of base.Text,
// each with its ID, index and rendered front and back, and base's deck,
// slug, tags, source and extra text.
func ClozeCards(base Card) ([]Card, error) {
	nums, err := clozeNumbers(base.Text)
	if err != nil {
		return nil, err
	}
	out := make([]Card, 0, len(nums))
	for _, k := range nums {
		c := base
		c.Kind, c.Index = Cloze, k
		c.ID = ClozeID(base.Deck, base.Slug, k)
		c.Front, c.Back = RenderCloze(base.Text, k, base.Extra)
		out = append(out, c)
	}
	return out, nil
}

// ClozeID is the ID of deletion k of the cloze note slug.
func ClozeID(deckID, slug string, k int) string {
	if k == 1 {
		return deckID + "/" + slug
	}
	return fmt.Sprintf("%s/%s-c%d", deckID, slug, k)
}

// clozeNumbers returns the sorted deletion numbers of a cloze text.
func clozeNumbers(text string) ([]int, error) {
	set := map[int]bool{}
	for _, m := range clozeRe.FindAllStringSubmatch(text, -1) {
		k, err := strconv.Atoi(m[1])
		if err != nil || k < 1 || k > 99 {
			return nil, fmt.Errorf("cloze number c%s out of range 1-99", m[1])
		}
		if strings.TrimSpace(m[2]) == "" {
			return nil, fmt.Errorf("empty cloze deletion {{c%d::}}", k)
		}
		if strings.Contains(m[2], "{{") || strings.Contains(m[3], "{{") {
			return nil, fmt.Errorf("nested cloze deletion in {{c%d::%s...: a deletion may not hold another (it would show the answer in the question)", k, clip(m[2]))
		}
		set[k] = true
	}
	rest := clozeRe.ReplaceAllString(text, "")
	if strings.Contains(rest, "{{c") {
		return nil, errors.New("malformed cloze deletion: write {{c1::text}} or {{c1::text::hint}}")
	}
	if len(set) == 0 {
		return nil, errors.New("cloze text has no deletion: write {{c1::text}}")
	}
	nums := make([]int, 0, len(set))
	for k := range set {
		nums = append(nums, k)
	}
	sort.Ints(nums)
	return nums, nil
}

// RenderCloze returns the front and back of deletion k: the front hides
// deletion k as [...] (or [hint]), the back shows it in brackets; other
// deletions show their text. extra follows the back after a blank line.
func RenderCloze(text string, k int, extra string) (front, back string) {
	repl := func(show bool) string {
		return clozeRe.ReplaceAllStringFunc(text, func(s string) string {
			m := clozeRe.FindStringSubmatch(s)
			if n, _ := strconv.Atoi(m[1]); n != k {
				return m[2]
			}
			if show {
				return "[" + m[2] + "]"
			}
			if m[3] != "" {
				return "[" + m[3] + "]"
			}
			return "[...]"
		})
	}
	front, back = repl(false), repl(true)
	if extra != "" {
		back += "\n\n" + extra
	}
	return front, back
}

func trimBlank(lines []string) string {
	a, b := 0, len(lines)
	for a < b && strings.TrimSpace(lines[a]) == "" {
		a++
	}
	for b > a && strings.TrimSpace(lines[b-1]) == "" {
		b--
	}
	return strings.Join(lines[a:b], "\n")
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// ParseFS parses every *.md file of fsys's root directory, in name order.
// Problems from all files are returned together. Deck IDs must be unique.
func ParseFS(fsys fs.FS) ([]Deck, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	// The files are parsed at once on every core (the built-in decks are
	// parsed at each start), then taken in name order.
	type parsed struct {
		d   Deck
		err error
	}
	res := make([]parsed, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(names)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(names); i = int(next.Add(1)) - 1 {
				f, err := fsys.Open(names[i])
				if err != nil {
					res[i].err = err
					continue
				}
				res[i].d, res[i].err = ParseFile(path.Join(names[i]), f)
				f.Close()
			}
		}()
	}
	wg.Wait()
	var decks []Deck
	var errs ErrorList
	byID := map[string]string{}
	for i, name := range names {
		d, err := res[i].d, res[i].err
		var el ErrorList
		if errors.As(err, &el) {
			errs = append(errs, el...)
			continue
		} else if err != nil {
			return nil, err
		}
		if prev, ok := byID[d.ID]; ok {
			errs = append(errs, Error{name, 1, fmt.Sprintf("deck id %q is also used by %s", d.ID, prev)})
			continue
		}
		byID[d.ID] = name
		decks = append(decks, d)
	}
	if len(errs) > 0 {
		return decks, errs
	}
	return decks, nil
}
