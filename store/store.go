// Package store keeps all of a user's opsdeck data in one bbolt file: the
// scheduling state and flags of every card touched, custom decks and cards,
// edits of built-in cards, the full review log, the settings and the schema
// version. One user action is one exported method is one write transaction.
//
// Built-in cards live in the embedded deck files; the store holds only their
// progress, history and text edits. Options.Builtin hands it the embedded
// decks for Decks and imports; Grade, the flags and AddCard take any
// well-formed "<deck-id>/<slug>" ID (the caller keeps custom IDs clear of
// built-in ones).
//
// # Bucket tree (schema version 2)
//
// Integers are big-endian unless marked varint/uvarint (encoding/binary's
// PutVarint/PutUvarint); times are int64 Unix nanoseconds; float64 and
// float32 are IEEE bits, big-endian.
//
//	meta/                              the file's identity and settings
//	  "app"      -> "opsdeck"           marks an opsdeck database
//	  "schema"   -> uint32              schema version (SchemaVersion)
//	  "settings" -> JSON settingsRecord
//	  "interview" -> "YYYY-MM-DD"       the interview date (absent: none; an
//	                                    optional key, so no schema change)
//	progress/                          one record per card ever touched;
//	  <card ID>  -> progress record     bucket sequence = last card number given
//	revlog/                            the review log, in time order;
//	  uint64 unix nanos ‖ uint32 tie   bucket sequence supplies the tie-break
//	             -> review record
//	undo/                              ring of the last UndoDepth actions;
//	  byte seq mod UndoDepth            bucket sequence = newest action's seq
//	             -> undo record
//	orphans/                           numbers of deleted custom cards, so
//	  uint64 card number -> card ID     their kept history still names them
//	decks/                             custom decks (may share the ID of a
//	  <deck ID>  -> JSON deckRecord     built-in deck: user cards added to it)
//	cards/                             custom cards, stored in full
//	  <card ID>  -> JSON cardRecord     card ID = "<deck ID>/<slug>"
//	overrides/                         edited text of built-in cards
//	  <card ID>  -> JSON overrideRecord
//	practice/                          cram and mock grades (practice.go);
//	  uint64 unix nanos ‖ uint32 tie    made on first use, so optional: no
//	             -> byte kind (1 cram,  schema change; never read as reviews
//	                2 mock) ‖ byte rating ‖ uvarint duration ms ‖ card ID
//	mocks/                             mock interview scorecards, made on
//	  uint64 unix nanos of the start    first use (optional)
//	             -> JSON MockRecord
//	events/                            the sync event log (events.go), made
//	  uvarint len ‖ device ID ‖         when sync is set up (optional): own
//	  uint64 seq -> JSON Event          and imported events
//
// Optional meta keys of sync (absent: sync off; no schema change):
// "device" -> the device ID, "evseq" -> uint64 last own event number,
// "sync" -> JSON configuration of package syncer. With a device ID, cards
// are numbered by a hash of their ID (events.go).
//
// Progress record (the value in progress/; binary because AllProgress must
// decode 100,000 of them quickly):
//
//	byte    format (2; format 1, schema 1, had no flag byte)
//	byte    flags: 1 suspended, 2 leech, 4 buried-until present,
//	        8 due present, 16 last-review present, 32 placeholder
//	uvarint card number (the revlog CSV card_id; never 0)
//	byte    fsrs state (0 new, 1 learning, 2 review, 3 relearning)
//	float64 stability, float64 difficulty
//	varint  elapsed days, scheduled days, step, reps, lapses
//	int64   due            (if flag 8)
//	int64   last review    (if flag 16)
//	int64   buried until   (if flag 4)
//	byte    the user's flag, 0 (none) to 7 (deck.FlagNames)
//
// A placeholder record (flag 32) only keeps a card's number after an undo
// took the card back to "never touched"; reads treat it as absent.
//
// Review record (the value in revlog/; about 17 bytes, so the log of
// 1,000,000 reviews stays well under 64 MB):
//
//	byte    rating (bits 0-2) | state before << 3 (bits 3-4)
//	uvarint card number
//	varint  scheduled days before, scheduled days after
//	float32 stability after, float32 difficulty after (7 significant
//	        digits; the exact values live in the progress record)
//	uvarint duration in milliseconds
//
// Undo record (the value in undo/), written in the grade's transaction. It
// lives in its own small ring rather than in the review record, so that the
// log stays compact: a copy of the previous progress record in each of
// 1,000,000 entries would double the file.
//
//	uvarint seq (guards against a stale ring slot)
//	[12]    the revlog key of the grade
//	uvarint length ‖ card ID
//	        the card's progress record before the grade (placeholder
//	        flag 32 when the card had none)
//
// Any other action (bury, suspend, edit, delete, add, and a bulk action of
// search or Browse: Bulk; UndoLast reverses each) writes a generic undo
// record in its transaction: every value it changed, as it was (a revlog
// key never starts with 0xff, so the two forms cannot be confused):
//
//	uvarint seq
//	byte    0xff
//	uvarint length ‖ action name (deck.UndoBury, ..., or a bulk
//	        action's label: "suspend", "flag red", "add tag x", ...)
//	uvarint n, then n × (uvarint length ‖ card ID)
//	uvarint m, then m × (uvarint length ‖ bucket name,
//	        uvarint length ‖ key, byte 1 present | 0 absent,
//	        [uvarint length ‖ value before, if present])
//
// Migrations: schema 1 -> 2 (migrateFlags) rewrote every progress record,
// and the copies in the undo ring (a grade's and those a generic record
// saved from progress/), from format 1 to format 2 (flag byte).
//
// JSON records (settingsRecord, deckRecord, cardRecord, overrideRecord) are
// defined in records.go.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	berrors "go.etcd.io/bbolt/errors"
	"opsdeck/deck"
)

