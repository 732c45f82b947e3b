package deck

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"opsdeck/deck/fsrs"
)

// This file is opsdeck's search language: Anki's (its manual's "Searching"
// page), over opsdeck's fields.
//
//	dog cat           both words, anywhere in the front or back (AND)
//	"a dog"           the phrase; dog or cat; -cat; dog (cat or mouse)
//	w:dog             dog as a word (w:dog* also finds doggy)
//	d_g  d*g          _ is one character, * any run of them; \_ \* \" \\
//	                  \: \( \) \- stand for the character itself
//	front:dog         the front is exactly "dog" (front:*dog* contains it)
//	deck:kube*        the deck ID; tag:aks tag:ak* tag:none (tag:x also finds
//	                  x::child); card:kubernetes/qos-classes
//	is:new learn review due suspended buried leech flagged (and custom:
//	                  a user's card, an opsdeck word)
//	flag:0..7         0 is no flag
//	prop:ivl>=10      ivl due reps lapses s d r, with = != < <= > >=; prop:due
//	                  counts days from today, prop:r is recall now
//	rated:N rated:N:E answered in the last N days (today is 1), with rating E
//	introduced:N      first answered in the last N days; added:N added then
//
// Words and values match case-insensitively. A query that does not parse is
// a *QueryError with the 1-based position (in characters) of the problem.

// QueryError is a query that does not parse.
type QueryError struct {
	Pos int // 1-based, in characters (runes)
	Msg string
}

func (e *QueryError) Error() string { return fmt.Sprintf("%d: %s", e.Pos, e.Msg) }

// Query is a parsed search. The zero Query (and the empty string) matches
// every card.
type Query struct {
	src  string
	root node
}

// String is the query as typed.
func (q *Query) String() string { return q.src }

// MaxFlag is the highest flag number (Anki's seven colours).
const MaxFlag = 7

// FlagNames are the flags' colours, as Anki names them; index 0 is no flag.
var FlagNames = [MaxFlag + 1]string{"none", "red", "orange", "green", "blue", "pink", "turquoise", "purple"}

// SearchCard is one card as a query sees it. Make it with NewSearchCard
// (which prepares the lower-case text once) and reuse it across queries.
type SearchCard struct {
	Card     Card
	Progress Progress
	Reviews  []Review // the card's reviews, oldest first
	Custom   bool     // a user's card, not a built-in one (is:custom)
	// Lower case, for words: the front, the back, and a cloze card's
	// text and extra.
	front, back, more string
}

// NewSearchCard prepares c for searching.
func NewSearchCard(c Card, p Progress, reviews []Review) SearchCard {
	sc := SearchCard{Card: c, Progress: p, Reviews: reviews, front: strings.ToLower(c.Front), back: strings.ToLower(c.Back)}
	if c.Kind == Cloze {
		sc.more = strings.ToLower(c.Text + "\n" + c.Extra)
	}
	return sc
}

// SearchEnv is the moment a query is matched at: "today", "due" and
// "recall now" are relative to it.
type SearchEnv struct {
	Now   time.Time
	Sched *fsrs.Scheduler // day boundaries and retrievability
	today int
}

// NewSearchEnv returns the environment at now.
func NewSearchEnv(now time.Time, sch *fsrs.Scheduler) *SearchEnv {
	return &SearchEnv{Now: now, Sched: sch, today: sch.DayIndex(now)}
}

// Match reports whether c matches the query at env.
func (q *Query) Match(c *SearchCard, env *SearchEnv) bool {
	if q == nil || q.root == nil {
		return true
	}
	return q.root.match(c, env)
}

// ---- the matching tree ----

type node interface {
	match(c *SearchCard, env *SearchEnv) bool
}

type andNode []node
type orNode []node
type notNode struct{ n node }

func (a andNode) match(c *SearchCard, e *SearchEnv) bool {
	for _, n := range a {
		if !n.match(c, e) {
			return false
		}
	}
	return true
}

func (o orNode) match(c *SearchCard, e *SearchEnv) bool {
	for _, n := range o {
		if n.match(c, e) {
			return true
		}
	}
	return false
}

func (n notNode) match(c *SearchCard, e *SearchEnv) bool { return !n.n.match(c, e) }

// glob is a compiled pattern: a plain lower-case literal, or a regexp
// when it has wildcards.
type glob struct {
	lit    string
	anchor int      // lit's rarest byte, which the search looks for first
	pieces []string // a pattern whose only wildcard is *: the runs between the stars
	anch   []int    // each piece's rarest byte
	re     *regexp.Regexp
}

