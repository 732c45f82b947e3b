package deck

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// HostileFiles reads testdata/hostile/expect.txt: each hostile file and a
// substring of the error it must give (naming file:line). The CLI's
// hostile suite can read the same list.
func hostileFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		name, want, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("expect.txt: bad line %q", l)
		}
		out[name] = want
	}
	return out
}

// TestHostileFiles: every hostile deck and Anki file is refused with its
// file:line message, and the message itself holds no control character.
func TestHostileFiles(t *testing.T) {
	for name, want := range hostileFiles(t, "testdata/hostile") {
		if strings.HasPrefix(name, "revlog-") {
			continue // the optimizer's test reads those
		}
		f, err := os.Open(filepath.Join("testdata/hostile", name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".md") {
			_, err = ParseFile(name, f)
		} else {
			_, err = ParseAnki(name, f, AnkiOptions{Fallback: "hostile"})
		}
		f.Close()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", name, err, want)
			continue
		}
		if CountControl(strings.ReplaceAll(err.Error(), "\n", "")) != 0 {
			t.Errorf("%s: the message holds a control character: %q", name, err)
		}
	}
}
