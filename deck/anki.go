package deck

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// AnkiOptions steer ParseAnki.
type AnkiOptions struct {
	// DeckID puts every row in this deck (import --deck); else the #deck:
	// header or a deck column names it, else Fallback.
	DeckID   string
	Fallback string
	// Guessed, when set, is told the separator read from the first line
	// of a file without a #separator: header, so the user can be told.
	Guessed func(sep rune)
}

// SepName is a separator's name as a #separator: header spells it.
func SepName(r rune) string {
	for name, s := range ankiSeps {
		if s == r && len(name) > 1 {
			return name
		}
	}
	return string(r)
}

// ankiMeta is what the '#' header lines of an Anki text export say.
type ankiMeta struct {
	sep                           rune
	html                          *bool
	tags                          []string
	columns                       []string
	deck, notetype                string
	deckCol, notetypeCol, tagsCol int // 1-based, 0 = none
	guidCol                       int
	titles                        map[string]string // deck ID -> title, from #opsdeck title:
}

var ankiSeps = map[string]rune{
	"comma": ',', "semicolon": ';', "tab": '\t', "pipe": '|', "space": ' ', "colon": ':',
	",": ',', ";": ';', "\t": '\t', "|": '|', " ": ' ', ":": ':',
}

// ParseAnki reads an Anki text export ("Notes in Plain Text", or any CSV or
// TSV with Anki's '#' header lines): separators comma, semicolon, tab or
// pipe; quoted fields with separators, doubled quotes and newlines; a UTF-8
// BOM; CRLF line ends. Basic rows become Q/A cards, Cloze rows cloze cards;
// a card's ID comes from its deck and question, so a re-import matches it.
// Every bad row is reported as file:line: reason, and then no deck returns.
func ParseAnki(name string, r io.Reader, o AnkiOptions) ([]Deck, error) {
	decks := map[string]*Deck{}
	var order []string
	err := ScanAnki(name, r, o, func(d Deck, c Card) error {
		dd := decks[d.ID]
		if dd == nil {
			dd = &Deck{ID: d.ID, Title: d.Title, File: name}
			decks[d.ID] = dd
			order = append(order, d.ID)
		}
		dd.Cards = append(dd.Cards, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Deck, len(order))
	for i, id := range order {
		out[i] = *decks[id]
	}
	return out, nil
}

// htmlSniffRows is how many rows decide whether a file without #html: is HTML.
const htmlSniffRows = 50

// ScanAnki is ParseAnki one card at a time, for files too large to hold:
// it calls emit with each good card and its deck (ID and title, no cards)
// as it reads them, goes on past bad rows to report every problem, and
// returns them as an ErrorList at the end (or emit's first error at once).
// After a bad row it stops calling emit: the import fails anyway.
func ScanAnki(name string, r io.Reader, o AnkiOptions, emit func(Deck, Card) error) error {
	raw := bufio.NewReaderSize(r, 64<<10)
	if b, err := raw.Peek(3); err == nil && string(b) == "\uFEFF" {
		raw.Discard(3)
	}
	var m ankiMeta
	var errs ErrorList
	// Every line is checked as it is read (length, UTF-8, control
	// characters, lone CRs): see checkedReader.
	chk := newCheckedReader(name, raw, 0, &errs)
	br := bufio.NewReaderSize(chk, 64<<10)
	line := 0
	for {
		peek, err := br.Peek(1)
		if err != nil || len(peek) == 0 || peek[0] != '#' {
			break
		}
		l, rerr := br.ReadString('\n')
		line++
		l = strings.TrimRight(l, "\r\n")
		if e := m.header(l); e != "" {
			errs = append(errs, Error{name, line, e})
		}
		if rerr != nil {
			break
		}
	}
	if err := chk.fatalErr(); err != nil {
		return append(errs, err.(Error))
	}
	if m.sep == 0 {
		b, _ := br.Peek(4096)
		first, _, _ := strings.Cut(string(b), "\n")
		m.sep = guessSep(first)
		if !strings.ContainsRune(first, m.sep) && !strings.EqualFold(filepath.Ext(name), ".csv") {
			m.sep = '\t' // one field on the line: Anki's plain-text default
		}
		if o.Guessed != nil {
			o.Guessed(m.sep)
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = m.sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	type row struct {
		rec  []string
		line int
	}
	var sniff []row // the first rows, held until the HTML question is settled
	isHTML, settled := false, m.html != nil
	if settled {
		isHTML = *m.html
	}
	type idUse struct {
		line int
		sum  [16]byte // of the normalised question
	}
	ids := map[string]idUse{}
	titles := map[string]bool{}
	rows, ncards := 0, 0
	do := func(rec []string, at int) error {
		c, deckName, bad := m.card(rec, isHTML)
		if bad != "" {
			errs = append(errs, Error{name, at, bad})
			return nil
		}
		deckID, title := o.DeckID, o.DeckID
		// A GUID that is an opsdeck note ID (deck/slug, as export writes)
		// is the card's identity: its deck and slug, whatever the text.
		gDeck, gSlug, isNoteID := strings.Cut(c.GUID, "/")
		isNoteID = isNoteID && ValidID(gDeck) && ValidID(gSlug)
		if isNoteID {
			c.GUID = "" // the ID says it all
		}
		switch {
		case deckID != "":
		case isNoteID:
			deckID, title = gDeck, m.titles[gDeck]
		default:
			if deckName == "" {
				deckName = o.Fallback
			}
			if ValidID(deckName) { // a deck ID (an opsdeck export): the title stays
				deckID, title = deckName, m.titles[deckName]
			} else {
				deckID, title = Slugify(deckName), deckName
			}
		}
		if !ValidID(deckID) {
			errs = append(errs, Error{name, at, fmt.Sprintf("deck %q gives no valid deck id: use --deck ID", deckName)})
			return nil
		}
		c.Deck, c.Line = deckID, at
		var cards []Card
		slug := func(q string) string {
			if isNoteID {
				return gSlug
			}
			return slugHook(q)
		}
		if c.Kind == Cloze {
			c.Slug = slug(c.Text)
			nums, _ := clozeNumbers(c.Text)
			for _, k := range nums {
				cc := c
				cc.Index = k
				cc.ID = ClozeID(deckID, c.Slug, k)
				cc.Front, cc.Back = RenderCloze(c.Text, k, c.Extra)
				cards = append(cards, cc)
			}
		} else {
			c.Slug = slug(c.Front)
			c.ID = deckID + "/" + c.Slug
			cards = []Card{c}
		}
		d := Deck{ID: deckID}
		if !titles[deckID] {
			titles[deckID] = true
			d.Title = title
		}
		q := c.Front
		if c.Kind == Cloze {
			q = c.Text
		}
		full := sha256.Sum256([]byte(q))
		sum := [16]byte(full[:16])
		for _, cc := range cards {
			if prev, ok := ids[cc.ID]; ok {
				if prev.sum == sum {
					errs = append(errs, Error{name, at, fmt.Sprintf("the same question as line %d in deck %q", prev.line, deckID)})
				} else {
					errs = append(errs, Error{name, at, fmt.Sprintf("card ID %q is also the ID of the different question of line %d: change one question's first words", cc.ID, prev.line)})
				}
				continue
			}
			ids[cc.ID] = idUse{at, sum}
			if ncards++; ncards > MaxCards {
				errs = append(errs, Error{name, at, fmt.Sprintf("more than %d cards in one file: split it", MaxCards)})
				return errTooMany
			}
			if len(errs) == 0 {
				if err := emit(d, cc); err != nil {
					return err
				}
				d.Title = ""
			}
		}
		return nil
	}
	flush := func() error {
		settled = true
		for _, rw := range sniff {
			for _, f := range rw.rec {
				if htmlTagRe.MatchString(f) {
					isHTML = true
				}
			}
		}
		for _, rw := range sniff {
			if err := do(rw.rec, rw.line); err != nil {
				return err
			}
		}
		sniff = nil
		return nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if ferr := chk.fatalErr(); ferr != nil {
			errs = append(errs, ferr.(Error))
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs = append(errs, Error{name, line + pe.StartLine, csvReason(pe)})
			if len(errs) >= maxErrors {
				break
			}
			continue
		} else if err != nil {
			return ErrorList{{name, line, err.Error()}}
		}
		l, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		rows++
		if !settled {
			sniff = append(sniff, row{slices.Clone(rec), line + l})
			if len(sniff) == htmlSniffRows {
				if err := flush(); errors.Is(err, errTooMany) {
					break
				} else if err != nil {
					return err
				}
			}
			continue
		}
		if err := do(rec, line+l); errors.Is(err, errTooMany) {
			break
		} else if err != nil {
			return err
		}
		if len(errs) >= maxErrors {
			break
		}
	}
	if !settled {
		if err := flush(); err != nil && !errors.Is(err, errTooMany) {
			return err
		}
	}
	if rows == 0 && len(errs) == 0 {
		errs = append(errs, Error{name, line + 1, "no notes in the file"})
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return errs
	}
	return nil
}

// errTooMany stops a scan at MaxCards (the error itself is in the list).
var errTooMany = errors.New("too many cards")

func csvReason(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return "unterminated or stray quote in a field (write a quote inside a quoted field as \"\")"
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return "a quote inside an unquoted field (quote the field and double the quote)"
	}
	return pe.Err.Error()
}

// guessSep picks the separator of a file without #separator:, as Anki does:
// a tab, else a pipe, semicolon or comma, whichever the first line has.
func guessSep(first string) rune {
	for _, r := range []rune{'\t', '|', ';', ','} {
		if strings.ContainsRune(first, r) {
			return r
		}
	}
	return ','
}

func (m *ankiMeta) header(l string) string {
	k, v, ok := strings.Cut(strings.TrimPrefix(l, "#"), ":")
	if !ok {
		return "" // a comment
	}
	k = strings.ToLower(strings.TrimSpace(k))
	switch k {
	case "separator":
		r, ok := ankiSeps[strings.ToLower(v)]
		if !ok {
			if r2, ok2 := ankiSeps[strings.ToLower(strings.TrimSpace(v))]; ok2 && strings.TrimSpace(v) != "" {
				r, ok = r2, true
			}
		}
		if !ok {
			return fmt.Sprintf("unknown separator %q (comma, semicolon, tab, pipe, space or colon)", v)
		}
		m.sep = r
	case "html":
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Sprintf("#html: %q is not true or false", v)
		}
		m.html = &b
	case "tags":
		m.tags = strings.Fields(v)
	case "columns":
		m.columns = nil
		sep := m.sep
		if sep == 0 {
			sep = guessSep(v)
		}
		for _, c := range strings.Split(v, string(sep)) {
			m.columns = append(m.columns, strings.ToLower(strings.TrimSpace(c)))
		}
	case "deck":
		m.deck = strings.TrimSpace(v)
	case "notetype":
		m.notetype = strings.TrimSpace(v)
	case "opsdeck title":
		// "#opsdeck title:ID Title": the title of a deck named by its ID in
		// the deck column (Anki ignores headers it does not know).
		id, title, _ := strings.Cut(strings.TrimSpace(v), " ")
		if !ValidID(id) || strings.TrimSpace(title) == "" {
			return fmt.Sprintf("#opsdeck title: %q is not a deck ID and a title", v)
		}
		if m.titles == nil {
			m.titles = map[string]string{}
		}
		m.titles[id] = strings.TrimSpace(title)
	case "deck column", "notetype column", "tags column", "guid column":
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return fmt.Sprintf("#%s: %q is not a column number", k, v)
		}
		switch k {
		case "deck column":
			m.deckCol = n
		case "notetype column":
			m.notetypeCol = n
		case "tags column":
			m.tagsCol = n
		default:
			m.guidCol = n
		}
	default:
		return fmt.Sprintf("unknown header #%s: (known: separator, html, tags, columns, deck, notetype and the column headers)", k)
	}
	return ""
}

// card maps one row to a card, with the row's deck name if it has one.
//
// It refuses what it would otherwise drop or guess: a column header (#deck
// column: and the like) beyond the row's columns, more columns than
// #columns names, more non-empty fields than a note uses (question and
// answer, or cloze text and extra), and HTML that decodes to a control
// character.
func (m *ankiMeta) card(rec []string, isHTML bool) (Card, string, string) {
	var fields []string
	var guid string
	deckName, notetype := m.deck, m.notetype
	tags := append([]string(nil), m.tags...)
	for _, h := range []struct {
		name string
		col  int
	}{{"deck", m.deckCol}, {"notetype", m.notetypeCol}, {"tags", m.tagsCol}, {"guid", m.guidCol}} {
		if h.col > len(rec) {
			return Card{}, "", fmt.Sprintf("#%s column:%d, but the row has %d column(s)", h.name, h.col, len(rec))
		}
	}
	if len(m.columns) > 0 && len(rec) > len(m.columns) {
		return Card{}, "", fmt.Sprintf("%d columns, but #columns: names %d", len(rec), len(m.columns))
	}
	for i, f := range rec {
		col := i + 1
		if len(f) > MaxFieldBytes {
			return Card{}, "", fmt.Sprintf("column %d is longer than 1 MiB", col)
		}
		name := ""
		if i < len(m.columns) {
			name = m.columns[i]
		}
		switch {
		case col == m.deckCol || name == "deck":
			deckName = strings.TrimSpace(f)
		case col == m.notetypeCol || name == "notetype":
			notetype = strings.TrimSpace(f)
		case col == m.tagsCol || name == "tags":
			tags = append(tags, strings.Fields(f)...)
		case col == m.guidCol || name == "guid":
			guid = strings.TrimSpace(f)
		default:
			if isHTML {
				var bad rune
				if f, bad = htmlToText(f); bad >= 0 {
					return Card{}, "", fmt.Sprintf("column %d: HTML decodes to control character %s: only tab and newline may appear in card text", col, controlName(bad))
				}
			}
			fields = append(fields, NormalizeText(f))
		}
	}
	used := 0
	for i, f := range fields {
		if f != "" {
			used = i + 1
		}
	}
	if used > 2 {
		return Card{}, "", fmt.Sprintf("%d fields, but a note has 2 (question and answer, or cloze text and extra): opsdeck would drop the rest", used)
	}
	if len(guid) > 200 {
		return Card{}, "", "a GUID longer than 200 bytes"
	}
	c := Card{Tags: cleanTags(tags), GUID: guid, NoMeta: true}
	cloze := strings.Contains(strings.ToLower(notetype), "cloze") ||
		(notetype == "" && len(fields) > 0 && clozeRe.MatchString(fields[0]))
	if cloze {
		if len(fields) == 0 || strings.TrimSpace(fields[0]) == "" {
			return c, "", "empty cloze text"
		}
		if _, err := clozeNumbers(fields[0]); err != nil {
			return c, "", err.Error()
		}
		c.Kind, c.Text = Cloze, fields[0]
		if len(fields) > 1 {
			c.Extra = fields[1]
		}
		return c, deckName, ""
	}
	if len(fields) < 2 {
		return c, "", fmt.Sprintf("%d field(s), want at least front and back (is the separator %q right?)", len(fields), string(m.sep))
	}
	c.Front, c.Back = fields[0], fields[1]
	switch {
	case strings.TrimSpace(c.Front) == "":
		return c, "", "empty front"
	case strings.TrimSpace(c.Back) == "":
		return c, "", "empty back"
	}
	if err := CheckCard(Card{Deck: "x", Slug: "x", Front: c.Front, Back: c.Back}); err != nil {
		return c, "", err.Error()
	}
	return c, deckName, ""
}

func cleanTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.Trim(strings.ReplaceAll(t, ",", "_"), " ")
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

var (
	htmlTagRe   = regexp.MustCompile(`(?i)<(/?[a-z][a-z0-9]*)\b[^>]*>`)
	blankRunRe  = regexp.MustCompile(`\n{3,}`)
	slugCleanRe = regexp.MustCompile(`[^a-z0-9]+`)
)

// HTMLToText turns an Anki field's HTML into readable text: line breaks and
// block ends become newlines, list items "- " lines, other tags go, and
// entities are decoded. An entity never becomes a control character: "&#x1b;"
// comes out as the symbol "␛" (see SafeText).
func HTMLToText(s string) string {
	t, _ := htmlToText(s)
	return SafeText(t)
}

// htmlToText is HTMLToText without SafeText: it also returns the first
// control character (other than tab and newline) the decoded text holds, or
// -1.
func htmlToText(s string) (string, rune) {
	t := htmlText(s)
	bad := rune(-1)
	if i := firstUnsafe(t); i >= 0 {
		bad, _ = utf8.DecodeRuneInString(t[i:])
	}
	return t, bad
}

// htmlText converts an Anki field's HTML to the little Markdown card text
// uses (a stdlib tokenizer: deck imports nothing else). <br> and div are
// line breaks that the card renderer keeps (a hard break, a line ending in
// "\\", where it would join the lines), p and headings are blocks, b/strong become **bold**, i/em *italics*, code
// `code`, pre a fenced block, lists "- " or "1. " items, table rows
// "| a | b |" lines, links [text](URL), images "[image: alt]"; the contents
// of script, style, head and title go; entities are decoded. Time is linear
// in the length of s.
func htmlText(s string) string {
	var b bytes.Buffer
	type list struct {
		ordered bool
		n       int
	}
	var lists []list
	skip := 0          // inside script/style/head/title
	pre := 0           // inside pre
	var cells []string // cells of the table row being read, or nil
	var cell *bytes.Buffer
	rows := 0            // rows of the current table so far
	var href []string    // the open links' URLs
	linkStart := []int{} // where each open link's text starts in b (or cell)
	out := func() *bytes.Buffer {
		if cell != nil {
			return cell
		}
		return &b
	}
	nl := func(n int) { // end the line; n = 2 leaves a blank line
		w := out()
		if cell != nil {
			w.WriteString(" ")
			return
		}
		cur := w.Bytes()
		have := len(cur) - len(bytes.TrimRight(cur, "\n"))
		if n == 1 && have == 0 {
			w.WriteString(brk + "\n") // a line break (div): kept, see below
			return
		}
		for ; have < n; have++ {
			w.WriteString("\n")
		}
	}
	text := func(t string) {
		if skip > 0 || t == "" {
			return
		}
		t = html.UnescapeString(t)
		if cell != nil {
			t = strings.ReplaceAll(strings.ReplaceAll(t, "\n", " "), "|", "\\|")
		}
		out().WriteString(t)
	}
	i := 0
	for i < len(s) {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			text(s[i:])
			break
		}
		text(s[i : i+j])
		i += j
		if strings.HasPrefix(s[i:], "<!--") {
			k := strings.Index(s[i+4:], "-->")
			if k < 0 {
				break
			}
			i += 4 + k + 3
			continue
		}
		m := htmlTagRe.FindStringSubmatchIndex(s[i:])
		if m == nil || m[0] != 0 {
			text("<")
			i++
			continue
		}
		tag := s[i : i+m[1]]
		name := strings.ToLower(s[i+m[2] : i+m[3]])
		i += m[1]
		closing := strings.HasPrefix(name, "/")
		name = strings.TrimPrefix(name, "/")
		switch name {
		case "script", "style", "head", "title":
			if closing {
				skip = max(0, skip-1)
			} else if !strings.HasSuffix(tag, "/>") {
				skip++
			}
			continue
		}
		if skip > 0 {
			continue
		}
		if pre > 0 && name != "pre" {
			switch {
			case name == "br":
				out().WriteString("\n")
			case name == "code" && !closing && bytes.HasSuffix(b.Bytes(), []byte("```\n")):
				// <pre><code class="language-sh">: the fence's language
				if lang, ok := strings.CutPrefix(attr(tag, "class"), "language-"); ok && ValidID(lang) {
					b.Truncate(b.Len() - 1)
					b.WriteString(lang + "\n")
				}
			}
			continue
		}
		switch name {
		case "br":
			if cell != nil {
				cell.WriteString(" ")
			} else {
				b.WriteString(brk + "\n")
			}
		case "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote":
			if name == "p" || name[0] == 'h' || name == "blockquote" {
				nl(2)
			} else {
				nl(1)
			}
			if !closing && name[0] == 'h' && len(name) == 2 {
				out().WriteString(strings.Repeat("#", int(name[1]-'0')) + " ")
			}
		case "b", "strong":
			out().WriteString("**")
		case "i", "em":
			out().WriteString("*")
		case "code", "kbd", "tt":
			out().WriteString("`")
		case "pre":
			if cell != nil {
				break
			}
			if closing {
				if pre > 0 {
					pre--
					nl(1)
					b.WriteString("```")
					nl(1)
				}
			} else {
				pre++
				nl(1)
				b.WriteString("```\n")
			}
		case "ul", "ol":
			if closing {
				if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
			} else {
				lists = append(lists, list{ordered: name == "ol"})
			}
			nl(1)
		case "li":
			if closing {
				break
			}
			nl(1)
			indent := strings.Repeat("  ", min(max(0, len(lists)-1), 8)) // bounded: output stays linear
			if n := len(lists); n > 0 && lists[n-1].ordered {
				lists[n-1].n++
				out().WriteString(fmt.Sprintf("%s%d. ", indent, lists[n-1].n))
			} else {
				out().WriteString(indent + "- ")
			}
		case "table":
			rows = 0
			nl(2)
		case "tr":
			if cell != nil {
				cells = append(cells, strings.TrimSpace(cell.String()))
				cell = nil
			}
			if cells != nil {
				nl(1)
				b.WriteString("| " + strings.Join(cells, " | ") + " |")
				if rows == 0 {
					b.WriteString("\n|" + strings.Repeat(" --- |", len(cells)))
				}
				rows++
				cells = nil
			}
			if !closing {
				cells = []string{}
			}
		case "td", "th":
			if cell != nil {
				cells = append(cells, strings.TrimSpace(cell.String()))
				cell = nil
			}
			if !closing {
				if cells == nil {
					cells = []string{}
				}
				cell = &bytes.Buffer{}
			}
		case "a":
			if !closing {
				href = append(href, html.UnescapeString(attr(tag, "href")))
				linkStart = append(linkStart, out().Len())
				break
			}
			n := len(href)
			if n == 0 {
				break
			}
			u, start := href[n-1], linkStart[n-1]
			href, linkStart = href[:n-1], linkStart[:n-1]
			w := out()
			if start > w.Len() || strings.HasPrefix(strings.ToLower(u), "javascript:") || u == "" {
				break
			}
			label := string(w.Bytes()[start:])
			w.Truncate(start)
			if label == u || label == "" {
				w.WriteString("<" + u + ">")
			} else {
				w.WriteString("[" + label + "](" + u + ")")
			}
		case "img":
			alt := html.UnescapeString(attr(tag, "alt"))
			if alt == "" {
				alt = html.UnescapeString(attr(tag, "src"))
			}
			out().WriteString("[image: " + alt + "]")
		}
	}
	if cell != nil {
		cells = append(cells, strings.TrimSpace(cell.String()))
	}
	if len(cells) > 0 {
		nl(1)
		b.WriteString("| " + strings.Join(cells, " | ") + " |")
		if rows == 0 {
			b.WriteString("\n|" + strings.Repeat(" --- |", len(cells)))
		}
	}
	if pre > 0 {
		nl(1)
		b.WriteString("```")
	}
	s = strings.ReplaceAll(b.String(), "\u00a0", " ")
	lines := strings.Split(s, "\n")
	broken := make([]bool, len(lines)) // the line ended in <br> or a div
	for i, l := range lines {
		l = strings.TrimRight(l, " \t")
		broken[i] = strings.HasSuffix(l, brk)
		lines[i] = strings.TrimRight(strings.ReplaceAll(l, brk, ""), " \t")
	}
	// A break where the card renderer would join two lines becomes a hard
	// break ("\\" at the line's end); elsewhere (before a blank line, a
	// list item, a table row, a fence, at the end) a newline is enough.
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			continue
		}
		if broken[i] && !fence && i+1 < len(lines) && JoinsNext(l, lines[i+1]) {
			lines[i] = l + "\\"
		}
	}
	s = blankRunRe.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n ")
}

