package cli

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"opsdeck/deck/fsrs"
	"opsdeck/plan"
	"opsdeck/store"
	"opsdeck/study"
)

type cramCmd struct {
	Deck  string `placeholder:"ID" help:"only this deck"`
	Limit int    `placeholder:"N" help:"at most N cards (0: every studied card)"`
	Query string `placeholder:"QUERY" help:"only the cards matching this Anki-style search (as opsdeck search)"`
	Plain bool   `help:"line-based (the protocol of docs/cli.md)"`
}

type mockCmd struct {
	Minutes int  `placeholder:"N" default:"20" help:"length of the mock interview in minutes"`
	Plain   bool `help:"line-based (the protocol of docs/cli.md)"`
}

// maxMockAnswer caps the time recorded for one mock answer.
const maxMockAnswer = 10 * time.Minute

// Run runs a cram session: the weakest cards first; the schedule stays.
func (r cramCmd) Run(c *ctx) error {
	if !r.Plain {
		return usagef("cram needs --plain (in the app: c on the Plan screen)")
	}
	if r.Limit < 0 {
		return usagef("--limit must be 0 or more")
	}
	svc, done, err := c.service(dbWrite)
	if err != nil {
		return err
	}
	defer done()
	lib, err := svc.Load(c.now())
	if err != nil {
		return err
	}
	items, err := plan.CramQuery(lib, r.Deck, r.Query, r.Limit)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(c.Stdout)
	defer out.Flush()
	if len(items) == 0 {
		fmt.Fprintln(out, "done: nothing to cram: no card studied yet (cram goes over cards you have seen)")
		return nil
	}
	start := c.now()
	answers, err := practice(c, svc, items, store.Cram, 0, out)
	if err != nil {
		return err
	}
	pass := 0
	for _, a := range answers {
		if a.Rating != fsrs.Again {
			pass++
		}
	}
	fmt.Fprintf(out, "done: %d crammed, %d%% correct, %s; schedules unchanged\n",
		len(answers), percent(pass, len(answers)), c.now().Sub(start).Round(time.Second))
	return nil
}

// Run runs a mock interview and saves its scorecard.
func (m mockCmd) Run(c *ctx) error {
	if !m.Plain {
		return usagef("mock needs --plain (in the app: m on the Plan screen)")
	}
	if m.Minutes < 1 || m.Minutes > 240 {
		return usagef("--minutes must be 1-240")
	}
	svc, done, err := c.service(dbWrite)
	if err != nil {
		return err
	}
	defer done()
	start := c.now()
	lib, err := svc.Load(start)
	if err != nil {
		return err
	}
	items := plan.Mock(lib, m.Minutes)
	out := bufio.NewWriter(c.Stdout)
	defer out.Flush()
	answers, err := practice(c, svc, items, store.Mock, time.Duration(m.Minutes)*time.Minute, out)
	if err != nil {
		return err
	}
	card := plan.Scorecard(lib, start, m.Minutes, answers)
	if len(answers) > 0 {
		if err := svc.SaveMock(card); err != nil {
			return fmt.Errorf("scorecard not saved: %w", err)
		}
	}
	for _, a := range card.Areas {
		fmt.Fprintf(out, "score: %s %d/%d passed (%d%%), %d over time\n", clean(a.ID), a.Passed, a.Answered,
			percent(a.Passed, a.Answered), a.OverBudget)
	}
	answered, passed := card.Answered()
	fmt.Fprintf(out, "done: %d answered, %d%% passed, %s; schedules unchanged\n",
		answered, percent(passed, answered), c.now().Sub(start).Round(time.Second))
	return nil
}

func percent(n, of int) int {
	if of == 0 {
		return 0
	}
	return n * 100 / of
}

// practice runs the plain protocol over items, recording each grade as
// kind; with a limit (mock) it stops once the time is up and prints the
// time each answer took against its budget.
func practice(c *ctx, svc *study.Service, items []plan.Item, kind store.PracticeKind, limit time.Duration, out *bufio.Writer) ([]plan.MockAnswer, error) {
	in := bufio.NewScanner(c.Stdin)
	in.Buffer(make([]byte, 4096), maxInputLine)
	read := func() (string, bool) {
		if !in.Scan() {
			return "", false
		}
		return strings.TrimSpace(in.Text()), true
	}
	start := c.now()
	var answers []plan.MockAnswer
	var keys [][]byte
	for i := 0; i < len(items); i++ {
		if limit > 0 && c.now().Sub(start) >= limit {
			break
		}
		it := items[i]
		fmt.Fprintf(out, "--- %d/%d %s %s %s\n", i+1, len(items), it.Card.Deck, it.Card.ID, StateName(it.Progress.Sched.State))
		fmt.Fprintf(out, "Q: %s\n", indent(it.Card.Front))
		out.Flush()
		shown := c.now()
		line, ok := read()
		if !ok || line == "q" {
			return answers, nil
		}
		fmt.Fprintf(out, "A: %s\n", indent(it.Card.Back))
		fmt.Fprintf(out, "grade: 1 again | 2 hard | 3 good | 4 easy (%s: the schedule stays)\n", kind)
		out.Flush()
		for {
			line, ok := read()
			if !ok || line == "q" {
				return answers, nil
			}
			if line == "u" {
				if len(keys) == 0 {
					fmt.Fprintln(out, "undo: nothing to undo in this session")
					out.Flush()
					continue
				}
				if err := svc.UndoPractice(keys[len(keys)-1]); err != nil {
					fmt.Fprintf(out, "undo: %s\n", clean(err.Error()))
					out.Flush()
					continue
				}
				prev := answers[len(answers)-1]
				keys, answers = keys[:len(keys)-1], answers[:len(answers)-1]
				fmt.Fprintf(out, "undone: %s\n", prev.Item.Card.ID)
				out.Flush()
				i -= 2 // show the undone card again
				break
			}
			g, err := strconv.Atoi(line)
			if err != nil || g < 1 || g > 4 {
				fmt.Fprintln(out, "grade: type 1-4, u to undo, q to quit")
				out.Flush()
				continue
			}
			took := min(max(0, c.now().Sub(shown)), maxMockAnswer)
			if kind == store.Cram {
				took = study.TookSince(shown, c.now())
			}
			p, err := svc.AddPractice(kind, it.Card.ID, fsrs.Rating(g), c.now(), took)
			if err != nil {
				return answers, fmt.Errorf("grade not saved: %w", err)
			}
			keys = append(keys, p.Key)
			answers = append(answers, plan.MockAnswer{Item: it, Rating: fsrs.Rating(g), Took: took})
			if kind == store.Mock {
				fmt.Fprintf(out, "time: %ds of %ds\n", int(took.Round(time.Second)/time.Second), int(it.Budget/time.Second))
			}
			break
		}
	}
	return answers, nil
}

// writePractice prints the cram and mock grades apart from the statistics
// above them (which never count them), when there are any.
func writePractice(c *ctx, svc *study.Service, deckID string) error {
	log, err := svc.PracticeLog()
	if err != nil {
		return err
	}
	var n [3]int
	pass := 0
	for _, p := range log {
		if deckID != "" && study.DeckOf(p.CardID) != deckID || int(p.Kind) >= len(n) {
			continue
		}
		n[p.Kind]++
		if p.Rating != fsrs.Again {
			pass++
		}
	}
	if all := n[store.Cram] + n[store.Mock]; all > 0 {
		fmt.Fprintf(c.Stdout, "\nPractice, not counted above (the schedule stays): %d cram and %d mock grades, %d%% passed.\n",
			n[store.Cram], n[store.Mock], percent(pass, all))
	}
	return nil
}
