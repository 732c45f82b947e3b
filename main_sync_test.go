package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/store"
)

// gitOrSkip needs the system git (.ci/run installs it when missing).
func gitOrSkip(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if ci() {
			t.Fatal("git is not installed")
		}
		t.Skip("no git on PATH")
	}
}

func ci() bool { return strings.TrimSpace(strings.ToLower(getenv("CI"))) != "" }

// bareRepo makes a temporary bare repository, the remote.
func bareRepo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "remote.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init --bare: %v %s", err, out)
	}
	return dir
}

// at runs the CLI with the clock at t.
func at(t *testing.T, when time.Time, stdin string, args ...string) (string, string) {
	t.Helper()
	t.Setenv("OPSDECK_NOW", when.UTC().Format(time.RFC3339))
	code, out, errs := opsdeck(t, stdin, args...)
	if code != 0 {
		t.Fatalf("opsdeck %v: %d\n%s%s", args, code, out, errs)
	}
	return out, errs
}

// cardStates is every touched card's S, D, due and reps.
func cardStates(t *testing.T, db string) map[string]string {
	t.Helper()
	st, err := store.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.AllProgress()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for id, p := range all {
		out[id] = strings.Join([]string{
			time.Time(p.Sched.Due).UTC().Format(time.RFC3339Nano),
			ftoa(p.Sched.Stability), ftoa(p.Sched.Difficulty),
			itoa(p.Sched.Reps), itoa(p.Sched.Lapses), itoa(int(p.Sched.State)),
		}, " ")
	}
	return out
}

