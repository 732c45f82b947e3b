// Package transfer is the application layer's import and export policy:
// which files are read and how (opsdeck Markdown decks, Anki text exports),
// all or nothing in one store transaction; and every file opsdeck writes
// (exports, the review log), written atomically and never over the
// database itself.
package transfer

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrSameFile says an output path is the database (or another file that
// must not be overwritten), by inode: symlinks and other spellings of the
// same path included.
type ErrSameFile struct{ Path, Protected string }

func (e *ErrSameFile) Error() string {
	return fmt.Sprintf("%s is the database %s itself; choose another file", e.Path, e.Protected)
}

// SameFile reports whether path names the same file as protected (both
// existing). A path that does not exist yet cannot be it.
func SameFile(path, protected string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	pi, err := os.Stat(protected)
	if err != nil {
		return false
	}
	return os.SameFile(fi, pi)
}

// tempPrefix is the name a file being written has until it is complete.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// CleanTemps removes what a killed earlier write to path left behind.
func CleanTemps(path string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPrefix(path)+"*"))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

// WriteFile writes path through write, atomically: into a temporary file in
// the same directory, synced, then renamed over path; on any error (a full
// disk included) path is left as it was and the temporary file removed.
// It refuses a path that is any of protect (the database).
func WriteFile(path string, protect []string, write func(io.Writer) error) error {
	for _, p := range protect {
		if p != "" && SameFile(path, p) {
			return &ErrSameFile{Path: path, Protected: p}
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	// Follow a symlink at path: the link stays and its target is replaced.
	target := path
	if t, err := filepath.EvalSymlinks(path); err == nil {
		target = t
	}
	CleanTemps(target)
	f, err := os.CreateTemp(filepath.Dir(target), tempPrefix(target)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(filepath.Dir(target)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Output writes to path as WriteFile does, or to stdout when path is ""
// or "-".
func Output(path string, stdout io.Writer, protect []string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	return WriteFile(path, protect, write)
}

// isMarkdown reports whether a file is read as an opsdeck Markdown deck.
func isMarkdown(name string) bool { return strings.EqualFold(filepath.Ext(name), ".md") }
