package main

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	bolt "go.etcd.io/bbolt"

	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/tui"
)

// The TUI stays open on a database while other commands run on it: add,
// a graded review --plain and a backup all succeed, the TUI's dashboard
// shows the new deck and card without a key press, the grade is counted
// once, and the backup passes the full check. (The TUI here has its own
// Store, as another process would: bbolt's lock is per open file, so two
// Stores in one process contend for the file exactly as two processes do;
// store's TestTwoProcessesWriteOneFile runs two real processes.)
func TestCommandsRunWhileTheTUIIsOpen(t *testing.T) {
	db := tempDB(t)
	builtin, err := builtinDecks()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db, &store.Options{Builtin: builtin})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tm := teatest.NewTestModel(t, tui.New(study.New(st), tui.Options{}), teatest.WithInitialTermSize(80, 24))
	waitOut := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitOut("Study everything due")

	code, out, errs := opsdeck(t, "", "--db", db, "add", "--deck", "scratchpad", "--front", "Q one?", "--back", "A one.")
	if code != 0 {
		t.Fatalf("add while the TUI is open: %d %s", code, errs)
	}
	if !strings.HasPrefix(out, "scratchpad/") {
		t.Fatalf("add printed %q", out)
	}
	waitOut("scratchpad") // the dashboard reloaded by itself

	code, out, errs = opsdeck(t, "\n3\nq\n", "--db", db, "review", "--plain", "--limit", "1")
	if code != 0 || !strings.Contains(out, "done:") {
		t.Fatalf("review --plain while the TUI is open: %d %s %s", code, out, errs)
	}
	waitOut("reviewed 1")

	bak := filepath.Join(t.TempDir(), "copy.db")
	if code, _, errs := opsdeck(t, "", "--db", db, "backup", bak); code != 0 {
		t.Fatalf("backup while the TUI is open: %d %s", code, errs)
	}
	if code, out, errs := opsdeck(t, "", "--db", bak, "check"); code != 0 {
		t.Fatalf("check of the backup: %d %s %s", code, out, errs)
	}
	code, out, _ = opsdeck(t, "", "--db", bak, "export", "--revlog")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 2 {
		t.Fatalf("backup's review log: %d %v %q", code, err, out)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	// The TUI still works on the file after the others wrote it.
	if _, err := st.Settings(); err != nil {
		t.Fatal(err)
	}
}

// A command waits for another process's transaction to end (here a raw
// bbolt handle held for 300 ms, as a long import holds the file) and
// then runs; it does not fail at once with "in use".
func TestCommandWaitsForAnotherTransaction(t *testing.T) {
	db := tempDB(t)
	if code, _, errs := opsdeck(t, "", "--db", db, "decks"); code != 0 {
		t.Fatal(errs)
	}
	h, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond)
		close(released)
		_ = h.Close()
	}()
	code, out, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "Q?", "--back", "A.")
	select {
	case <-released:
	default:
		t.Fatal("add finished while another process held the file")
	}
	if code != 0 || !strings.HasPrefix(out, "mine/") {
		t.Fatalf("add after the wait: %d %q %s", code, out, errs)
	}
}
