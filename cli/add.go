package cli

import (
	"fmt"

	"opsdeck/study"
)

type addCmd struct {
	Deck  string `required:"" placeholder:"ID" help:"deck ID (created if new)"`
	Front string `required:"" placeholder:"TEXT" help:"the question; with {{c1::...}} deletions, a cloze note"`
	Back  string `placeholder:"TEXT" help:"the answer (required for a basic card; a cloze note's optional extra)"`
	Tags  string `placeholder:"a,b" help:"tags, separated by commas or spaces"`
}

// Run adds one note: a basic card, or a cloze note's cards (one per
// deletion); it prints each card's ID on a line of its own.
func (a addCmd) Run(c *ctx) error {
	cards, err := study.NewNote(a.Deck, a.Front, a.Back, study.SplitTags(a.Tags))
	if err != nil {
		return fmt.Errorf("add: %v", err)
	}
	svc, done, err := c.service(dbWrite)
	if err != nil {
		return err
	}
	defer done()
	now := c.now()
	for i := range cards {
		cards[i].Added = now
	}
	if err := svc.AddCards(cards); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	for _, card := range cards {
		fmt.Fprintln(c.Stdout, card.ID)
	}
	return nil
}
