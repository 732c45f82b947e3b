package cli

import (
	"fmt"

	"opsdeck/study"
)

type addCmd struct {
	Deck  string `required:"" placeholder:"ID" help:"deck ID (created if new)"`
	Front string `required:"" placeholder:"TEXT" help:"the question"`
	Back  string `required:"" placeholder:"TEXT" help:"the answer"`
	Tags  string `placeholder:"a,b" help:"comma-separated tags"`
}

func (a addCmd) Run(c *ctx) error {
	card, err := study.NewCard(a.Deck, a.Front, a.Back, study.SplitTags(a.Tags))
	if err != nil {
		return fmt.Errorf("add: %v", err)
	}
	svc, done, err := c.service()
	if err != nil {
		return err
	}
	defer done()
	card.Added = c.now()
	if err := svc.AddCard(card); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	fmt.Fprintln(c.Stdout, card.ID)
	return nil
}
