// Command opsdeck is a terminal flashcard trainer for DevOps & Azure Cloud
// Architect interviews. This file is wiring only: it reads the command line,
// opens the store, loads the embedded decks and runs the TUI or a command.
// The command-line contract is ../shared/docs/cli.md.
package main

import (
	"bufio"
	"context"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/fsrs/optimizer"
	"opsdeck/deck/stats"
	"opsdeck/store"
	"opsdeck/tui"
)

// version is opsdeck's release.
const version = "0.1.0"

//go:embed decks/*.md
var embedded embed.FS

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `opsdeck: spaced-repetition flashcards for DevOps & Azure Cloud Architect interviews

usage:
  opsdeck                                   open the app (the dashboard)
  opsdeck review --plain [--deck ID] [--limit N]
  opsdeck add --deck ID --front TEXT --back TEXT [--tags a,b]
  opsdeck import FILE... [--deck ID] [--dry-run]
  opsdeck export [--deck ID] [--format md|csv] [--out FILE]
  opsdeck export --revlog [--out FILE]
  opsdeck stats [--deck ID] [--json]
  opsdeck decks [--json]
  opsdeck optimize [--yes] [--reschedule]
  opsdeck optimize --revlog FILE [--day-start H] [--tz ZONE] [--json]
  opsdeck backup FILE
  opsdeck version

Every command takes --db PATH (else $OPSDECK_DB, else
$XDG_DATA_HOME/opsdeck/opsdeck.db). OPSDECK_NOW=2026-03-01T09:00:00Z starts
the clock at that instant. NO_COLOR turns colour off.
`

// exit statuses of cli.md
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is bad usage: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// app is what every command gets.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dbPath         string
	now            func() time.Time
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	err := a.main(args)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "opsdeck: %s\n\n%s", ue.msg, usage)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "opsdeck: %s\n", strings.ReplaceAll(err.Error(), "\n", "\nopsdeck: "))
		return exitFail
	}
}

func (a *app) main(args []string) error {
	// --db may come before or after the command.
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--db" || arg == "-db":
			if i+1 >= len(args) {
				return usagef("--db needs a path")
			}
			a.dbPath = args[i+1]
			i++
		case strings.HasPrefix(arg, "--db=") || strings.HasPrefix(arg, "-db="):
			a.dbPath = arg[strings.Index(arg, "=")+1:]
		case arg == "-h" || arg == "--help" || arg == "help":
			fmt.Fprint(a.stdout, usage)
			return flag.ErrHelp
		default:
			rest = append(rest, arg)
		}
	}
	if err := a.setClock(); err != nil {
		return err
	}
	if len(rest) == 0 {
		return a.runTUI()
	}
	cmd, cargs := rest[0], rest[1:]
	switch cmd {
	case "review":
		return a.review(cargs)
	case "add":
		return a.add(cargs)
	case "import":
		return a.importCmd(cargs)
	case "export":
		return a.export(cargs)
	case "stats":
		return a.stats(cargs)
	case "decks":
		return a.decks(cargs)
	case "optimize":
		return a.optimize(cargs)
	case "backup":
		return a.backup(cargs)
	case "version":
		fmt.Fprintf(a.stdout, "opsdeck %s (schema %d)\n", version, store.SchemaVersion)
		return nil
	}
	return usagef("unknown command %q", cmd)
}

// setClock reads OPSDECK_NOW: the clock starts there and runs on.
func (a *app) setClock() error {
	v := os.Getenv("OPSDECK_NOW")
	if v == "" {
		a.now = time.Now
		return nil
	}
	base, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return usagef("OPSDECK_NOW=%q is not an RFC 3339 time such as 2026-03-01T09:00:00Z", v)
	}
	start := time.Now()
	a.now = func() time.Time { return base.Add(time.Since(start)).Round(0) }
	return nil
}