// SchemaVersion is the schema version this package reads and writes.
const SchemaVersion = 2

// currentSchema is SchemaVersion; tests raise it to exercise migrations.
var currentSchema = SchemaVersion

// appMarker is the value of meta/"app".
const appMarker = "opsdeck"

// UndoDepth is how many of the latest grades can be undone. The ring is
// kept small enough (about 1 KB with typical card IDs) for bbolt to store
// the undo bucket inline in the root page, which every commit writes
// anyway: undo history then costs a grade no extra page write.
const UndoDepth = deck.UndoDepth

// Bucket and key names.
var (
	bMeta      = []byte("meta")
	bProgress  = []byte("progress")
	bRevlog    = []byte("revlog")
	bUndo      = []byte("undo")
	bOrphans   = []byte("orphans")
	bDecks     = []byte("decks")
	bCards     = []byte("cards")
	bOverrides = []byte("overrides")

	kApp      = []byte("app")
	kSchema   = []byte("schema")
	kSettings = []byte("settings")
)

// allBuckets are the top-level buckets of the current schema.
var allBuckets = [][]byte{bMeta, bProgress, bRevlog, bUndo, bOrphans, bDecks, bCards, bOverrides}

// Errors. Open wraps the first four and ErrReadOnly in an *OpenError naming
// the path; use errors.Is to tell them apart.
var (
	ErrLocked     = errors.New("in use by another opsdeck")
	ErrNotOpsdeck = errors.New("not an opsdeck database")
	ErrDamaged    = errors.New("damaged database")
	ErrTooNew     = errors.New("database from a newer opsdeck")
	// The action errors are the domain's, so a front end can tell them
	// apart without importing the store.
	ErrNothingToUndo = deck.ErrNothingToUndo
	ErrNotFound      = deck.ErrNotFound
	ErrExists        = deck.ErrExists
	ErrNotCustom     = deck.ErrNotCustom
	ErrNotCustomDeck = errors.New("not a custom deck")
	// ErrReadOnly: the file cannot be written (a read-only file system, no
	// write permission), or the store was opened with Options.ReadOnly and
	// a write was asked for. The file is healthy as far as that goes.
	ErrReadOnly = errors.New("read-only")
)

// OpenError is returned by Open when the file cannot be used. Its message
// names the path and, for a refused file, says that it was left untouched.
type OpenError struct {
	Path   string
	Err    error  // ErrLocked, ErrNotOpsdeck, ErrDamaged, ErrTooNew, ErrReadOnly or an I/O error
	Detail string // what was found, for the message
	Cause  error  // the system error behind ErrReadOnly (EROFS, EACCES), or nil
}