// brk marks a line break from the HTML while htmlText works.
const brk = "\uE000"

// JoinsNext reports whether the card renderer joins line and the next
// line of card text into one paragraph (a single newline in Markdown is a
// space): when line has text and is no table row, heading or fence, and
// next is such a plain line that is no list item or quote either. Outside
// code fences only.
func JoinsNext(line, next string) bool {
	l, n := strings.TrimSpace(line), strings.TrimSpace(next)
	block := func(t string) bool {
		return t == "" || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "```")
	}
	return !block(l) && !block(n) && !strings.HasSuffix(l, "\\") && !isListItem(n)
}

// isListItem: a trimmed line that starts with a list or quote marker.
func isListItem(t string) bool {
	for _, m := range []string{"- ", "* ", "+ ", "> "} {
		if strings.HasPrefix(t, m) || t == strings.TrimSpace(m) {
			return true
		}
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

var attrRe = regexp.MustCompile(`(?is)\s([a-z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

// attr is the value of attribute name in tag, or "".
func attr(tag, name string) string {
	for _, m := range attrRe.FindAllStringSubmatch(tag, -1) {
		if strings.EqualFold(m[1], name) {
			return strings.Trim(m[2], `"'`)
		}
	}
	return ""
}

// Slugify turns a name into an ID: lowercase letters, digits and '-'.
func Slugify(s string) string {
	s = slugCleanRe.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}