// builtinDecks parses the embedded decks.
func builtinDecks() ([]deck.Deck, error) {
	sub, err := fs.Sub(embedded, "decks")
	if err != nil {
		return nil, err
	}
	return deck.ParseFS(sub)
}

// open opens the database with the built-in decks.
func (a *app) open() (*store.Store, error) {
	path := a.dbPath
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return nil, err
		}
	}
	builtin, err := builtinDecks()
	if err != nil {
		return nil, fmt.Errorf("built-in decks: %w", err)
	}
	return store.Open(path, &store.Options{Builtin: builtin})
}

// flags makes a FlagSet for a command that reports to stderr.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() { fmt.Fprint(a.stderr, usage) }
	return fs
}

// parse parses a command's flags, allowing flags after positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (a *app) runTUI() error {
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	p := tea.NewProgram(tui.New(st, tui.Options{Now: a.now}), tea.WithAltScreen())
	_, err = p.Run()
	return err
}

func (a *app) backup(args []string) error {
	fs := a.flags("backup")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("backup takes one FILE")
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "backup written to %s\n", pos[0])
	return nil
}

func (a *app) add(args []string) error {
	fs := a.flags("add")
	deckID := fs.String("deck", "", "deck ID (created if new)")
	front := fs.String("front", "", "the question")
	back := fs.String("back", "", "the answer")
	tags := fs.String("tags", "", "comma-separated tags")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("add: unexpected argument %q", pos[0])
	}
	if *deckID == "" || *front == "" || *back == "" {
		return usagef("add needs --deck, --front and --back")
	}
	c := deck.Card{Deck: *deckID, Front: deck.NormalizeText(*front), Back: deck.NormalizeText(*back)}
	for _, t := range strings.Split(*tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.Tags = append(c.Tags, t)
		}
	}
	c.Slug = deck.SlugFor(c.Front)
	c.ID = c.Deck + "/" + c.Slug
	if err := deck.CheckCard(c); err != nil {
		return fmt.Errorf("add: %v", err)
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.AddCard(c); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	fmt.Fprintln(a.stdout, c.ID)
	return nil
}

func (a *app) importCmd(args []string) error {
	fs := a.flags("import")
	deckID := fs.String("deck", "", "put every card in this deck")
	dry := fs.Bool("dry-run", false, "show what would change, change nothing")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("import needs at least one FILE")
	}
	if *deckID != "" && !deck.ValidID(*deckID) {
		return usagef("--deck %q: use lowercase letters, digits and '-'", *deckID)
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	// One transaction for all files: cards go in as they are read, and a
	// problem anywhere means nothing is written.
	res, err := st.ImportStream(!*dry, func(add func(deck.Deck) error) error {
		var problems deck.ErrorList
		for _, name := range files {
			err := importFile(name, *deckID, func(d deck.Deck) error {
				if len(problems) > 0 {
					return nil // still reading, to report every problem
				}
				return add(d)
			})
			var el deck.ErrorList
			if errors.As(err, &el) {
				problems = append(problems, el...)
			} else if err != nil {
				return err
			}
		}
		if len(problems) > 0 {
			return problems
		}
		return nil
	})
	var el deck.ErrorList
	if errors.As(err, &el) {
		return fmt.Errorf("%v\nimport: %d problem(s); nothing was imported", el, len(el))
	} else if err != nil {
		return fmt.Errorf("import: %w; nothing was imported", err)
	}
	verb := "imported"
	if *dry {
		verb = "dry run, nothing written: would import"
	}
	fmt.Fprintf(a.stdout, "%s: %d added, %d updated, %d unchanged (%d new decks)\n",
		verb, res.Added, res.Updated, res.Unchanged, res.DecksAdded)
	return nil
}