func (e *OpenError) Error() string {
	switch e.Err {
	case ErrLocked:
		return e.Path + " is in use by another opsdeck"
	case ErrNotOpsdeck:
		return fmt.Sprintf("%s is not an opsdeck database (%s); it was left untouched", e.Path, e.Detail)
	case ErrDamaged:
		return fmt.Sprintf("%s is damaged (%s); it was left untouched: restore a backup or move it away", e.Path, e.Detail)
	case ErrTooNew:
		return fmt.Sprintf("%s was written by a newer opsdeck (%s); it was left untouched: upgrade opsdeck", e.Path, e.Detail)
	case ErrReadOnly:
		return fmt.Sprintf("%s cannot be written (%s); it was left untouched: commands that only read (stats, export, decks, backup) can still open it", e.Path, e.Detail)
	}
	err := e.Err
	// An *fs.PathError would repeat the path: keep its operation and cause.
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == e.Path {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	if e.Detail != "" {
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Detail, err)
	}
	return fmt.Sprintf("%s: %v", e.Path, err)
}

// Unwrap gives Err and, when set, Cause: errors.Is(err, ErrReadOnly) and
// errors.Is(err, os.ErrPermission) both hold for an unwritable file.
func (e *OpenError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// Options configure Open. The zero value is what opsdeck uses.
type Options struct {
	// Timeout is how long Open, and each transaction after it, waits for
	// another opsdeck's transaction on the file to end before failing with
	// ErrLocked; 0 means 10 seconds. The Store holds the file only for the
	// length of each transaction (handle.go), so several opsdecks share it.
	Timeout time.Duration
	// Location counts day boundaries (with the day-start hour); nil means
	// time.Local.
	Location *time.Location
	// Builtin are the embedded decks: Decks merges them with the custom
	// decks and the user's edits, and imports treat their card IDs as
	// edits of built-in cards, not as new cards.
	Builtin []deck.Deck
	// Verify reads and decodes every record (see Store.Verify) before the
	// file is opened for writing: slow on big files.
	Verify bool
	// ReadOnly opens the file without writing to it, with a shared lock
	// (other read-only opsdecks may read it at once): for commands that
	// only read (stats, export, decks, backup, check), and for a healthy
	// file on a read-only file system. The file must exist and be an
	// opsdeck database of the current schema (a migration writes); every
	// write method fails with ErrReadOnly.
	ReadOnly bool
	// Now is the clock of event times (sync); nil means time.Now.
	Now func() time.Time
	// NoOpenCheck skips the structure check that a writable Open runs
	// (see Open). Tests and benchmarks only.
	NoOpenCheck bool
	// CheckInBackground runs a writable Open's structure check in the
	// background (for the app, whose first frame should not wait for it):
	// it starts at StartCheck or at the first write, whichever comes
	// first; reads go on meanwhile, and every write waits for the check,
	// so nothing is ever written into a file the check finds damaged. A
	// file that must be migrated is checked first, as without it.
	CheckInBackground bool
}

// Store is an open opsdeck database. Its methods are safe for concurrent use.
type Store struct {
	builtin []deck.Deck

	builtinOnce sync.Once
	builtinIDs  map[string]bool // IDs of builtin, made on first use
	h           handles         // the bbolt handle, open only during transactions
	wait        time.Duration   // lock wait of each transaction (Options.Timeout)
	noSync      bool            // tests and benchmarks: skip fsync on commit
	now         func() time.Time
	path        string
	loc         *time.Location

	readOnly bool
	warnings []string // said once, by Warnings

	mu       sync.Mutex
	sched    *schedCache   // guarded by mu
	damaged  error         // guarded by mu: the first damage found; no write after it
	checking chan struct{} // closed when a background open check ends (nil: none ran)
	// startCheck starts the background open check, once (nil: none).
	startCheck func()

	builtinIdx map[string]deck.Card // the embedded cards by ID, once built; guarded by mu
}

// DefaultPath is the database path of cli.md when --db is not given:
// $OPSDECK_DB, else $XDG_DATA_HOME/opsdeck/opsdeck.db, else
// ~/.local/share/opsdeck/opsdeck.db.
func DefaultPath() (string, error) {
	if p := os.Getenv("OPSDECK_DB"); p != "" {
		return p, nil
	}
	// The XDG spec says relative paths are invalid and must be ignored.
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "opsdeck", "opsdeck.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no database path: set --db or OPSDECK_DB (%v)", err)
	}
	return filepath.Join(home, ".local", "share", "opsdeck", "opsdeck.db"), nil
}

