// Package cli is opsdeck's command line (docs/cli.md): one file per
// command, parsed by kong. It prints; the application layer (study,
// transfer, tune) decides. Run is the whole command line; main only wires.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"opsdeck/deck"
	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/syncer"
)

// Version is opsdeck's release.
const Version = "0.2.0"

// Exit statuses of docs/cli.md.
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Env is what the command line runs with: the standard streams, the
// built-in decks, and the TUI (main provides it, so cli does not import tui).
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Builtin        func() ([]deck.Deck, error)
	// RunTUI runs the app on the service until the user quits; sync, when
	// set, is what S on the dashboard runs (syncOnOpen: also on the way in).
	RunTUI func(svc *study.Service, now func() time.Time, sync func() (string, error), syncOnOpen bool) error
	// Width is the width of the terminal Stdout is, 0 when it is not one
	// (a file, a pipe) or nil; tables are laid out for it.
	Width func() int
}

// width is Stdout's terminal width, 0 for a file or a pipe.
func (e *Env) width() int {
	if e.Width == nil {
		return 0
	}
	return e.Width()
}

// root is the grammar: global flags and one field per command.
type root struct {
	DB          string           `name:"db" placeholder:"PATH" help:"database file (else $$OPSDECK_DB, else $$XDG_DATA_HOME/opsdeck/opsdeck.db)"`
	VersionFlag kong.VersionFlag `name:"version" help:"print the version and exit (as opsdeck version)"`

	App      appCmd      `cmd:"" default:"1" hidden:"" help:"Open the app on the dashboard."`
	Review   reviewCmd   `cmd:"" help:"Line-based review for scripts and screen readers (needs --plain)."`
	Add      addCmd      `cmd:"" help:"Add one card, or a cloze note (one card per {{cN::...}}); creates the deck if it is new; prints each card ID."`
	Import   importCmd   `cmd:"" help:"Import opsdeck Markdown decks (a directory: every *.md in it) and Anki text exports; all or nothing."`
	Export   exportCmd   `cmd:"" help:"Export cards (md or csv), or the review log with --revlog."`
	Stats    statsCmd    `cmd:"" help:"Per-area statistics, a table or JSON."`
	Decks    decksCmd    `cmd:"" help:"Decks with card, due and new counts."`
	Deck     deckCmd     `cmd:"" help:"Rename or delete a custom deck (deck rename ID TITLE, deck delete ID)."`
	Optimize optimizeCmd `cmd:"" help:"Fit the FSRS parameters to the review log; saves on confirmation."`
	Backup   backupCmd   `cmd:"" help:"A consistent copy of the database, taken while it may be in use."`
	Check    checkCmd    `cmd:"" help:"Run the full consistency check of the database and say what it found."`
	Plan     planCmd     `cmd:"" help:"The interview date, readiness per area, and the pacing plan."`
	Cram     cramCmd     `cmd:"" help:"Weakest cards first (needs --plain); leaves the schedule alone."`
	Mock     mockCmd     `cmd:"" help:"A timed mock interview across the areas, with a scorecard (needs --plain)."`
	Search   searchCmd   `cmd:"" help:"Cards matching an Anki-style query; with an action, changes them all (one undoable action)."`
	Info     infoCmd     `cmd:"" help:"A card's state, memory and whole review history."`
	Undo     undoCmd     `cmd:"" help:"Undo the last grade or bulk action."`
	Sync     syncCmd     `cmd:"" help:"Sync between machines over git or a synced folder (sync init REMOTE | --folder DIR, sync, sync status)."`
	Version  versionCmd  `cmd:"" help:"Version and schema version."`
}

// ctx is what every command's Run gets.
type ctx struct {
	*Env
	dbPath string
	now    func() time.Time
}

// usageError is bad usage found after parsing: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// exitCode carries kong's exit (after --help) out of the parser.
type exitCode int

// Run runs the command line args and returns the exit status.
func Run(args []string, env *Env) (code int) {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	defer func() {
		if r := recover(); r != nil {
			if c, ok := r.(exitCode); ok {
				code = int(c)
				return
			}
			fmt.Fprintf(env.Stderr, "opsdeck: internal error: %v\n", r)
			code = ExitFail
		}
	}()
	var cli root
	parser, err := kong.New(&cli,
		kong.Name("opsdeck"),
		kong.Description("Spaced-repetition flashcards for DevOps & Azure Cloud Architect interviews.\n\n"+
			"OPSDECK_NOW=2026-03-01T09:00:00Z starts the clock at that instant; NO_COLOR turns colour off. "+
			"Exit status: 0 success, 1 failure, 2 bad usage."),
		kong.Writers(env.Stdout, env.Stderr),
		kong.Exit(func(c int) { panic(exitCode(c)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true, NoExpandSubcommands: true}),
		kong.Vars{"version": versionLine()},
	)
	if err != nil {
		fmt.Fprintf(env.Stderr, "opsdeck: %v\n", err)
		return ExitFail
	}
	kctx, err := parser.Parse(negatedQueries(args))
	if err != nil {
		fmt.Fprintf(env.Stderr, "opsdeck: %v (see opsdeck --help)\n", err)
		return ExitUsage
	}
	c := &ctx{Env: env, dbPath: cli.DB}
	if c.dbPath == "" {
		c.dbPath = env.Getenv("OPSDECK_DB")
	}
	if c.now, err = clock(env.Getenv("OPSDECK_NOW")); err != nil {
		fmt.Fprintf(env.Stderr, "opsdeck: %v\n", err)
		return ExitUsage
	}
	err = kctx.Run(c)
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "opsdeck: %s (see opsdeck %s --help)\n", ue.msg, kctx.Command())
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "opsdeck: %s\n", strings.ReplaceAll(clean(err.Error()), "\n", "\nopsdeck: "))
		return ExitFail
	}
}