// importFile reads one file, an opsdeck Markdown deck (.md) or an Anki
// text export (anything else), and passes its cards to add: a Markdown deck
// whole, an Anki file a card at a time.
func importFile(name, deckID string, add func(deck.Deck) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(name), ".md") {
		d, err := deck.ParseFile(name, f)
		if err != nil {
			return err
		}
		if deckID != "" && deckID != d.ID {
			d = reID(d, deckID)
		}
		return add(d)
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	batch := make([]deck.Card, 1)
	return deck.ScanAnki(name, f, deck.AnkiOptions{DeckID: deckID, Fallback: base}, func(d deck.Deck, c deck.Card) error {
		batch[0] = c
		d.Cards = batch
		return add(d)
	})
}

// reID moves a parsed deck's cards to another deck ID.
func reID(d deck.Deck, id string) deck.Deck {
	d.ID = id
	cards := make([]deck.Card, len(d.Cards))
	for i, c := range d.Cards {
		c.Deck = id
		if c.Kind == deck.Cloze {
			c.ID = deck.ClozeID(id, c.Slug, c.Index)
		} else {
			c.ID = id + "/" + c.Slug
		}
		cards[i] = c
	}
	d.Cards = cards
	return d
}

// output opens --out (or stdout) and returns a close function that reports
// write errors.
func (a *app) output(path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return a.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

func (a *app) export(args []string) error {
	fs := a.flags("export")
	deckID := fs.String("deck", "", "only this deck")
	format := fs.String("format", "md", "md or csv")
	out := fs.String("out", "", "write here (a directory for md with several decks)")
	revlog := fs.Bool("revlog", false, "export the review log as CSV")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("export: unexpected argument %q", pos[0])
	}
	if *format != "md" && *format != "csv" {
		return usagef("--format %q: use md or csv", *format)
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if *revlog {
		return a.exportRevlog(st, *out)
	}
	decks, err := st.Decks()
	if err != nil {
		return err
	}
	if *deckID != "" {
		var sel []deck.Deck
		for _, d := range decks {
			if d.ID == *deckID {
				sel = append(sel, d)
			}
		}
		if len(sel) == 0 {
			return fmt.Errorf("export: no deck %q", *deckID)
		}
		decks = sel
	}
	if *format == "csv" {
		w, done, err := a.output(*out)
		if err != nil {
			return err
		}
		if err := deck.WriteAnkiCSV(w, decks); err != nil {
			done()
			return err
		}
		return done()
	}
	if len(decks) == 1 {
		w, done, err := a.output(*out)
		if err != nil {
			return err
		}
		if err := deck.Format(w, decks[0]); err != nil {
			done()
			return err
		}
		return done()
	}
	if *out == "" || *out == "-" {
		return usagef("export --format md of %d decks needs --deck ID or --out DIR (one file per deck)", len(decks))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, d := range decks {
		p := filepath.Join(*out, d.ID+".md")
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		err = deck.Format(f, d)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	fmt.Fprintf(a.stderr, "exported %d decks to %s\n", len(decks), *out)
	return nil
}

// exportRevlog writes the review log in the CSV format of cli.md.
func (a *app) exportRevlog(st *store.Store, out string) error {
	w, done, err := a.output(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	cw.Write([]string{"card_id", "review_time", "review_rating", "review_state", "review_duration", "deck_id", "card_key", "last_interval", "interval"})
	err = st.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
		deckID, _, _ := strings.Cut(e.CardID, "/")
		return cw.Write([]string{
			strconv.FormatInt(e.CardNumber, 10),
			strconv.FormatInt(e.At.UnixMilli(), 10),
			strconv.Itoa(e.Rating),
			strconv.Itoa(e.StateBefore),
			strconv.FormatInt(e.Duration.Milliseconds(), 10),
			deckID, e.CardID,
			strconv.Itoa(e.LastInterval),
			strconv.Itoa(e.Interval),
		})
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := done(); err == nil {
		err = cerr
	}
	return err
}

// snapshot is everything the stats need, read from the store.
type snapshot struct {
	decks    []deck.Deck
	progress map[string]deck.Progress
	settings deck.Settings
	sched    *fsrs.Scheduler
}

func load(st *store.Store) (snapshot, error) {
	var s snapshot
	var err error
	if s.decks, err = st.Decks(); err != nil {
		return s, err
	}
	if s.progress, err = st.AllProgress(); err != nil {
		return s, err
	}
	if s.settings, err = st.Settings(); err != nil {
		return s, err
	}
	s.sched, err = st.Scheduler()
	return s, err
}

// computeStats runs the statistics over the whole log, for deckID or all.
func (a *app) computeStats(st *store.Store, deckID string) (*stats.Result, error) {
	s, err := load(st)
	if err != nil {
		return nil, err
	}
	reviews, err := st.Reviews(time.Time{}, time.Time{})
	if err != nil {
		return nil, err
	}
	in := stats.Input{
		Now: a.now(), Sched: s.sched, Progress: s.progress, Reviews: reviews,
		NewPerDay: s.settings.NewPerDay, ReviewsPerDay: s.settings.ReviewsPerDay,
	}
	for _, d := range s.decks {
		if deckID == "" || d.ID == deckID {
			in.Decks = append(in.Decks, stats.DeckInfoOf(d))
		}
	}
	if deckID != "" && len(in.Decks) == 0 {
		return nil, fmt.Errorf("no deck %q", deckID)
	}
	return stats.Compute(in)
}

func (a *app) stats(args []string) error {
	fs := a.flags("stats")
	deckID := fs.String("deck", "", "only this deck")
	asJSON := fs.Bool("json", false, "print JSON (shape in cli.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("stats: unexpected argument %q", pos[0])
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := a.computeStats(st, *deckID)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.Report)
	}
	return stats.WriteTable(a.stdout, &res.Report)
}

func (a *app) decks(args []string) error {
	fs := a.flags("decks")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("decks: unexpected argument %q", pos[0])
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := a.computeStats(st, "")
	if err != nil {
		return err
	}
	list := res.DeckList()
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tCARDS\tDUE\tNEW")
	for _, d := range list.Decks {
		title := d.Title
		if !d.Builtin {
			title += " (custom)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", d.ID, title, d.Cards.Total, d.DueToday, d.NewToday)
	}
	return tw.Flush()
}

// maxAnswerTime caps the time recorded for one card (Anki's default).
const maxAnswerTime = 60 * time.Second

// review runs the plain review protocol of cli.md on stdin and stdout.
func (a *app) review(args []string) error {
	fs := a.flags("review")
	plain := fs.Bool("plain", false, "line-based review")
	deckID := fs.String("deck", "", "only this deck")
	limit := fs.Int("limit", 0, "at most N cards (0: today's queue)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("review: unexpected argument %q", pos[0])
	}
	if !*plain {
		return usagef("review needs --plain (run opsdeck with no command for the app)")
	}
	if *limit < 0 {
		return usagef("--limit must be 0 or more")
	}
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := load(st)
	if err != nil {
		return err
	}
	q, err := buildQueue(st, s, *deckID, a.now())
	if err != nil {
		return err
	}
	byID := map[string]deck.Card{}
	for _, d := range s.decks {
		for _, c := range d.Cards {
			byID[c.ID] = c
		}
	}
	in := bufio.NewScanner(a.stdin)
	in.Buffer(make([]byte, 4096), 1<<20)
	read := func() (string, bool) {
		if !in.Scan() {
			return "", false
		}
		return strings.TrimSpace(in.Text()), true
	}
	out := bufio.NewWriter(a.stdout)
	defer out.Flush()
	start := a.now()
	total := q.Counts().Total()
	var graded, correct int
	var undone []deck.Item // cards put back by undo, shown again first
	for *limit == 0 || graded < *limit {
		now := a.now()
		var it deck.Item
		if len(undone) > 0 {
			it, undone = undone[len(undone)-1], undone[:len(undone)-1]
		} else {
			var ok bool
			if it, ok = q.Next(now); !ok {
				break
			}
		}
		fmt.Fprintf(out, "--- %d/%d %s %s %s\n", graded+1, max(total, graded+1), it.Card.Deck, it.Card.ID, stateName(it.Progress.Sched.State))
		fmt.Fprintf(out, "Q: %s\n", it.Card.Front)
		out.Flush()
		shown := a.now()
		line, ok := read()
		if !ok || line == "q" {
			break
		}
		at := a.now()
		prev := s.sched.Preview(it.Progress.Sched, it.Card.ID, at)
		fmt.Fprintf(out, "A: %s\n", it.Card.Back)
		fmt.Fprintf(out, "grade: 1 again %s | 2 hard %s | 3 good %s | 4 easy %s\n",
			ivl(at, prev[0].Due), ivl(at, prev[1].Due), ivl(at, prev[2].Due), ivl(at, prev[3].Due))
		out.Flush()
		quit := false
		for {
			line, ok := read()
			if !ok || line == "q" {
				quit = true
				break
			}
			if line == "u" {
				id, err := st.Undo()
				if err != nil {
					fmt.Fprintf(out, "undo: %v\n", err)
					out.Flush()
					continue
				}
				// The card on screen goes back to the queue; the undone card
				// is shown next, in its restored state.
				undone = append(undone, it)
				p, known, err := st.Progress(id)
				if err != nil {
					return err
				}
				if !known {
					p = deck.Progress{CardID: id}
				}
				back := deck.Item{Card: byID[id], Progress: p}
				q.Remove(id)
				undone = append(undone, back)
				if graded > 0 {
					graded--
				}
				fmt.Fprintf(out, "undone: %s\n", id)
				out.Flush()
				break
			}
			r, err := strconv.Atoi(line)
			if err != nil || r < 1 || r > 4 {
				fmt.Fprintln(out, "grade: type 1-4, u to undo, q to quit")
				out.Flush()
				continue
			}
			took := min(a.now().Sub(shown), maxAnswerTime)
			res, err := st.Grade(it.Card.ID, fsrs.Rating(r), a.now(), took)
			if err != nil {
				return fmt.Errorf("grade not saved: %w", err)
			}
			q.Answered(it.Card, res.After)
			graded++
			if r > 1 {
				correct++
			}
			if res.Leech {
				msg := "leech: " + it.Card.ID + " has lapsed often; consider rewriting it"
				if res.Suspended {
					msg += " (suspended)"
				}
				fmt.Fprintln(out, msg)
			}
			break
		}
		if quit {
			break
		}
	}
	acc := 0
	if graded > 0 {
		acc = 100 * correct / graded
	}
	next := ""
	if due, ok := q.NextLearning(); ok {
		next = fmt.Sprintf(", next learning card in %s", ivl(a.now(), due))
	}
	left := q.Counts()
	fmt.Fprintf(out, "done: %d reviewed, %d%% correct, %s, %d left today%s\n",
		graded, acc, a.now().Sub(start).Round(time.Second), left.Total(), next)
	return nil
}

// buildQueue builds today's queue with the daily limits left after today's
// reviews.
func buildQueue(st *store.Store, s snapshot, deckID string, now time.Time) (*deck.Queue, error) {
	dayStart := s.sched.DayStart(now)
	today, err := st.Reviews(dayStart, time.Time{})
	if err != nil {
		return nil, err
	}
	newDone, revDone := deck.TodayDone(today)
	var cards []deck.Card
	var order []string
	found := deckID == ""
	for _, d := range s.decks {
		order = append(order, d.ID)
		if deckID == "" || d.ID == deckID {
			found = true
			cards = append(cards, d.Cards...)
		}
	}
	if !found {
		return nil, fmt.Errorf("no deck %q", deckID)
	}
	return deck.BuildQueue(cards, s.progress, deck.QueueOptions{
		Now: now, DayEnd: s.sched.DayStart(now).AddDate(0, 0, 1),
		NewLimit:    s.settings.NewPerDay - newDone,
		ReviewLimit: s.settings.ReviewsPerDay - revDone,
		DeckOrder:   order,
	}), nil
}

func stateName(s fsrs.State) string {
	switch s {
	case fsrs.Learning:
		return "learning"
	case fsrs.Review:
		return "review"
	case fsrs.Relearning:
		return "relearning"
	}
	return "new"
}

// ivl formats the wait until due as Anki does on its buttons: 1m, 10m, 2h,
// 3d, 1.5mo, 2.1y.
func ivl(now, due time.Time) string {
	return deck.FormatInterval(due.Sub(now))
}

// optimize fits the FSRS parameters to a review log (issue 8).
func (a *app) optimize(args []string) error {
	fs := a.flags("optimize")
	revlog := fs.String("revlog", "", "fit a review-log CSV instead of the database")
	dayStart := fs.Int("day-start", 4, "hour the day starts (with --revlog)")
	tz := fs.String("tz", "", "time zone of the day boundaries (with --revlog; default local)")
	asJSON := fs.Bool("json", false, "print JSON (with --revlog)")
	yes := fs.Bool("yes", false, "save the fitted parameters without asking")
	reschedule := fs.Bool("reschedule", false, "also move due dates to the new intervals")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("optimize: unexpected argument %q", pos[0])
	}
	if *revlog == "" {
		return a.optimizeDB(*yes, *reschedule)
	}
	if *dayStart < 0 || *dayStart > 23 {
		return usagef("--day-start %d: use an hour 0-23", *dayStart)
	}
	loc := time.Local
	if *tz != "" {
		if loc, err = time.LoadLocation(*tz); err != nil {
			return usagef("--tz %q: %v", *tz, err)
		}
	}
	reviews, err := optimizer.ReadRevlogFile(*revlog)
	if err != nil {
		return err
	}
	items := optimizer.Items(reviews, loc, *dayStart)
	before, err := optimizer.Evaluate(fsrs.DefaultWeights, items)
	if err != nil {
		return fmt.Errorf("%s: %w", *revlog, err)
	}
	bar := newProgressBar(a.stderr)
	res, err := optimizer.Optimize(context.Background(), items, optimizer.Options{Progress: bar.update})
	bar.done()
	var nd *optimizer.NotEnoughDataError
	if errors.As(err, &nd) {
		return fmt.Errorf("%s: %v; keep the default parameters", *revlog, nd)
	} else if err != nil {
		return err
	}
	after, err := optimizer.Evaluate(res.Weights, items)
	if err != nil {
		return err
	}
	if *asJSON {
		out := struct {
			Parameters      []float64 `json:"parameters"`
			LogLoss         float64   `json:"log_loss"`
			RMSEBins        float64   `json:"rmse_bins"`
			DefaultLogLoss  float64   `json:"default_log_loss"`
			DefaultRMSEBins float64   `json:"default_rmse_bins"`
			Items           int       `json:"items"`
		}{res.Weights[:], after.LogLoss, after.RMSEBins, before.LogLoss, before.RMSEBins, len(items)}
		enc := json.NewEncoder(a.stdout)
		return enc.Encode(out)
	}
	a.describeFit("defaults", len(reviews), len(items), before, after, res.Weights)
	return nil
}

// optimizeDB fits the parameters to the database's own review log, shows
// the gain and saves them when the user agrees.
func (a *app) optimizeDB(yes, reschedule bool) error {
	st, err := a.open()
	if err != nil {
		return err
	}
	defer st.Close()
	settings, err := st.Settings()
	if err != nil {
		return err
	}
	sched, err := st.Scheduler()
	if err != nil {
		return err
	}
	var reviews []optimizer.Review
	err = st.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
		reviews = append(reviews, optimizer.Review{CardID: e.CardNumber, Time: e.At.UnixMilli(), Rating: e.Rating, Duration: e.Duration.Milliseconds()})
		return nil
	})
	if err != nil {
		return err
	}
	items := optimizer.Items(reviews, time.Local, settings.DayStartHour)
	if len(reviews) < 400 || len(items) < optimizer.DefaultMinItems {
		fmt.Fprintf(a.stdout, "%d reviews (%d training items) are too few to fit reliably: at least a few hundred are needed.\nKeeping the current parameters.\n", len(reviews), len(items))
		return nil
	}
	current := sched.Params().W
	before, err := optimizer.Evaluate(current, items)
	if err != nil {
		return err
	}
	bar := newProgressBar(a.stderr)
	res, err := optimizer.Optimize(context.Background(), items, optimizer.Options{
		Progress: bar.update, RelearningSteps: len(settings.RelearningSteps)})
	bar.done()
	var nd *optimizer.NotEnoughDataError
	if errors.As(err, &nd) {
		fmt.Fprintf(a.stdout, "%v.\nKeeping the current parameters.\n", nd)
		return nil
	} else if err != nil {
		return err
	}
	after, err := optimizer.Evaluate(res.Weights, items)
	if err != nil {
		return err
	}
	a.describeFit("current", len(reviews), len(items), before, after, res.Weights)
	if after.LogLoss >= before.LogLoss {
		fmt.Fprintln(a.stdout, "\nThe fitted parameters predict no better than the current ones; keeping the current parameters.")
		return nil
	}
	if !yes {
		fmt.Fprint(a.stdout, "\nSave the fitted parameters? [y/N] ")
		line, _ := bufio.NewReader(a.stdin).ReadString('\n')
		if ans := strings.ToLower(strings.TrimSpace(line)); ans != "y" && ans != "yes" {
			fmt.Fprintln(a.stdout, "Not saved.")
			return nil
		}
	}
	n, err := st.ApplyWeights(res.Weights, reschedule)
	if err != nil {
		return fmt.Errorf("parameters not saved: %w", err)
	}
	what := "due dates kept"
	if reschedule {
		what = "review cards rescheduled"
	}
	fmt.Fprintf(a.stdout, "Saved. Memory state of %d cards recomputed; %s.\n", n, what)
	return nil
}

