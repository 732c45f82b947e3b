package deck

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"opsdeck/deck/fsrs"
)

// searchNow is the fixture's "now": 12:00 UTC, the day starting at 04:00.
var searchNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, time.UTC)
}

// searchFixture is a small collection with one card of each kind the
// manual's examples tell apart.
func searchFixture() []SearchCard {
	rev := func(id string, t time.Time, rating int) Review {
		return Review{CardID: id, At: t, Rating: rating}
	}
	type spec struct {
		c    Card
		p    Progress
		revs []Review
	}
	specs := []spec{
		{Card{ID: "k/dog", Deck: "k", Front: "Raining cats and dogs", Back: "An idiom", Tags: []string{"animal::mammal"}},
			Progress{Sched: fsrs.Card{State: fsrs.Review, Due: at(3, 11, 10, 0), ScheduledDays: 10, Reps: 5, Stability: 12, Difficulty: 5, LastReview: at(3, 1, 10, 0)}},
			[]Review{rev("k/dog", at(2, 20, 9, 0), 3), rev("k/dog", at(3, 1, 10, 0), 4)}},
		{Card{ID: "k/dig", Deck: "k", Front: "dig a hole", Back: "a dog digs", Tags: []string{"garden"}},
			Progress{}, nil},
		{Card{ID: "net/cat", Deck: "net", Front: "dog", Back: "cat"},
			Progress{Flag: 1, Sched: fsrs.Card{State: fsrs.Learning, Due: searchNow.Add(-5 * time.Minute), Reps: 1, Stability: 1, Difficulty: 6, LastReview: at(3, 10, 11, 55)}},
			[]Review{rev("net/cat", at(3, 10, 11, 55), 1)}},
		{Card{ID: "net/mouse", Deck: "net", Front: "Mouse: a_b", Back: "d*g literal (x)", Tags: []string{"animal"}},
			Progress{Suspended: true, Leech: true, Flag: 3, Sched: fsrs.Card{State: fsrs.Relearning, Due: at(3, 10, 9, 0), ScheduledDays: 30, Reps: 20, Lapses: 4, Stability: 2, Difficulty: 9, LastReview: at(2, 1, 9, 0)}},
			[]Review{rev("net/mouse", at(2, 1, 9, 0), 1)}},
		{Card{ID: "k/underdog", Deck: "k", Front: "underdog", Back: "atta dog", Tags: []string{"ani-x"}, Added: at(3, 10, 8, 0)},
			Progress{BuriedUntil: at(3, 11, 4, 0), Sched: fsrs.Card{State: fsrs.Review, Due: at(3, 9, 10, 0), ScheduledDays: 3, Reps: 12, Stability: 4, Difficulty: 4, LastReview: at(3, 6, 10, 0)}},
			[]Review{rev("k/underdog", at(3, 6, 10, 0), 3)}},
		{Card{ID: "k/pod", Deck: "k", Front: "Pod QoS", Back: "Guaranteed", Tags: []string{"pods"}},
			Progress{Sched: fsrs.Card{State: fsrs.Review, Due: at(3, 10, 8, 0), ScheduledDays: 5, Reps: 3, Stability: 5, Difficulty: 7, LastReview: at(3, 5, 8, 0)}},
			[]Review{rev("k/pod", at(3, 5, 8, 0), 1)}},
	}
	out := make([]SearchCard, len(specs))
	for i, s := range specs {
		s.p.CardID = s.c.ID
		out[i] = NewSearchCard(s.c, s.p, s.revs)
	}
	return out
}

