package optimizer

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The hostile review logs of deck/testdata/hostile are refused with their
// file:line messages.
func TestHostileRevlogs(t *testing.T) {
	dir := "../../testdata/hostile"
	f, err := os.Open(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok || !strings.HasPrefix(name, "revlog-") {
			continue
		}
		n++
		r, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ReadRevlog(r, name)
		r.Close()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
	}
	if n == 0 {
		t.Fatal("no hostile review logs listed")
	}
}
