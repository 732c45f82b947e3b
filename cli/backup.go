package cli

import (
	"fmt"
	"os"
	"strings"
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

// Run checks the file read-only (a damaged file is never written) and
// prints the report.
func (checkCmd) Run(c *ctx) error {
	st, done, err := c.open(dbCheck)
	if err != nil {
		return err
	}
	defer done()
	rep, err := st.CheckAll()
	fmt.Fprintf(c.Stdout, "%s: %d bytes in use\n", clean(rep.Path), rep.Size)
	var parts []string
	for _, name := range sortedKeys(rep.Records) {
		parts = append(parts, fmt.Sprintf("%s %d", name, rep.Records[name]))
	}
	if len(parts) > 0 {
		fmt.Fprintf(c.Stdout, "records: %s\n", strings.Join(parts, ", "))
	}
	if rep.Skipped != "" {
		fmt.Fprintf(c.Stdout, "bbolt's page check skipped: %s\n", clean(rep.Skipped))
	}
	if rep.OK() && err == nil {
		fmt.Fprintln(c.Stdout, "no problems found")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(c.Stdout, "problem: %s\n", clean(p))
	}
	if err == nil {
		err = fmt.Errorf("%s: %d problem(s) found; restore a backup", rep.Path, len(rep.Problems))
	}
	return err
}
