package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdeck/cli"
	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/stats"
	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/tui"
)

// opsdeck runs the command line in-process with stdin and returns its
// status, stdout and stderr.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Run(args, &cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Builtin: builtinDecks, RunTUI: runTUI})
}

func opsdeck(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func tempDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "opsdeck.db")
}

func sha(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestVersionAndUsage(t *testing.T) {
	code, out, _ := opsdeck(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "opsdeck "+cli.Version+" (schema ") {
		t.Fatalf("version: %d %q", code, out)
	}
	code, _, errs := opsdeck(t, "", "frobnicate")
	if code != 2 || !strings.HasPrefix(errs, `opsdeck: unexpected argument frobnicate`) {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
	code, _, errs = opsdeck(t, "", "--db", tempDB(t), "review")
	if code != 2 || !strings.Contains(errs, "review needs --plain") {
		t.Fatalf("review without --plain: %d %q", code, errs)
	}
}

func TestDecksListsTheSevenAreas(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "decks", "--json")
	if code != 0 {
		t.Fatalf("decks: %d %s", code, errs)
	}
	var list struct {
		Decks []struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Builtin  bool   `json:"builtin"`
			Cards    struct{ Total, New int }
			DueToday int `json:"due_today"`
			NewToday int `json:"new_today"`
		} `json:"decks"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	want := []string{"cloud-migration", "devops-automation", "infrastructure", "kubernetes", "mlops", "software-integration", "solution-architecture"}
	var got []string
	for _, d := range list.Decks {
		got = append(got, d.ID)
		if !d.Builtin || d.Cards.Total < 50 || d.Cards.New != d.Cards.Total || d.NewToday != 20 {
			t.Errorf("deck %+v", d)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decks %v, want %v", got, want)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "decks")
	if code != 0 || !strings.Contains(out, "kubernetes") || !strings.Contains(out, "Kubernetes & Container Orchestration") {
		t.Fatalf("decks table: %q", out)
	}
}

// A second opsdeck on a database another one has open works: a Store
// holds the file only for the length of each transaction.
func TestSecondInstanceWorks(t *testing.T) {
	db := tempDB(t)
	st, err := store.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, out, errs := opsdeck(t, "", "--db", db, "decks")
	if code != 0 || !strings.Contains(out, "kubernetes") {
		t.Fatalf("second instance: %d %q %q", code, out, errs)
	}
}

func TestAddPrintsID(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "What is `kubectl drain`?", "--back", "Evicts pods\nand cordons the node", "--tags", "k8s,ops")
	if code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	id := strings.TrimSpace(out)
	if !strings.HasPrefix(id, "mine/what-is-kubectl-drain-") {
		t.Fatalf("id %q", id)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "export", "--deck", "mine")
	if code != 0 || !strings.Contains(out, "## "+strings.TrimPrefix(id, "mine/")) || !strings.Contains(out, "tags: k8s, ops") {
		t.Fatalf("export after add: %q", out)
	}
	code, _, errs = opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "q", "--back", "```\nunclosed")
	if code != 1 || !strings.Contains(errs, "unterminated code fence") {
		t.Fatalf("bad add: %d %q", code, errs)
	}
}

// plainSession runs one review --plain at the given instant, answering every
// card with grades (cycled), and returns stdout.
func plainSession(t *testing.T, db string, at time.Time, input string, args ...string) string {
	t.Helper()
	t.Setenv("OPSDECK_NOW", at.Format(time.RFC3339))
	code, out, errs := opsdeck(t, input, append([]string{"--db", db, "review", "--plain"}, args...)...)
	if code != 0 {
		t.Fatalf("review: %d %s", code, errs)
	}
	return out
}

func TestPlainReviewOverSeveralDays(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := tempDB(t)
	day0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	// Day 0: three new kubernetes cards: Good, Again, Easy.
	out := plainSession(t, db, day0, "\n3\n\n1\n\n4\n", "--deck", "kubernetes", "--limit", "3")
	heads := regexpAll(out, `(?m)^--- (\d+)/(\d+) kubernetes (kubernetes/\S+) new$`)
	if len(heads) != 3 {
		t.Fatalf("want 3 new kubernetes cards, got:\n%s", out)
	}
	if !strings.Contains(out, "grade: 1 again 1m | 2 hard 6m | 3 good 10m | 4 easy ") {
		t.Fatalf("preview line missing:\n%s", out)
	}
	if !strings.Contains(out, "done: 3 reviewed, 66% correct") {
		t.Fatalf("summary:\n%s", out)
	}
	first := heads[0][3]
	// Undo: grade one card Good, undo it (it is shown again), grade it Hard.
	out = plainSession(t, db, day0.Add(time.Hour), "\n3\n\nu\n\n2\nq\n", "--deck", "mlops")
	if !strings.Contains(out, "undone: mlops/") || strings.Count(out, "--- 1/") != 2 {
		t.Fatalf("undo flow:\n%s", out)
	}
	// Day 3 and day 10: review whatever is due, all Good; stop at EOF.
	for _, d := range []int{3, 10} {
		out = plainSession(t, db, day0.AddDate(0, 0, d), strings.Repeat("\n3\n", 5), "--deck", "kubernetes", "--limit", "5")
		if !strings.HasPrefix(out, "--- 1/") || !strings.Contains(out, "done: ") {
			t.Fatalf("day %d:\n%s", d, out)
		}
	}
	// The revlog agrees with what was sent.
	t.Setenv("OPSDECK_NOW", day0.AddDate(0, 0, 11).Format(time.RFC3339))
	code, csvOut, errs := opsdeck(t, "", "--db", db, "export", "--revlog")
	if code != 0 {
		t.Fatal(errs)
	}
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "card_id,review_time,review_rating,review_state,review_duration,deck_id,card_key,last_interval,interval" {
		t.Fatalf("header %v", rows[0])
	}
	rows = rows[1:]
	if len(rows) < 4+2 {
		t.Fatalf("%d review rows", len(rows))
	}
	// The first three rows are day 0's grades, in order, of new cards.
	for i, g := range []string{"3", "1", "4"} {
		if rows[i][2] != g || rows[i][3] != "0" || rows[i][5] != "kubernetes" {
			t.Errorf("row %d = %v, want grade %s of a new kubernetes card", i, rows[i], g)
		}
	}
	if rows[0][6] != first {
		t.Errorf("first row card %s, want %s", rows[0][6], first)
	}
	// The undone Good is gone: the mlops card has one review, Hard.
	if rows[3][5] != "mlops" || rows[3][2] != "2" {
		t.Errorf("after undo: %v", rows[3])
	}
	var lastMs int64
	for _, r := range rows {
		ms, _ := strconv.ParseInt(r[1], 10, 64)
		if ms < lastMs {
			t.Errorf("rows out of time order: %v", r)
		}
		lastMs = ms
		if n, err := strconv.Atoi(r[0]); err != nil || n <= 0 {
			t.Errorf("card_id %q is not a positive integer", r[0])
		}
	}
	// stats --json agrees.
	code, js, errs := opsdeck(t, "", "--db", db, "stats", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var rep stats.Report
	dec := json.NewDecoder(strings.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if rep.Total.Reviews.All != len(rows) {
		t.Errorf("stats counts %d reviews, the log has %d", rep.Total.Reviews.All, len(rows))
	}
	perDeck := map[string]int{}
	for _, r := range rows {
		perDeck[r[5]]++
	}
	for _, d := range rep.Decks {
		if d.Reviews.All != perDeck[d.ID] {
			t.Errorf("deck %s: stats %d reviews, log %d", d.ID, d.Reviews.All, perDeck[d.ID])
		}
	}
}

func TestImportAnkiAndBrokenFileChangesNothing(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "anki.txt")
	os.WriteFile(good, []byte("\uFEFF#separator:tab\r\n#html:true\r\n#deck:Interview::AKS\r\n#tags:aks\r\nWhat is <b>AKS</b>?\tManaged Kubernetes<br>on Azure\r\n\"Multi\r\nline\"\t\"a \"\"quoted\"\" answer\"\r\n"), 0o644)
	code, out, errs := opsdeck(t, "", "--db", db, "import", good, "--dry-run")
	if code != 0 || !strings.Contains(out, "would import: 2 added") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	code, out, errs = opsdeck(t, "", "--db", db, "import", good)
	if code != 0 || !strings.Contains(out, "2 added, 0 updated, 0 unchanged (1 new decks)") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "import", good)
	if code != 0 || !strings.Contains(out, "0 added, 0 updated, 2 unchanged") {
		t.Fatalf("re-import: %q", out)
	}
	bak1 := filepath.Join(dir, "before.db")
	if code, _, errs := opsdeck(t, "", "--db", db, "backup", bak1); code != 0 {
		t.Fatal(errs)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("#separator:comma\nfine,row\nonly-one-field\n,no front\nno back,\n"), 0o644)
	code, _, errs = opsdeck(t, "", "--db", db, "import", good, bad)
	if code != 1 {
		t.Fatalf("broken import: status %d", code)
	}
	for _, want := range []string{bad + ":3: ", bad + ":4: empty front", bad + ":5: empty back", "nothing was imported"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	bak2 := filepath.Join(dir, "after.db")
	if code, _, errs := opsdeck(t, "", "--db", db, "backup", bak2); code != 0 {
		t.Fatal(errs)
	}
	if sha(t, bak1) != sha(t, bak2) {
		t.Fatal("a failed import changed the database")
	}
}

func TestExportMarkdownRoundTrips(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	awkward := "# Awkward | \"deck\"\nid: awkward\ndescription: pipes | quotes \" and Ünïcode ✓\n\n" +
		"## fences\ntags: a, b\n\nQ: A question with \"quotes\", |pipes| and 日本語\n\nA: Text\n```sh\n## not a card\nA: not an answer\n```\n\\## escaped heading\n\n" +
		"## cz\nC: {{c1::Pods}} run on {{c2::nodes::where}}\nA: extra, \"quoted\"\n"
	src := filepath.Join(dir, "awkward.md")
	os.WriteFile(src, []byte(awkward), 0o644)
	if code, _, errs := opsdeck(t, "", "--db", db, "import", src); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "out")
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--out", out); code != 0 {
		t.Fatal(errs)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.md"))
	if len(files) != 8 {
		t.Fatalf("exported %d files, want 8 (7 built-in + 1 custom)", len(files))
	}
	// Import everything into an empty database: the same decks and cards.
	db2 := tempDB(t)
	if code, _, errs := opsdeck(t, "", append([]string{"--db", db2, "import"}, files...)...); code != 0 {
		t.Fatal(errs)
	}
	load := func(path string) []deck.Deck {
		st, err := store.Open(path, &store.Options{Builtin: mustBuiltin(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ds, err := st.Decks()
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds {
			ds[i].File = ""
			for j := range ds[i].Cards {
				ds[i].Cards[j].Line = 0
			}
		}
		return ds
	}
	a, b := load(db), load(db2)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("decks differ after export and import")
	}
	var ids []string
	for _, d := range b {
		if d.ID == "awkward" {
			for _, c := range d.Cards {
				ids = append(ids, c.ID)
			}
			if d.Title != `Awkward | "deck"` {
				t.Errorf("title %q", d.Title)
			}
		}
	}
	if strings.Join(ids, " ") != "awkward/cz awkward/cz-c2 awkward/fences" {
		t.Fatalf("ids %v", ids)
	}
}

func mustBuiltin(t *testing.T) []deck.Deck {
	ds, err := builtinDecks()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// regexpAll returns every match of pattern in s with its groups.
func regexpAll(s, pattern string) [][]string {
	return regexp.MustCompile(pattern).FindAllStringSubmatch(s, -1)
}

func TestOptimize(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "optimize")
	if code != 0 || !strings.Contains(out, "too few to fit reliably") || !strings.Contains(out, "Keeping the current parameters") {
		t.Fatalf("too little history: %d %q %q", code, out, errs)
	}
	josh := filepath.Join("..", "shared", "data", "josh-revlog.csv")
	if _, err := os.Stat(josh); os.IsNotExist(err) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: CI must have ../shared beside the clone", josh)
		}
		t.Skipf("%s is absent (no ../shared beside this clone): the rest of this test skipped", josh)
	}
	code, out, errs = opsdeck(t, "", "optimize", "--revlog", josh, "--tz", "UTC", "--json")
	if code != 0 {
		t.Fatalf("optimize --revlog: %d %s", code, errs)
	}
	var res struct {
		Parameters      []float64 `json:"parameters"`
		LogLoss         float64   `json:"log_loss"`
		RMSEBins        float64   `json:"rmse_bins"`
		DefaultLogLoss  float64   `json:"default_log_loss"`
		DefaultRMSEBins float64   `json:"default_rmse_bins"`
		Items           int       `json:"items"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatal(err)
	}
	if len(res.Parameters) != 21 || res.Items != 6276 || res.LogLoss > 0.4387246 || // fsrs-rs 6.5 fits this file to 0.4387246
		res.DefaultLogLoss < 0.44646 || res.DefaultLogLoss > 0.44666 || res.RMSEBins >= res.DefaultRMSEBins {
		t.Fatalf("fit on josh: %+v", res)
	}
	code, _, errs = opsdeck(t, "", "optimize", "--revlog", josh, "--day-start", "25")
	if code != 2 || !strings.Contains(errs, "--day-start 25") {
		t.Fatalf("bad hour: %d %q", code, errs)
	}
}

// BenchmarkImport100k imports a 100,000-row Anki CSV into a fresh database
// through the command line (parse, check, one transaction).
func BenchmarkImport100k(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "big.csv")
	var buf bytes.Buffer
	buf.WriteString("#separator:comma\n#html:false\n#deck:Big\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&buf, "\"Question %d, with a comma\",\"Answer %d\nsecond line\"\n", i, i)
	}
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db := filepath.Join(dir, fmt.Sprintf("db%d", i))
		var out, errb bytes.Buffer
		if code := run([]string{"--db", db, "import", src}, strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatalf("import: %s", errb.String())
		}
		if !strings.Contains(out.String(), "100000 added") {
			b.Fatalf("import: %s", out.String())
		}
	}
}

// TestOptimizeDatabase simulates three months of study with a memory that
// differs from the default model, then fits, confirms and saves.
func TestOptimizeDatabase(t *testing.T) {
	db := tempDB(t)
	st, err := store.Open(db, &store.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	// The "true" memory: stability grows 3.5x per success, recall follows
	// FSRS's curve; grades are drawn with a fixed seed.
	rng := uint64(42)
	rand := func() float64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return float64(rng%1_000_000) / 1_000_000
	}
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	reviews := 0
	for c := 0; c < 120; c++ {
		id := fmt.Sprintf("sim/c%d", c)
		at := t0.Add(time.Duration(c%7) * 24 * time.Hour)
		s := 1.0 + rand()
		for at.Before(t0.AddDate(0, 3, 0)) {
			if _, err := st.Grade(id, 3, at, 5*time.Second); err != nil {
				t.Fatal(err)
			}
			reviews++
			next := time.Duration(s*24) * time.Hour
			if next < 24*time.Hour {
				next = 24 * time.Hour
			}
			at = at.Add(next)
			r := math.Pow(1+0.2346*next.Hours()/24/s, -0.5) // recall after the wait
			if rand() < r {
				s *= 3.5
			} else {
				s = math.Max(0.5, s*0.3)
				if _, err := st.Grade(id, 1, at, 9*time.Second); err != nil {
					t.Fatal(err)
				}
				reviews++
				at = at.Add(24 * time.Hour)
			}
		}
	}
	st.Close()
	if reviews < 600 {
		t.Fatalf("only %d simulated reviews", reviews)
	}
	t.Setenv("TZ", "UTC")
	t.Setenv("OPSDECK_NOW", t0.AddDate(0, 3, 1).Format(time.RFC3339))
	// Saying no saves nothing.
	code, out, errs := opsdeck(t, "n\n", "--db", db, "optimize")
	if code != 0 || !strings.Contains(out, "Save the fitted parameters? [y/N]") || !strings.Contains(out, "Not saved.") {
		t.Fatalf("optimize, answer no: %d %q %q", code, out, errs)
	}
	// --yes saves them and recomputes every card.
	code, out, errs = opsdeck(t, "", "--db", db, "optimize", "--yes")
	if code != 0 || !strings.Contains(out, "Saved. Memory state of 120 cards recomputed; due dates kept.") {
		t.Fatalf("optimize --yes: %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "fitting [") {
		t.Errorf("no progress bar on stderr: %q", errs)
	}
	st, err = store.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, _ := st.Settings()
	if len(set.Weights) != 21 || set.Weights[8] == fsrs.DefaultWeights[8] {
		t.Fatalf("weights not saved: %v", set.Weights)
	}
}

// The command line is parsed by kong: "help" is a value like any other,
// every command has its own --help with every flag, -- ends the flags, and
// an error names the flag once.
func TestCommandLineParsing(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "add", "--deck", "x", "--front", "help", "--back", "b")
	if code != 0 || !strings.HasPrefix(out, "x/") {
		t.Fatalf("add --front help: %d %q %q", code, out, errs)
	}
	code, out, _ = opsdeck(t, "", "export", "--help")
	if code != 0 {
		t.Fatalf("export --help: %d", code)
	}
	for _, f := range []string{"--deck", "--format", "--out", "--revlog", "--db"} {
		if !strings.Contains(out, f) {
			t.Errorf("export --help lacks %s:\n%s", f, out)
		}
	}
	code, _, errs = opsdeck(t, "", "--db", db, "review", "--", "--plain")
	if code != 2 || !strings.HasPrefix(errs, "opsdeck: ") || !strings.Contains(errs, `--plain`) {
		t.Errorf("review -- --plain: %d %q", code, errs)
	}
	code, _, errs = opsdeck(t, "", "--db", db, "stats", "--frobnicate")
	if code != 2 || !strings.HasPrefix(errs, "opsdeck: ") || !strings.Contains(errs, "--frobnicate") ||
		strings.Count(errs, "\n") != 1 {
		t.Errorf("bad flag: %d %q", code, errs)
	}
	code, _, errs = opsdeck(t, "", "--db", db, "export", "--format", "xml")
	if code != 2 || !strings.Contains(errs, "--format") {
		t.Errorf("bad enum: %d %q", code, errs)
	}
}

// tuiRows opens the TUI on db at now and reads the dashboard's rows: for
// each deck title, the new, learning and due counts shown.
func tuiRows(t *testing.T, db string, now time.Time) map[string][3]int {
	t.Helper()
	builtin, err := builtinDecks()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db, &store.Options{Builtin: builtin})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var m tea.Model = tui.New(study.New(st), tui.Options{Now: func() time.Time { return now }})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = m.Update(m.Init()())
	rows := map[string][3]int{}
	re := regexp.MustCompile(`^[ ›] (\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s*$`)
	for _, line := range strings.Split(m.View(), "\n") {
		if g := re.FindStringSubmatch(line); g != nil {
			a, _ := strconv.Atoi(g[2])
			b, _ := strconv.Atoi(g[3])
			c, _ := strconv.Atoi(g[4])
			rows[g[1]] = [3]int{a, b, c}
		}
	}
	if len(rows) < 8 {
		t.Fatalf("dashboard rows not found:\n%s", m.View())
	}
	return rows
}

// TestFrontEndsAgreeOnToday: over simulated days with learning cards,
// reviews due, the global limit and a deck's limit binding, decks --json
// (new_today), the TUI's deck rows and review --plain --deck ID offer the
// same cards.
func TestFrontEndsAgreeOnToday(t *testing.T) {
	db := tempDB(t)
	day0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local)
	answers := strings.Repeat("\n3\n", 25) // 25 cards graded Good
	for d := 0; d < 4; d++ {
		at := day0.AddDate(0, 0, d)
		switch d {
		case 0: // the global limit: 20 new cards across all areas
			plainSession(t, db, at, answers)
		case 1: // a deck's own limit: mlops studied alone
			plainSession(t, db, at, strings.Repeat("\n3\n", 20), "--deck", "mlops")
		case 2: // reviews due and learning cards left
			plainSession(t, db, at, strings.Repeat("\n1\n", 8))
		}
		now := at.Add(2 * time.Minute)
		t.Setenv("OPSDECK_NOW", now.Format(time.RFC3339))
		code, out, errs := opsdeck(t, "", "--db", db, "decks", "--json")
		if code != 0 {
			t.Fatalf("decks: %s", errs)
		}
		var list stats.DeckList
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatal(err)
		}
		rows := tuiRows(t, db, now)
		for _, dk := range list.Decks {
			row, ok := rows[dk.Title]
			if !ok {
				t.Fatalf("day %d: no TUI row for %q", d, dk.Title)
			}
			if row[0] != dk.NewToday {
				t.Errorf("day %d %s: TUI new %d, decks --json new_today %d", d, dk.ID, row[0], dk.NewToday)
			}
			_, plain, _ := opsdeck(t, "q\n", "--db", db, "review", "--plain", "--deck", dk.ID)
			g := regexp.MustCompile(`(\d+) left today`).FindStringSubmatch(plain)
			if g == nil {
				t.Fatalf("day %d %s: no done line in %q", d, dk.ID, plain)
			}
			left, _ := strconv.Atoi(g[1])
			if want := row[0] + row[1] + row[2]; left != want {
				t.Errorf("day %d %s: review --plain offers %d, TUI row %v", d, dk.ID, left, row)
			}
			if d == 0 && dk.ID == "mlops" && (dk.NewToday == 0 || dk.NewToday == 20) {
				t.Errorf("day 0: mlops new_today %d: its own limit less its own new cards today", dk.NewToday)
			}
		}
		if all := rows["Study everything due"]; d == 0 && all[0] != 0 {
			t.Errorf("day 0: the global limit is used up, yet everything offers %d new", all[0])
		}
	}
}

// No command writes over the database: not by its name, not through a
// symlink, not as ./name; the database stays byte-identical and usable.
func TestExportNeverOverwritesTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "q", "--back", "a"); code != 0 {
		t.Fatal(errs)
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	before := sha(t, db)
	for _, args := range [][]string{
		{"export", "--revlog", "--out", db},
		{"export", "--deck", "kubernetes", "--out", db},
		{"export", "--format", "csv", "--out", "./x.db"},
		{"export", "--deck", "mine", "--out", link},
		{"export", "--out", db},
		{"backup", link},
		{"import", "./x.db"},
	} {
		code, _, errs := opsdeck(t, "", append([]string{"--db", db}, args...)...)
		if code != 1 || !strings.HasPrefix(errs, "opsdeck: ") || !strings.Contains(errs, "database") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
		if sha(t, db) != before {
			t.Fatalf("%v changed the database", args)
		}
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "check"); code != 0 {
		t.Fatalf("check after: %s", errs)
	}
}

// An export that fails leaves the old file as it was and no temporary
// file; a temporary left by a killed export is cleaned on the next one.
func TestExportIsAtomic(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	out := filepath.Join(dir, "deck.md")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".deck.md.tmp-123")
	if err := os.WriteFile(stale, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--deck", "no-such-deck", "--out", out); code != 1 {
		t.Fatalf("unknown deck: %d %s", code, errs)
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Fatalf("failed export changed the file: %q", b)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--deck", "kubernetes", "--out", out); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "# Kubernetes") {
		t.Fatalf("export: %.40q", b)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("stale temporary still there: %v", err)
	}
}

// review --plain writes card text so that no line of it can pass for a
// protocol line; a card with a control character is refused.
func TestPlainReviewCannotBeSpoofed(t *testing.T) {
	db := tempDB(t)
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "other", "--front", "q", "--back", "a"); code != 0 {
		t.Fatal(errs)
	}
	before := sha(t, db)
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "evil", "--front", "x\x1b]2;pwned\x07", "--back", "b"); code != 1 ||
		!strings.Contains(errs, "control character") || strings.ContainsAny(errs, "\x1b\x07") {
		t.Fatalf("a control character was accepted or echoed: %d %q", code, errs)
	}
	if sha(t, db) != before {
		t.Fatal("a refused add changed the database")
	}
	front := "What?\nA: fake answer\ngrade: 1 again 1m\n--- 2/2 x x/y new\ndone: 0 reviewed"
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "evil", "--front", front, "--back", "B\n\nQ: no"); code != 0 {
		t.Fatal(errs)
	}
	out := plainSession(t, db, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "\nq\n", "--deck", "evil")
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Fatalf("control characters reached the output: %q", out)
	}
	var protocol []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if l != "" && l[0] != ' ' {
			protocol = append(protocol, strings.SplitN(l, " ", 2)[0])
		}
	}
	if got := strings.Join(protocol, " "); got != "--- Q: A: grade: done:" {
		t.Fatalf("protocol lines %q in\n%s", got, out)
	}
	if !strings.Contains(out, "\n  A: fake answer\n") || !strings.Contains(out, "\n  \n  Q: no\n") {
		t.Fatalf("continuation lines not indented:\n%s", out)
	}
}

// opsdeck stats keeps its columns aligned in terminal cells when a deck
// title is CJK (two cells a character).
func TestStatsTableAlignsWideText(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	md := "# 日本語のデッキ名前テスト\nid: cjk\ndescription: wide title\n\n## one\n\nQ: q\n\nA: a\n"
	path := filepath.Join(dir, "cjk.md")
	if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "import", path); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := opsdeck(t, "", "--db", db, "stats")
	if code != 0 {
		t.Fatal(errs)
	}
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "日本") || strings.HasPrefix(strings.TrimSpace(l), "Kubernetes") || strings.HasPrefix(strings.TrimSpace(l), "Total") {
			rows = append(rows, l)
		}
	}
	if len(rows) < 3 {
		t.Fatalf("rows not found:\n%s", out)
	}
	// The last column ends at the same cell on every row.
	want := ansi.StringWidth(strings.TrimRight(rows[0], " "))
	for _, r := range rows[1:] {
		if got := ansi.StringWidth(strings.TrimRight(r, " ")); got != want {
			t.Errorf("row ends at cell %d, want %d:\n%s\n%s", got, want, rows[0], r)
		}
	}
}

// TestHostileFiles runs every hostile file of deck/testdata/hostile
// against every command that reads it (import and import --dry-run for
// decks and Anki files, optimize --revlog for review logs), plus a line
// over 1 MiB and /dev/zero: each fails with status 1 and a message naming
// the file and line (or the path), leaves the database byte-identical, and
// writes no raw control character.
func TestHostileFiles(t *testing.T) {
	dir := filepath.Join("deck", "testdata", "hostile")
	raw, err := os.ReadFile(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := tempDB(t)
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "q", "--back", "a"); code != 0 {
		t.Fatal(errs)
	}
	type hostile struct{ file, want string }
	var files []hostile
	for _, line := range strings.Split(string(raw), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("expect.txt: %q", line)
		}
		files = append(files, hostile{filepath.Join(dir, name), filepath.Join(dir, want)})
	}
	long := filepath.Join(t.TempDir(), "long.csv")
	if err := os.WriteFile(long, []byte("#separator:tab\nq\t"+strings.Repeat("a", 1<<20+10)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, hostile{long, long + ":2: line 2 is longer than 1 MiB"}, hostile{"/dev/zero", "/dev/zero"})
	if len(files) < 20 {
		t.Fatalf("only %d hostile files", len(files))
	}
	before := sha(t, db)
	for _, h := range files {
		var runs [][]string
		if strings.HasPrefix(filepath.Base(h.file), "revlog-") {
			runs = [][]string{{"optimize", "--revlog", h.file}}
		} else {
			runs = [][]string{{"import", h.file}, {"import", "--dry-run", h.file}, {"import", "--deck", "x", h.file}}
		}
		for _, args := range runs {
			code, out, errs := opsdeck(t, "", append([]string{"--db", db}, args...)...)
			if code != 1 || !strings.HasPrefix(errs, "opsdeck: ") || !strings.Contains(errs, h.want) {
				t.Errorf("%v: status %d, stderr %q; want 1 and %q", args, code, errs, h.want)
			}
			for _, b := range []byte(out + errs) {
				if (b < 0x20 && b != '\n' && b != '\t') || b == 0x7f {
					t.Errorf("%v: raw control byte %#x in the output", args, b)
					break
				}
			}
			if sha(t, db) != before {
				t.Fatalf("%v changed the database", args)
			}
		}
	}
}

// studiedDB is the bytes of a small database: 20 custom cards, three of
// them studied.
func studiedDB(t *testing.T) []byte {
	t.Helper()
	base := tempDB(t)
	for i := 0; i < 20; i++ {
		if code, _, errs := opsdeck(t, "", "--db", base, "add", "--deck", "x", "--front", fmt.Sprintf("question %d", i), "--back", "a"); code != 0 {
			t.Fatal(errs)
		}
	}
	plainSession(t, base, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "\n3\n\n1\n\n3\n")
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// damagedCopy writes data with bytes 16-96 of the page flipped to a new
// file and returns its path.
func damagedCopy(t *testing.T, data []byte, page int) string {
	t.Helper()
	bad := slices.Clone(data)
	for i := 16; i < 96; i++ {
		bad[page*4096+i] ^= 0x5a
	}
	db := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(db, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	return db
}

// A damaged database: check says what it found (status 1), and no command
// writes into it; every page is tried.
func TestDamagedDatabaseIsNeverWritten(t *testing.T) {
	data := studiedDB(t)
	damagedSeen := 0
	for page := 2; page*4096 < len(data); page++ {
		db := damagedCopy(t, data, page)
		code, out, errs := opsdeck(t, "", "--db", db, "check")
		if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine") {
			t.Fatalf("page %d: check panicked: %s", page, errs)
		}
		if code == 0 {
			continue // this page held nothing that matters
		}
		damagedSeen++
		if code != 1 || !strings.Contains(errs, db) {
			t.Errorf("page %d: check %d %q %q", page, code, out, errs)
		}
		before := sha(t, db)
		for _, args := range [][]string{
			{"add", "--deck", "x", "--front", "new", "--back", "b"},
			{"review", "--plain"},
			{"backup", filepath.Join(t.TempDir(), "copy.db")},
		} {
			code, _, errs := opsdeck(t, "\n3\n", append([]string{"--db", db}, args...)...)
			if code != 1 || !strings.Contains(errs, "damaged") {
				t.Errorf("page %d: %v: %d %q", page, args, code, errs)
			}
			if sha(t, db) != before {
				t.Fatalf("page %d: %v wrote into a damaged database", page, args)
			}
		}
	}
	if damagedSeen == 0 {
		t.Fatal("no page damage was detected at all")
	}
	t.Logf("%d damaged pages refused", damagedSeen)
}

// appGrade runs the app (no command) on db with a TUI that reads the first
// frame as the real one does (LoadCounts; the grade starts the background
// structure check and waits for it), then grades a card; it returns the exit status, stderr
// and the grade's error (nil, also when the app did not get as far).
func appGrade(t *testing.T, db string) (int, string, error) {
	t.Helper()
	var gerr error
	var errb bytes.Buffer
	tui := func(svc *study.Service, now func() time.Time, _ func() (string, error), _ bool) error {
		if _, err := svc.LoadCounts(now(), true); err != nil {
			return err
		}
		_, gerr = svc.Grade("x/"+deck.SlugFor("question 1"), fsrs.Good, now(), time.Second)
		return nil
	}
	code := cli.Run([]string{"--db", db}, &cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Builtin: builtinDecks, RunTUI: tui})
	return code, errb.String(), gerr
}

// The app opens a file without waiting for its structure check (which
// starts once the library is read, or at the first write), and still
// writes nothing into a
// file the check finds damaged: every write waits for the check.
func TestAppChecksInBackgroundAndNeverWritesADamagedFile(t *testing.T) {
	data := studiedDB(t)
	healthy := filepath.Join(t.TempDir(), "ok.db")
	if err := os.WriteFile(healthy, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, errs, gerr := appGrade(t, healthy); code != 0 || gerr != nil {
		t.Fatalf("healthy file: %d %q, grade %v", code, errs, gerr)
	}
	inBackground := 0
	for page := 2; page*4096 < len(data); page++ {
		db := damagedCopy(t, data, page)
		if code, _, _ := opsdeck(t, "", "--db", db, "check"); code == 0 {
			continue // this page held nothing that matters
		}
		before := sha(t, db)
		code, errs, gerr := appGrade(t, db)
		switch {
		case code != 0 && strings.Contains(errs, "damaged"):
			// refused at once (the meta pages, or the first frame's read)
		case code == 0 && errors.Is(gerr, store.ErrDamaged):
			inBackground++
		default:
			t.Errorf("page %d: app %d %q, grade %v", page, code, errs, gerr)
		}
		if sha(t, db) != before {
			t.Fatalf("page %d: the app wrote into a damaged database", page)
		}
	}
	if inBackground == 0 {
		t.Fatal("no damaged page was found by the background check")
	}
	t.Logf("%d damaged pages found by the background check", inBackground)
}

// FuzzPlainReview feeds any input to review --plain: it never panics, ends
// with a done: line, and every line it writes is a protocol line or
// indented card text, without raw control characters.
//
//	go test -run '^$' -fuzz '^FuzzPlainReview$' -fuzztime 5m .
func FuzzPlainReview(f *testing.F) {
	for _, s := range []string{"", "\n3\n", "\n1\nu\nu\n\n4\n", "q\n", "\nx\n9\n\n2\nq\n", "\n\n\n\n", "\n3\n\n3\n\n3\n\n3\n"} {
		f.Add(s)
	}
	dir := f.TempDir()
	base := filepath.Join(dir, "base.db")
	if code := run([]string{"--db", base, "add", "--deck", "x", "--front", "Q one\nA: not a protocol line", "--back", "B\n--- nor this"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
		f.Fatal("setup")
	}
	seed, err := os.ReadFile(base)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input string) {
		db := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(db, seed, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("OPSDECK_NOW", "2026-03-02T09:00:00Z")
		var out, errb bytes.Buffer
		code := run([]string{"--db", db, "review", "--plain", "--deck", "x"}, strings.NewReader(input), &out, &errb)
		if code != 0 {
			t.Fatalf("status %d: %s", code, errb.String())
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if !strings.HasPrefix(lines[len(lines)-1], "done: ") {
			t.Fatalf("no done line at the end: %q", out.String())
		}
		for _, l := range lines {
			ok := strings.HasPrefix(l, "  ") || l == ""
			for _, p := range []string{"--- ", "Q: ", "A: ", "grade: ", "done: ", "undo: ", "undone: ", "leech: "} {
				ok = ok || strings.HasPrefix(l, p)
			}
			if !ok {
				t.Fatalf("line %q is neither protocol nor indented text", l)
			}
			for _, b := range []byte(l) {
				if b < 0x20 && b != '\t' || b == 0x7f {
					t.Fatalf("raw control byte %#x in %q", b, l)
				}
			}
		}
	})
}

// Anki's learning steps in the plain protocol: after Good on a new card
// (default steps 1m 10m), Hard repeats the 10m step.
func TestPlainReviewAnkiSteps(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := tempDB(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	t.Setenv("OPSDECK_NOW", at.Format(time.RFC3339))
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "What is a PDB?", "--back", "A PodDisruptionBudget."); code != 0 {
		t.Fatal(errs)
	}
	// Good on the new card; it comes back (learn-ahead: nothing else left).
	out := plainSession(t, db, at, "\n3\n\nq\n", "--deck", "mine")
	lines := regexpAll(out, `(?m)^grade: .*$`)
	if len(lines) != 2 {
		t.Fatalf("want two grade lines:\n%s", out)
	}
	if !strings.HasPrefix(lines[0][0], "grade: 1 again 1m | 2 hard 6m | 3 good 10m | 4 easy ") {
		t.Errorf("new card: %s", lines[0][0])
	}
	if !strings.HasPrefix(lines[1][0], "grade: 1 again 1m | 2 hard 10m | 3 good ") {
		t.Errorf("after Good: %s, want hard 10m (Anki: Hard repeats a later step)", lines[1][0])
	}
	// u at the question undoes the last grade of the session.
	out = plainSession(t, db, at.Add(time.Minute), "\n1\nu\nq\n", "--deck", "mine")
	if !strings.Contains(out, "undone: mine/") || strings.Count(out, "--- ") != 3 {
		t.Errorf("u at the question:\n%s", out)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "other", "--front", "What is HPA?", "--back", "Horizontal Pod Autoscaler."); code != 0 {
		t.Fatal(errs)
	}
	out = plainSession(t, db, at.Add(2*time.Minute), "u\nq\n", "--deck", "other")
	if !strings.Contains(out, "undo: nothing to undo in this session") {
		t.Errorf("u with nothing to undo:\n%s", out)
	}
}

// add makes a cloze note when the front has {{cN::...}} (the back is then
// the optional extra): one card per deletion, exported as one note.
func TestAddClozeNote(t *testing.T) {
	db := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "{{c1::RPO}} is how much data you may lose; {{c2::RTO}} how long you may be down")
	if code != 0 {
		t.Fatalf("add cloze: %d %s", code, errs)
	}
	ids := strings.Fields(out)
	if len(ids) != 2 || !strings.HasSuffix(ids[1], "-c2") || ids[1] != ids[0]+"-c2" {
		t.Fatalf("cloze IDs: %q", out)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "export", "--deck", "mine")
	if code != 0 || !strings.Contains(out, "C: {{c1::RPO}} is how much") || strings.Count(out, "\n## ") != 1 {
		t.Fatalf("export of the cloze note:\n%s", out)
	}
	// A basic card still needs its back.
	code, _, errs = opsdeck(t, "", "--db", db, "add", "--deck", "mine", "--front", "What is RPO?")
	if code != 1 || !strings.HasPrefix(errs, "opsdeck: add: ") {
		t.Errorf("basic card without a back: %d %q", code, errs)
	}
}
