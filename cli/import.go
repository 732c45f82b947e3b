package cli

import (
	"fmt"
	"sort"
	"strings"

	"opsdeck/transfer"
)

type importCmd struct {
	Files  []string `arg:"" name:"file" help:"opsdeck Markdown decks (.md), directories of them, Anki text exports, Anki packages (.apkg, .colpkg)"`
	Deck   string   `placeholder:"ID" help:"put every card in this deck"`
	DryRun bool     `help:"show what would change, change nothing"`
}

func (i importCmd) Run(c *ctx) error {
	use := dbWrite
	if i.DryRun {
		use = dbRead // a dry run creates no database either
	}
	st, done, err := c.open(use)
	if err != nil {
		return err
	}
	defer done()
	res, err := transfer.ImportReport(st, i.Files, i.Deck, i.DryRun, c.now(), func(s string) {
		fmt.Fprintln(c.Stderr, "opsdeck: note: "+clean(s))
	})
	if err != nil {
		return err
	}
	verb := "imported"
	if i.DryRun {
		verb = "dry run, nothing written: would import"
	}
	for _, p := range res.Packages {
		var kinds []string
		for k, n := range p.Mapped {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
		sort.Strings(kinds)
		fmt.Fprintf(c.Stdout, "%s (%s): %d notes (%s), %d cards, %d reviews, %d suspended, %d buried\n",
			p.File, p.Collection, p.Notes, strings.Join(kinds, ", "), p.Cards, p.Reviews, p.Suspended, p.Buried)
		if p.Extra > 0 {
			fmt.Fprintf(c.Stdout, "  %d card(s) of further templates left out (notes mapped by their first two fields)\n", p.Extra)
		}
		if p.Skipped > 0 {
			fmt.Fprintf(c.Stdout, "  %d review-log row(s) that are not gradings left out (manual, rescheduled)\n", p.Skipped)
		}
		if p.Media > 0 {
			fmt.Fprintf(c.Stdout, "  %d media file(s) not imported\n", p.Media)
		}
	}
	fmt.Fprintf(c.Stdout, "%s: %d added, %d updated, %d unchanged (%d new decks)\n",
		verb, res.Added, res.Updated, res.Unchanged, res.DecksAdded)
	if len(res.Packages) > 0 {
		fmt.Fprintf(c.Stdout, "history: %d cards scheduled from %d reviews", res.History.Cards, res.History.Reviews)
		if res.History.Kept > 0 {
			fmt.Fprintf(c.Stdout, "; %d cards already had progress here and kept it", res.History.Kept)
		}
		fmt.Fprintln(c.Stdout)
	}
	return nil
}
