// Package syncer syncs one opsdeck database between machines, over any
// git remote (with the system git, so the user's SSH keys and config just
// work) or through a folder another tool keeps in step (Syncthing,
// Dropbox, rclone).
//
// The store writes every change as an event named by its device ID and
// sequence number, in the change's own transaction (store/events.go).
// Each device appends only its own immutable files,
// devices/<device>/<from>-<to>.jsonl (one JSON event a line), so merges
// never conflict: a round imports every other device's files (idempotent:
// an event already known is skipped), then writes this device's new
// events as one new file and shares it. Every card touched by imported
// events is replayed from its whole merged history, so every device
// reaches the same FSRS state; settings and card text go to the last
// writer.
//
// A round is safe to kill at any step: files are written whole (temporary
// file, rename), which of its own events a device has shared is read back
// from its files (not remembered apart), and git's leftovers (a rebase in
// progress, an index lock) are cleared by the next round.
package syncer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"opsdeck/store"
)

// Config is the sync set-up, kept in the database (store.SyncConfig).
type Config struct {
	Remote   string    `json:"remote,omitempty"` // a git remote
	Folder   string    `json:"folder,omitempty"` // or a synced folder
	LastSync time.Time `json:"last_sync,omitempty"`
	// Pushed is the last own event number the remote has (git).
	Pushed uint64 `json:"pushed,omitempty"`
	// Seen are the event files ("device/name") already merged or
	// written here: files never change, so a round reads only new ones.
	Seen map[string]bool `json:"seen,omitempty"`
	// Auto syncs when the TUI opens and when it quits.
	Auto bool `json:"auto,omitempty"`
}

// Status is `sync status --json` (docs/cli.md).
type Status struct {
	Device        string  `json:"device"`
	Remote        string  `json:"remote"`
	LastSync      *string `json:"last_sync"`
	PendingEvents int     `json:"pending_events"`
	DevicesSeen   int     `json:"devices_seen"`
}

// Report is what a round did.
type Report struct {
	Imported int      // new events from other devices
	Cards    int      // cards replayed
	Exported int      // own events shared
	Warnings []string // said, not failed on
}

// Engine syncs one store.
type Engine struct {
	st  *store.Store
	now func() time.Time
	// Git is the git binary ("" looks it up on PATH).
	Git string
}

// New returns the engine over st with the clock now.
func New(st *store.Store, now func() time.Time) *Engine {
	if now == nil {
		now = time.Now
	}
	return &Engine{st: st, now: now}
}

// ErrNotSetUp: sync init was not run on this database.
var ErrNotSetUp = errors.New("sync is not set up for this database: run opsdeck sync init REMOTE (a git remote) or opsdeck sync init --folder DIR")

// Config reads the configuration (the zero Config when there is none).
func (e *Engine) Config() (Config, error) {
	var c Config
	b, err := e.st.SyncConfig()
	if err != nil || len(b) == 0 {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: the sync configuration is unreadable: %v", e.st.Path(), err)
	}
	return c, nil
}

func (e *Engine) saveConfig(c Config) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return e.st.SetSyncConfig(b)
}

// workDir is the git working copy beside the database.
func (e *Engine) workDir() string { return e.st.Path() + ".sync" }

// dir is where the devices/ tree lives for c.
func (e *Engine) dir(c Config) string {
	if c.Folder != "" {
		return c.Folder
	}
	return e.workDir()
}

// SetAuto turns syncing on open and quit on or off.
func (e *Engine) SetAuto(on bool) error {
	c, err := e.Config()
	if err != nil {
		return err
	}
	if c.Remote == "" && c.Folder == "" {
		return ErrNotSetUp
	}
	c.Auto = on
	return e.saveConfig(c)
}

// newDevice makes a device ID: the host name and 4 random hex digits.
func newDevice() string {
	host, _ := os.Hostname()
	host = strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(host, "-"))
	host = strings.Trim(host, "-")
	if len(host) > 20 {
		host = host[:20]
	}
	if host == "" {
		host = "device"
	}
	var b [2]byte
	f, err := os.Open("/dev/urandom")
	if err == nil {
		_, _ = f.Read(b[:])
		f.Close()
	} else {
		n := time.Now().UnixNano()
		b[0], b[1] = byte(n), byte(n>>8)
	}
	return fmt.Sprintf("%s-%02x%02x", host, b[0], b[1])
}

