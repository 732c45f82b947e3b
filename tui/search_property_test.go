package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/cli"
	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
	"opsdeck/study"
)

// queryGen builds random queries from the search grammar.
type queryGen struct {
	r     *rand.Rand
	words []string
	decks []string
	tags  []string
	ids   []string
}

func (g *queryGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *queryGen) atom() string {
	ops := []string{"=", "!=", "<", "<=", ">", ">="}
	switch g.r.IntN(16) {
	case 0, 1, 2:
		return g.pick(g.words)
	case 3:
		w := g.pick(g.words)
		if len(w) > 3 {
			return w[:2] + g.pick([]string{"*", "_"}) + w[3:]
		}
		return w + "*"
	case 4:
		return `"` + g.pick(g.words) + " " + g.pick(g.words) + `"`
	case 5:
		d := g.pick(g.decks)
		if g.r.IntN(2) == 0 {
			d = d[:3] + "*"
		}
		return "deck:" + d
	case 6:
		t := g.pick(g.tags)
		if g.r.IntN(3) == 0 {
			t = t[:2] + "*"
		}
		return "tag:" + t
	case 7:
		return "is:" + g.pick([]string{"new", "learn", "review", "due", "suspended", "buried", "leech", "flagged", "custom"})
	case 8:
		return fmt.Sprintf("flag:%d", g.r.IntN(8))
	case 9:
		p := g.pick([]string{"ivl", "due", "reps", "lapses", "s", "d"})
		return fmt.Sprintf("prop:%s%s%d", p, g.pick(ops), g.r.IntN(12)-2)
	case 10:
		return fmt.Sprintf("prop:r%s0.%d", g.pick(ops), g.r.IntN(10))
	case 11:
		if g.r.IntN(2) == 0 {
			return fmt.Sprintf("rated:%d", 1+g.r.IntN(10))
		}
		return fmt.Sprintf("rated:%d:%d", 1+g.r.IntN(10), 1+g.r.IntN(4))
	case 12:
		return fmt.Sprintf("introduced:%d", 1+g.r.IntN(10))
	case 13:
		return "front:*" + g.pick(g.words) + "*"
	case 14:
		return "card:" + g.pick(g.ids)
	}
	return "w:" + g.pick(g.words)
}

func (g *queryGen) query(depth int) string {
	if depth <= 0 || g.r.IntN(3) == 0 {
		a := g.atom()
		if g.r.IntN(4) == 0 {
			a = "-" + a
		}
		return a
	}
	l, r := g.query(depth-1), g.query(depth-1)
	switch g.r.IntN(4) {
	case 0:
		return l + " or " + r
	case 1:
		return "(" + l + " or " + r + ")"
	case 2:
		return "-(" + l + " " + r + ")"
	}
	return l + " " + r
}

// The CLI's search --json and Browse's filter return the same cards for
// random queries built from the grammar, on a real store with a history.
func TestSearchCLIAndBrowseAgree(t *testing.T) {
	builtin, err := deck.ParseFS(os.DirFS("../decks"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "opsdeck.db")
	loc := time.Local
	st, err := store.Open(path, &store.Options{Builtin: builtin, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	// A month of history on a few hundred cards, flags and suspensions.
	r := rand.New(rand.NewPCG(16, 16))
	var all []deck.Card
	for _, d := range builtin {
		all = append(all, d.Cards...)
	}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).In(loc)
	day0 := now.AddDate(0, 0, -30)
	for i := 0; i < 1500; i++ {
		c := all[r.IntN(300)]
		at := day0.Add(time.Duration(i) * 30 * time.Minute / 1)
		if _, err := st.Grade(c.ID, fsrs.Rating(1+r.IntN(4)), at, 8*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	svc := study.New(st)
	pickIDs := func(n int) []string {
		var out []string
		for range n {
			out = append(out, all[r.IntN(len(all))].ID)
		}
		return out
	}
	for _, a := range []study.Action{{Kind: study.ActFlag, Flag: 1}, {Kind: study.ActFlag, Flag: 6}, {Kind: study.ActSuspend},
		{Kind: study.ActBury}, {Kind: study.ActTagAdd, Tag: "weak"}} {
		if _, err := svc.Apply(pickIDs(25), a, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// The queries.
	g := &queryGen{r: r}
	seen := map[string]bool{}
	for _, c := range all[:400] {
		for _, w := range strings.Fields(strings.ToLower(c.Front)) {
			w = strings.Trim(w, ".,?!:;()\"'`*[]{}\\")
			if len(w) >= 4 && !seen[w] && !strings.ContainsAny(w, ":\\\"*_-()") {
				seen[w] = true
				g.words = append(g.words, w)
			}
		}
		g.tags = append(g.tags, c.Tags...)
		g.ids = append(g.ids, c.ID)
	}
	g.tags = append(g.tags, "weak", "leech")
	for _, d := range builtin {
		g.decks = append(g.decks, d.ID)
	}
	queries := []string{"", "is:due", "-is:new", "flag:1 or flag:6", "tag:weak is:suspended"}
	for len(queries) < 120 {
		queries = append(queries, g.query(3))
	}

	// The command line, at now.
	cliIDs := make([][]string, len(queries))
	env := func(k string) string {
		if k == "OPSDECK_NOW" {
			return now.UTC().Format(time.RFC3339)
		}
		return ""
	}
	for i, q := range queries {
		var out, errb bytes.Buffer
		code := cli.Run([]string{"--db", path, "search", q, "--json"}, &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Getenv: env, Builtin: func() ([]deck.Deck, error) { return builtin, nil }})
		if code != 0 {
			t.Fatalf("search %q: %d %s", q, code, errb.String())
		}
		var res struct {
			Total int
			Cards []struct{ ID string }
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Cards {
			cliIDs[i] = append(cliIDs[i], c.ID)
		}
		if res.Total != len(res.Cards) {
			t.Fatalf("%q: total %d, %d cards", q, res.Total, len(res.Cards))
		}
	}

	// Browse, typed into its filter, at the same moment.
	st, err = store.Open(path, &store.Options{Builtin: builtin, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := &harness{t: t, clock: now}
	h.m = New(study.New(st), Options{Now: func() time.Time { return h.clock }}).(model)
	h.m.env.tick = func(d time.Duration, msg tea.Msg) tea.Cmd { return nil }
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(h.m.Init())
	h.keys("b")
	nonEmpty := 0
	for i, q := range queries {
		h.keys("/", "esc", "/")
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(q), Paste: true}) // pasted: one search
		h.keys("enter")
		if h.m.browse.qerr != nil {
			t.Fatalf("%q: %v", q, h.m.browse.qerr)
		}
		got := shownIDs(h)
		if !slices.Equal(got, cliIDs[i]) {
			t.Errorf("%q: Browse shows %d cards, the CLI %d", q, len(got), len(cliIDs[i]))
		}
		if len(got) > 0 && len(got) < len(all) {
			nonEmpty++
		}
	}
	// The generator is worth something: most queries select some cards.
	if nonEmpty < len(queries)/3 {
		t.Errorf("only %d of %d queries select a proper subset", nonEmpty, len(queries))
	}
}
