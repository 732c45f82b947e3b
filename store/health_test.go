package store

import (
	"fmt"

	"encoding/binary"
	"errors"
	"io/fs"
	"opsdeck/deck/fsrs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

// pageOf returns the page id of the root of bucket name in a closed file.
func pageOf(t *testing.T, path string, name []byte) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	_ = db.View(func(tx *bolt.Tx) error { id = int64(tx.Bucket(name).RootPage()); return nil })
	return id
}

// garble overwrites page id of the file at path, keeping its header, and
// returns the new file's hash.
func garble(t *testing.T, path string, id int64) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := data[id*4096 : (id+1)*4096]
	for i := 16; i < len(page); i++ {
		page[i] = 0xA5
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return fileHash(t, path)
}

// newerMeta is the offset of the meta page with the higher transaction ID.
func newerMeta(data []byte) int {
	txid := func(off int) uint64 { return binary.LittleEndian.Uint64(data[off+16+48:]) }
	if txid(4096) > txid(0) {
		return 4096
	}
	return 0
}

// (a) A damaged freelist page made bbolt's Open panic (exit 2): it is the
// damaged-database error now, for writable and read-only opens.
func TestDamagedFreelistNoPanic(t *testing.T) {
	path := seeded(t, 50)
	data, _ := os.ReadFile(path)
	m := data[newerMeta(data)+16:]
	free := int64(binary.LittleEndian.Uint64(m[32:]))
	if free <= 1 || free*4096 >= int64(len(data)) {
		t.Fatalf("freelist page %d", free)
	}
	binary.LittleEndian.PutUint16(data[free*4096+8:], 0x02) // a leaf, not a freelist
	p := writeFile(t, data)
	refused(t, p, ErrDamaged, "damaged")
	before := fileHash(t, p)
	_, err := Open(p, &Options{ReadOnly: true})
	if !isOpenErr(err, ErrDamaged) {
		t.Fatalf("read-only open: %v", err)
	}
	if fileHash(t, p) != before {
		t.Fatal("file changed")
	}
}

// (b) A single damaged page that add or import would not read: the
// writable Open's check refuses the file; and a Store that found damage
// (here with the check skipped) writes nothing more.
func TestDamagedPageNoWrite(t *testing.T) {
	src := seeded(t, 300)
	data, _ := os.ReadFile(src)
	p := writeFile(t, data)
	garble(t, p, pageOf(t, p, bCards))
	refused(t, p, ErrDamaged, "damaged")

	before := fileHash(t, p)
	s, err := Open(p, &Options{NoOpenCheck: true, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Verify(); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Verify: %v", err)
	}
	err = s.AddCard(deck.Card{ID: "mine/new", Deck: "mine", Slug: "new", Front: "q", Back: "a"})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("AddCard on a damaged file: %v", err)
	}
	if s.Damaged() == nil {
		t.Fatal("Damaged is nil")
	}
	s.Close()
	if fileHash(t, p) != before {
		t.Fatal("the damaged file was written")
	}
}

// (c) Backup checks what it copies: a damaged source is refused and no
// backup is written; a healthy one passes.
func TestBackupRefusesDamagedSource(t *testing.T) {
	src := seeded(t, 300)
	data, _ := os.ReadFile(src)
	p := writeFile(t, data)
	garble(t, p, pageOf(t, p, bCards))
	s, err := Open(p, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := filepath.Join(t.TempDir(), "backup.db")
	err = s.Backup(out)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "no backup was written") {
		t.Fatalf("Backup: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a backup was written: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*"))
	if len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	h := openAt(t, seeded(t, 20))
	if err := h.Backup(out); err != nil {
		t.Fatal(err)
	}
	checkFile(t, out)
}

// (d) A healthy file that cannot be written is not "damaged": the error
// says what it is, and a read-only open reads it (writes say read-only).
func TestReadOnlyFileSystem(t *testing.T) {
	path := seeded(t, 20)
	before := fileHash(t, path)
	old := openFileHook
	defer func() { openFileHook = old }()
	openFileHook = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EROFS}
		}
		return old(name, flag, perm)
	}
	_, err := Open(path, nil)
	if !isOpenErr(err, ErrReadOnly) || isOpenErr(err, ErrDamaged) ||
		!strings.Contains(err.Error(), "read-only file system") || strings.Contains(err.Error(), "damaged") {
		t.Fatalf("writable open: %v", err)
	}
	s, err := Open(path, &Options{ReadOnly: true, Location: time.UTC})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer s.Close()
	if !s.ReadOnly() {
		t.Error("ReadOnly() is false")
	}
	if _, err := s.Decks(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AllProgress(); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.CheckAll(); err != nil || !rep.OK() || rep.Records["cards"] != 20 {
		t.Fatalf("CheckAll: %+v %v", rep, err)
	}
	if err := s.Backup(filepath.Join(t.TempDir(), "b.db")); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	err = s.AddCard(deck.Card{ID: "mine/new", Deck: "mine", Slug: "new", Front: "q", Back: "a"})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("AddCard read-only: %v", err)
	}
	s.Close()
	if fileHash(t, path) != before {
		t.Fatal("file changed")
	}
	// A read-only open neither creates nor initialises.
	missing := filepath.Join(t.TempDir(), "none.db")
	if _, err := Open(missing, &Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("read-only open created the file")
	}
}

