package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

// openStore opens db for a test's checks; the caller closes it.
func openStore(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(db, &store.Options{Builtin: mustBuiltin(t)})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCSVExportImportExportIsIdentical(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "mine.md")
	os.WriteFile(src, []byte("# My Own, \"Stuff\"\nid: my-stuff\n\n## q1\ntags: a, b\nsource: https://learn.microsoft.com/azure\nas-of: 2026-01\n\nQ: What is **bold**?\\\nsecond line\n\nA: It is.\n\n## cz\nC: {{c1::Pods}} run on {{c2::nodes::where}}\nA: extra\n"), 0o644)
	if code, _, errs := opsdeck(t, "", "--db", db, "import", src); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "add", "--deck", "cloud-migration", "--front", "Custom in a built-in deck?", "--back", "Yes"); code != 0 {
		t.Fatal(errs)
	}
	f1, f2, f3 := filepath.Join(dir, "1.csv"), filepath.Join(dir, "2.csv"), filepath.Join(dir, "3.csv")
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--format", "csv", "--out", f1); code != 0 {
		t.Fatal(errs)
	}
	b1, _ := os.ReadFile(f1)
	for _, want := range []string{"#guid column:1\n", "#notetype column:2\n", "#deck column:3\n", "#tags column:6\n", "#opsdeck title:my-stuff My Own, \"Stuff\"\n", "\nmy-stuff/cz,Cloze,my-stuff,"} {
		if !bytes.Contains(b1, []byte(want)) {
			t.Errorf("export lacks %q", want)
		}
	}
	code, out, errs := opsdeck(t, "", "--db", db, "import", f1)
	if code != 0 || !strings.Contains(out, " 0 added, 0 updated, ") || !strings.Contains(out, "(0 new decks)") {
		t.Fatalf("re-import: %d %q %q", code, out, errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--format", "csv", "--out", f2); code != 0 {
		t.Fatal(errs)
	}
	if b2, _ := os.ReadFile(f2); !bytes.Equal(b1, b2) {
		t.Fatalf("export -> import -> export differs:\n%s\n---\n%s", b1, b2)
	}
	// Into a fresh database: the same export.
	fresh := tempDB(t)
	if code, _, errs := opsdeck(t, "", "--db", fresh, "import", f1); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", fresh, "export", "--format", "csv", "--out", f3); code != 0 {
		t.Fatal(errs)
	}
	if b3, _ := os.ReadFile(f3); !bytes.Equal(b1, b3) {
		t.Fatalf("export -> fresh import -> export differs:\n%s\n---\n%s", b1, b3)
	}
	st := openStore(t, fresh)
	defer st.Close()
	ds, _ := st.Decks()
	for _, d := range ds {
		if d.ID == "my-stuff" && d.Title != `My Own, "Stuff"` {
			t.Errorf("title %q", d.Title)
		}
	}
}

func TestAnkiGUIDUpdatesTheCardInPlace(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := tempDB(t)
	dir := t.TempDir()
	write := func(front string) string {
		p := filepath.Join(dir, "anki.txt")
		os.WriteFile(p, []byte("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"+
			"f8Kx<P]/q\tBasic\tAzure\t"+front+"\tAn answer\n"), 0o644)
		return p
	}
	if code, out, errs := opsdeck(t, "", "--db", db, "import", write("Old <b>front</b>")); code != 0 || !strings.Contains(out, "1 added") {
		t.Fatal(out, errs)
	}
	plainSession(t, db, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), "\n3\nq\n", "--deck", "azure")
	st := openStore(t, db)
	ds, _ := st.Decks()
	var id string
	for _, d := range ds {
		if d.ID == "azure" {
			id = d.Cards[0].ID
		}
	}
	st.Close()
	code, out, errs := opsdeck(t, "", "--db", db, "import", write("New front, edited in Anki"))
	if code != 0 || !strings.Contains(out, "0 added, 1 updated") {
		t.Fatalf("re-import after an edit: %d %q %q", code, out, errs)
	}
	st = openStore(t, db)
	defer st.Close()
	ds, _ = st.Decks()
	for _, d := range ds {
		if d.ID == "azure" {
			if len(d.Cards) != 1 || d.Cards[0].ID != id || d.Cards[0].Front != "New front, edited in Anki" {
				t.Fatalf("cards %+v, want one with ID %s", d.Cards, id)
			}
		}
	}
	p, ok, err := st.Progress(id)
	if err != nil || !ok || p.Sched.Reps != 1 || p.Sched.State == fsrs.New {
		t.Fatalf("history lost: %+v %v %v", p, ok, err)
	}
}

