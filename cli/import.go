package cli

import (
	"fmt"

	"opsdeck/transfer"
)

type importCmd struct {
	Files  []string `arg:"" name:"file" help:"opsdeck Markdown decks (.md), directories of them, Anki text exports"`
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
	res, err := transfer.ImportNoting(st, i.Files, i.Deck, i.DryRun, func(s string) {
		fmt.Fprintln(c.Stderr, "opsdeck: note: "+clean(s))
	})
	if err != nil {
		return err
	}
	verb := "imported"
	if i.DryRun {
		verb = "dry run, nothing written: would import"
	}
	fmt.Fprintf(c.Stdout, "%s: %d added, %d updated, %d unchanged (%d new decks)\n",
		verb, res.Added, res.Updated, res.Unchanged, res.DecksAdded)
	return nil
}