// SlugFor is the stable slug of an imported or added card: a few words of
// its question and a 64-bit hash (SHA-256) of the whole normalised
// question, so the same question always gets the same ID and two different
// questions practically never do (about one chance in 10^9 among 200,000
// questions; ScanAnki refuses a file where it happens).
func SlugFor(question string) string {
	sum := sha256.Sum256([]byte(NormalizeText(question)))
	return slugWords(question) + hex.EncodeToString(sum[:8])
}

// slugHook is SlugFor; a test replaces it to make IDs collide.
var slugHook = SlugFor

// LegacySlugFor is the slug SlugFor gave before issue 11: the same words
// and a 32-bit hash (SHA-1), which collides about once in 100 among 10,000
// questions that share their first five words. An importer may match a
// stored card by it only when the stored question is the same text (see
// LegacyID): it can stand for two questions.
func LegacySlugFor(question string) string {
	sum := sha1.Sum([]byte(NormalizeText(question)))
	return slugWords(question) + hex.EncodeToString(sum[:4])
}

// LegacyID is the ID that card c (imported from an Anki file: Basic, or
// deletion c.Index of a Cloze note) had before IDs used a 64-bit hash. An
// importer that does not find c.ID in a database may look up LegacyID(c)
// and take the stored card as c only when the stored question (Front, or
// Text for a cloze note) is the same text as c's after NormalizeText: the
// old 32-bit hash can stand for two questions.
func LegacyID(c Card) string {
	if c.Kind == Cloze {
		return ClozeID(c.Deck, LegacySlugFor(c.Text), c.Index)
	}
	return c.Deck + "/" + LegacySlugFor(c.Front)
}

