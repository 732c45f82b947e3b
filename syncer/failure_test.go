package syncer

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

func twoOverGit(t *testing.T) (a, b *device, remote string, clk *fakeClock) {
	t.Helper()
	gitOrSkip(t)
	dir := t.TempDir()
	remote = filepath.Join(dir, "remote.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", remote).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	clk = &fakeClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
	a = openDevice(t, filepath.Join(dir, "a.db"), clk)
	b = openDevice(t, filepath.Join(dir, "b.db"), clk)
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Init(remote, "", false); err != nil {
			t.Fatal(err)
		}
	}
	return a, b, remote, clk
}

func grade(t *testing.T, d *device, clk *fakeClock, id string) {
	t.Helper()
	clk.t = clk.t.Add(time.Minute)
	if _, err := d.st.Grade(id, fsrs.Good, clk.t, time.Second); err != nil {
		t.Fatal(err)
	}
}

// A push rejected because another device pushed first: the round pulls,
// takes the other's events, and pushes again.
func TestPushRejectedPullsAndRetries(t *testing.T) {
	a, b, _, clk := twoOverGit(t)
	grade(t, a, clk, "k8s/x")
	grade(t, b, clk, "k8s/y")
	stepHook = func(s string) {
		if s == "exported" {
			stepHook = nil
			if _, err := b.eng.Sync(); err != nil { // B pushes in between
				t.Errorf("B: %v", err)
			}
		}
	}
	defer func() { stepHook = nil }()
	rep, err := a.eng.Sync()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported == 0 {
		t.Errorf("A did not take B's events after the rejected push: %+v", rep)
	}
	if _, err := b.eng.Sync(); err != nil {
		t.Fatal(err)
	}
	if ra, rb := reviewSet(t, a.st), reviewSet(t, b.st); len(ra) != 2 || strings.Join(ra, "\n") != strings.Join(rb, "\n") {
		t.Fatalf("A %v B %v", ra, rb)
	}
}

// An unreachable remote: a clear message, and nothing lost (the events go
// out with the next round that reaches it).
func TestRemoteUnreachable(t *testing.T) {
	a, b, remote, clk := twoOverGit(t)
	grade(t, a, clk, "k8s/x")
	moved := remote + ".away"
	if err := os.Rename(remote, moved); err != nil {
		t.Fatal(err)
	}
	_, err := a.eng.Sync()
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") || !strings.Contains(err.Error(), "nothing was lost") {
		t.Fatalf("err = %v", err)
	}
	if st, _ := a.eng.Status(); st.PendingEvents == 0 {
		t.Error("the review is not pending after the failed round")
	}
	if err := os.Rename(moved, remote); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	if len(reviewSet(t, b.st)) != 1 {
		t.Fatal("the review made while the remote was away did not arrive")
	}
}