// Open opens the database at path ("" means DefaultPath), creating the
// directory (0700) and the file (0600) when absent. A file that is not an
// opsdeck database, is damaged, or comes from a newer opsdeck is refused
// with an *OpenError and not written to: it is inspected read-only first.
// Older schemas are migrated after a backup copy to <path>.bak-v<N>.
//
// A writable open then proves the file's structure before anything can
// write to it: a bounds-checked read of every page in use (see pageWalk),
// then bbolt's page-level consistency check (tx.Check: every page
// reachable once or free, key order, page types). A
// file that fails is refused as damaged (ErrDamaged). On the 1M-review
// benchmark fixture this costs about 80 ms per Open (0.1 ms without)
// (BenchmarkOpenWritable1M); the full Check, which also decodes every
// record, about 220 ms. Damage inside a record that the structure check
// cannot see is found when a read decodes it, and from then on the Store
// refuses every write (see Damaged).
//
// A file that cannot be opened for writing (a read-only file system, no
// write permission) is refused with ErrReadOnly, not as damaged: open it
// with Options.ReadOnly to read it. No panic of bbolt's leaves Open: a
// damaged page that makes bbolt panic (the freelist, say) is ErrDamaged.
//
// When one of bbolt's two meta pages is invalid, bbolt uses the other one,
// which may be a commit older (a torn last write): Warnings says so.
func Open(path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultWait
	}
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	if opts.ReadOnly {
		return openReadOnly(path, opts, timeout, loc)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, &OpenError{Path: path, Err: err, Detail: "cannot create its directory"}
	}

	fresh := false
	schema := 0
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := create(path); err != nil {
			if isReadOnlyErr(err) {
				return nil, &OpenError{Path: path, Err: ErrReadOnly, Detail: "cannot create it: " + readOnlyDetail(err), Cause: err}
			}
			return nil, &OpenError{Path: path, Err: err, Detail: "cannot create it"}
		}
		fi, err = os.Stat(path)
	}
	var warnings []string
	switch {
	case err != nil:
		return nil, &OpenError{Path: path, Err: err}
	case fi.IsDir():
		return nil, &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "it is a directory"}
	case !fi.Mode().IsRegular():
		return nil, &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "it is not a regular file"}
	case fi.Size() == 0:
		fresh = true // an empty file the user made: initialise it in place
	default:
		fresh, schema, err = inspect(path, timeout, opts.Verify)
		if err != nil {
			return nil, err
		}
		warnings = metaWarnings(path)
	}

	s := &Store{path: path, loc: loc, builtin: opts.Builtin, warnings: warnings, wait: timeout, now: opts.Now}
	// One writable handle for the check and the preparation; after them
	// the file is held only during each transaction (handle.go).
	_, release, err := s.acquire(true)
	if err != nil {
		return nil, err
	}
	defer release()
	if !fresh && !opts.NoOpenCheck {
		if opts.CheckInBackground && schema == currentSchema {
			s.checking = make(chan struct{})
			s.startCheck = sync.OnceFunc(func() {
				go func() {
					defer close(s.checking)
					if err := s.view(func(tx *bolt.Tx) error { return openCheck(tx, path) }); err != nil {
						s.noteDamage(fmt.Errorf("%w: %v", ErrDamaged, err))
					}
				}()
			})
		} else if err := s.view(func(tx *bolt.Tx) error { return openCheck(tx, path) }); err != nil {
			return nil, &OpenError{Path: path, Err: ErrDamaged, Detail: err.Error()}
		}
	}
	if err := s.prepare(fresh, schema); err != nil {
		return nil, err
	}
	return s, nil
}

// openFileHook opens bbolt's file; tests replace it to play a read-only
// file system.
var openFileHook = os.OpenFile

