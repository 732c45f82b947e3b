package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
	"opsdeck/study"
)

// negatedQueries lets a search query start with "-" (`opsdeck search
// -is:new`): after the search command, a word with a single leading dash
// (other than -h) is the query, not a flag; it gets a leading space, which
// the query language ignores.
func negatedQueries(args []string) []string {
	for i, a := range args {
		if a == "--" {
			return args
		}
		if a != "search" || (i > 0 && args[i-1] == "--db") {
			continue
		}
		out := slices.Clone(args)
		for j := i + 1; j < len(out); j++ {
			w := out[j]
			if w == "--" {
				break
			}
			if strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "--") && w != "-h" {
				out[j] = " " + w
			}
		}
		return out
	}
	return args
}

type searchCmd struct {
	Query string `arg:"" help:"an Anki-style query (its manual's Searching page); \"\" finds every card"`
	JSON  bool   `name:"json" help:"print JSON (shape in docs/cli.md)"`
	Limit int    `placeholder:"N" help:"list (and change) only the first N cards"`
	Sort  string `placeholder:"FIELD" help:"order: due, interval, recall, lapses, reps, added, deck, stability, difficulty, id"`

	Suspend   bool   `help:"suspend the cards"`
	Unsuspend bool   `help:"unsuspend the cards"`
	Bury      bool   `help:"bury the cards until tomorrow"`
	Flag      *int   `placeholder:"N" help:"set flag N (1-7; 0 clears it)"`
	TagAdd    string `name:"tag-add" placeholder:"T" help:"add tag T"`
	TagRemove string `name:"tag-remove" placeholder:"T" help:"remove tag T"`
	Forget    bool   `help:"back to new (history kept)"`
	SetDue    string `name:"set-due" placeholder:"N|N-M" help:"review due in N days (or a random day of N-M); 0 is today"`
	DryRun    bool   `name:"dry-run" help:"say what the action would change, change nothing"`
}

// action is the one action flag given, if any.
func (s searchCmd) action() (*study.Action, error) {
	var acts []study.Action
	if s.Suspend {
		acts = append(acts, study.Action{Kind: study.ActSuspend})
	}
	if s.Unsuspend {
		acts = append(acts, study.Action{Kind: study.ActUnsuspend})
	}
	if s.Bury {
		acts = append(acts, study.Action{Kind: study.ActBury})
	}
	if s.Flag != nil {
		acts = append(acts, study.Action{Kind: study.ActFlag, Flag: *s.Flag})
	}
	if s.TagAdd != "" {
		acts = append(acts, study.Action{Kind: study.ActTagAdd, Tag: s.TagAdd})
	}
	if s.TagRemove != "" {
		acts = append(acts, study.Action{Kind: study.ActTagRemove, Tag: s.TagRemove})
	}
	if s.Forget {
		acts = append(acts, study.Action{Kind: study.ActForget})
	}
	if s.SetDue != "" {
		lo, hi, err := study.ParseDueDays(s.SetDue)
		if err != nil {
			return nil, usagef("--set-due: %v", err)
		}
		acts = append(acts, study.Action{Kind: study.ActSetDue, DueMin: lo, DueMax: hi})
	}
	switch len(acts) {
	case 0:
		if s.DryRun {
			return nil, usagef("--dry-run goes with an action (--suspend, --flag N, ...)")
		}
		return nil, nil
	case 1:
		if err := acts[0].Check(); err != nil {
			return nil, usagef("%v", err)
		}
		return &acts[0], nil
	}
	return nil, usagef("one action at a time")
}

// searchJSON is search --json (docs/cli.md).
type searchJSON struct {
	Total int             `json:"total"`
	Cards []searchCardOut `json:"cards"`
}

type searchCardOut struct {
	ID             string   `json:"id"`
	Deck           string   `json:"deck"`
	State          string   `json:"state"`
	Due            *string  `json:"due"`
	IntervalDays   int      `json:"interval_days"`
	Reps           int      `json:"reps"`
	Lapses         int      `json:"lapses"`
	Stability      *float64 `json:"stability"`
	Difficulty     *float64 `json:"difficulty"`
	Retrievability *float64 `json:"retrievability"`
	Flag           int      `json:"flag"`
	Suspended      bool     `json:"suspended"`
	Buried         bool     `json:"buried"`
	Tags           []string `json:"tags"`
	Question       string   `json:"question"`
}

// firstLine is the first non-empty line of text.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