func TestAPKGExportAndImportFromTheCommandLine(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	pkg := filepath.Join(dir, "k8s.apkg")
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--format", "apkg"); code != 2 || !strings.Contains(errs, "needs --out FILE") {
		t.Fatalf("apkg to stdout: %d %q", code, errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--format", "apkg", "--deck", "kubernetes", "--out", pkg); code != 0 {
		t.Fatal(errs)
	}
	fresh := tempDB(t)
	code, out, errs := opsdeck(t, "", "--db", fresh, "import", pkg, "--dry-run")
	if code != 0 || !strings.Contains(out, pkg+" (collection.anki2): ") || !strings.Contains(out, "dry run, nothing written: would import: 0 added, 0 updated, ") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	// into a database with the built-in decks: the same cards, IDs kept
	code, out, errs = opsdeck(t, "", "--db", fresh, "import", pkg)
	if code != 0 || !strings.Contains(out, "imported: 0 added, 0 updated, ") || !strings.Contains(out, "history: 0 cards scheduled from 0 reviews") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	// the whole library (code fences, tables, lists): nothing changes
	all := filepath.Join(dir, "all.apkg")
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--format", "apkg", "--out", all); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs = opsdeck(t, "", "--db", tempDB(t), "import", all)
	if code != 0 || !strings.Contains(out, "imported: 0 added, 0 updated, ") {
		t.Fatalf("whole library: %d %q %q", code, out, errs)
	}
	// into another deck: every card added once
	code, out, errs = opsdeck(t, "", "--db", fresh, "import", pkg, "--deck", "phone")
	if code != 0 || strings.Contains(out, " 0 added") || !strings.Contains(out, "(1 new decks)") {
		t.Fatalf("import --deck: %d %q %q", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.apkg")
	os.WriteFile(bad, []byte("PK not really"), 0o644)
	if code, _, errs := opsdeck(t, "", "--db", fresh, "import", bad); code != 1 || !strings.Contains(errs, "opsdeck: "+bad+": not an Anki package") {
		t.Fatalf("bad package: %d %q", code, errs)
	}
}

func TestMarkdownDirectoryRoundTrips(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "mine.md")
	os.WriteFile(src, []byte("# Mine\nid: mine\n\n## q\nQ: A question?\n\nA: An answer.\n"), 0o644)
	if code, _, errs := opsdeck(t, "", "--db", db, "import", src); code != 0 {
		t.Fatal(errs)
	}
	out1, out2 := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	if code, _, errs := opsdeck(t, "", "--db", db, "export", "--out", out1); code != 0 {
		t.Fatal(errs)
	}
	fresh := tempDB(t)
	if code, _, errs := opsdeck(t, "", "--db", fresh, "import", out1); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := opsdeck(t, "", "--db", fresh, "export", "--out", out2); code != 0 {
		t.Fatal(errs)
	}
	files, _ := filepath.Glob(filepath.Join(out1, "*.md"))
	if len(files) != 8 {
		t.Fatalf("%d files", len(files))
	}
	for _, f := range files {
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(out2, filepath.Base(f)))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs after export -> import DIR -> export", filepath.Base(f))
		}
	}
}