// openReadOnly is Open with Options.ReadOnly.
func openReadOnly(path string, opts *Options, timeout time.Duration, loc *time.Location) (*Store, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, &OpenError{Path: path, Err: err}
	case fi.IsDir():
		return nil, &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "it is a directory"}
	case !fi.Mode().IsRegular():
		return nil, &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "it is not a regular file"}
	case fi.Size() == 0:
		return nil, &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "an empty file, not yet a database"}
	}
	fresh, schema, err := inspect(path, timeout, opts.Verify)
	if err != nil {
		return nil, err
	}
	if fresh {
		return nil, &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "an empty bbolt file, not yet an opsdeck database"}
	}
	if schema < currentSchema {
		return nil, &OpenError{Path: path, Err: ErrReadOnly, Detail: fmt.Sprintf("schema version %d must be migrated to %d first, which writes: open it once for writing", schema, currentSchema)}
	}
	// Each transaction opens the file read-only with a shared lock
	// (handle.go); PreLoadFreelist reads the freelist there, where a
	// damaged one is caught, not in tx.Check's goroutine, where it would
	// crash.
	return &Store{path: path, loc: loc, builtin: opts.Builtin, readOnly: true, warnings: metaWarnings(path), wait: timeout, now: opts.Now}, nil
}

// ReadOnly reports whether the store was opened with Options.ReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Warnings are what Open found worth telling the user once (on stderr)
// without refusing the file: that bbolt fell back to the older meta page.
func (s *Store) Warnings() []string { return s.warnings }

// create makes a new database at path atomically: it is initialised in a
// temporary file beside it and hard-linked into place, so a crash never
// leaves a half-made file at path, and a file another process created in
// the meantime is kept.
func create(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".new-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Close(); err != nil {
		return err
	}
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	err = db.Update(initTx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// openErr turns an error of bolt.Open into an *OpenError.
func openErr(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &OpenError{Path: path, Err: ErrLocked}
	case errors.Is(err, berrors.ErrInvalid):
		if hasBoltMagic(path) {
			return &OpenError{Path: path, Err: ErrDamaged, Detail: "both bbolt meta pages are invalid"}
		}
		return &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "not a bbolt file"}
	case errors.Is(err, berrors.ErrChecksum):
		return &OpenError{Path: path, Err: ErrDamaged, Detail: "meta page checksum mismatch"}
	case errors.Is(err, berrors.ErrVersionMismatch):
		return &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "unsupported bbolt file version"}
	case isReadOnlyErr(err):
		return &OpenError{Path: path, Err: ErrReadOnly, Detail: readOnlyDetail(err), Cause: err}
	case errors.Is(err, os.ErrNotExist):
		return &OpenError{Path: path, Err: err}
	}
	var p panicError
	if errors.As(err, &p) {
		return &OpenError{Path: path, Err: ErrDamaged, Detail: fmt.Sprintf("bbolt failed on a damaged page: %v", p.v)}
	}
	// bbolt reports a too-short file as "file size too small" and other
	// structural problems as plain errors.
	if hasBoltMagic(path) {
		detail := err.Error()
		if strings.Contains(detail, "file size too small") {
			detail = "truncated: " + detail
		}
		return &OpenError{Path: path, Err: ErrDamaged, Detail: detail}
	}
	return &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "not a bbolt file"}
}

// hasBoltMagic reports whether the file starts like a bbolt file (the meta
// page's magic number after the 16-byte page header).
func hasBoltMagic(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [20]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	const magic = 0xED0CDAED
	return binary.LittleEndian.Uint32(b[16:]) == magic || binary.BigEndian.Uint32(b[16:]) == magic
}

