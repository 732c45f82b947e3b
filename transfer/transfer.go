package transfer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/store"
)

// ImportError is a problem in the files: every problem found, with file
// and line; nothing was written.
type ImportError struct{ Problems deck.ErrorList }

func (e *ImportError) Error() string {
	return fmt.Sprintf("%v\nimport: %d problem(s); nothing was imported", e.Problems, len(e.Problems))
}

// Import reads every file (an opsdeck Markdown deck, a directory of them,
// or an Anki text export) into the store in one transaction: all or
// nothing. deckID, when set, puts every card in that deck. With dry, it
// writes nothing and reports what it would do.
func Import(st *store.Store, files []string, deckID string, dry bool) (store.ImportResult, error) {
	r, err := ImportReport(st, files, deckID, dry, time.Now(), nil)
	return r.ImportResult, err
}

// ImportNoting is Import that tells note what it had to decide for itself
// (the separator of an Anki text file without a #separator: header).
func ImportNoting(st *store.Store, files []string, deckID string, dry bool, note func(string)) (store.ImportResult, error) {
	r, err := ImportReport(st, files, deckID, dry, time.Now(), note)
	return r.ImportResult, err
}

// Report is what ImportReport did: the cards, the review histories of
// Anki packages, and what each package held.
type Report struct {
	store.ImportResult
	History  store.HistoryResult
	Packages []PackageReport
}

// ImportReport is Import with the whole report. Anki packages (.apkg,
// .colpkg) bring their review history (see store.ImportWithHistory); a
// card buried in Anki stays buried until the day start after now. note, if
// set, hears what the import had to decide for itself.
func ImportReport(st *store.Store, files []string, deckID string, dry bool, now time.Time, note func(string)) (Report, error) {
	var rep Report
	if deckID != "" && !deck.ValidID(deckID) {
		return rep, fmt.Errorf("--deck %q: use lowercase letters, digits and '-'", deckID)
	}
	var expanded []string
	for _, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return rep, err
		}
		if fi.IsDir() {
			mds, err := filepath.Glob(filepath.Join(name, "*.md"))
			if err != nil {
				return rep, err
			}
			if len(mds) == 0 {
				return rep, fmt.Errorf("%s: no *.md deck in this directory", name)
			}
			expanded = append(expanded, mds...)
			continue
		}
		if SameFile(name, st.Path()) {
			return rep, fmt.Errorf("%s is the database itself, not a deck to import", name)
		}
		expanded = append(expanded, name)
	}
	var pkgDecks []deck.Deck
	var hist []store.CardHistory
	var texts []string
	for _, name := range expanded {
		if !isPackage(name) {
			texts = append(texts, name)
			continue
		}
		sch, err := st.Scheduler()
		if err != nil {
			return rep, err
		}
		ds, hs, pr, err := readPackage(name, deckID, sch, now)
		if err != nil {
			return rep, err
		}
		pkgDecks = append(pkgDecks, ds...)
		hist = append(hist, hs...)
		rep.Packages = append(rep.Packages, pr)
	}
	expanded = texts
	res, hres, err := st.ImportWithHistory(!dry, func(add func(deck.Deck) error) error {
		for _, d := range pkgDecks {
			if err := add(d); err != nil {
				return err
			}
		}
		var problems deck.ErrorList
		for _, name := range expanded {
			err := importFile(name, deckID, note, func(d deck.Deck) error {
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
	}, hist)
	rep.ImportResult, rep.History = res, hres
	var el deck.ErrorList
	if errors.As(err, &el) {
		return rep, &ImportError{Problems: el}
	} else if err != nil {
		return rep, fmt.Errorf("import: %w; nothing was imported", err)
	}
	return rep, nil
}

// importFile reads one file and passes its cards to add: a Markdown deck
// whole, an Anki file a card at a time.
func importFile(name, deckID string, note func(string), add func(deck.Deck) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if isMarkdown(name) {
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
	o := deck.AnkiOptions{DeckID: deckID, Fallback: base}
	if note != nil {
		o.Guessed = func(sep rune) {
			note(fmt.Sprintf("%s: no #separator: header; read as %s-separated", name, deck.SepName(sep)))
		}
	}
	return deck.ScanAnki(name, f, o, func(d deck.Deck, c deck.Card) error {
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
			c.ID = deck.CardID(id, c.Slug)
		}
		cards[i] = c
	}
	d.Cards = cards
	return d
}

// Format is an export format.
type Format string

// The export formats.
const (
	Markdown Format = "md"
	CSV      Format = "csv"
	APKG     Format = "apkg"
)

// ErrNeedOut says an Anki package goes to a file.
var ErrNeedOut = errors.New("export --format apkg needs --out FILE (a zip file, not for a terminal)")

// SelectDecks returns the library's decks, or the one with deckID.
func SelectDecks(st *store.Store, deckID string) ([]deck.Deck, error) {
	decks, err := st.Decks()
	if err != nil {
		return nil, err
	}
	if deckID == "" {
		return decks, nil
	}
	for _, d := range decks {
		if d.ID == deckID {
			return []deck.Deck{d}, nil
		}
	}
	return nil, fmt.Errorf("no deck %q", deckID)
}

// ErrNeedDir says several decks in Markdown need a directory.
var ErrNeedDir = errors.New("export --format md of several decks needs --deck ID or --out DIR (one file per deck)")

// Export writes decks in format to out ("" or "-": stdout): CSV of all of
// them, or Markdown of one; Markdown of several goes one file per deck
// into the directory out. It returns the files written. Every file is
// written atomically and never over the database.
func Export(st *store.Store, decks []deck.Deck, format Format, out string, stdout io.Writer) ([]string, error) {
	protect := []string{st.Path()}
	switch {
	case format == APKG && (out == "" || out == "-"):
		return nil, ErrNeedOut
	case format == APKG:
		return names(out), Output(out, stdout, protect, func(w io.Writer) error { return WriteAPKG(w, decks, time.Now()) })
	case format == CSV:
		return names(out), Output(out, stdout, protect, func(w io.Writer) error { return deck.WriteAnkiCSV(w, decks) })
	case len(decks) == 1:
		return names(out), Output(out, stdout, protect, func(w io.Writer) error { return deck.Format(w, decks[0]) })
	case out == "" || out == "-":
		return nil, ErrNeedDir
	}
	if SameFile(out, st.Path()) {
		return nil, &ErrSameFile{Path: out, Protected: st.Path()}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, d := range decks {
		p := filepath.Join(out, d.ID+".md")
		if err := WriteFile(p, protect, func(w io.Writer) error { return deck.Format(w, d) }); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

func names(out string) []string {
	if out == "" || out == "-" {
		return nil
	}
	return []string{out}
}

// RevlogHeader is the review-log CSV's header (docs/cli.md).
var RevlogHeader = []string{"card_id", "review_time", "review_rating", "review_state", "review_duration", "deck_id", "card_key", "last_interval", "interval"}

// WriteRevlog writes the review log in the CSV format of docs/cli.md.
func WriteRevlog(st *store.Store, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RevlogHeader); err != nil {
		return err
	}
	err := st.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
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
	return err
}

// ExportRevlog writes the review log to out ("" or "-": stdout).
func ExportRevlog(st *store.Store, out string, stdout io.Writer) error {
	return Output(out, stdout, []string{st.Path()}, func(w io.Writer) error { return WriteRevlog(st, w) })
}
