package main

import (
	"bytes"
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
	if !strings.HasPrefix(errs, "review: press Enter to show the answer") || !strings.HasPrefix(out, "--- 1/2 ") || strings.Contains(out, "/20 ") {
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