// inspect opens an existing non-empty file read-only (a shared lock; no
// byte is written) and reports whether it is an empty bbolt file that can
// be initialised, and its schema version. Every reason to refuse the file
// is an *OpenError.
func inspect(path string, timeout time.Duration, verify bool) (fresh bool, schema int, err error) {
	var db *bolt.DB
	err = guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout, PreLoadFreelist: true, OpenFile: openFileHook})
		return err
	})
	if err != nil {
		return false, 0, openErr(path, err)
	}
	defer db.Close()
	damaged := func(format string, a ...any) error {
		return &OpenError{Path: path, Err: ErrDamaged, Detail: fmt.Sprintf(format, a...)}
	}
	err = guard(func() error {
		return db.View(func(tx *bolt.Tx) error {
			fi, err := os.Stat(path)
			if err != nil {
				return &OpenError{Path: path, Err: err}
			}
			if fi.Size() < tx.Size() {
				return damaged("truncated: %d bytes, it should have at least %d", fi.Size(), tx.Size())
			}
			mb := tx.Bucket(bMeta)
			if mb == nil {
				empty := true
				_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return io.EOF })
				if empty {
					fresh = true
					return nil
				}
				return &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: "a bbolt file without opsdeck's meta bucket"}
			}
			if app := mb.Get(kApp); string(app) != appMarker {
				return &OpenError{Path: path, Err: ErrNotOpsdeck, Detail: fmt.Sprintf("its meta bucket names the application %q", app)}
			}
			v := mb.Get(kSchema)
			if len(v) != 4 {
				return damaged("the schema version is unreadable")
			}
			schema = int(binary.BigEndian.Uint32(v))
			if schema > currentSchema {
				return &OpenError{Path: path, Err: ErrTooNew, Detail: fmt.Sprintf("schema version %d; this opsdeck reads up to %d", schema, currentSchema)}
			}
			if schema == currentSchema {
				for _, name := range allBuckets {
					if tx.Bucket(name) == nil {
						return damaged("bucket %q is missing", name)
					}
				}
			}
			if verify && schema == currentSchema {
				if err := verifyTx(tx); err != nil {
					return damaged("%v", err)
				}
			}
			return nil
		})
	})
	if err != nil {
		var oe *OpenError
		if !errors.As(err, &oe) {
			err = damaged("%v", err)
		}
		return false, 0, err
	}
	return fresh, schema, nil
}

// guard runs fn and turns a panic (bbolt panics on some damaged pages;
// with SetPanicOnFault a read past the end of a shrunken file does too)
// into an error.
func guard(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = panicError{r}
		}
	}()
	return fn()
}

// prepare initialises a fresh file or migrates an old one, in the
// read-write handle.
func (s *Store) prepare(fresh bool, schema int) error {
	if fresh {
		return s.update(func(tx *bolt.Tx) error {
			// Another process may have initialised it between the checks.
			if tx.Bucket(bMeta) != nil {
				return checkIdentity(tx)
			}
			return initTx(tx)
		})
	}
	if schema < currentSchema {
		return s.migrate(schema)
	}
	return nil
}

// checkIdentity re-checks the marker and schema in the read-write handle.
func checkIdentity(tx *bolt.Tx) error {
	mb := tx.Bucket(bMeta)
	if mb == nil || string(mb.Get(kApp)) != appMarker {
		return ErrNotOpsdeck
	}
	v := mb.Get(kSchema)
	if len(v) != 4 || int(binary.BigEndian.Uint32(v)) != currentSchema {
		return fmt.Errorf("%w: the schema version changed while opening", ErrDamaged)
	}
	return nil
}

// initTx writes an empty database of the current schema.
func initTx(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	mb := tx.Bucket(bMeta)
	if err := mb.Put(kApp, []byte(appMarker)); err != nil {
		return err
	}
	if err := putSchema(tx, currentSchema); err != nil {
		return err
	}
	return putSettings(tx, defaultSettings())
}

func putSchema(tx *bolt.Tx, v int) error {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(v))
	return tx.Bucket(bMeta).Put(kSchema, b[:])
}

// Close closes the database: later transactions fail. The file itself is
// held only while a transaction runs.
func (s *Store) Close() error { return s.closeHandles() }

// StartCheck starts the background structure check of a store opened
// with Options.CheckInBackground (nothing otherwise, or once started): the
// app's reads call it once its library is in, so that the check, which
// reads the whole file, does not slow the first frame and the cards down.
func (s *Store) StartCheck() {
	if s.startCheck != nil {
		s.startCheck()
	}
}

// CheckDone starts the background structure check if it has not started
// and is closed when it has ended (at once when there is none): for a
// caller that must not leave it running, such as a benchmark.
func (s *Store) CheckDone() <-chan struct{} {
	if s.startCheck == nil {
		done := make(chan struct{})
		close(done)
		return done
	}
	s.startCheck()
	return s.checking
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Location is where day boundaries are counted.
func (s *Store) Location() *time.Location { return s.loc }

// view and update run a transaction and turn a bbolt panic on a damaged
// page into an error naming the file.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	err := guard(func() error {
		db, release, err := s.acquire(false)
		if err != nil {
			return err
		}
		defer release()
		return db.View(fn)
	})
	return s.noteDamage(s.wrapPanic(err))
}

