package cli

import (
	"errors"
	"fmt"
	"strings"

	"opsdeck/store"
)

type backupCmd struct {
	File string `arg:"" help:"where to write the copy (atomically; never the database itself); the copy is checked first"`
}

func (b backupCmd) Run(c *ctx) error {
	st, err := c.openRead()
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

// Run checks the file read-only (a damaged file is never written), or
// opened for writing when it must first be migrated.
func (checkCmd) Run(c *ctx) error {
	st, err := c.openCheck()
	if err != nil {
		return err
	}
	defer st.Close()
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

// openCheck opens the database read-only for check.
func (c *ctx) openCheck() (*store.Store, error) {
	path := c.dbPath
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return nil, err
		}
	}
	builtin, err := c.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in decks: %w", err)
	}
	st, err := store.Open(path, &store.Options{Builtin: builtin, ReadOnly: true})
	if errors.Is(err, store.ErrReadOnly) {
		return c.open() // a schema that must be migrated first
	} else if err != nil {
		return nil, err
	}
	for _, w := range st.Warnings() {
		fmt.Fprintf(c.Stderr, "opsdeck: warning: %s\n", clean(w))
	}
	return st, nil
}
