package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
)

func TestOpenCreatesDirAndFile(t *testing.T) {
	path := dbPath(t)
	s := openAt(t, path)
	for p, want := range map[string]os.FileMode{filepath.Dir(path): 0o700, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}
	v, err := s.Schema()
	if err != nil || v != SchemaVersion {
		t.Fatalf("Schema() = %d, %v; want %d", v, err, SchemaVersion)
	}
	st, err := s.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st, deck.DefaultSettings()) {
		t.Errorf("settings of a new file = %+v, want the defaults", st)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q", s.Path())
	}
}

func TestOpenEmptyFileIsInitialised(t *testing.T) {
	path := dbPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path)
	if v, err := s.Schema(); err != nil || v != SchemaVersion {
		t.Fatalf("Schema() = %d, %v", v, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := dbPath(t)
	s, err := Open(path, knownOpts())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSuspended("k8s/pods", true); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, path)
	s = openAt(t, path)
	p, ok := mustProgress(t, s, "k8s/pods")
	if !ok || !p.Suspended {
		t.Fatalf("after reopen: %+v ok=%v", p, ok)
	}
	// Opening a current file writes nothing.
	if after := fileHash(t, path); after != before {
		t.Error("opening an existing database changed its bytes")
	}
}

func TestDefaultPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cases := []struct {
		db, xdg, want string
	}{
		{"/x/my.db", "/data", "/x/my.db"},
		{"", "/data", "/data/opsdeck/opsdeck.db"},
		{"", "relative/dir", filepath.Join(home, ".local/share/opsdeck/opsdeck.db")},
		{"", "", filepath.Join(home, ".local/share/opsdeck/opsdeck.db")},
	}
	for _, c := range cases {
		t.Setenv("OPSDECK_DB", c.db)
		t.Setenv("XDG_DATA_HOME", c.xdg)
		got, err := DefaultPath()
		if err != nil || got != c.want {
			t.Errorf("OPSDECK_DB=%q XDG_DATA_HOME=%q: %q, %v; want %q", c.db, c.xdg, got, err, c.want)
		}
	}
}

func TestOpenDefaultPathCreatesDirectory(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("OPSDECK_DB", "")
	t.Setenv("XDG_DATA_HOME", xdg)
	want := filepath.Join(xdg, "opsdeck", "opsdeck.db")
	t.Cleanup(func() { checkFile(t, want) })
	s := openAt(t, "")
	if s.Path() != want {
		t.Fatalf("Path() = %q, want %q", s.Path(), want)
	}
	fi, err := os.Stat(filepath.Dir(want))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir: %v %v", fi, err)
	}
}

// Two Stores on one file (as two opsdeck processes have): neither holds
// the file between transactions, so both open, both write, and each sees
// what the other wrote; Version moves with every commit of either.
func TestDoubleOpen(t *testing.T) {
	path := dbPath(t)
	s, err := Open(path, knownOpts())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetSuspended("a/b", true); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, knownOpts())
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer s2.Close()
	v0, err := s.Version()
	if err != nil {
		t.Fatal(err)
	}
	if p, _, err := s2.Progress("a/b"); err != nil || !p.Suspended {
		t.Fatalf("second store sees %+v, %v; want a/b suspended", p, err)
	}
	if err := s2.SetSuspended("c/four", true); err != nil {
		t.Fatal(err)
	}
	if p, _, err := s.Progress("c/four"); err != nil || !p.Suspended {
		t.Fatalf("first store sees %+v, %v; want c/four suspended", p, err)
	}
	if v1, _ := s.Version(); v1 != v0+1 {
		t.Errorf("Version %d after one commit of another store, want %d", v1, v0+1)
	}
	// Undo is the file's: the first store undoes the second's action.
	if _, err := s.UndoLast(); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := s2.Progress("c/four"); p.Suspended {
		t.Error("undo by the first store not seen by the second")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Settings(); err == nil {
		t.Error("a closed store still reads")
	}
	if err := s2.SetSuspended("a/b", false); err != nil {
		t.Fatalf("the other store after one closed: %v", err)
	}
}

// refused asserts that opening path fails with kind, a message naming the
// path and containing want, and that the file's bytes did not change.
func refused(t *testing.T, path string, kind error, want string) {
	t.Helper()
	before := fileHash(t, path)
	fi0, _ := os.Stat(path)
	s, err := Open(path, nil)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	if !isOpenErr(err, kind) {
		t.Fatalf("err = %v (%T), want %v", err, err, kind)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, path+" ") || !strings.Contains(msg, want) {
		t.Errorf("message %q: want it to start with the path and contain %q", msg, want)
	}
	if kind != ErrLocked && !strings.Contains(msg, "left untouched") {
		t.Errorf("message %q does not say the file was left untouched", msg)
	}
	if fileHash(t, path) != before {
		t.Error("the refused file's bytes changed")
	}
	if fi1, _ := os.Stat(path); fi1.Mode() != fi0.Mode() || fi1.Size() != fi0.Size() {
		t.Errorf("mode/size changed: %v/%d -> %v/%d", fi0.Mode(), fi0.Size(), fi1.Mode(), fi1.Size())
	}
	t.Logf("%s", msg)
}