// update refuses to write once damage was found (by any read or check of
// this Store) and in a read-only store.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	return s.updateRaw(func(tx *bolt.Tx) error { return s.withEvents(tx, fn) })
}

// updateRaw is update without the event log (events.go): for the sync
// engine's own writes.
func (s *Store) updateRaw(fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%s is open read-only: %w", s.path, ErrReadOnly)
	}
	if s.checking != nil {
		s.startCheck()
		<-s.checking // a background open check: no write before it passed
	}
	if d := s.Damaged(); d != nil {
		return fmt.Errorf("%s: %w: nothing was written (found earlier: %v); restore a backup", s.path, ErrDamaged, d)
	}
	err := guard(func() error {
		db, release, err := s.acquire(true)
		if err != nil {
			return err
		}
		defer release()
		return db.Update(fn)
	})
	return s.noteDamage(s.wrapPanic(err))
}

// noteDamage remembers the first ErrDamaged that err carries.
func (s *Store) noteDamage(err error) error {
	if err != nil && errors.Is(err, ErrDamaged) {
		s.mu.Lock()
		if s.damaged == nil {
			s.damaged = err
		}
		s.mu.Unlock()
	}
	return err
}

// Damaged is the first damage found in the file since it was opened (by a
// read, Verify or Check), or nil. Once it is set, every write fails.
func (s *Store) Damaged() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.damaged
}

// panicError is a panic caught by guard.
type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprint(p.v) }

func (s *Store) wrapPanic(err error) error {
	var p panicError
	if errors.As(err, &p) {
		return fmt.Errorf("%s: %w (%v); restore a backup", s.path, ErrDamaged, p.v)
	}
	return err
}

func verifyRecord(bucket, k, v []byte) error {
	bad := errors.New("undecodable value")
	switch string(bucket) {
	case string(bProgress):
		if _, ok := decodeProgress(v, time.UTC); !ok {
			return bad
		}
	case string(bRevlog):
		if len(k) != revKeyLen {
			return errors.New("bad key length")
		}
		if _, ok := decodeReview(v); !ok {
			return bad
		}
	case string(bUndo):
		if _, ok := decodeUndo(v); !ok {
			return bad
		}
	case string(bMeta):
		if string(k) == string(kSettings) {
			if _, err := decodeSettings(v); err != nil {
				return err
			}
		}
		if string(k) == string(kInterview) {
			if err := checkDate(string(v)); err != nil {
				return err
			}
		}
	case string(bDecks), string(bCards), string(bOverrides):
		if !json.Valid(v) {
			return bad
		}
	}
	return nil
}

// Schema returns the file's schema version.
func (s *Store) Schema() (int, error) {
	var v int
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta).Get(kSchema)
		if len(b) != 4 {
			return fmt.Errorf("%w: the schema version is unreadable", ErrDamaged)
		}
		v = int(binary.BigEndian.Uint32(b))
		return nil
	})
	return v, err
}

// Backup writes a consistent copy of the database to path while it stays
// in use: it is written to a temporary file beside path, synced and
// renamed over path.
func (s *Store) Backup(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if own, err2 := os.Stat(s.path); err2 == nil && os.SameFile(fi, own) {
			return fmt.Errorf("%s is the database itself; choose another file for the backup", path)
		}
	}
	// Verify what is copied: the snapshot passes the full check (a guarded
	// walk of every record, then tx.Check) in the transaction it is copied
	// from, so a damaged source is refused and nothing is written.
	return s.view(func(tx *bolt.Tx) error {
		if probs, _ := checkTx(tx, s.path, 1); len(probs) > 0 {
			return fmt.Errorf("%s: %w: %s; no backup was written", s.path, ErrDamaged, probs[0])
		}
		return copyTx(tx, path)
	})
}

// copyTx writes tx's snapshot to path atomically (temp file, fsync, rename).
func copyTx(tx *bolt.Tx, path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return namedErr(path, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tx.WriteTo(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return namedErr(path, err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// namedErr names path, the file the user asked for, in an error about the
// temporary file written beside it ("x.db: permission denied", never
// ".x.db.tmp-123").
func namedErr(path string, err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}