// byteRank orders lower-case letters from common to rare in English text;
// a space is the most common byte, anything else counts as rare.
const byteRank = " etaoinsrhldcumfpgwybvkxjqz"

// rarestByte is the offset of p's least common byte.
func rarestByte(p string) int {
	best, rank := 0, -1
	for i := 0; i < len(p); i++ {
		r := strings.IndexByte(byteRank, p[i])
		if r < 0 {
			r = len(byteRank)
		}
		if r > rank {
			best, rank = i, r
		}
	}
	return best
}

// index is strings.Index(s, p), looking first for p's byte at offset k:
// when that byte is rare in s, most of s is skipped by IndexByte.
func index(s, p string, k int) int {
	if len(p) <= 1 || k >= len(p) {
		return strings.Index(s, p)
	}
	c := p[k]
	for i := k; i < len(s); {
		j := strings.IndexByte(s[i:], c)
		if j < 0 {
			return -1
		}
		i += j
		if start := i - k; start+len(p) <= len(s) && s[start:start+len(p)] == p {
			return start
		}
		i++
	}
	return -1
}

// contains reports whether the pattern occurs in s (lower case).
func (g glob) contains(s string) bool {
	switch {
	case g.pieces != nil:
		return inOrder(s, g.pieces, g.anch)
	case g.re == nil:
		return index(s, g.lit, g.anchor) >= 0
	}
	return g.re.MatchString(s)
}