func writeFile(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "opsdeck.db")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestForeignFiles(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		path := writeFile(t, []byte(strings.Repeat("front,back\nwhat is a pod?,a group of containers\n", 200)))
		refused(t, path, ErrNotOpsdeck, "not an opsdeck database (not a bbolt file)")
	})
	t.Run("short", func(t *testing.T) {
		path := writeFile(t, []byte("hello"))
		refused(t, path, ErrNotOpsdeck, "not an opsdeck database")
	})
	t.Run("zeros", func(t *testing.T) {
		path := writeFile(t, make([]byte, 3*4096))
		refused(t, path, ErrNotOpsdeck, "not a bbolt file")
	})
	t.Run("other bbolt app", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("users"))
			if err != nil {
				return err
			}
			return b.Put([]byte("alice"), []byte("admin"))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		refused(t, path, ErrNotOpsdeck, "without opsdeck's meta bucket")
		checkFile(t, path)
	})
	t.Run("wrong app marker", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bMeta)
			if err != nil {
				return err
			}
			return b.Put(kApp, []byte("flashy"))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		refused(t, path, ErrNotOpsdeck, `names the application "flashy"`)
	})
	t.Run("directory", func(t *testing.T) {
		_, err := Open(t.TempDir(), nil)
		if !isOpenErr(err, ErrNotOpsdeck) || !strings.Contains(err.Error(), "directory") {
			t.Fatalf("err = %v", err)
		}
	})
}

// seeded makes a closed database with some records in it.
func seeded(t *testing.T, n int) string {
	t.Helper()
	path := dbPath(t)
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cards []deck.Card
	for i := range n {
		cards = append(cards, deck.Card{Slug: fmt.Sprintf("card-%04d", i), Front: strings.Repeat("question ", 20), Back: strings.Repeat("answer ", 30)})
	}
	if _, err := s.ImportCards([]deck.Deck{{ID: "mine", Title: "Mine", Cards: cards}}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := s.Bury(fmt.Sprintf("mine/card-%04d", i), t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDamagedFiles(t *testing.T) {
	t.Run("truncated", func(t *testing.T) {
		src := seeded(t, 300)
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 8*4096 {
			t.Fatalf("seed too small: %d bytes", len(data))
		}
		path := writeFile(t, data[:len(data)/2])
		refused(t, path, ErrDamaged, "truncated")
	})
	t.Run("truncated to one page", func(t *testing.T) {
		data, _ := os.ReadFile(seeded(t, 10))
		path := writeFile(t, data[:4096])
		refused(t, path, ErrDamaged, "is damaged (truncated")
	})
	t.Run("both meta pages garbled", func(t *testing.T) {
		data, _ := os.ReadFile(seeded(t, 10))
		data[16+40] ^= 0xff      // meta 0: inside the checksummed fields
		data[4096+16+40] ^= 0xff // meta 1
		path := writeFile(t, data)
		refused(t, path, ErrDamaged, "damaged")
	})
	t.Run("schema unreadable", func(t *testing.T) {
		path := seeded(t, 1)
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, []byte("one")) })
		db.Close()
		refused(t, path, ErrDamaged, "schema version is unreadable")
	})
	t.Run("bucket missing", func(t *testing.T) {
		path := seeded(t, 1)
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bRevlog) })
		db.Close()
		refused(t, path, ErrDamaged, `bucket "revlog" is missing`)
	})
}

// A single torn meta page is what a crash mid-commit leaves: bbolt falls
// back to the other one, and so must Open.
func TestOneBadMetaPageStillOpens(t *testing.T) {
	path := seeded(t, 20)
	data, _ := os.ReadFile(path)
	// Find the newer meta (higher txid, at offset 48 of the meta: 56 is
	// the checksum) and garble it.
	off := newerMeta(data)
	data[off+16+40] ^= 0xff
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path)
	if _, err := s.AllProgress(); err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings()) != 1 {
		t.Errorf("warnings %q, want the meta fallback", s.Warnings())
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := seeded(t, 5)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return putSchema(tx, SchemaVersion+1) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	refused(t, path, ErrTooNew, fmt.Sprintf("newer opsdeck (schema version %d; this opsdeck reads up to %d)", SchemaVersion+1, SchemaVersion))
}

func TestVerifyOption(t *testing.T) {
	path := seeded(t, 50)
	s, err := Open(path, &Options{Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Point the progress bucket's root at a free page: Verify catches what
	// the cheap checks cannot.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pgid, size int64
	_ = db.View(func(tx *bolt.Tx) error {
		pgid = int64(tx.Bucket(bCards).RootPage())
		size = tx.Size()
		return nil
	})
	db.Close()
	data, _ := os.ReadFile(path)
	if pgid*4096 >= size {
		t.Fatal("bad page id")
	}
	page := data[pgid*4096 : (pgid+1)*4096]
	for i := 16; i < len(page); i++ {
		page[i] = 0xA5 // keep the header, garble the elements
	}
	p := writeFile(t, data)
	before := fileHash(t, p)
	_, err = Open(p, &Options{Verify: true})
	if !isOpenErr(err, ErrDamaged) {
		t.Fatalf("err = %v", err)
	}
	if fileHash(t, p) != before {
		t.Error("file changed")
	}
}

func TestOpenPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores file modes; use a directory that is a file instead.
		dir := writeFile(t, []byte("x"))
		_, err := Open(filepath.Join(dir, "opsdeck.db"), nil)
		t.Log(err)
		if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "opsdeck.db")+": cannot create its directory") {
			t.Fatalf("err = %v", err)
		}
		return
	}
	path := seeded(t, 1)
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o600)
	_, err := Open(path, nil)
	if err == nil || !errors.Is(err, os.ErrPermission) || strings.Count(err.Error(), path) != 1 {
		t.Fatalf("err = %v", err)
	}
}