// Init sets sync up: a new device ID for this database (also the way to
// re-init a copied data folder), the remote or folder, and a first round.
func (e *Engine) Init(remote, folder string, auto bool) (Report, error) {
	if (remote == "") == (folder == "") {
		return Report{}, errors.New("give a git remote or --folder DIR, not both")
	}
	c := Config{Remote: remote, Auto: auto}
	if folder != "" {
		abs, err := filepath.Abs(folder)
		if err != nil {
			return Report{}, err
		}
		if err := os.MkdirAll(abs, 0o700); err != nil {
			return Report{}, fmt.Errorf("%s: %w", abs, err)
		}
		c.Folder = abs
	} else {
		if err := e.gitCheck(); err != nil {
			return Report{}, err
		}
		wd := e.workDir()
		if err := os.RemoveAll(wd); err != nil {
			return Report{}, err
		}
		if err := os.MkdirAll(wd, 0o700); err != nil {
			return Report{}, err
		}
		if _, err := e.git(wd, "init", "-q", "-b", "main"); err != nil {
			return Report{}, err
		}
		if _, err := e.git(wd, "remote", "add", "origin", remote); err != nil {
			return Report{}, err
		}
	}
	if err := e.st.EnableSync(newDevice()); err != nil {
		return Report{}, err
	}
	if err := e.saveConfig(c); err != nil {
		return Report{}, err
	}
	return e.Sync()
}

// Status is the state of sync on this database.
func (e *Engine) Status() (Status, error) {
	c, err := e.Config()
	if err != nil {
		return Status{}, err
	}
	dev, err := e.st.SyncDevice()
	if err != nil {
		return Status{}, err
	}
	if dev == "" || (c.Remote == "" && c.Folder == "") {
		return Status{}, ErrNotSetUp
	}
	own, devices, err := e.st.EventStats()
	if err != nil {
		return Status{}, err
	}
	shared, err := sharedUpTo(e.dir(c), dev)
	if err != nil {
		return Status{}, err
	}
	if c.Remote != "" {
		shared = c.Pushed // written here is not yet shared
	}
	s := Status{Device: dev, Remote: c.Remote, DevicesSeen: devices}
	if c.Folder != "" {
		s.Remote = c.Folder
	}
	if !c.LastSync.IsZero() {
		t := c.LastSync.Format(time.RFC3339)
		s.LastSync = &t
	}
	if own > shared {
		s.PendingEvents = int(own - shared)
	}
	return s, nil
}

// fileRe names an event file.
var fileRe = regexp.MustCompile(`^(\d{12})-(\d{12})\.jsonl$`)

// sharedUpTo is the last own sequence number in dev's files.
func sharedUpTo(dir, dev string) (uint64, error) {
	ents, err := os.ReadDir(filepath.Join(dir, "devices", dev))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var top uint64
	for _, en := range ents {
		if m := fileRe.FindStringSubmatch(en.Name()); m != nil {
			to, _ := strconv.ParseUint(m[2], 10, 64)
			top = max(top, to)
		}
	}
	return top, nil
}

// stepHook, when set (the kill test), is called at each step of a round.
var stepHook func(step string)

func step(name string) {
	if stepHook != nil {
		stepHook(name)
	}
}

// Sync runs one round: bring the shared copy up to date, import the other
// devices' events, share this device's new ones.
func (e *Engine) Sync() (Report, error) {
	var rep Report
	c, err := e.Config()
	if err != nil {
		return rep, err
	}
	dev, err := e.st.SyncDevice()
	if err != nil {
		return rep, err
	}
	if dev == "" || (c.Remote == "" && c.Folder == "") {
		return rep, ErrNotSetUp
	}
	unlock, err := e.lockRound()
	if err != nil {
		return rep, err
	}
	defer unlock()
	dir := e.dir(c)
	var pullErr error
	if c.Remote != "" {
		if err := e.gitCheck(); err != nil {
			return rep, err
		}
		e.gitRecover(dir)
		pullErr = e.pull(dir, c.Remote)
		step("pulled")
	}
	if err := e.importAll(dir, dev, &rep, &c); err != nil {
		return rep, err
	}
	step("imported")
	if err := e.export(dir, dev, &rep, &c); err != nil {
		return rep, err
	}
	step("exported")
	if c.Remote != "" {
		if pullErr != nil {
			return rep, pullErr
		}
		if err := e.commitAndPush(dir, dev, c.Remote, &rep); err != nil {
			return rep, err
		}
		if c.Pushed, err = sharedUpTo(dir, dev); err != nil {
			return rep, err
		}
		// A rejected push pulled other devices' newer files: take them.
		more := Report{}
		if err := e.importAll(dir, dev, &more, &c); err != nil {
			return rep, err
		}
		rep.Imported += more.Imported
		rep.Cards += more.Cards
		rep.Warnings = append(rep.Warnings, more.Warnings...)
		step("pushed")
	}
	c.LastSync = e.now().UTC()
	if err := e.saveConfig(c); err != nil {
		return rep, err
	}
	return rep, nil
}