// inOrder reports whether the pieces occur in s one after the other
// (anch: their rarest bytes).
func inOrder(s string, pieces []string, anch []int) bool {
	for n, p := range pieces {
		i := index(s, p, anch[n])
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// whole reports whether the pattern matches all of s (any case).
func (g glob) whole(s string) bool {
	switch {
	case g.pieces != nil:
		s = strings.ToLower(s)
		first, last := g.pieces[0], g.pieces[len(g.pieces)-1]
		if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
			return false
		}
		return inOrder(s[len(first):len(s)-len(last)], g.pieces[1:len(g.pieces)-1], g.anch[1:len(g.anch)-1])
	case g.re == nil:
		return strings.EqualFold(s, g.lit)
	}
	return g.re.MatchString(strings.ToLower(s))
}

type textNode struct{ g glob }

func (t textNode) match(c *SearchCard, _ *SearchEnv) bool {
	return t.g.contains(c.front) || t.g.contains(c.back) || c.more != "" && t.g.contains(c.more)
}

type fieldNode struct {
	back bool
	g    glob // anchored
}

func (f fieldNode) match(c *SearchCard, _ *SearchEnv) bool {
	s := c.front
	if f.back {
		s = c.back
	}
	return f.g.whole(s)
}

type deckNode struct{ g glob }

func (d deckNode) match(c *SearchCard, _ *SearchEnv) bool { return d.g.whole(c.Card.Deck) }

type cardNode struct{ g glob }

func (d cardNode) match(c *SearchCard, _ *SearchEnv) bool { return d.g.whole(c.Card.ID) }

type tagNode struct {
	none bool
	g    glob // anchored
	gc   glob // anchored, "<pattern>::*": a child tag
}

func (t tagNode) match(c *SearchCard, _ *SearchEnv) bool {
	if t.none {
		return len(c.Card.Tags) == 0 && !c.Progress.Leech
	}
	for _, tag := range c.Card.Tags {
		if t.g.whole(tag) || t.gc.whole(tag) {
			return true
		}
	}
	return c.Progress.Leech && t.g.whole("leech")
}

type isKind int

const (
	isNew isKind = iota
	isLearn
	isReview
	isDue
	isSuspended
	isBuried
	isLeech
	isFlagged
	isCustom
)

var isWords = map[string]isKind{"new": isNew, "learn": isLearn, "review": isReview, "due": isDue,
	"suspended": isSuspended, "buried": isBuried, "leech": isLeech, "flagged": isFlagged, "custom": isCustom}

type isNode struct{ k isKind }

func (n isNode) match(c *SearchCard, e *SearchEnv) bool {
	p := &c.Progress
	s := p.Sched.State
	switch n.k {
	case isNew:
		return s == fsrs.New
	case isLearn:
		return s == fsrs.Learning || s == fsrs.Relearning
	case isReview:
		return s == fsrs.Review || s == fsrs.Relearning
	case isDue:
		// Anki: reviews and interday steps due today or earlier, intraday
		// steps due within the learn-ahead limit; not suspended or buried.
		if s == fsrs.New || !Available(*p, e.Now) {
			return false
		}
		if (s == fsrs.Learning || s == fsrs.Relearning) && p.Sched.ScheduledDays == 0 {
			return !p.Sched.Due.After(e.Now.Add(LearnAhead))
		}
		return e.Sched.DayIndex(p.Sched.Due) <= e.today
	case isSuspended:
		return p.Suspended
	case isBuried:
		return e.Now.Before(p.BuriedUntil)
	case isLeech:
		return p.Leech
	case isFlagged:
		return p.Flag != 0
	case isCustom:
		return c.Custom
	}
	return false
}

type flagNode struct{ n int }

func (f flagNode) match(c *SearchCard, _ *SearchEnv) bool { return c.Progress.Flag == f.n }

type propKind int

const (
	propIvl propKind = iota
	propDue
	propReps
	propLapses
	propS
	propD
	propR
)

var propWords = map[string]propKind{"ivl": propIvl, "due": propDue, "reps": propReps,
	"lapses": propLapses, "s": propS, "d": propD, "r": propR}

type propNode struct {
	p   propKind
	op  string
	val float64
}

func (n propNode) match(c *SearchCard, e *SearchEnv) bool {
	sc := &c.Progress.Sched
	var v float64
	switch n.p {
	case propIvl:
		v = float64(sc.ScheduledDays)
	case propReps:
		v = float64(sc.Reps)
	case propLapses:
		v = float64(sc.Lapses)
	case propDue:
		if sc.State == fsrs.New || c.Progress.Suspended || sc.Due.IsZero() {
			return false
		}
		v = float64(e.Sched.DayIndex(sc.Due) - e.today)
	case propS, propD, propR:
		if sc.State == fsrs.New {
			return false // no memory state
		}
		switch n.p {
		case propS:
			v = sc.Stability
		case propD:
			v = sc.Difficulty
		default:
			v = e.Sched.Retrievability(*sc, e.Now)
		}
	}
	return compare(v, n.op, n.val)
}

func compare(v float64, op string, w float64) bool {
	switch op {
	case "=":
		return v == w
	case "!=":
		return v != w
	case "<":
		return v < w
	case "<=":
		return v <= w
	case ">":
		return v > w
	case ">=":
		return v >= w
	}
	return false
}

type ratedNode struct {
	days   int
	rating int // 0: any
}

func (n ratedNode) match(c *SearchCard, e *SearchEnv) bool {
	from := e.today - n.days + 1
	for i := len(c.Reviews) - 1; i >= 0; i-- {
		r := &c.Reviews[i]
		if e.Sched.DayIndex(r.At) < from {
			return false // older from here on
		}
		if n.rating == 0 || r.Rating == n.rating {
			return true
		}
	}
	return false
}

type introducedNode struct{ days int }

func (n introducedNode) match(c *SearchCard, e *SearchEnv) bool {
	if len(c.Reviews) == 0 {
		return false
	}
	return e.Sched.DayIndex(c.Reviews[0].At) >= e.today-n.days+1
}

type addedNode struct{ days int }

func (n addedNode) match(c *SearchCard, e *SearchEnv) bool {
	if c.Card.Added.IsZero() {
		return false
	}
	return e.Sched.DayIndex(c.Card.Added) >= e.today-n.days+1
}

// ---- the parser ----

// qchar is one character of a search term after the quotes are removed:
// esc marks a character written with a backslash (never a wildcard or a
// separator).
type qchar struct {
	r   rune
	pos int // 1-based
	esc bool
}

type tokKind int

const (
	tokTerm tokKind = iota
	tokOpen
	tokClose
	tokNot // a '-' before a term or a group
)

type token struct {
	kind   tokKind
	pos    int
	chars  []qchar
	quoted bool // some part was in quotes (so "or" is a word)
}

func isSep(r rune) bool { return unicode.IsSpace(r) }

// lex splits the query into terms, parentheses and negations.
func lex(src []rune) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		r := src[i]
		switch {
		case isSep(r):
			i++
			continue
		case r == '(':
			out = append(out, token{kind: tokOpen, pos: i + 1})
			i++
			continue
		case r == ')':
			out = append(out, token{kind: tokClose, pos: i + 1})
			i++
			continue
		case r == '-':
			if i+1 >= len(src) || isSep(src[i+1]) || src[i+1] == ')' {
				return nil, &QueryError{i + 1, "nothing after '-' to leave out"}
			}
			out = append(out, token{kind: tokNot, pos: i + 1})
			i++
			continue
		}
		t := token{kind: tokTerm, pos: i + 1}
		inQuote, quoteAt := false, 0
		for i < len(src) {
			r := src[i]
			if !inQuote && (isSep(r) || r == '(' || r == ')') {
				break
			}
			switch {
			case r == '"':
				inQuote = !inQuote
				quoteAt = i + 1
				t.quoted = true
				i++
			case r == '\\':
				if i+1 >= len(src) {
					return nil, &QueryError{i + 1, "a '\\' at the end escapes nothing"}
				}
				n := src[i+1]
				switch n {
				case '\\', '"', '*', '_', ':', '(', ')', '-':
				default:
					return nil, &QueryError{i + 1, fmt.Sprintf("unknown escape \\%c (use \\\\ \\\" \\* \\_ \\: \\( \\) \\-)", n)}
				}
				t.chars = append(t.chars, qchar{n, i + 1, true})
				i += 2
			default:
				t.chars = append(t.chars, qchar{r, i + 1, false})
				i++
			}
		}
		if inQuote {
			return nil, &QueryError{quoteAt, "the quote is not closed"}
		}
		if len(t.chars) == 0 {
			return nil, &QueryError{t.pos, "empty quotes search for nothing"}
		}
		out = append(out, t)
	}
	return out, nil
}