// A data folder copied to a second machine (the same device ID on two):
// the copy's next round is refused, saying how to re-init; after a
// re-init both sync.
func TestCopiedDatabaseIsRefused(t *testing.T) {
	a, _, remote, clk := twoOverGit(t)
	grade(t, a, clk, "k8s/x")
	if _, err := a.eng.Sync(); err != nil {
		t.Fatal(err)
	}
	// Copy a's database (not its working copy) to another "machine".
	cp := filepath.Join(t.TempDir(), "copy.db")
	if err := a.st.Backup(cp); err != nil {
		t.Fatal(err)
	}
	c := openDevice(t, cp, clk)
	grade(t, a, clk, "k8s/y") // the original goes on
	if _, err := a.eng.Sync(); err != nil {
		t.Fatal(err)
	}
	// The copy has no working copy of its own yet: give it one on the
	// same remote, as a user would by copying the whole folder.
	wd := c.eng.workDir()
	if out, err := exec.Command("git", "clone", "-q", remote, wd).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	grade(t, c, clk, "k8s/z")
	_, err := c.eng.Sync()
	if !errors.Is(err, store.ErrDeviceTwice) || !strings.Contains(err.Error(), "opsdeck sync init") {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.eng.Init(remote, "", false); err != nil {
		t.Fatalf("re-init: %v", err)
	}
	if _, err := a.eng.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := len(reviewSet(t, a.st)); got != 3 {
		t.Errorf("A has %d reviews after the copy re-inited, want 3", got)
	}
}

// Events from a newer opsdeck are refused with file:line, nothing
// imported; events ahead of this clock are merged with a warning.
func TestNewerFormatAndClockAhead(t *testing.T) {
	dir := t.TempDir()
	shared := filepath.Join(dir, "shared")
	clk := &fakeClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
	a := openDevice(t, filepath.Join(dir, "a.db"), clk)
	if _, err := a.eng.Init("", shared, false); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(shared, "devices", "other-0001")
	if err := os.MkdirAll(other, 0o700); err != nil {
		t.Fatal(err)
	}
	ahead := clk.t.Add(time.Hour).UnixNano()
	line := fmt.Sprintf(`{"v":1,"dev":"other-0001","seq":1,"at":%d,"k":"grade","card":"k8s/x","r":3,"ms":1000}`, ahead)
	if err := os.WriteFile(filepath.Join(other, "000000000001-000000000001.jsonl"), []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := a.eng.Sync()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "ahead of this machine's clock") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	if len(reviewSet(t, a.st)) != 1 {
		t.Error("the event ahead of the clock was not merged")
	}
	newer := `{"v":2,"dev":"other-0001","seq":2,"at":1,"k":"grade","card":"k8s/x","r":3}`
	p := filepath.Join(other, "000000000002-000000000002.jsonl")
	if err := os.WriteFile(p, []byte(newer+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = a.eng.Sync()
	if !errors.Is(err, store.ErrEventFormat) || !strings.Contains(err.Error(), p+":1:") || !strings.Contains(err.Error(), "upgrade opsdeck") {
		t.Fatalf("err = %v", err)
	}
	if len(reviewSet(t, a.st)) != 1 {
		t.Error("something was imported from the newer file")
	}
}

// Without git on the PATH, sync over git says so.
func TestNoGit(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	clk := &fakeClock{t: time.Now()}
	a := openDevice(t, filepath.Join(t.TempDir(), "a.db"), clk)
	_, err := a.eng.Init("ssh://box/opsdeck.git", "", false)
	if err == nil || !strings.Contains(err.Error(), "no git on the PATH") || !strings.Contains(err.Error(), "--folder") {
		t.Fatalf("err = %v", err)
	}
}

// Writes that leave no undo record travel too: an import, a deck's
// rename and its deletion.
func TestImportRenameDeleteDeckSync(t *testing.T) {
	dir := t.TempDir()
	shared := filepath.Join(dir, "shared")
	clk := &fakeClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
	a := openDevice(t, filepath.Join(dir, "a.db"), clk)
	b := openDevice(t, filepath.Join(dir, "b.db"), clk)
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Init("", shared, false); err != nil {
			t.Fatal(err)
		}
	}
	dk := deck.Deck{ID: "imp", Title: "Imported", Cards: []deck.Card{
		{ID: "imp/one", Deck: "imp", Slug: "one", Front: "Q1", Back: "A1"},
		{ID: "imp/two", Deck: "imp", Slug: "two", Front: "Q2", Back: "A2"},
	}}
	if _, err := a.st.ImportCards([]deck.Deck{dk}); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(time.Minute)
	if err := a.st.RenameDeck("imp", "Renamed"); err != nil {
		t.Fatal(err)
	}
	decksOf := func(d *device) string {
		ds, err := d.st.CustomDecks()
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, x := range ds {
			s = append(s, fmt.Sprintf("%s %q %d", x.ID, x.Title, len(x.Cards)))
		}
		return strings.Join(s, "; ")
	}
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	if got := decksOf(b); got != `imp "Renamed" 2` {
		t.Fatalf("B has %s", got)
	}
	clk.t = clk.t.Add(time.Minute)
	if _, err := a.st.DeleteDeck("imp"); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{a, b} {
		if _, err := d.eng.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	if got := decksOf(b); got != "" {
		t.Fatalf("B still has %s", got)
	}
}

// Two rounds on one database at once: the second says so and does
// nothing.
func TestOneRoundAtATime(t *testing.T) {
	dir := t.TempDir()
	clk := &fakeClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
	a := openDevice(t, filepath.Join(dir, "a.db"), clk)
	if _, err := a.eng.Init("", filepath.Join(dir, "shared"), false); err != nil {
		t.Fatal(err)
	}
	unlock, err := a.eng.lockRound()
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.eng.Sync()
	if err == nil || !strings.Contains(err.Error(), "another opsdeck is syncing") {
		t.Fatalf("err = %v", err)
	}
	unlock()
	if _, err := a.eng.Sync(); err != nil {
		t.Fatal(err)
	}
}
