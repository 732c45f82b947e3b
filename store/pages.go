package store

import (
	"encoding/binary"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// bbolt's page format (go.etcd.io/bbolt/internal/common), little-endian
// as written on the hosts opsdeck runs on.
const (
	pageHeaderSize  = 16 // id u64, flags u16, count u16, overflow u32
	elemSize        = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	bucketHeaderLen = 16 // root pgid u64, sequence u64
	flagBranch      = 0x01
	flagLeaf        = 0x02
	flagMeta        = 0x04
	flagFreelist    = 0x10
	leafBucket      = 0x01
	noFreelist      = ^uint64(0)
	maxTreeDepth    = 64
	maxWalkProblems = 20
)

// pageWalk reads, from the file and with every bound checked, each page
// that bbolt's tx.Check dereferences for the snapshot tx: the meta pages,
// the freelist page and every page of every bucket, inline buckets
// included. tx.Check runs in a goroutine of its own, where an assertion
// (a page that names another id), a read past the file or a cycle of pages
// would crash the program; it may run only when this walk found nothing.
func pageWalk(tx *bolt.Tx, path string) []string {
	w := &walker{seen: map[uint64]bool{}}
	f, err := os.Open(path)
	if err != nil {
		return []string{fmt.Sprintf("cannot read the file to check it: %v", err)}
	}
	defer f.Close()
	w.f = f
	w.pageSize = uint64(tx.DB().Info().PageSize)
	if w.pageSize < 512 {
		return []string{fmt.Sprintf("page size %d", w.pageSize)}
	}
	w.hwm = uint64(tx.Size()) / w.pageSize
	if fi, err := f.Stat(); err != nil || uint64(fi.Size()) < w.hwm*w.pageSize {
		return []string{"the file is shorter than its pages"}
	}
	// The meta page the snapshot uses is the valid one with its txid.
	var root, free uint64
	found := false
	for id := uint64(0); id < 2; id++ {
		p := w.page(id, false)
		if p == nil {
			return w.problems
		}
		if binary.LittleEndian.Uint64(p[0:]) != id || binary.LittleEndian.Uint16(p[8:]) != flagMeta {
			w.addf("meta page %d has a damaged header", id)
			continue
		}
		if ok, _, txid := metaValid(p); ok && txid == uint64(tx.ID()) {
			m := p[pageHeaderSize:]
			root, free, found = binary.LittleEndian.Uint64(m[16:]), binary.LittleEndian.Uint64(m[32:]), true
		}
	}
	if !found {
		w.addf("no meta page matches transaction %d", tx.ID())
		return w.problems
	}
	if free != noFreelist {
		if free < 2 || free >= w.hwm {
			w.addf("freelist page %d is out of bounds", free)
		} else if p := w.page(free, false); p != nil && (binary.LittleEndian.Uint64(p[0:]) != free || binary.LittleEndian.Uint16(p[8:]) != flagFreelist) {
			w.addf("freelist page %d has a damaged header", free)
		}
	}
	w.tree(root, 0)
	return w.problems
}

type walker struct {
	f        *os.File
	pageSize uint64
	hwm      uint64
	seen     map[uint64]bool
	problems []string
	free     [][]byte // page buffers to reuse (one in use per tree level)
}

func (w *walker) addf(format string, a ...any) {
	if len(w.problems) < maxWalkProblems {
		w.problems = append(w.problems, "page check: "+fmt.Sprintf(format, a...))
	}
}

// page reads page id with its overflow pages (when whole), or reports why
// it cannot and returns nil.
func (w *walker) page(id uint64, whole bool) []byte {
	if id >= w.hwm && id >= 2 {
		w.addf("page %d is beyond the end (%d pages)", id, w.hwm)
		return nil
	}
	var b []byte
	if n := len(w.free); n > 0 {
		b, w.free = w.free[n-1], w.free[:n-1]
	} else {
		b = make([]byte, w.pageSize)
	}
	if _, err := w.f.ReadAt(b, int64(id*w.pageSize)); err != nil {
		w.addf("page %d: %v", id, err)
		return nil
	}
	if !whole {
		return b
	}
	over := uint64(binary.LittleEndian.Uint32(b[12:]))
	if over > 0 {
		if id+over >= w.hwm {
			w.addf("page %d has %d overflow pages, beyond the end", id, over)
			return nil
		}
		b = make([]byte, (over+1)*w.pageSize)
		if _, err := w.f.ReadAt(b, int64(id*w.pageSize)); err != nil {
			w.addf("page %d: %v", id, err)
			return nil
		}
	}
	return b
}

// tree walks the B+tree rooted at page id.
func (w *walker) tree(id uint64, depth int) {
	if len(w.problems) >= maxWalkProblems {
		return
	}
	if depth > maxTreeDepth {
		w.addf("page %d: the tree is deeper than %d", id, maxTreeDepth)
		return
	}
	if id < 2 {
		w.addf("a bucket page points at meta page %d", id)
		return
	}
	if w.seen[id] {
		w.addf("page %d is referenced twice (or in a cycle)", id)
		return
	}
	w.seen[id] = true
	p := w.page(id, true)
	if p == nil {
		return
	}
	if uint64(len(p)) == w.pageSize {
		defer func() { w.free = append(w.free, p) }()
	}
	if got := binary.LittleEndian.Uint64(p[0:]); got != id {
		w.addf("page %d names itself %d", id, got)
		return
	}
	switch flags := binary.LittleEndian.Uint16(p[8:]); flags {
	case flagBranch:
		for _, child := range w.elements(id, p, true) {
			w.tree(child, depth+1)
		}
	case flagLeaf:
		w.elements(id, p, false)
	default:
		w.addf("page %d has type flags %#x, want a branch or leaf page", id, flags)
	}
}

// elements checks the elements of a branch or leaf page p (a page of the
// file, or an inline bucket's page inside a value) and returns a branch
// page's children; a leaf's bucket entries are walked.
func (w *walker) elements(id uint64, p []byte, branch bool) []uint64 {
	n := int(binary.LittleEndian.Uint16(p[10:]))
	if pageHeaderSize+n*elemSize > len(p) {
		w.addf("page %d: %d elements do not fit", id, n)
		return nil
	}
	var children []uint64
	for i := range n {
		off := pageHeaderSize + i*elemSize
		e := p[off : off+elemSize]
		le := binary.LittleEndian
		if branch {
			pos, ksize := uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:]))
			if uint64(off)+pos+ksize > uint64(len(p)) {
				w.addf("page %d: element %d's key lies outside the page", id, i)
				return nil
			}
			children = append(children, le.Uint64(e[8:]))
			continue
		}
		flags, pos, ksize, vsize := le.Uint32(e[0:]), uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		end := uint64(off) + pos + ksize + vsize
		if end > uint64(len(p)) {
			w.addf("page %d: element %d lies outside the page", id, i)
			return nil
		}
		if flags&leafBucket == 0 {
			continue
		}
		v := p[uint64(off)+pos+ksize : end]
		if len(v) < bucketHeaderLen {
			w.addf("page %d: bucket %d has a short header", id, i)
			continue
		}
		root := le.Uint64(v[0:])
		if root != 0 {
			w.tree(root, 1)
			continue
		}
		// An inline bucket: its page follows the header, inside the value.
		inl := v[bucketHeaderLen:]
		if len(inl) < pageHeaderSize || le.Uint16(inl[8:]) != flagLeaf {
			w.addf("page %d: inline bucket %d is damaged", id, i)
			continue
		}
		w.elements(id, inl, false)
	}
	return children
}