// word is the term's text if it is a bare operator word ("or", "and").
func (t token) word() string {
	if t.kind != tokTerm || t.quoted {
		return ""
	}
	if len(t.chars) == 2 || len(t.chars) == 3 {
		var b strings.Builder
		for _, c := range t.chars {
			if c.esc {
				return ""
			}
			b.WriteRune(unicode.ToLower(c.r))
		}
		if w := b.String(); w == "or" || w == "and" {
			return w
		}
	}
	return ""
}

type qparser struct {
	toks []token
	i    int
	end  int // position just past the query, for errors at the end
}

// ParseQuery parses a search in Anki's language.
func ParseQuery(s string) (*Query, error) {
	src := []rune(s)
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &qparser{toks: toks, end: len(src) + 1}
	q := &Query{src: s}
	if len(toks) == 0 {
		return q, nil
	}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == tokClose {
			return nil, &QueryError{t.pos, "')' without a '(' before it"}
		}
		return nil, &QueryError{t.pos, "unexpected " + describe(t)}
	}
	q.root = root
	return q, nil
}

func describe(t token) string {
	switch t.kind {
	case tokOpen:
		return "'('"
	case tokClose:
		return "')'"
	case tokNot:
		return "'-'"
	}
	if w := t.word(); w != "" {
		return "'" + w + "'"
	}
	return "search term"
}