func cardOut(h study.Hit, sch *fsrs.Scheduler, now time.Time, loc *time.Location) searchCardOut {
	p := h.Progress
	s := p.Sched
	o := searchCardOut{ID: h.Card.ID, Deck: h.Card.Deck, State: stats.StateName(s.State), IntervalDays: s.ScheduledDays,
		Reps: s.Reps, Lapses: s.Lapses, Flag: p.Flag, Suspended: p.Suspended, Buried: now.Before(p.BuriedUntil),
		Tags: h.Card.Tags, Question: firstLine(h.Card.Front)}
	if o.Tags == nil {
		o.Tags = []string{}
	}
	if s.State != fsrs.New {
		due := s.Due.In(loc).Format(time.RFC3339)
		o.Due = &due
		st, d, r := s.Stability, s.Difficulty, sch.Retrievability(s, now)
		o.Stability, o.Difficulty, o.Retrievability = &st, &d, &r
	}
	return o
}

func (s searchCmd) Run(c *ctx) error {
	act, err := s.action()
	if err != nil {
		return err
	}
	if s.Limit < 0 {
		return usagef("--limit %d: use a positive number (or leave it out)", s.Limit)
	}
	q, err := deck.ParseQuery(s.Query)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	use := dbRead // a listing or a dry run writes nothing
	if act != nil && !s.DryRun {
		use = dbWrite
	}
	svc, done, err := c.service(use)
	if err != nil {
		return err
	}
	defer done()
	now := c.now()
	lib, err := svc.Load(now)
	if err != nil {
		return err
	}
	hits, err := lib.SearchQuery(q, s.Sort, now)
	if err != nil {
		return usagef("--sort: %v", err)
	}
	total := len(hits)
	if s.Limit > 0 && len(hits) > s.Limit {
		hits = hits[:s.Limit]
	}
	loc := svc.Store().Location()
	if act != nil {
		return s.apply(c, svc, *act, hits, now)
	}
	if s.JSON {
		out := searchJSON{Total: total, Cards: make([]searchCardOut, len(hits))}
		for i, h := range hits {
			out.Cards[i] = cardOut(h, lib.Sched, now, loc)
		}
		return printJSON(c, out)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 0, 2, ' ', 0)
	if len(hits) > 0 {
		fmt.Fprintln(tw, "ID\tSTATE\tDUE\tIVL\tFLAG\tQUESTION")
	}
	for _, h := range hits {
		o := cardOut(h, lib.Sched, now, loc)
		due := "—"
		if o.Due != nil {
			due = h.Progress.Sched.Due.In(loc).Format("2006-01-02")
		}
		state := o.State
		if o.Suspended {
			state += " (suspended)"
		} else if o.Buried {
			state += " (buried)"
		}
		flag := ""
		if o.Flag != 0 {
			flag = deck.FlagNames[o.Flag]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%dd\t%s\t%s\n", clean(o.ID), state, due, o.IntervalDays, flag, clean(cutRunes(o.Question, 50)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(hits) < total {
		fmt.Fprintf(c.Stdout, "%d of %d cards\n", len(hits), total)
	} else {
		fmt.Fprintf(c.Stdout, "%d cards\n", total)
	}
	return nil
}

func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// apply does the action to the cards found (one transaction), or with
// --dry-run lists them.
func (s searchCmd) apply(c *ctx, svc *study.Service, act study.Action, hits []study.Hit, now time.Time) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Card.ID
	}
	if s.DryRun {
		fmt.Fprintf(c.Stdout, "would %s %d cards (nothing changed):\n", act.Label(), len(ids))
		for _, id := range ids {
			fmt.Fprintln(c.Stdout, "  "+clean(id))
		}
		return nil
	}
	if len(ids) == 0 {
		fmt.Fprintln(c.Stdout, "no cards match: nothing changed")
		return nil
	}
	n, err := svc.Apply(ids, act, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%s: %d of %d cards changed", act.Label(), n, len(ids))
	if n > 0 {
		fmt.Fprint(c.Stdout, " (opsdeck undo reverses it)")
	}
	fmt.Fprintln(c.Stdout)
	return nil
}

type undoCmd struct{}

func (undoCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbWrite)
	if err != nil {
		return err
	}
	defer done()
	u, err := svc.Undo()
	if errors.Is(err, deck.ErrNothingToUndo) {
		return errors.New("nothing to undo")
	}
	if err != nil {
		return err
	}
	if u.Action == deck.UndoGrade {
		fmt.Fprintf(c.Stdout, "undid the grade of %s\n", clean(u.CardID()))
		return nil
	}
	if len(u.CardIDs) == 1 {
		fmt.Fprintf(c.Stdout, "undid the %s of %s\n", clean(u.Action), clean(u.CardID()))
		return nil
	}
	fmt.Fprintf(c.Stdout, "undid %s: %d cards restored\n", clean(u.Action), len(u.CardIDs))
	return nil
}
