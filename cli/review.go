package cli

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/study"
)

type reviewCmd struct {
	Plain bool   `help:"line-based review (the protocol of docs/cli.md)"`
	Deck  string `placeholder:"ID" help:"only this deck (its own daily limits)"`
	Limit int    `placeholder:"N" help:"at most N cards (0: today's queue)"`
}

// maxInputLine is the longest answer line read from stdin.
const maxInputLine = 1 << 20

// Run runs the plain review protocol of docs/cli.md on stdin and stdout.
func (r reviewCmd) Run(c *ctx) error {
	if !r.Plain {
		return usagef("review needs --plain (run opsdeck with no command for the app)")
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
	sess, err := lib.Session(r.Deck, c.now())
	if err != nil {
		return err
	}
	in := bufio.NewScanner(c.Stdin)
	in.Buffer(make([]byte, 4096), maxInputLine)
	read := func() (string, bool) {
		if !in.Scan() {
			return "", false
		}
		return strings.TrimSpace(in.Text()), true
	}
	out := bufio.NewWriter(c.Stdout)
	defer out.Flush()
	total := sess.Queue.Counts().Total()
	if r.Limit > 0 {
		total = min(total, r.Limit) // the position counts to the limit
	}
	if _, ok := sess.Next(c.now()); ok {
		// On stderr, as a prompt: a person reads it, a script's stdout
		// keeps to the protocol.
		fmt.Fprintln(c.Stderr, "review: press Enter to show the answer; then 1-4 grade, u undoes, q quits")
	}
	for r.Limit == 0 || sess.Reviewed() < r.Limit {
		it, ok := sess.Next(c.now())
		if !ok {
			break
		}
		n := sess.Reviewed() + 1
		fmt.Fprintf(out, "--- %d/%d %s %s %s\n", n, max(total, n), it.Card.Deck, it.Card.ID, StateName(it.Progress.Sched.State))
		fmt.Fprintf(out, "Q: %s\n", indent(it.Card.Front))
		out.Flush()
		shown := c.now()
		line, ok := read()
		if !ok || line == "q" {
			break
		}
		if line == "u" { // undo the last action before answering this card
			undo(svc, sess, out)
			continue
		}
		at := c.now()
		prev := sess.Preview(it, at)
		fmt.Fprintf(out, "A: %s\n", indent(it.Card.Back))
		fmt.Fprintf(out, "grade: 1 again %s | 2 hard %s | 3 good %s | 4 easy %s\n",
			ivl(at, prev[0].Due), ivl(at, prev[1].Due), ivl(at, prev[2].Due), ivl(at, prev[3].Due))
		out.Flush()
		quit, err := r.answer(c, svc, sess, it, shown, read, out)
		if err != nil {
			return err
		}
		if quit {
			break
		}
	}
	next := ""
	if due, ok := sess.Queue.NextLearning(); ok {
		next = fmt.Sprintf(", next learning card in %s", ivl(c.now(), due))
	}
	if sess.Reviewed() == 0 && total == 0 {
		if due, _ := sess.NextDue(c.now()); !due.IsZero() && next == "" {
			next = fmt.Sprintf(", next card due in %s", ivl(c.now(), due))
		}
		fmt.Fprintf(out, "done: nothing to review now%s\n", next)
		return nil
	}
	fmt.Fprintf(out, "done: %d reviewed, %d%% correct, %s, %d left today%s\n",
		sess.Reviewed(), sess.Correct(), c.now().Sub(sess.Started()).Round(time.Second), sess.Queue.Counts().Total(), next)
	return nil
}

// answer reads the grade line(s) of one card and acts on them; it reports
// whether the user quit.
func (r reviewCmd) answer(c *ctx, svc *study.Service, sess *study.Session, it deck.Item, shown time.Time,
	read func() (string, bool), out *bufio.Writer) (bool, error) {
	for {
		line, ok := read()
		if !ok || line == "q" {
			return true, nil
		}
		if line == "u" {
			if undo(svc, sess, out) {
				return false, nil
			}
			continue
		}
		g, err := strconv.Atoi(line)
		if err != nil || g < 1 || g > 4 {
			fmt.Fprintln(out, "grade: type 1-4, u to undo, q to quit")
			out.Flush()
			continue
		}
		took := study.TookSince(shown, c.now())
		res, err := svc.Grade(it.Card.ID, fsrs.Rating(g), c.now(), took)
		if err != nil {
			return true, fmt.Errorf("grade not saved: %w", err)
		}
		sess.Graded(it, fsrs.Rating(g), took, res)
		if res.Leech {
			msg := "leech: " + it.Card.ID + " has lapsed often; consider rewriting it"
			if res.Suspended {
				msg += " (suspended)"
			}
			fmt.Fprintln(out, msg)
		}
		return false, nil
	}
}

// undo undoes the session's last action, says so, and reports whether it
// did (the undone card is then shown next).
func undo(svc *study.Service, sess *study.Session, out *bufio.Writer) bool {
	defer out.Flush()
	if !sess.CanUndo() {
		fmt.Fprintln(out, "undo: nothing to undo in this session")
		return false
	}
	u, err := svc.Undo()
	if err != nil {
		fmt.Fprintf(out, "undo: %s\n", clean(err.Error()))
		return false
	}
	if _, err := sess.Undone(u); err != nil {
		fmt.Fprintf(out, "undo: %v\n", err)
		return false
	}
	fmt.Fprintf(out, "undone: %s\n", u.CardID())
	return true
}

// StateName is a card state's word in the protocol.
func StateName(s fsrs.State) string {
	switch s {
	case fsrs.Learning:
		return "learning"
	case fsrs.Review:
		return "review"
	case fsrs.Relearning:
		return "relearning"
	}
	return "new"
}

// ivl formats the wait until due as Anki does on its buttons.
func ivl(now, due time.Time) string { return deck.FormatInterval(due.Sub(now)) }
