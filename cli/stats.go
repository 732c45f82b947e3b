package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"opsdeck/deck/stats"
)

type statsCmd struct {
	Deck string `placeholder:"ID" help:"only this deck"`
	JSON bool   `name:"json" help:"print JSON (shape in docs/cli.md)"`
}

func (s statsCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbView)
	if err != nil {
		return err
	}
	defer done()
	lib, err := svc.LoadCounts(c.now(), false) // the figures only: no card, no text
	if err != nil {
		return err
	}
	if s.Deck != "" {
		if lib = lib.Only(s.Deck); lib == nil {
			return fmt.Errorf("no deck %q", s.Deck)
		}
	}
	res, err := lib.ComputeStats()
	if err != nil {
		return err
	}
	if s.JSON {
		return printJSON(c, res.Report)
	}
	// Laid out for the terminal; whole titles in a file or a pipe.
	if err := stats.WriteTableWidth(c.Stdout, &res.Report, c.width()); err != nil {
		return err
	}
	return writePractice(c, svc, s.Deck)
}

type decksCmd struct {
	JSON bool `name:"json" help:"print JSON (shape in docs/cli.md)"`
}

func (d decksCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbView)
	if err != nil {
		return err
	}
	defer done()
	lib, err := svc.LoadCounts(c.now(), false) // the figures only: no card, no text
	if err != nil {
		return err
	}
	list, err := lib.DeckList()
	if err != nil {
		return err
	}
	if d.JSON {
		return printJSON(c, list)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tCARDS\tDUE\tNEW")
	for _, d := range list.Decks {
		title := d.Title
		if !d.Builtin {
			title += " (custom)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", clean(d.ID), clean(title), d.Cards.Total, d.DueToday, d.NewToday)
	}
	return tw.Flush()
}

func printJSON(c *ctx, v any) error {
	enc := json.NewEncoder(c.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