// describeFit says in plain words how much better the fitted parameters
// predict than the defaults.
func (a *app) describeFit(base string, reviews, items int, before, after optimizer.Metrics, w [21]float64) {
	fmt.Fprintf(a.stdout, "%d reviews, %d training items (one per review on a later day than the card's last).\n\n", reviews, items)
	fmt.Fprintf(a.stdout, "                      %8s   fitted\n", base)
	fmt.Fprintf(a.stdout, "log loss              %8.5f %8.5f\n", before.LogLoss, after.LogLoss)
	fmt.Fprintf(a.stdout, "RMSE (bins)           %8.5f %8.5f\n\n", before.RMSEBins, after.RMSEBins)
	fmt.Fprintln(a.stdout, "Log loss measures how surprised the model is by your answers (lower is better);")
	fmt.Fprintln(a.stdout, "RMSE (bins) is the typical gap between predicted and actual recall rates.")
	if before.RMSEBins > 0 {
		fmt.Fprintf(a.stdout, "The fitted model's predictions are off by %.1f%% points instead of %.1f.\n",
			100*after.RMSEBins, 100*before.RMSEBins)
	}
	parts := make([]string, len(w))
	for i, v := range w {
		parts[i] = strconv.FormatFloat(v, 'f', 4, 64)
	}
	fmt.Fprintf(a.stdout, "\nparameters: %s\n", strings.Join(parts, ", "))
}

// progressBar draws a one-line bar on stderr.
type progressBar struct {
	w    io.Writer
	last int
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w, last: -1} }

func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	pct := 100 * done / total
	if pct == p.last {
		return
	}
	p.last = pct
	n := pct * 30 / 100
	fmt.Fprintf(p.w, "\rfitting [%s%s] %3d%%", strings.Repeat("#", n), strings.Repeat(".", 30-n), pct)
}

func (p *progressBar) done() {
	if p.last >= 0 {
		fmt.Fprintln(p.w)
	}
}