func (p *qparser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

// or := and ("or" and)*
func (p *qparser) or() (node, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	alts := orNode{first}
	for {
		t, ok := p.peek()
		if !ok || t.word() != "or" {
			break
		}
		p.i++
		n, err := p.andAfter(t)
		if err != nil {
			return nil, err
		}
		alts = append(alts, n)
	}
	if len(alts) == 1 {
		return first, nil
	}
	return alts, nil
}

// andAfter parses the right side of an operator word t.
func (p *qparser) andAfter(t token) (node, error) {
	n, ok := p.peek()
	if !ok || n.kind == tokClose || n.word() != "" {
		return nil, &QueryError{t.pos, fmt.Sprintf("'%s' needs a search on both sides", t.word())}
	}
	return p.and()
}

// and := unary (["and"] unary)*, up to "or", ")" or the end.
func (p *qparser) and() (node, error) {
	var all andNode
	for {
		t, ok := p.peek()
		if !ok || t.kind == tokClose || t.word() == "or" {
			break
		}
		if t.word() == "and" {
			if len(all) == 0 {
				return nil, &QueryError{t.pos, "'and' needs a search on both sides"}
			}
			p.i++
			n, err := p.andAfter(t)
			if err != nil {
				return nil, err
			}
			all = append(all, n)
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		all = append(all, n)
	}
	if len(all) == 0 {
		t, ok := p.peek()
		if !ok {
			return nil, &QueryError{p.end, "the query ends where a search was expected"}
		}
		if t.word() == "or" {
			return nil, &QueryError{t.pos, "'or' needs a search on both sides"}
		}
		return nil, &QueryError{t.pos, "a search was expected before " + describe(t)}
	}
	if len(all) == 1 {
		return all[0], nil
	}
	return all, nil
}

// unary := "-" unary | "(" or ")" | term
func (p *qparser) unary() (node, error) {
	t, _ := p.peek()
	p.i++
	switch t.kind {
	case tokNot:
		n, ok := p.peek()
		if !ok || n.kind == tokClose || n.kind == tokNot || n.word() != "" {
			return nil, &QueryError{t.pos, "nothing after '-' to leave out"}
		}
		inner, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notNode{inner}, nil
	case tokOpen:
		n, ok := p.peek()
		if !ok {
			return nil, &QueryError{t.pos, "'(' is not closed"}
		}
		if n.kind == tokClose {
			return nil, &QueryError{t.pos, "empty parentheses"}
		}
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		c, ok := p.peek()
		if !ok || c.kind != tokClose {
			return nil, &QueryError{t.pos, "'(' is not closed"}
		}
		p.i++
		return inner, nil
	}
	return term(t)
}

// term compiles one search term.
func term(t token) (node, error) {
	colon := -1
	for i, c := range t.chars {
		if c.r == ':' && !c.esc {
			colon = i
			break
		}
	}
	if colon < 0 {
		g, err := compileGlob(t.chars, false)
		if err != nil {
			return nil, err
		}
		return textNode{g}, nil
	}
	keyChars, val := t.chars[:colon], t.chars[colon+1:]
	key := strings.ToLower(plain(keyChars))
	valPos := t.chars[colon].pos + 1
	text := plain(val)
	need := func() error {
		if len(val) == 0 {
			return &QueryError{valPos, fmt.Sprintf("%s: needs a value", key)}
		}
		return nil
	}
	switch key {
	case "deck", "card":
		if err := need(); err != nil {
			return nil, err
		}
		g, err := compileGlob(val, true)
		if err != nil {
			return nil, err
		}
		if key == "card" {
			return cardNode{g}, nil
		}
		return deckNode{g}, nil
	case "tag":
		if err := need(); err != nil {
			return nil, err
		}
		if strings.EqualFold(text, "none") && !hasEsc(val) {
			return tagNode{none: true}, nil
		}
		g, err := compileGlob(val, true)
		if err != nil {
			return nil, err
		}
		child := append(append([]qchar(nil), val...), qchar{':', 0, true}, qchar{':', 0, true}, qchar{'*', 0, false})
		gc, _ := compileGlob(child, true)
		return tagNode{g: g, gc: gc}, nil
	case "w":
		if err := need(); err != nil {
			return nil, err
		}
		return wordTerm(val), nil
	case "front", "back":
		g, err := compileGlob(val, true)
		if err != nil {
			return nil, err
		}
		return fieldNode{back: key == "back", g: g}, nil
	case "is":
		if err := need(); err != nil {
			return nil, err
		}
		k, ok := isWords[strings.ToLower(text)]
		if !ok {
			return nil, &QueryError{valPos, fmt.Sprintf("unknown is:%s (is: new, learn, review, due, suspended, buried, leech, flagged, custom)", text)}
		}
		return isNode{k}, nil
	case "flag":
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 || n > MaxFlag || len(text) != 1 {
			return nil, &QueryError{valPos, fmt.Sprintf("flag:%s: a flag is 0-%d", text, MaxFlag)}
		}
		return flagNode{n}, nil
	case "prop":
		return propTerm(val, valPos)
	case "rated":
		return ratedTerm(val, valPos)
	case "introduced", "added":
		n, err := daysValue(key, text, valPos)
		if err != nil {
			return nil, err
		}
		if key == "added" {
			return addedNode{n}, nil
		}
		return introducedNode{n}, nil
	}
	return nil, &QueryError{t.pos, fmt.Sprintf("unknown search %q (known: deck tag card front back w is flag prop rated introduced added; to find a colon, write \\:)", plain(keyChars)+":")}
}

// wordTerm is w:TEXT, TEXT on word boundaries; its * and _ stand for
// word characters only (w:dog* finds doggy, not underdog).
func wordTerm(cs []qchar) node {
	var re strings.Builder
	re.WriteString(`(?s)(^|\W)`)
	for _, c := range cs {
		switch {
		case !c.esc && c.r == '*':
			re.WriteString(`\w*`)
		case !c.esc && c.r == '_':
			re.WriteString(`\w`)
		default:
			re.WriteString(regexp.QuoteMeta(strings.ToLower(string(c.r))))
		}
	}
	re.WriteString(`(\W|$)`)
	return textNode{glob{re: regexp.MustCompile(re.String())}}
}

func hasEsc(cs []qchar) bool {
	for _, c := range cs {
		if c.esc {
			return true
		}
	}
	return false
}

// plain is the characters as typed, escapes resolved.
func plain(cs []qchar) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}

// maxDays bounds rated:, introduced: and added: (a hundred years).
const maxDays = 36500

func daysValue(key, text string, pos int) (int, error) {
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || n > maxDays {
		return 0, &QueryError{pos, fmt.Sprintf("%s:%s: the number of days is 1-%d (1 is today)", key, text, maxDays)}
	}
	return n, nil
}

func ratedTerm(val []qchar, pos int) (node, error) {
	text := plain(val)
	days, rating, hasRating := strings.Cut(text, ":")
	n, err := daysValue("rated", days, pos)
	if err != nil {
		return nil, err
	}
	out := ratedNode{days: n}
	if hasRating {
		e, err := strconv.Atoi(rating)
		if err != nil || e < 1 || e > 4 || len(rating) != 1 {
			return nil, &QueryError{pos + len([]rune(days)) + 1, fmt.Sprintf("rated:%s: the rating is 1-4", text)}
		}
		out.rating = e
	}
	return out, nil
}

func propTerm(val []qchar, pos int) (node, error) {
	text := plain(val)
	i := strings.IndexAny(text, "=!<>")
	if i < 0 {
		return nil, &QueryError{pos, fmt.Sprintf("prop:%s needs a comparison, like prop:ivl>=10", text)}
	}
	name := strings.ToLower(text[:i])
	k, ok := propWords[name]
	if !ok {
		return nil, &QueryError{pos, fmt.Sprintf("unknown prop:%s (prop: ivl, due, reps, lapses, s, d, r)", text[:i])}
	}
	rest := text[i:]
	op := ""
	for _, o := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if strings.HasPrefix(rest, o) {
			op = o
			break
		}
	}
	opPos := pos + len([]rune(text[:i]))
	if op == "" {
		return nil, &QueryError{opPos, fmt.Sprintf("prop:%s: the comparison is one of = != < <= > >=", text)}
	}
	num := rest[len(op):]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, &QueryError{opPos + len(op), fmt.Sprintf("prop:%s: %q is not a number", text, num)}
	}
	return propNode{p: k, op: op, val: v}, nil
}