func searchEnv(t testing.TB) *SearchEnv {
	sch, err := fsrs.NewScheduler(fsrs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	return NewSearchEnv(searchNow, sch)
}

func runSearch(t *testing.T, q string) ([]string, error) {
	t.Helper()
	query, err := ParseQuery(q)
	if err != nil {
		return nil, err
	}
	env := searchEnv(t)
	var got []string
	cards := searchFixture()
	for i := range cards {
		if query.Match(&cards[i], env) {
			got = append(got, strings.TrimPrefix(strings.TrimPrefix(cards[i].Card.ID, "k/"), "net/"))
		}
	}
	return got, nil
}

// TestSearchManualExamples runs every example of Anki's manual "Searching"
// page that applies to opsdeck's fields against the fixture.
func TestSearchManualExamples(t *testing.T) {
	all := "dog dig cat mouse underdog pod"
	cases := []struct{ q, want string }{
		{"", all},
		// Simple searches.
		{"dog", "dog dig cat underdog"},
		{"DOG", "dog dig cat underdog"},
		{"dog cat", "dog cat"},
		{"dog and cat", "dog cat"},
		{"dog AND cat", "dog cat"},
		{"dog or cat", "dog dig cat underdog"},
		{"dog (cat or mouse)", "dog cat"},
		{"dog cat or mouse", "dog cat mouse"}, // (dog and cat) or mouse
		{"-cat", "dig mouse underdog pod"},
		{"-cat -mouse", "dig underdog pod"},
		{"-(cat or mouse)", "dig underdog pod"},
		{`"a dog"`, "dig underdog"},
		{`-"a dog"`, "dog cat mouse pod"},
		{"d_g", "dog dig cat mouse underdog"},
		{"h*le", "dig"},
		{"d*g", "dog dig cat mouse underdog"}, // within one field: pod has "Pod" and "Guaranteed" on two
		{"w:dog", "dig cat underdog"},
		{"w:dog*", "dog dig cat underdog"},
		{"w:*dog", "dig cat underdog"},
		{`"node pool"`, ""},
		// Limiting to a field.
		{"front:dog", "cat"},
		{"front:DOG", "cat"},
		{"front:*dog*", "dog cat underdog"},
		{"front:", ""},
		{"front:_*", all},
		{"front:*", all},
		{"back:cat", "cat"},
		// Tags, decks, cards.
		{"tag:animal", "dog mouse"},
		{"tag:none", "cat"},
		{"tag:ani*", "dog mouse underdog"},
		{"tag:leech", "mouse"},
		{"deck:net", "cat mouse"},
		{"deck:NET", "cat mouse"},
		{"deck:n*", "cat mouse"},
		{"deck:net -deck:net::*", "cat mouse"},
		{"-deck:net", "dog dig underdog pod"},
		{`"deck:net"`, "cat mouse"},
		{`deck:"net"`, "cat mouse"},
		{"deck:*", all},
		{"card:net/cat", "cat"},
		{"card:k/*dog", "dog underdog"},
		// Card state.
		{"is:due", "cat pod"},
		{"is:new", "dig"},
		{"is:learn", "cat mouse"},
		{"is:review", "dog mouse underdog pod"},
		{"is:suspended", "mouse"},
		{"is:buried", "underdog"},
		{"is:learn is:review", "mouse"},
		{"-is:learn is:review", "dog underdog pod"},
		{"is:learn -is:review", "cat"},
		{"is:leech", "mouse"},
		{"is:flagged", "cat mouse"},
		{"flag:1", "cat"},
		{"flag:3", "mouse"},
		{"flag:0", "dog dig underdog pod"},
		{"flag:7", ""},
		{"-flag:0", "cat mouse"},
		// Card properties.
		{"prop:ivl>=10", "dog mouse"},
		{"prop:due=1", "dog"},
		{"prop:due=-1", "underdog"},
		{"prop:due>-1 prop:due<1", "cat pod"},
		{"prop:reps<10", "dog dig cat pod"},
		{"prop:lapses>3", "mouse"},
		{"prop:s>10", "dog"},
		{"prop:d>=7", "mouse pod"},
		{"prop:r>0", "dog cat mouse underdog pod"},
		{"prop:r<0.8", "mouse"},
		{"prop:ivl!=0", "dog mouse underdog pod"},
		{"prop:ivl=0", "dig cat"},
		// Recent events.
		{"added:1", "underdog"},
		{"added:7", "underdog"},
		{"rated:1", "cat"},
		{"rated:1:2", ""},
		{"rated:1:1", "cat"},
		{"rated:7:1", "cat pod"},
		{"rated:31:4", "dog"},
		{"introduced:1", "cat"},
		{"introduced:365", "dog cat mouse underdog pod"},
		// Matching special characters.
		{`d\*g`, "mouse"},
		{`a\_b`, "mouse"},
		{`a_b`, "mouse"},
		{`mouse\:`, "mouse"},
		{`"literal (x)"`, "mouse"},
		{`"d\*g literal \(x\)"`, "mouse"},
		{`(dog)`, "dog dig cat underdog"},
		{`((dog or mouse) -cat)`, "dig mouse underdog"},
	}
	for _, c := range cases {
		got, err := runSearch(t, c.q)
		if err != nil {
			t.Errorf("%q: %v", c.q, err)
			continue
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%q: got %q, want %q", c.q, strings.Join(got, " "), c.want)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	cases := []struct {
		q   string
		pos int
		msg string
	}{
		{"(dog", 1, "not closed"},
		{"dog)", 4, "without a '('"},
		{`"dog`, 1, "quote is not closed"},
		{`dog "cat`, 5, "quote is not closed"},
		{"-", 1, "nothing after '-'"},
		{"dog -", 5, "nothing after '-'"},
		{"-or", 1, "nothing after '-'"},
		{"or dog", 1, "'or' needs a search on both sides"},
		{"dog or", 5, "'or' needs a search on both sides"},
		{"dog or or cat", 5, "'or' needs"},
		{"and dog", 1, "'and' needs"},
		{"dog and", 5, "'and' needs"},
		{"()", 1, "empty parentheses"},
		{"-(dog", 2, "not closed"},
		{"is:foo", 4, "unknown is:foo"},
		{"is:", 4, "needs a value"},
		{"prop:foo>1", 6, "unknown prop:foo"},
		{"prop:ease!=2.5", 6, "unknown prop:ease"},
		{"prop:ivl", 6, "needs a comparison"},
		{"prop:ivl>x", 10, "not a number"},
		{"prop:ivl=>1", 10, "not a number"},
		{"flag:8", 6, "a flag is 0-7"},
		{"flag:", 6, "a flag is 0-7"},
		{"rated:0", 7, "1-36500"},
		{"rated:x", 7, "1-36500"},
		{"rated:1:5", 9, "the rating is 1-4"},
		{"introduced:", 12, "1-36500"},
		{"added:x", 7, "1-36500"},
		{"foo:bar", 1, `unknown search "foo:"`},
		{"http://example.com", 1, `unknown search "http:"`},
		{`dog\`, 4, "escapes nothing"},
		{`\q`, 1, `unknown escape \q`},
		{`literal\ `, 8, `unknown escape`},
		{"deck:", 6, "needs a value"},
		{"tag:", 5, "needs a value"},
		{"w:", 3, "needs a value"},
		{`""`, 1, "empty quotes"},
		{"dog (cat", 5, "not closed"},
		{"dog (", 5, "not closed"},
		{"dog (-", 6, "nothing after '-'"},
		{"(dog))", 6, "without a '('"},
		{"é is:x", 6, "unknown is:x"}, // positions count characters, not bytes
	}
	for _, c := range cases {
		_, err := ParseQuery(c.q)
		qe, ok := err.(*QueryError)
		if !ok {
			t.Errorf("%q: got %v, want a QueryError", c.q, err)
			continue
		}
		if qe.Pos != c.pos || !strings.Contains(qe.Msg, c.msg) {
			t.Errorf("%q: got %d: %s; want %d: ...%s...", c.q, qe.Pos, qe.Msg, c.pos, c.msg)
		}
	}
}

// TestSearchDueAtDayBoundary: "due today" follows the day-start hour, not
// midnight.
func TestSearchDueAtDayBoundary(t *testing.T) {
	sch, _ := fsrs.NewScheduler(fsrs.DefaultParams())
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC) // before 04:00: still March 9's day
	c := NewSearchCard(Card{ID: "k/x", Deck: "k", Front: "q", Back: "a"},
		Progress{Sched: fsrs.Card{State: fsrs.Review, Due: time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC), ScheduledDays: 2, LastReview: now.Add(-48 * time.Hour), Stability: 2}}, nil)
	env := NewSearchEnv(now, sch)
	for q, want := range map[string]bool{"is:due": true, "prop:due=0": true, "prop:due=1": false} {
		query, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := query.Match(&c, env); got != want {
			t.Errorf("%s at 02:00: %v, want %v", q, got, want)
		}
	}
}

func TestSearchQueryString(t *testing.T) {
	q, err := ParseQuery("deck:k  dog")
	if err != nil || q.String() != "deck:k  dog" {
		t.Fatalf("%v %q", err, q.String())
	}
	var zero *Query
	c := searchFixture()[0]
	if !zero.Match(&c, searchEnv(t)) {
		t.Fatal("a nil query matches everything")
	}
	if !reflect.DeepEqual(FlagNames[1], "red") || FlagNames[MaxFlag] != "purple" {
		t.Fatal(FlagNames)
	}
}

// FuzzParseQuery: the parser never panics; an error names a position
// inside the query (or just past it); a query that parses matches without
// panicking.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"dog", `"a dog" -cat`, "dog (cat or mouse)", "prop:ivl>=10", "rated:7:1",
		`d\*g`, "deck:n* tag:none", "is:due -is:new", "w:dog*", "front:_*", "(", `"`, `\`, "-(a or b)", "flag:3 card:k/*"} {
		f.Add(s)
	}
	cards := searchFixture()
	env := searchEnv(f)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			qe, ok := err.(*QueryError)
			if !ok {
				t.Fatalf("%q: %T %v", s, err, err)
			}
			if n := len([]rune(s)); qe.Pos < 1 || qe.Pos > n+1 {
				t.Fatalf("%q: position %d outside 1..%d", s, qe.Pos, n+1)
			}
			return
		}
		for i := range cards {
			q.Match(&cards[i], env)
		}
	})
}

// The star-only fast path agrees with the regular expression it replaces.
func TestGlobPiecesAgreeWithRegexp(t *testing.T) {
	pats := []string{"d*g", "*dog", "dog*", "*", "**", "a*b*c", "*a*", "ab*ba", "x**y", "é*ü"}
	texts := []string{"", "dog", "dg", "underdog", "doggy", "abc", "aXbYc", "cba", "abba", "aba", "xy", "x y", "éclair für", "d\ng"}
	for _, p := range pats {
		var cs []qchar
		for i, r := range p {
			cs = append(cs, qchar{r, i + 1, false})
		}
		for _, anchored := range []bool{false, true} {
			g, err := compileGlob(cs, anchored)
			if err != nil || g.pieces == nil {
				t.Fatalf("%q: %v %+v", p, err, g)
			}
			re := "(?s)" + strings.ReplaceAll(regexpQuote(p), `\*`, ".*")
			if anchored {
				re = "^" + re + "$"
			}
			rx := regexp.MustCompile(re)
			for _, s := range texts {
				got := g.contains(s)
				if anchored {
					got = g.whole(s)
				}
				if got != rx.MatchString(s) {
					t.Errorf("%q anchored=%v on %q: %v, regexp says %v", p, anchored, s, got, !got)
				}
			}
		}
	}
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }

func TestIndexAgreesWithStrings(t *testing.T) {
	texts := []string{"", "a", "node pool", "a node  pool", "xnode poolx", "pppp", "ppoo node pool", "poolnode pool", "é node pool é"}
	pats := []string{"node pool", "p", "pool", "ol", "x", "é n", "pp", "node pool é"}
	for _, s := range texts {
		for _, p := range pats {
			for k := 0; k < len(p); k++ {
				if got, want := index(s, p, k), strings.Index(s, p); got != want {
					t.Errorf("index(%q, %q, %d) = %d, want %d", s, p, k, got, want)
				}
			}
		}
	}
	if rarestByte("node pool") != 5 {
		t.Errorf("rarest byte of node pool: %d", rarestByte("node pool"))
	}
}
