package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"opsdeck/cli"
)

// opsdeck stats into a file names every area by its whole title; on an
// 80-column terminal by its ID; never cut.
func TestStatsTableNeverCutsAreaNames(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "stats")
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "Kubernetes & Container Orchestration ") || strings.Contains(out, "…") {
		t.Fatalf("stats to a file:\n%s", out)
	}
	var buf, eb bytes.Buffer
	code = cli.Run([]string{"--db", db, "stats"}, &cli.Env{Stdin: strings.NewReader(""), Stdout: &buf, Stderr: &eb,
		Builtin: builtinDecks, RunTUI: runTUI, Width: func() int { return 80 }})
	if code != 0 {
		t.Fatal(eb.String())
	}
	if !strings.Contains(buf.String(), "\nkubernetes ") || strings.Contains(buf.String(), "…") {
		t.Fatalf("stats at 80 columns:\n%s", buf.String())
	}
	for _, l := range strings.Split(buf.String(), "\n") {
		if len([]rune(l)) > 80 {
			t.Fatalf("line over 80: %q", l)
		}
	}
}

// review --plain: the position counts to --limit, the first line says how
// to reveal, the text has no Markdown markers, the accuracy never passes
// 100% after an undo, and a session with nothing due says so.
func TestPlainReviewPapercuts(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "\n3\n\nu\n\n3\n\n3\n", "--db", db, "review", "--plain", "--limit", "2")
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(errs, "review: press Enter to show the answer") || !strings.HasPrefix(out, "--- 1/2 ") || strings.Contains(out, "/20 ") {
		t.Fatalf("header lines:\n%s\nstderr: %s", out, errs)
	}
	if strings.Contains(out, "**") {
		t.Fatalf("Markdown markers in plain output:\n%s", out)
	}
	if !strings.Contains(out, "done: 2 reviewed, 100% correct") {
		t.Fatalf("summary:\n%s", out)
	}
	// A deck of one card, answered Easy: then nothing is due.
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "Q?", "--back", "A."); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := opsdeck(t, "\n4\n", "--db", db, "review", "--plain", "--deck", "mine"); code != 0 {
		t.Fatal(errs)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "review", "--plain", "--deck", "mine")
	if code != 0 || !strings.HasPrefix(out, "done: nothing to review now, next card due in ") || strings.Contains(out, "0%") {
		t.Fatalf("nothing due: %d\n%s", code, out)
	}
}

// The command line refuses what a command does not use, knows --version,
// and never creates a database for a read.
func TestCommandLinePapercuts(t *testing.T) {
	code, out, _ := opsdeck(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "opsdeck "+cli.Version+" (schema ") {
		t.Fatalf("--version: %d %q", code, out)
	}
	dir := t.TempDir()
	db := dir + "/typo.db"
	for _, args := range [][]string{
		{"version", "--json"},
		{"export", "--revlog", "--deck", "kubernetes"},
		{"export", "--revlog", "--format", "md"},
		{"optimize", "--json"},
		{"optimize", "--day-start", "5"},
		{"optimize", "--revlog", "x.csv", "--yes"},
	} {
		if code, _, errs := opsdeck(t, "", append([]string{"--db", db}, args...)...); code != 2 || !strings.HasPrefix(errs, "opsdeck: ") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
	// Reads of a missing database create nothing and say so.
	for _, args := range [][]string{{"stats"}, {"decks"}, {"export", "--deck", "kubernetes"}} {
		code, _, errs := opsdeck(t, "", append([]string{"--db", db}, args...)...)
		if code != 0 || !strings.Contains(errs, "no database at "+db) {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
	for _, args := range [][]string{{"check"}, {"backup", dir + "/b.db"}} {
		code, _, errs := opsdeck(t, "", append([]string{"--db", db}, args...)...)
		if code != 1 || !strings.Contains(errs, db+": no database there") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("a read created %s", db)
	}
	// A write says it created one; tags are split on commas or spaces.
	code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "Q?", "--back", "A.", "--tags", "a b,c")
	if code != 0 || !strings.Contains(errs, "created a new database at "+db) {
		t.Fatalf("add: %d %q", code, errs)
	}
	_, md, _ := opsdeck(t, "", "--db", db, "export", "--deck", "mine")
	if !strings.Contains(md, "tags: a, b, c") {
		t.Fatalf("tags:\n%s", md)
	}
	// backup asks before overwriting.
	bak := dir + "/b.db"
	if code, _, errs := opsdeck(t, "", "--db", db, "backup", bak); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs = opsdeck(t, "", "--db", db, "backup", bak)
	if code != 1 || !strings.Contains(errs, "exists; use --force") {
		t.Fatalf("backup over a file: %d %q", code, errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "backup", "--force", bak); code != 0 {
		t.Fatal(errs)
	}
	// An error names the file asked for, not the temporary one.
	code, _, errs = opsdeck(t, "", "--db", db, "backup", dir+"/no-such-dir/b.db")
	if code != 1 || !strings.Contains(errs, dir+"/no-such-dir/b.db: ") || strings.Contains(errs, ".tmp-") {
		t.Fatalf("backup error: %d %q", code, errs)
	}
	// A .txt without headers: tab (Anki's default), and it says so.
	txt := dir + "/notes.txt"
	if err := os.WriteFile(txt, []byte("What, exactly?\tThis, here.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = opsdeck(t, "", "--db", db, "import", "--deck", "mine", txt)
	if code != 0 || !strings.Contains(errs, "notes.txt: no #separator: header; read as tab-separated") {
		t.Fatalf("import: %d %q", code, errs)
	}
}

// A custom deck is renamed and deleted from the command line; a built-in
// one is refused.
func TestDeckRenameAndDeleteCommands(t *testing.T) {
	db := tempDB(t)
	for _, f := range []string{"Q1?", "Q2?"} {
		if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "extra-1", "--front", f, "--back", "A."); code != 0 {
			t.Fatal(errs)
		}
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "deck", "rename", "extra-1", "Azure networking"); code != 0 {
		t.Fatal(errs)
	}
	_, out, _ := opsdeck(t, "", "--db", db, "decks")
	if !strings.Contains(out, "Azure networking (custom)") {
		t.Fatalf("decks after rename:\n%s", out)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "deck", "rename", "kubernetes", "K8s"); code != 1 || !strings.Contains(errs, "not a custom deck") {
		t.Fatalf("rename built-in: %d %q", code, errs)
	}
	code, out, _ := opsdeck(t, "n\n", "--db", db, "deck", "delete", "extra-1")
	if code != 0 || !strings.Contains(out, "Not deleted.") {
		t.Fatalf("delete, answered n: %d %q", code, out)
	}
	code, out, errs := opsdeck(t, "y\n", "--db", db, "deck", "delete", "extra-1")
	if code != 0 || !strings.Contains(out, "deleted extra-1: 2 card(s)") {
		t.Fatalf("delete: %d %q %q", code, out, errs)
	}
	_, out, _ = opsdeck(t, "", "--db", db, "decks")
	if strings.Contains(out, "extra-1") || strings.Contains(out, "Azure networking") {
		t.Fatalf("decks after delete:\n%s", out)
	}
}