// compileGlob turns characters with wildcards into a pattern: anchored
// matches the whole string, else anywhere in it.
func compileGlob(cs []qchar, anchored bool) (glob, error) {
	wild := false
	var lit strings.Builder
	for _, c := range cs {
		if !c.esc && (c.r == '*' || c.r == '_') {
			wild = true
		}
		lit.WriteRune(c.r)
	}
	if !wild {
		l := strings.ToLower(lit.String())
		return glob{lit: l, anchor: rarestByte(l)}, nil
	}
	// Stars only: the literal runs between them, matched in order.
	pieces := []string{""}
	for _, c := range cs {
		switch {
		case !c.esc && c.r == '_':
			pieces = nil
		case !c.esc && c.r == '*':
			pieces = append(pieces, "")
		case pieces != nil:
			pieces[len(pieces)-1] += strings.ToLower(string(c.r))
		}
		if pieces == nil {
			break
		}
	}
	if pieces != nil {
		anch := make([]int, len(pieces))
		for i, p := range pieces {
			anch[i] = rarestByte(p)
		}
		return glob{pieces: pieces, anch: anch}, nil
	}
	var re strings.Builder
	re.WriteString("(?s)")
	if anchored {
		re.WriteString("^")
	}
	for _, c := range cs {
		switch {
		case !c.esc && c.r == '*':
			re.WriteString(".*")
		case !c.esc && c.r == '_':
			re.WriteString(".")
		default:
			re.WriteString(regexp.QuoteMeta(strings.ToLower(string(c.r))))
		}
	}
	if anchored {
		re.WriteString("$")
	}
	r, err := regexp.Compile(re.String())
	if err != nil { // cannot happen: every character is quoted
		return glob{}, &QueryError{cs[0].pos, err.Error()}
	}
	return glob{re: r}, nil
}
