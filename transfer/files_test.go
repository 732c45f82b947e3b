package transfer

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileRefusesTheProtectedFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	if err := os.WriteFile(db, []byte("db"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, link, filepath.Join(dir, ".", "x.db"), filepath.Join(dir, "sub", "..", "x.db")} {
		err := WriteFile(p, []string{db}, func(w io.Writer) error { _, err := io.WriteString(w, "oops"); return err })
		var se *ErrSameFile
		if !errors.As(err, &se) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(db); string(b) != "db" {
		t.Fatalf("database changed: %q", b)
	}
}

func TestWriteFileKeepsTheOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := WriteFile(out, nil, func(w io.Writer) error {
		io.WriteString(w, "half a row")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Fatalf("old file changed: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary left behind: %v", entries)
	}
	// Through a symlink, the target is replaced and the link kept.
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(out, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, nil, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a file")
	}
	if b, _ := os.ReadFile(out); string(b) != "new" {
		t.Fatalf("target: %q", b)
	}
}