// Two devices and a bare repository: disjoint reviews, the same card
// reviewed on both while offline, an undo after a push, a custom card
// added on one and edited on the other, repeated syncs. After both sync
// twice, export --revlog is byte-identical, every review is there once,
// and every card's S, D and due agree.
func TestSyncTwoDevicesOverGit(t *testing.T) {
	gitOrSkip(t)
	remote := bareRepo(t)
	a, b := tempDB(t), tempDB(t)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at(t, t0, "", "--db", a, "sync", "init", remote)
	at(t, t0.Add(time.Minute), "", "--db", b, "sync", "init", remote)

	// Disjoint reviews: A in kubernetes, B in mlops.
	at(t, t0.Add(2*time.Minute), strings.Repeat("\n3\n", 3), "--db", a, "review", "--plain", "--deck", "kubernetes", "--limit", "3")
	at(t, t0.Add(3*time.Minute), strings.Repeat("\n4\n", 2), "--db", b, "review", "--plain", "--deck", "mlops", "--limit", "2")
	// The same card on both, offline: the first new card of infrastructure.
	at(t, t0.Add(4*time.Minute), "\n3\n", "--db", a, "review", "--plain", "--deck", "infrastructure", "--limit", "1")
	at(t, t0.Add(5*time.Minute), "\n1\n", "--db", b, "review", "--plain", "--deck", "infrastructure", "--limit", "1")
	// A custom card added on A.
	out, _ := at(t, t0.Add(6*time.Minute), "", "--db", a, "add", "--deck", "mine", "--front", "What is a PDB?", "--back", "A PodDisruptionBudget.")
	custom := strings.TrimSpace(out)
	at(t, t0.Add(7*time.Minute), "", "--db", a, "sync")
	at(t, t0.Add(8*time.Minute), "", "--db", b, "sync")
	at(t, t0.Add(8*time.Minute+30*time.Second), "", "--db", a, "sync")

	// An undo after the push: A grades a card, syncs, then undoes it.
	at(t, t0.Add(9*time.Minute), "\n2\n", "--db", a, "review", "--plain", "--deck", "mlops", "--limit", "1")
	at(t, t0.Add(10*time.Minute), "", "--db", a, "sync")
	stA0, err := store.Open(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := stA0.UndoLast(); err != nil || u.Action != deck.UndoGrade {
		t.Fatalf("undo after the push: %+v %v", u, err)
	}
	stA0.Close()
	// B edits A's custom card, and reviews it.
	st, err := store.Open(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EditCard(deck.Card{ID: custom, Deck: "mine", Slug: strings.TrimPrefix(custom, "mine/"), Front: "What is a PodDisruptionBudget?", Back: "Limits voluntary evictions."}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	at(t, t0.Add(12*time.Minute), "\n3\n", "--db", b, "review", "--plain", "--deck", "mine", "--limit", "1")

	for round := 0; round < 2; round++ {
		at(t, t0.Add(20*time.Minute), "", "--db", a, "sync")
		at(t, t0.Add(21*time.Minute), "", "--db", b, "sync")
	}
	logA, _ := at(t, t0.Add(30*time.Minute), "", "--db", a, "export", "--revlog")
	logB, _ := at(t, t0.Add(30*time.Minute), "", "--db", b, "export", "--revlog")
	if logA != logB {
		t.Fatalf("review logs differ:\nA:\n%s\nB:\n%s", logA, logB)
	}
	rows := strings.Split(strings.TrimSpace(logA), "\n")[1:]
	// 3 + 2 + 1 + 1 + 1 (custom) reviews; the undone one is gone.
	if len(rows) != 8 {
		t.Fatalf("%d reviews, want 8:\n%s", len(rows), logA)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r] {
			t.Errorf("review twice: %s", r)
		}
		seen[r] = true
	}
	if !strings.Contains(logA, ",infrastructure,") || strings.Count(logA, ",infrastructure,") != 2 {
		t.Errorf("the card reviewed on both should have both reviews:\n%s", logA)
	}
	sa, sb := cardStates(t, a), cardStates(t, b)
	if len(sa) != len(sb) {
		t.Fatalf("%d cards on A, %d on B", len(sa), len(sb))
	}
	for id, s := range sa {
		if sb[id] != s {
			t.Errorf("%s: A %s, B %s", id, s, sb[id])
		}
	}
	expA, _ := at(t, t0.Add(30*time.Minute), "", "--db", a, "export", "--deck", "mine")
	expB, _ := at(t, t0.Add(30*time.Minute), "", "--db", b, "export", "--deck", "mine")
	if expA != expB || !strings.Contains(expA, "PodDisruptionBudget?") {
		t.Errorf("custom card differs or lost the edit:\nA:\n%s\nB:\n%s", expA, expB)
	}
	stA, _ := at(t, t0.Add(30*time.Minute), "", "--db", a, "sync", "status", "--json")
	if !strings.Contains(stA, `"pending_events":0`) || !strings.Contains(stA, `"devices_seen":2`) {
		t.Errorf("status: %s", stA)
	}
}

func getenv(k string) string { return os.Getenv(k) }
func ftoa(f float64) string  { return strconv.FormatFloat(f, 'g', -1, 64) }
func itoa(n int) string      { return strconv.Itoa(n) }

// The command line of sync: usage, status before and after init (JSON as
// docs/cli.md: exactly these keys, last_sync null before a round), the
// folder mode, and sync auto.
func TestSyncCommandLine(t *testing.T) {
	db := tempDB(t)
	folder := filepath.Join(t.TempDir(), "Sync", "opsdeck")
	if code, _, errs := opsdeck(t, "", "--db", db, "sync", "init"); code != 2 || !strings.Contains(errs, "give a git remote or --folder DIR") {
		t.Errorf("sync init without a target: %d %q", code, errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "Q?", "--back", "A."); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs := opsdeck(t, "", "--db", db, "sync", "status", "--json")
	if code != 1 || !strings.Contains(errs, "sync is not set up") || !strings.Contains(errs, "opsdeck sync init") {
		t.Errorf("status before init: %d %q", code, errs)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	out, _ := at(t, now, "", "--db", db, "sync", "init", "--folder", folder)
	if !strings.HasPrefix(out, "sync set up: this device is ") || !strings.Contains(out, "synced: ") {
		t.Errorf("init said %q", out)
	}
	at(t, now, "\n3\n", "--db", db, "review", "--plain", "--limit", "1")
	out, _ = at(t, now, "", "--db", db, "sync", "status", "--json")
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range st {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if strings.Join(keys, ",") != "device,devices_seen,last_sync,pending_events,remote" {
		t.Errorf("keys %v", keys)
	}
	if st["pending_events"] != 1.0 || st["devices_seen"] != 1.0 || st["remote"] != folder || st["last_sync"] != "2026-03-02T09:00:00Z" {
		t.Errorf("status %s", out)
	}
	out, _ = at(t, now.Add(time.Minute), "", "--db", db, "sync")
	if out != "synced: 0 changes in (0 cards replayed), 1 out\n" {
		t.Errorf("sync said %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(folder, "devices", "*", "*.jsonl"))
	if len(files) != 2 {
		t.Errorf("files in the folder: %v", files)
	}
	out, _ = at(t, now, "", "--db", db, "sync", "status")
	if !strings.Contains(out, "pending  0 changes not yet shared") {
		t.Errorf("status table %q", out)
	}
	if out, _ := at(t, now, "", "--db", db, "sync", "auto", "on"); out != "sync on open and quit: on\n" {
		t.Errorf("auto: %q", out)
	}
	if code, _, _ := opsdeck(t, "", "--db", db, "sync", "auto", "maybe"); code != 2 {
		t.Error("sync auto maybe accepted")
	}
}
