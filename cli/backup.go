package cli

import "fmt"

type backupCmd struct {
	File string `arg:"" help:"where to write the copy (atomically; never the database itself)"`
}

func (b backupCmd) Run(c *ctx) error {
	st, err := c.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(b.File); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "backup written to %s\n", b.File)
	return nil
}

type checkCmd struct{}

func (checkCmd) Run(c *ctx) error {
	st, err := c.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%s: no problems found\n", st.Path())
	return nil
}