// slugWords is "<first five words>-" of question as a slug, or "q-".
func slugWords(question string) string {
	f := strings.Fields(question)
	words := Slugify(strings.Join(f[:min(5, len(f))], " "))
	if len(words) > 30 {
		words = strings.TrimRight(words[:30], "-")
	}
	if words == "" {
		return "q-"
	}
	return words + "-"
}

// WriteAnkiCSV writes cards as a file Anki's text import reads: comma
// separated with its header lines, one note per row (a cloze note once,
// with its extra text). The columns are the GUID (the card's note ID, or
// the Anki GUID it was imported with), the note type, the deck ID, the two
// fields and the tags; an "#opsdeck title:" line per deck carries its
// title. ScanAnki reads it back to the same cards, IDs and titles.
func WriteAnkiCSV(w io.Writer, decks []Deck) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("#separator:comma\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n")
	for _, d := range decks {
		if t := oneLine(d.Title); t != "" && t != d.ID {
			fmt.Fprintf(bw, "#opsdeck title:%s %s\n", d.ID, t)
		}
	}
	cw := csv.NewWriter(bw)
	for _, d := range decks {
		done := map[string]bool{}
		for _, c := range d.Cards {
			if done[c.Slug] {
				continue
			}
			done[c.Slug] = true
			guid := c.GUID
			if guid == "" {
				guid = ClozeID(d.ID, c.Slug, 1)
			}
			row := []string{guid, "Basic", d.ID, c.Front, c.Back, strings.Join(c.Tags, " ")}
			if c.Kind == Cloze {
				row = []string{guid, "Cloze", d.ID, c.Text, c.Extra, strings.Join(c.Tags, " ")}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// HTMLField converts one field of an Anki note (HTML) to card text, as the
// text importer does: an error when it is longer than MaxFieldBytes or
// decodes to a control character other than tab and newline.
func HTMLField(s string) (string, error) {
	if len(s) > MaxFieldBytes {
		return "", errors.New("a field longer than 1 MiB")
	}
	if !utf8.ValidString(s) {
		return "", errors.New("a field that is not valid UTF-8")
	}
	t, bad := htmlToText(strings.ReplaceAll(s, "\r\n", "\n"))
	if bad >= 0 {
		return "", fmt.Errorf("HTML decodes to control character %s: only tab and newline may appear in card text", controlName(bad))
	}
	return NormalizeText(t), nil
}

// CleanTags is how an importer takes tags: commas become '_', blanks and
// repeats go.
func CleanTags(tags []string) []string { return cleanTags(tags) }
