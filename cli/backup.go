package cli

import (
	"fmt"
	"os"
)

type backupCmd struct {
	File  string `arg:"" help:"where to write the copy (atomically; never the database itself)"`
	Force bool   `help:"overwrite FILE when it exists"`
}

func (b backupCmd) Run(c *ctx) error {
	st, done, err := c.open(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	if fi, err := os.Stat(b.File); err == nil && !b.Force {
		if own, err := os.Stat(st.Path()); err != nil || !os.SameFile(fi, own) { // (the database itself: Backup says so)
			return fmt.Errorf("%s exists; use --force to overwrite it", b.File)
		}
	}
	if err := st.Backup(b.File); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "backup written to %s\n", b.File)
	return nil
}

type checkCmd struct{}

func (checkCmd) Run(c *ctx) error {
	st, done, err := c.open(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	if err := st.Check(); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%s: no problems found\n", st.Path())
	return nil
}