// importAll reads every device's files and merges their events.
func (e *Engine) importAll(dir, dev string, rep *Report, c *Config) error {
	root := filepath.Join(dir, "devices")
	devs, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var evs []store.Event
	var read []string
	for _, d := range devs {
		if !d.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			return err
		}
		names := []string{}
		for _, f := range files {
			if fileRe.MatchString(f.Name()) {
				names = append(names, f.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			if c.Seen[d.Name()+"/"+n] {
				continue
			}
			read = append(read, d.Name()+"/"+n)
			p := filepath.Join(root, d.Name(), n)
			got, err := readEvents(p, d.Name())
			if err != nil {
				return err
			}
			evs = append(evs, got...)
		}
	}
	res, err := e.st.ImportEvents(evs)
	if err != nil {
		if errors.Is(err, store.ErrDeviceTwice) {
			return fmt.Errorf("%w: this database was copied from another machine that syncs too; nothing was imported or shared. Run opsdeck sync init again here to give this machine its own device ID", err)
		}
		return err
	}
	rep.Imported, rep.Cards = res.New, res.Cards
	if c.Seen == nil {
		c.Seen = map[string]bool{}
	}
	for _, f := range read {
		c.Seen[f] = true
	}
	if res.MaxAhead > 5*time.Minute {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("events from another device are up to %s ahead of this machine's clock: check the clocks (the newest change wins a merge)", res.MaxAhead.Round(time.Second)))
	}
	return nil
}

// readEvents reads one file, naming file:line on bad input.
func readEvents(path, dev string) ([]store.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var evs []store.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var ev store.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("%s:%d: not an opsdeck event: %v", path, line, err)
		}
		if ev.V > store.EventFormat {
			return nil, fmt.Errorf("%s:%d: %w (format %d; this opsdeck reads up to %d): upgrade opsdeck on this machine; nothing was imported", path, line, store.ErrEventFormat, ev.V, store.EventFormat)
		}
		if ev.Dev != dev {
			return nil, fmt.Errorf("%s:%d: an event of device %q in the folder of %q", path, line, ev.Dev, dev)
		}
		evs = append(evs, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return evs, nil
}

// export writes this device's events not yet in its files as one new file.
func (e *Engine) export(dir, dev string, rep *Report, c *Config) error {
	shared, err := sharedUpTo(dir, dev)
	if err != nil {
		return err
	}
	_, evs, err := e.st.OwnEvents(shared)
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		return nil
	}
	var buf bytes.Buffer
	for _, ev := range evs {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	d := filepath.Join(dir, "devices", dev)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return err
	}
	name := fmt.Sprintf("%012d-%012d.jsonl", evs[0].Seq, evs[len(evs)-1].Seq)
	if err := writeAtomic(filepath.Join(d, name), buf.Bytes()); err != nil {
		return err
	}
	rep.Exported = len(evs)
	if c.Seen == nil {
		c.Seen = map[string]bool{}
	}
	c.Seen[dev+"/"+name] = true
	return nil
}

// writeAtomic writes a whole file or nothing: temporary file, sync,
// rename. (The temporary name does not match fileRe: never read.)
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// String is the one line a round is reported with.
func (r Report) String() string {
	return fmt.Sprintf("synced: %d changes in (%d cards replayed), %d out", r.Imported, r.Cards, r.Exported)
}

// Configured reports whether sync is set up, and whether it runs when the
// TUI opens and quits.
func (e *Engine) Configured() (on, auto bool) {
	c, err := e.Config()
	if err != nil || (c.Remote == "" && c.Folder == "") {
		return false, false
	}
	if dev, err := e.st.SyncDevice(); err != nil || dev == "" {
		return false, false
	}
	return true, c.Auto
}

// Round is Sync for a front end: the report's line (and its warnings).
func (e *Engine) Round() (string, error) {
	rep, err := e.Sync()
	line := rep.String()
	for _, w := range rep.Warnings {
		line += "; warning: " + w
	}
	return line, err
}

// lockRound keeps two rounds on one database (S in the TUI and opsdeck
// sync in another terminal) from working the same copy at once: a flock
// on <database>.sync.lock, released when the process ends, killed or not.
func (e *Engine) lockRound() (func(), error) {
	path := e.st.Path() + ".sync.lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another opsdeck is syncing %s right now; try again when it is done", e.st.Path())
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); _ = f.Close() }, nil
}