// (e) One invalid meta page: bbolt uses the other (maybe a commit older);
// Open says so once in Warnings. A healthy file has none.
func TestMetaFallbackWarns(t *testing.T) {
	path := seeded(t, 20)
	s := openAt(t, path)
	if w := s.Warnings(); len(w) != 0 {
		t.Fatalf("healthy file warns: %v", w)
	}
	s.Close()
	data, _ := os.ReadFile(path)
	off := newerMeta(data)
	data[off+16+40] ^= 0xff
	p := writeFile(t, data)
	for _, ro := range []bool{false, true} {
		s, err := Open(p, &Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		w := s.Warnings()
		s.Close()
		if len(w) != 1 || !strings.Contains(w[0], "meta page") || !strings.Contains(w[0], "lost") {
			t.Fatalf("read-only %v: warnings %q", ro, w)
		}
		t.Log(w[0])
	}
}

// (f) CheckAll reports what it found, every problem, with the counts.
func TestCheckAllReport(t *testing.T) {
	path := seeded(t, 300)
	s := openAt(t, path)
	rep, err := s.CheckAll()
	if err != nil || !rep.OK() || rep.Records["cards"] != 300 || rep.Size == 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	s.Close()
	data, _ := os.ReadFile(path)
	p := writeFile(t, data)
	garble(t, p, pageOf(t, p, bCards))
	s, err = Open(p, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err = s.CheckAll()
	if !errors.Is(err, ErrDamaged) || rep.OK() {
		t.Fatalf("%+v %v", rep, err)
	}
	for _, p := range rep.Problems {
		t.Log(p)
	}
}

// The same on a real read-only file system (a tmpfs remounted read-only):
// needs root, so it runs only with OPSDECK_TEST_MOUNT=1.
func TestReadOnlyMount(t *testing.T) {
	if os.Getenv("OPSDECK_TEST_MOUNT") != "1" {
		t.Skip("set OPSDECK_TEST_MOUNT=1 (as root) to mount a read-only tmpfs")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16m"); err != nil {
		t.Skip(err)
	}
	defer syscall.Unmount(dir, 0)
	data, _ := os.ReadFile(seeded(t, 20))
	path := filepath.Join(dir, "opsdeck.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skip(err)
	}
	_, err := Open(path, nil)
	if !isOpenErr(err, ErrReadOnly) || !strings.Contains(err.Error(), "read-only file system") {
		t.Fatalf("writable open: %v", err)
	}
	t.Log(err)
	s, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(dir, "new.db"), nil); !isOpenErr(err, ErrReadOnly) {
		t.Fatalf("create on a read-only file system: %v", err)
	}
}

// CheckInBackground: Open returns at once, reads go on, and no write goes
// into a file the background check finds damaged; a healthy file takes
// writes as usual.
func TestOpenCheckInBackground(t *testing.T) {
	path := dbPath(t)
	s := openAt(t, path)
	for i := 0; i < 300; i++ {
		mustGrade(t, s, fmt.Sprintf("k8s/c%03d", i), fsrs.Good, t0.Add(time.Duration(i)*time.Minute))
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	healthy := filepath.Join(t.TempDir(), "ok.db")
	if err := os.WriteFile(healthy, data, 0o600); err != nil {
		t.Fatal(err)
	}
	hs, err := Open(healthy, &Options{Location: time.UTC, Builtin: knownOpts().Builtin, CheckInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hs.Grade("k8s/c000", fsrs.Good, t0.Add(24*time.Hour), time.Second); err != nil {
		t.Fatalf("a healthy file refused a write: %v", err)
	}
	hs.Close()
	refused := 0
	for page := 2; page*4096 < len(data); page++ {
		bad := append([]byte(nil), data...)
		for i := 16; i < 96; i++ {
			bad[page*4096+i] ^= 0x5a
		}
		p := filepath.Join(t.TempDir(), "bad.db")
		if err := os.WriteFile(p, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(p, &Options{Location: time.UTC}); !errors.Is(err, ErrDamaged) {
			continue // the foreground check finds nothing on this page
		}
		before := fileHash(t, p)
		bs, err := Open(p, &Options{Location: time.UTC, CheckInBackground: true})
		if err != nil {
			continue // refused at once (the meta or the freelist): also fine
		}
		if page%2 == 0 {
			// StartCheck (the app, after its first frame) finds the
			// damage before any write is asked for.
			bs.StartCheck()
			<-bs.checking
			if bs.Damaged() == nil {
				t.Fatalf("page %d: the started check found nothing", page)
			}
		}
		_, gerr := bs.Grade("k8s/c001", fsrs.Again, t0.Add(48*time.Hour), time.Second)
		bs.Close()
		if !errors.Is(gerr, ErrDamaged) {
			t.Fatalf("page %d: a write into a damaged file: %v", page, gerr)
		}
		if fileHash(t, p) != before {
			t.Fatalf("page %d: the damaged file changed", page)
		}
		refused++
	}
	if refused == 0 {
		t.Fatal("no damaged page was opened in the background")
	}
}