// clock reads OPSDECK_NOW: the clock starts there and runs on.
func clock(v string) (func() time.Time, error) {
	if v == "" {
		return time.Now, nil
	}
	base, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil, fmt.Errorf("OPSDECK_NOW=%q is not an RFC 3339 time such as 2026-03-01T09:00:00Z", v)
	}
	start := time.Now()
	return func() time.Time { return base.Add(time.Since(start)).Round(0) }, nil
}

// path is the database file: --db, else $OPSDECK_DB, else the default.
func (c *ctx) path() (string, error) {
	if c.dbPath != "" {
		return c.dbPath, nil
	}
	return store.DefaultPath()
}

// How a command uses the database when its file does not exist yet.
type dbUse int

const (
	// dbWrite creates it, and says so on stderr (a mistyped --db must not
	// look like lost progress).
	dbWrite dbUse = iota
	// dbRead reads the built-in decks with no progress, creates nothing,
	// and says there is no database there.
	dbRead
	// dbExisting refuses: there is nothing to act on.
	dbExisting
	// dbCheck is dbExisting, opened read-only (check never writes).
	dbCheck
	// dbApp is dbWrite for the app: the structure check runs in the
	// background (every write waits for it), so the first frame does not.
	dbApp
	// dbView is dbRead for a command that never writes (stats, decks,
	// export, info, a plan or search without changes): an existing file is
	// opened read-only, which skips the writable open's structure check
	// (about 0.2 s and the whole file read at 1M reviews); a file that must
	// first be migrated is opened for writing.
	dbView
)

// open opens the database with the built-in decks; done closes it.
func (c *ctx) open(use dbUse) (*store.Store, func(), error) {
	path, err := c.path()
	if err != nil {
		return nil, nil, err
	}
	builtin, err := c.Builtin()
	if err != nil {
		return nil, nil, fmt.Errorf("built-in decks: %w", err)
	}
	_, statErr := os.Stat(path)
	missing := errors.Is(statErr, os.ErrNotExist)
	cleanup := func() {}
	switch {
	case missing && (use == dbExisting || use == dbCheck):
		return nil, nil, fmt.Errorf("%s: no database there (check --db or $OPSDECK_DB)", path)
	case missing && (use == dbRead || use == dbView):
		fmt.Fprintf(c.Stderr, "opsdeck: note: no database at %s yet (check --db or $OPSDECK_DB): "+
			"showing the built-in decks with no progress\n", path)
		dir, err := os.MkdirTemp("", "opsdeck-empty-")
		if err != nil {
			return nil, nil, err
		}
		path = dir + string(os.PathSeparator) + "empty.db"
		cleanup = func() { _ = os.RemoveAll(dir) }
	}
	readOnly := use == dbCheck || (use == dbView && !missing)
	// The app checks the structure in the background: its first frame
	// does not wait for it, every write does (store.Options).
	st, err := store.Open(path, &store.Options{Builtin: builtin, ReadOnly: readOnly, Now: c.now, CheckInBackground: use == dbApp})
	if err != nil && use == dbView && errors.Is(err, store.ErrReadOnly) {
		st, err = store.Open(path, &store.Options{Builtin: builtin, Now: c.now}) // a migration first
	}
	if err != nil && use != dbWrite && use != dbApp && errors.Is(err, store.ErrReadOnly) {
		// A healthy file that cannot be written (a read-only file system,
		// no permission), or one check must migrate first.
		ro := use != dbCheck
		st, err = store.Open(path, &store.Options{Builtin: builtin, ReadOnly: ro, Now: c.now})
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	for _, w := range st.Warnings() {
		fmt.Fprintf(c.Stderr, "opsdeck: warning: %s\n", clean(w))
	}
	if missing && (use == dbWrite || use == dbApp) {
		fmt.Fprintf(c.Stderr, "opsdeck: created a new database at %s\n", path)
	}
	return st, func() { _ = st.Close(); cleanup() }, nil
}

// service opens the store and the application layer over it.
func (c *ctx) service(use dbUse) (*study.Service, func(), error) {
	st, done, err := c.open(use)
	if err != nil {
		return nil, nil, err
	}
	return study.New(st), done, nil
}

type appCmd struct{}

// Run runs the app. With sync set up, S syncs; with the sync-on-open-and-
// quit setting it syncs on the way in (in the app) and out (here, once the
// terminal is back). S works whenever pressed: a database without sync set
// up says how to set it up.
func (appCmd) Run(c *ctx) error {
	svc, done, err := c.service(dbApp)
	if err != nil {
		return err
	}
	defer done()
	eng := syncer.New(svc.Store(), c.now)
	_, auto := eng.Configured()
	if err := c.RunTUI(svc, c.now, eng.Round, auto); err != nil || !auto {
		return err
	}
	line, err := eng.Round()
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Stderr, "opsdeck: "+clean(line))
	return nil
}

type versionCmd struct{}

func (versionCmd) Run(c *ctx) error {
	fmt.Fprintln(c.Stdout, versionLine())
	return nil
}

// versionLine is what `opsdeck version` and `opsdeck --version` print.
func versionLine() string { return fmt.Sprintf("opsdeck %s (schema %d)", Version, store.SchemaVersion) }
