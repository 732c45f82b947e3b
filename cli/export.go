package cli

import (
	"errors"
	"fmt"

	"opsdeck/transfer"
)

type exportCmd struct {
	Deck   string `placeholder:"ID" help:"only this deck"`
	Format string `placeholder:"md|csv|apkg" help:"md (the default: re-imports to the same cards and IDs), csv (Anki text, the same) or apkg (an Anki package for Anki and AnkiDroid; needs --out)"`
	Out    string `placeholder:"FILE|DIR" help:"write here, atomically (a directory for md of several decks; default stdout)"`
	Revlog bool   `help:"export the review log as CSV instead (columns in docs/cli.md)"`
	All    bool   `help:"with --revlog: include cram and mock grades, with a last column review_kind"`
}

func (e exportCmd) Run(c *ctx) error {
	if e.Format != "" && e.Format != "md" && e.Format != "csv" && e.Format != "apkg" {
		return usagef("--format must be md, csv or apkg, not %q", e.Format)
	}
	if e.Revlog && e.Deck != "" {
		return usagef("--revlog exports the whole log; drop --deck")
	}
	if e.Revlog && e.Format != "" {
		return usagef("--revlog is always CSV; drop --format")
	}
	st, done, err := c.open(dbView)
	if err != nil {
		return err
	}
	defer done()
	if e.Revlog {
		if e.All {
			return transfer.ExportRevlogAll(st, e.Out, c.Stdout)
		}
		return transfer.ExportRevlog(st, e.Out, c.Stdout)
	}
	if e.All {
		return usagef("--all goes with --revlog")
	}
	if e.Format == "" {
		e.Format = "md"
	}
	decks, err := transfer.SelectDecks(st, e.Deck)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	files, err := transfer.Export(st, decks, transfer.Format(e.Format), e.Out, c.Stdout)
	if errors.Is(err, transfer.ErrNeedDir) || errors.Is(err, transfer.ErrNeedOut) {
		return usagef("%v", err)
	} else if err != nil {
		return err
	}
	if len(files) > 1 {
		fmt.Fprintf(c.Stderr, "exported %d decks to %s\n", len(files), e.Out)
	}
	return nil
}
