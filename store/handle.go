package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Several processes on one file.
//
// bbolt locks the whole file with flock for as long as a handle is open:
// one writable handle (an exclusive lock) or any number of read-only ones
// (shared). A Store therefore holds no handle between transactions: each
// view or update opens the file (read-only with a shared lock for a view,
// writable for an update), runs its one transaction and closes it again,
// so the TUI left open in one terminal never keeps `opsdeck add`,
// `review --plain` or `backup` out of the file in another. (A handle
// lingers 5 ms after its last transaction for the next one of a burst;
// while any handle is open this process holds the lock, so no other
// process writes the file under it.) Transactions of
// one process that overlap share one handle (a view joins a writable one;
// an update waits until the read-only one is let go). Opening a handle
// waits up to Options.Timeout for another process's transaction to end
// (bbolt retries the lock every 50 ms), then fails with ErrLocked.
//
// The structure check of a writable Open (openCheck, about 80 ms at 1M
// reviews) runs once, in Open, not per transaction: a per-transaction
// open only reads bbolt's meta pages and freelist (about 0.1 ms).
//
// Another process's writes are seen by the next transaction; Version tells
// a long-running front end that there are any.

// handles is the Store's shared bbolt handle while transactions run.
type handles struct {
	mu      sync.Mutex
	cond    *sync.Cond
	db      *bolt.DB // nil between transactions
	rw      bool     // db is writable
	users   int      // transactions using db
	writers int      // updates waiting for a writable handle
	closed  bool
	idle    uint64 // bumped on each release to idle; its timer closes db
}

// linger is how long a handle stays open after its last transaction, for
// the next one of a burst (a script grading many cards, a bulk action's
// reads): it saves the open (about 0.1 ms a transaction) and holds
// another process up by at most this long.
const linger = 5 * time.Millisecond

// acquire returns an open handle (writable when write) and its release.
func (s *Store) acquire(write bool) (*bolt.DB, func(), error) {
	h := &s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cond == nil {
		h.cond = sync.NewCond(&h.mu)
	}
	for {
		if h.closed {
			return nil, nil, fmt.Errorf("%s: %w", s.path, berrors.ErrDatabaseNotOpen)
		}
		if h.db == nil {
			break
		}
		if h.users == 0 && write && !h.rw {
			// An idle read-only handle: a writable one replaces it.
			_ = h.db.Close()
			h.db = nil
			break
		}
		if h.rw || (!write && h.writers == 0) {
			h.users++
			return h.db, s.release, nil
		}
		// A read-only handle is in use and an update needs a writable
		// one: wait until it is let go (new views wait too).
		if write {
			h.writers++
			h.cond.Wait()
			h.writers--
		} else {
			h.cond.Wait()
		}
	}
	db, err := s.openHandle(write)
	if err != nil {
		return nil, nil, err
	}
	h.db, h.rw, h.users = db, write, 1
	return db, s.release, nil
}

// release lets go of a handle; the last user closes it, which releases
// the file lock for other processes.
func (s *Store) release() {
	h := &s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users--
	if h.users > 0 {
		return
	}
	h.cond.Broadcast()
	if h.closed {
		_ = h.db.Close()
		h.db = nil
		return
	}
	h.idle++
	gen := h.idle
	time.AfterFunc(linger, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.users == 0 && h.idle == gen && h.db != nil {
			_ = h.db.Close()
			h.db = nil
			h.cond.Broadcast()
		}
	})
}

// openHandle opens the file for one transaction. It never creates the
// file: a database moved away while opsdeck runs is an error, not a new
// empty database.
func (s *Store) openHandle(write bool) (*bolt.DB, error) {
	// bbolt retries a taken lock every 50 ms; opsdeck's transactions take
	// a millisecond or so, so it tries once (Timeout 1ns) and retries here
	// after a few milliseconds, until s.wait has passed.
	deadline := time.Now().Add(s.wait)
	pause := time.Millisecond
	for {
		var db *bolt.DB
		err := guard(func() error {
			var err error
			db, err = bolt.Open(s.path, 0o600, &bolt.Options{
				ReadOnly: !write, Timeout: time.Nanosecond, PreLoadFreelist: !write,
				OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
					return openFileHook(name, flag&^os.O_CREATE, perm)
				},
			})
			return err
		})
		if err == nil {
			if write {
				// Grow the file 1 MiB at a time instead of bbolt's 16 MiB,
				// so its size on disk stays close to what it holds.
				db.AllocSize = 1 << 20
				db.NoSync = s.noSync
			}
			return db, nil
		}
		if !errors.Is(err, berrors.ErrTimeout) {
			return nil, openErr(s.path, err)
		}
		if !time.Now().Before(deadline) {
			return nil, &OpenError{Path: s.path, Err: ErrLocked}
		}
		time.Sleep(min(pause, time.Until(deadline)+time.Microsecond))
		pause = min(2*pause, 16*time.Millisecond)
	}
}

// closeHandles marks the Store closed; a handle still in use is closed by
// its last release.
func (s *Store) closeHandles() error {
	h := &s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.users == 0 && h.db != nil {
		_ = h.db.Close()
		h.db = nil
	}
	return nil
}

// Version is the database's last committed write transaction ID, read
// from bbolt's two meta pages (the newer valid one) without taking the
// file lock, so polling it never holds up a writer. It changes with every
// write by any process: a front end that stays open polls it to see that
// another opsdeck changed the data (a card added, a review made).
func (s *Store) Version() (uint64, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	page := make([]byte, 16+64)
	if _, err := f.ReadAt(page, 0); err != nil {
		return 0, fmt.Errorf("%s: %w", s.path, err)
	}
	ok0, size, tx0 := metaValid(page)
	if !ok0 {
		size = uint32(os.Getpagesize())
	}
	var tx1 uint64
	ok1 := false
	if _, err := f.ReadAt(page, int64(size)); err == nil {
		ok1, _, tx1 = metaValid(page)
	}
	switch {
	case ok0 && ok1:
		return max(tx0, tx1), nil
	case ok0:
		return tx0, nil
	case ok1:
		return tx1, nil
	}
	return 0, fmt.Errorf("%s: %w: both bbolt meta pages are invalid", s.path, ErrDamaged)
}

// defaultWait is how long a transaction waits for another process's
// transaction to end when Options.Timeout is 0: longer than the longest
// single transaction opsdeck runs on a big file (an import of 300,000
// rows commits in about 3 s).
const defaultWait = 10 * time.Second
