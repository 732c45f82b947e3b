package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// CheckReport is what Check found: the file's size and records, and every
// problem (none: the file is healthy).
type CheckReport struct {
	Path     string
	Size     int64          // bytes in use (bbolt's high-water mark)
	Records  map[string]int // records in each top-level bucket
	Problems []string       // at most maxProblems, in the order found
	// Skipped says why tx.Check did not run (a page made bbolt panic in
	// the record walk, or the page check found pages it would crash on),
	// or "".
	Skipped string
}

// OK reports whether no problem was found.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// maxProblems bounds a CheckReport.
const maxProblems = 100

// Verify reads every key and value of every bucket in the calling
// goroutine, checking key order and decoding each record, and returns the
// first problem. A damaged page that makes bbolt panic is reported too.
func (s *Store) Verify() error {
	return s.view(func(tx *bolt.Tx) error {
		if err := verifyTx(tx); err != nil {
			return fmt.Errorf("%s: %w: %v", s.path, ErrDamaged, err)
		}
		return nil
	})
}

// Check runs the full consistency check (for `opsdeck check`) and returns
// what it found: a walk of every bucket in the calling goroutine that
// decodes every record (a page that makes bbolt panic is caught), then,
// when the walk did not panic, bbolt's tx.Check (every page reachable
// once or free, key order, page types). A report with problems comes with
// an error that wraps ErrDamaged (and the Store then refuses writes); the
// error alone is nil only for a healthy file. See CheckAll for the cost.
func (s *Store) Check() error {
	_, err := s.CheckAll()
	return err
}

// CheckAll is Check with the report.
func (s *Store) CheckAll() (CheckReport, error) {
	rep := CheckReport{Path: s.path, Records: map[string]int{}}
	err := s.view(func(tx *bolt.Tx) error {
		rep.Size = tx.Size()
		rep.Problems, rep.Skipped = checkTx(tx, s.path, maxProblems)
		if rep.Skipped != "" {
			return nil // counting walks the same pages
		}
		return guard(func() error {
			for _, name := range allBuckets {
				if b := tx.Bucket(name); b != nil {
					rep.Records[string(name)] = b.Stats().KeyN
				}
			}
			return nil
		})
	})
	if err != nil {
		// The record count itself can meet a damaged page.
		rep.Problems = append(rep.Problems, err.Error())
		return rep, err
	}
	if len(rep.Problems) > 0 {
		return rep, s.noteDamage(fmt.Errorf("%s: %w: %s", s.path, ErrDamaged, rep.Problems[0]))
	}
	return rep, nil
}

// openCheck is the check of a writable Open: the structure only. First
// pageWalk reads every page tx.Check will touch, with bounds checks, so
// that tx.Check (33 ms at 1M reviews), which runs in its own goroutine,
// where a panic could not be caught, meets no page it would crash on. It
// returns the first problem, or nil.
func openCheck(tx *bolt.Tx, path string) error {
	if probs := pageWalk(tx, path); len(probs) > 0 {
		return errors.New(probs[0])
	}
	var first error
	for err := range tx.Check() {
		if first == nil {
			first = fmt.Errorf("bbolt check: %v", err)
		}
	}
	return first
}

// checkTx is the full check of one snapshot: at most max problems, and
// why tx.Check was skipped ("" when it ran).
func checkTx(tx *bolt.Tx, path string, max int) (problems []string, skipped string) {
	add := func(p string) bool {
		problems = append(problems, p)
		return len(problems) < max
	}
	err := guard(func() error {
		if mb := tx.Bucket(bMeta); mb != nil && len(mb.Get(kSchema)) == 4 &&
			int(binary.BigEndian.Uint32(mb.Get(kSchema))) < currentSchema {
			// An older schema (before its migration): the decoders are the
			// current schema's, so walk the pages without decoding.
			walkRaw(tx)
			return nil
		}
		verifyAll(tx, func(e error) bool { return add(e.Error()) })
		return nil
	})
	var p panicError
	if errors.As(err, &p) {
		add(fmt.Sprintf("bbolt failed on a damaged page: %v", p.v))
		return problems, "the record walk met a page that makes bbolt fail; tx.Check would crash on it"
	}
	if len(problems) >= max {
		return problems, ""
	}
	if probs := pageWalk(tx, path); len(probs) > 0 {
		for _, p := range probs {
			add(p)
		}
		return problems, "the page check found pages tx.Check would crash on"
	}
	for err := range tx.Check() {
		if len(problems) < max {
			problems = append(problems, "bbolt check: "+err.Error())
		}
	}
	return problems, ""
}

