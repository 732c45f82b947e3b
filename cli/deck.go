package cli

import (
	"bufio"
	"fmt"
	"strings"
)

// deckCmd renames and deletes custom decks (built-in decks take their
// titles from their deck files and stay).
type deckCmd struct {
	Rename deckRenameCmd `cmd:"" help:"Give a custom deck a new title; its ID, cards and history stay."`
	Delete deckDeleteCmd `cmd:"" help:"Delete a custom deck and its cards; their review history is kept."`
}

type deckRenameCmd struct {
	ID    string `arg:"" help:"the deck's ID"`
	Title string `arg:"" help:"the new title"`
}

func (r deckRenameCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.RenameDeck(r.ID, r.Title); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "renamed %s\n", clean(r.ID))
	return nil
}

type deckDeleteCmd struct {
	ID  string `arg:"" help:"the deck's ID"`
	Yes bool   `help:"delete without asking"`
}

func (d deckDeleteCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	if !d.Yes {
		fmt.Fprintf(c.Stdout, "Delete deck %s and all its cards (their history is kept)? [y/N] ", clean(d.ID))
		line, _ := bufio.NewReader(c.Stdin).ReadString('\n')
		if ans := strings.ToLower(strings.TrimSpace(line)); ans != "y" && ans != "yes" {
			fmt.Fprintln(c.Stdout, "Not deleted.")
			return nil
		}
	}
	n, err := svc.DeleteDeck(d.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "deleted %s: %d card(s); their history is kept\n", clean(d.ID), n)
	return nil
}
