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