// walkRaw visits every key of every bucket, nested ones included, so that
// a damaged page makes bbolt fail here, under guard.
func walkRaw(tx *bolt.Tx) {
	var walk func(b *bolt.Bucket)
	walk = func(b *bolt.Bucket) {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					walk(nb)
				}
			}
		}
	}
	_ = tx.ForEach(func(_ []byte, b *bolt.Bucket) error { walk(b); return nil })
}

// verifyTx walks every bucket of the current schema and returns the first
// problem.
func verifyTx(tx *bolt.Tx) error {
	var first error
	verifyAll(tx, func(e error) bool { first = e; return false })
	return first
}

// verifyAll walks every bucket of the current schema, checking key order
// and decoding every record, and passes each problem to report until it
// returns false.
func verifyAll(tx *bolt.Tx, report func(error) bool) {
	if err := verifyPractice(tx); err != nil && !report(err) {
		return
	}
	if err := verifyEvents(tx); err != nil && !report(err) {
		return
	}
	for _, name := range allBuckets {
		b := tx.Bucket(name)
		if b == nil {
			if !report(fmt.Errorf("bucket %q is missing", name)) {
				return
			}
			continue
		}
		var prev []byte
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e error
			switch {
			case prev != nil && string(prev) >= string(k):
				e = fmt.Errorf("bucket %q: keys out of order at %x", name, k)
			case v == nil:
				e = fmt.Errorf("bucket %q: unexpected nested bucket %q", name, k)
			default:
				if err := verifyRecord(name, k, v); err != nil {
					e = fmt.Errorf("bucket %q key %q: %v", name, k, err)
				}
			}
			if e != nil && !report(e) {
				return
			}
			prev = append(prev[:0], k...)
		}
	}
}

// isReadOnlyErr reports whether err says the file cannot be written: a
// read-only file system or no permission.
func isReadOnlyErr(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, os.ErrPermission)
}

func readOnlyDetail(err error) string {
	if errors.Is(err, syscall.EROFS) {
		return "it is on a read-only file system"
	}
	return "no permission to write it"
}

// metaWarnings reads bbolt's two meta pages and says when one is invalid:
// bbolt then uses the other, which may be a commit older than the last
// (a torn last write). It reads 2 pages; a file it cannot read gets no
// warning (Open reports that).
func metaWarnings(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var m0 [4096]byte
	if _, err := io.ReadFull(f, m0[:]); err != nil {
		return nil
	}
	ok0, size, tx0 := metaValid(m0[:])
	if !ok0 {
		size = uint32(os.Getpagesize())
		if size < 1024 {
			size = 4096
		}
	}
	m1 := make([]byte, 16+64)
	if _, err := f.ReadAt(m1, int64(size)); err != nil {
		return nil
	}
	ok1, _, tx1 := metaValid(m1)
	switch {
	case ok0 && ok1, !ok0 && !ok1:
		return nil
	case ok0:
		return []string{fmt.Sprintf("%s: bbolt's meta page 1 is invalid; it uses meta page 0 (transaction %d): if the last write was cut short, it is lost", path, tx0)}
	}
	return []string{fmt.Sprintf("%s: bbolt's meta page 0 is invalid; it uses meta page 1 (transaction %d): if the last write was cut short, it is lost", path, tx1)}
}

// metaValid checks one meta page as bbolt does (magic, version, FNV-64a
// checksum) and returns its page size and transaction ID.
func metaValid(page []byte) (ok bool, pageSize uint32, txid uint64) {
	if len(page) < 16+64 {
		return false, 0, 0
	}
	m := page[16:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != 0xED0CDAED || le.Uint32(m[4:]) != 2 {
		return false, 0, 0
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return false, 0, 0
	}
	return true, le.Uint32(m[8:]), le.Uint64(m[48:])
}
