package cli

import (
	"errors"
	"fmt"

	"opsdeck/transfer"
)

type exportCmd struct {
	Deck   string `placeholder:"ID" help:"only this deck"`
	Format string `enum:"md,csv,apkg" default:"md" help:"md (re-imports to the same cards and IDs), csv (Anki text, the same) or apkg (an Anki package for Anki and AnkiDroid; needs --out)"`
	Out    string `placeholder:"FILE|DIR" help:"write here, atomically (a directory for md of several decks; default stdout)"`
	Revlog bool   `help:"export the review log as CSV instead (columns in docs/cli.md)"`
}

func (e exportCmd) Run(c *ctx) error {
	st, err := c.openRead()
	if err != nil {
		return err
	}
	defer st.Close()
	if e.Revlog {
		if e.Deck != "" {
			return usagef("--revlog exports the whole log; drop --deck")
		}
		return transfer.ExportRevlog(st, e.Out, c.Stdout)
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
