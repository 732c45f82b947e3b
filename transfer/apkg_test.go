package transfer

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

// The tables the current Anki (schema 18) adds; decks, note types, fields
// and templates leave col's JSON for them.
const schema18 = `
CREATE TABLE decks (id integer primary key not null, name text not null, mtime_secs integer not null,
  usn integer not null, common blob not null, kind blob not null);
CREATE TABLE notetypes (id integer not null primary key, name text not null, mtime_secs integer not null,
  usn integer not null, config blob not null);
CREATE TABLE fields (ntid integer not null, ord integer not null, name text not null, config blob not null,
  primary key (ntid, ord)) without rowid;
CREATE TABLE templates (ntid integer not null, ord integer not null, name text not null, mtime_secs integer not null,
  usn integer not null, config blob not null, primary key (ntid, ord)) without rowid;
`

type testNote struct {
	id     int64
	guid   string
	mid    int64
	tags   string
	fields []string
	did    int64
	ords   []int
	queue  int // of every card: 0 new, 2 review, -1 suspended, -3 buried
}

type testRev struct {
	id, cid       int64
	ease, kind    int
	ivl, factor   int64
	durationMilli int64
}

const (
	midBasic    = 1001
	midReversed = 1002
	midCloze    = 1003
	midOther    = 1004
)

// testCollection is a small Anki collection: Basic, Basic (and reversed
// card), Cloze and a three-field note type; a deck tree; a suspended and
// a buried card; and a review log of a few hundred reviews.
func testCollection() ([]testNote, []testRev, map[int64]string) {
	decks := map[int64]string{1: "Default", 10: "AZ-305", 11: "AZ-305::Networking"}
	notes := []testNote{
		{id: 1, guid: "aB3$dE5", mid: midBasic, tags: " azure networking ", fields: []string{"What is a <b>hub-spoke</b> topology?", "A hub VNet<br>peered with spokes"}, did: 11, ords: []int{0}, queue: 2},
		{id: 2, guid: "q!W2e#R4", mid: midReversed, tags: "", fields: []string{"ExpressRoute", "A private link to Azure"}, did: 10, ords: []int{0, 1}, queue: 2},
		{id: 3, guid: "Zx9&cV1", mid: midCloze, tags: " cloze ", fields: []string{"{{c1::Azure Firewall}} filters {{c2::east-west}} traffic", "<i>extra</i>"}, did: 11, ords: []int{0, 1}, queue: 2},
		{id: 4, guid: "susp%1", mid: midBasic, tags: "", fields: []string{"Suspended question", "answer"}, did: 10, ords: []int{0}, queue: -1},
		{id: 5, guid: "bur^ied", mid: midBasic, tags: "", fields: []string{"Buried question", "answer"}, did: 10, ords: []int{0}, queue: -3},
		{id: 6, guid: "vocab*1", mid: midOther, tags: "", fields: []string{"Front word", "Back meaning", "an example"}, did: 1, ords: []int{0, 1}, queue: 2},
		{id: 7, guid: "new(1)", mid: midBasic, tags: "", fields: []string{"Never studied", "so new"}, did: 10, ords: []int{0}, queue: 0},
	}
	rnd := rand.New(rand.NewSource(7))
	var revs []testRev
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	id := t0.UnixMilli()
	for _, n := range notes {
		if n.queue == 0 {
			continue
		}
		for _, ord := range n.ords {
			cid := n.id*10 + int64(ord)
			at := id
			for k := 0; k < 40; k++ {
				at += int64(rnd.Intn(6*24*3600*1000) + 60_000)
				ease := 3
				switch x := rnd.Intn(10); {
				case x == 0:
					ease = 1
				case x == 1:
					ease = 2
				case x == 9:
					ease = 4
				}
				revs = append(revs, testRev{id: at, cid: cid, ease: ease, kind: 1, ivl: 3, factor: 2500, durationMilli: 8000})
			}
			// a rescheduling row (not a grading) and a filtered-deck review
			revs = append(revs, testRev{id: at + 1000, cid: cid, ease: 0, kind: 5, ivl: 10, factor: 2500})
		}
	}
	return notes, revs, decks
}

// buildPackage writes an Anki package of the test collection: schema 11
// in collection.anki21 (an .apkg), or schema 18 zstd-compressed in
// collection.anki21b beside a dummy collection.anki2 (a .colpkg, as
// current Anki writes).
func buildPackage(t testing.TB, path string, schema18Pkg bool, notes []testNote, revs []testRev, decks map[int64]string) {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "c.db")
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Begin()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := tx.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(Schema11)
	type nt struct {
		name   string
		kind   int
		fields []string
		tmpls  int
	}
	nts := map[int64]nt{
		midBasic:    {"Basic", 0, []string{"Front", "Back"}, 1},
		midReversed: {"Basic (and reversed card)", 0, []string{"Front", "Back"}, 2},
		midCloze:    {"Cloze", 1, []string{"Text", "Back Extra"}, 1},
		midOther:    {"Vocabulary", 0, []string{"Word", "Meaning", "Example"}, 2},
	}
	models, deckJSON := "{}", "{}"
	if schema18Pkg {
		mustExec(schema18)
		for id, name := range decks {
			mustExec(`INSERT INTO decks VALUES (?,?,0,0,x'',x'')`, id, strings.ReplaceAll(name, "::", "\x1f"))
		}
		for id, m := range nts {
			config := []byte{}
			if m.kind == 1 {
				config = []byte{0x08, 0x01} // Notetype.Config.kind = CLOZE
			}
			config = append(config, 0x1a, 0x03, 'c', 's', 's') // a css string after it
			mustExec(`INSERT INTO notetypes VALUES (?,?,0,0,?)`, id, m.name, config)
			for i, f := range m.fields {
				mustExec(`INSERT INTO fields VALUES (?,?,?,x'')`, id, i, f)
			}
			for i := 0; i < m.tmpls; i++ {
				mustExec(`INSERT INTO templates VALUES (?,?,?,0,0,x'')`, id, i, fmt.Sprintf("Card %d", i+1))
			}
		}
	} else {
		ms := map[string]any{}
		for id, m := range nts {
			var flds, tmpls []map[string]any
			for i, f := range m.fields {
				flds = append(flds, map[string]any{"name": f, "ord": i})
			}
			for i := 0; i < m.tmpls; i++ {
				tmpls = append(tmpls, map[string]any{"name": fmt.Sprintf("Card %d", i+1), "ord": i})
			}
			ms[fmt.Sprint(id)] = map[string]any{"id": id, "name": m.name, "type": m.kind, "flds": flds, "tmpls": tmpls}
		}
		ds := map[string]any{}
		for id, name := range decks {
			ds[fmt.Sprint(id)] = map[string]any{"id": id, "name": name}
		}
		b, _ := json.Marshal(ms)
		models = string(b)
		b, _ = json.Marshal(ds)
		deckJSON = string(b)
	}
	mustExec(`INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}',?,?,'{}','{}')`, models, deckJSON)
	for _, n := range notes {
		mustExec(`INSERT INTO notes VALUES (?,?,?,0,0,?,?,'',0,0,'')`, n.id, n.guid, n.mid, n.tags, strings.Join(n.fields, "\x1f"))
		for _, ord := range n.ords {
			mustExec(`INSERT INTO cards VALUES (?,?,?,?,0,0,2,?,100,3,2500,5,0,0,0,0,0,'')`, n.id*10+int64(ord), n.id, n.did, ord, n.queue)
		}
	}
	for _, r := range revs {
		mustExec(`INSERT INTO revlog VALUES (?,?,0,?,?,0,?,?,?)`, r.id, r.cid, r.ease, r.ivl, r.factor, r.durationMilli, r.kind)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	add := func(name string, data []byte) {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	if schema18Pkg {
		enc, _ := zstd.NewWriter(nil)
		add("collection.anki2", []byte("a dummy collection: please update Anki"))
		add("collection.anki21b", enc.EncodeAll(raw, nil))
		add("media", []byte{})
	} else {
		add("collection.anki21", raw)
		add("media", []byte(`{"0": "diagram.png"}`))
		add("0", []byte("PNG"))
	}
	zw.Close()
	if err := os.WriteFile(path, zb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func openTestStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path, &store.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestImportAnkiPackageWithHistory(t *testing.T) {
	notes, revs, decks := testCollection()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, kind := range []string{"apkg", "colpkg"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			pkg := filepath.Join(dir, "deck."+kind)
			buildPackage(t, pkg, kind == "colpkg", notes, revs, decks)
			st := openTestStore(t, filepath.Join(dir, "o.db"))
			dry, err := ImportReport(st, []string{pkg}, "", true, now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := st.ReviewCount(); n != 0 || dry.Added != 9 {
				t.Fatalf("dry run: %d reviews written, %+v", n, dry)
			}
			rep, err := ImportReport(st, []string{pkg}, "", false, now, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := rep.Packages[0]
			// Notes: 3 Basic, 1 reversed (2 cards), 1 cloze (2 cards), 1
			// mapped by its first two fields (its second template left out).
			want := map[string]int{"Basic": 4, "Basic and reversed": 1, "Cloze": 1, "first two fields": 1}
			if fmt.Sprint(p.Mapped) != fmt.Sprint(want) || p.Cards != 9 || p.Extra != 1 || p.Suspended != 1 || p.Buried != 1 {
				t.Fatalf("report %+v", p)
			}
			if kind == "apkg" && p.Media != 1 || kind == "colpkg" && !strings.Contains(p.Collection, "anki21b") {
				t.Errorf("media %d, collection %q", p.Media, p.Collection)
			}
			// 8 studied cards (6 notes, the reversed and cloze ones twice, the
			// new one not, the vocabulary note's 2nd card left out) x 40.
			wantReviews := 0
			for _, r := range revs {
				if r.ease > 0 && r.cid != 61 {
					wantReviews++
				}
			}
			if p.Reviews != wantReviews || rep.History.Reviews != wantReviews || wantReviews < 300 {
				t.Fatalf("reviews: read %d, written %d, want %d", p.Reviews, rep.History.Reviews, wantReviews)
			}
			if n, _ := st.ReviewCount(); n != wantReviews {
				t.Fatalf("review log has %d, want %d", n, wantReviews)
			}
			ds, _ := st.Decks()
			titles := map[string]string{}
			cards := map[string]deck.Card{}
			for _, d := range ds {
				titles[d.ID] = d.Title
				for _, c := range d.Cards {
					cards[c.ID] = c
				}
			}
			if titles["az-305-networking"] != "AZ-305::Networking" || titles["az-305"] != "AZ-305" || titles["default"] != "Default" {
				t.Fatalf("titles %v", titles)
			}
			// every card's S and D equal a replay of its history
			sch, _ := st.Scheduler()
			byCard := map[int64][]testRev{}
			for _, r := range revs {
				if r.ease > 0 {
					byCard[r.cid] = append(byCard[r.cid], r)
				}
			}
			checked := 0
			for _, n := range notes {
				for _, ord := range n.ords {
					id := cardIDFor(t, cards, n, ord)
					if id == "" {
						continue
					}
					var c fsrs.Card
					for _, r := range byCard[n.id*10+int64(ord)] {
						c = sch.Next(c, id, time.UnixMilli(r.id), fsrs.Rating(r.ease))
					}
					pr, ok, err := st.Progress(id)
					if err != nil {
						t.Fatal(err)
					}
					if n.queue == 0 {
						if ok && pr.Sched.Reps != 0 {
							t.Errorf("%s: a new card got progress %+v", id, pr)
						}
						continue
					}
					if !ok || math.Abs(pr.Sched.Stability-c.Stability) > 1e-9 || math.Abs(pr.Sched.Difficulty-c.Difficulty) > 1e-9 ||
						pr.Sched.Reps != c.Reps || !pr.Sched.Due.Equal(c.Due) {
						t.Errorf("%s: stored %+v, replay %+v", id, pr.Sched, c)
					}
					if pr.Suspended != (n.queue == -1) || pr.BuriedUntil.IsZero() != (n.queue != -3) {
						t.Errorf("%s: suspended %v buried %v, queue %d", id, pr.Suspended, pr.BuriedUntil, n.queue)
					}
					checked++
				}
			}
			if checked != 8 {
				t.Fatalf("checked %d cards", checked)
			}
			c := cards[cardIDFor(t, cards, notes[0], 0)]
			if c.Front != "What is a **hub-spoke** topology?" || c.Back != "A hub VNet\\\npeered with spokes" || strings.Join(c.Tags, ",") != "azure,networking" {
				t.Errorf("card text %+v", c)
			}
			// The same package again: nothing added, no review twice.
			again, err := ImportReport(st, []string{pkg}, "", false, now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if again.Added != 0 || again.Updated != 0 || again.History.Reviews != 0 || again.History.Kept != 8 {
				t.Fatalf("re-import %+v", again)
			}
			if n, _ := st.ReviewCount(); n != wantReviews {
				t.Fatalf("re-import: review log has %d", n)
			}
		})
	}
}

// cardIDFor finds the imported card of note n's Anki card ord ("" for a
// card left out).
func cardIDFor(t testing.TB, cards map[string]deck.Card, n testNote, ord int) string {
	front := n.fields[0]
	switch {
	case n.mid == midReversed && ord == 1:
		front = n.fields[1]
	case n.mid == midOther && ord == 1:
		return ""
	}
	for id, c := range cards {
		if n.mid == midCloze {
			if c.Kind == deck.Cloze && c.Index == ord+1 && strings.Contains(c.Text, "Azure Firewall") {
				return id
			}
			continue
		}
		if h, _ := deck.HTMLField(front); c.Front == h {
			return id
		}
	}
	t.Fatalf("no card for note %d card %d", n.id, ord)
	return ""
}

func TestAnkiPackageProblemsNameTheNote(t *testing.T) {
	notes, revs, decks := testCollection()
	notes = append(notes, testNote{id: 99, guid: "bad", mid: midBasic, fields: []string{"esc &#x1b;[2J here", "b"}, did: 1, ords: []int{0}})
	notes = append(notes, testNote{id: 98, guid: "bad2", mid: midBasic, fields: []string{"only front", ""}, did: 1, ords: []int{0}})
	notes = append(notes, testNote{id: 97, guid: "bad3", mid: midBasic, tags: "a\x1b[2Jb", fields: []string{"q", "a"}, did: 1, ords: []int{0}})
	notes = append(notes, testNote{id: 96, guid: "bad4", mid: midBasic, fields: []string{"q2", "a"}, did: 66, ords: []int{0}})
	decks[66] = "Evil\x1b]0;title\x07"
	dir := t.TempDir()
	pkg := filepath.Join(dir, "bad.apkg")
	buildPackage(t, pkg, false, notes, revs, decks)
	st := openTestStore(t, filepath.Join(dir, "o.db"))
	_, err := ImportReport(st, []string{pkg}, "", false, time.Now(), nil)
	if err == nil || !strings.Contains(err.Error(), pkg+": note 99: field 1: HTML decodes to control character") ||
		!strings.Contains(err.Error(), pkg+": note 98: card 1: an empty question or answer") ||
		!strings.Contains(err.Error(), pkg+": note 97: a control character") || !strings.Contains(err.Error(), pkg+": note 96: its deck's name holds a control character") || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("err %v", err)
	}
	if n, _ := st.ReviewCount(); n != 0 {
		t.Fatalf("%d reviews written", n)
	}
	notZip := filepath.Join(dir, "x.apkg")
	os.WriteFile(notZip, []byte("not a zip"), 0o644)
	if _, err := ImportReport(st, []string{notZip}, "", false, time.Now(), nil); err == nil || !strings.Contains(err.Error(), notZip+": not an Anki package") {
		t.Fatalf("not a zip: %v", err)
	}
}

func TestAPKGExportImportRoundTrips(t *testing.T) {
	dir := t.TempDir()
	st := openTestStore(t, filepath.Join(dir, "a.db"))
	src := "# My Deck\nid: mine\n\n## one\ntags: x, y\n\nQ: Line one\nline two with <html> & \"quotes\"\n\n  indented\n\nA: An answer\\\nwith a hard break\nand a soft one\n- a list\n  continued\n\n```sh\nls <dir> \\\n  -l\n```\n\n| a | b |\n| --- | --- |\n\nend\n\n## cz\nC: {{c1::Pods}} run on {{c2::nodes}}\nA: extra\n"
	d, err := deck.Parse("mine.md", src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportCards([]deck.Deck{d}); err != nil {
		t.Fatal(err)
	}
	decks, _ := SelectDecks(st, "mine")
	out := filepath.Join(dir, "mine.apkg")
	if _, err := Export(st, decks, APKG, out, nil); err != nil {
		t.Fatal(err)
	}
	st2 := openTestStore(t, filepath.Join(dir, "b.db"))
	rep, err := ImportReport(st2, []string{out}, "", false, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 || rep.DecksAdded != 1 {
		t.Fatalf("report %+v", rep)
	}
	back, _ := SelectDecks(st2, "mine")
	if back[0].Title != "My Deck" || len(back[0].Cards) != 3 {
		t.Fatalf("deck %+v", back[0])
	}
	for i, c := range back[0].Cards {
		w := decks[0].Cards[i]
		if c.ID != w.ID || c.Front != w.Front || c.Back != w.Back || c.Text != w.Text || c.Extra != w.Extra || strings.Join(c.Tags, ",") != strings.Join(w.Tags, ",") {
			t.Errorf("card %d:\n got %+v\nwant %+v", i, c, w)
		}
	}
	// into the database it came from: nothing changes
	again, err := ImportReport(st, []string{out}, "", false, time.Now(), nil)
	if err != nil || again.Added != 0 || again.Updated != 0 || again.Unchanged != 3 {
		t.Fatalf("re-import: %+v %v", again, err)
	}
	if _, err := Export(st, decks, APKG, "", nil); err != ErrNeedOut {
		t.Fatalf("apkg to stdout: %v", err)
	}
}

// bigCollection is n notes (a tenth of them cloze, with two deletions)
// with perCard reviews for every card.
func bigCollection(n, perCard int) ([]testNote, []testRev, map[int64]string) {
	decks := map[int64]string{1: "Default", 10: "Big::One", 11: "Big::Two"}
	notes := make([]testNote, 0, n)
	var revs []testRev
	rnd := rand.New(rand.NewSource(1))
	t0 := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).UnixMilli()
	for i := 0; i < n; i++ {
		nt := testNote{id: int64(i + 1), guid: fmt.Sprintf("g%07d", i), mid: midBasic, tags: " big ",
			fields: []string{fmt.Sprintf("Question number %d about <b>Azure</b> networking?", i), "An answer<br>on two lines"},
			did:    int64(10 + i%2), ords: []int{0}, queue: 2}
		if i%10 == 0 {
			nt.mid, nt.ords = midCloze, []int{0, 1}
			nt.fields = []string{fmt.Sprintf("{{c1::Thing %d}} does {{c2::stuff}}", i), ""}
		}
		notes = append(notes, nt)
	}
	for _, nt := range notes {
		for _, ord := range nt.ords {
			at := t0 + rnd.Int63n(1000)*1000
			for k := 0; k < perCard && len(revs) < n*perCard; k++ {
				at += rnd.Int63n(5*24*3600*1000) + 60_000
				revs = append(revs, testRev{id: at*100 + int64(len(revs)%100), cid: nt.id*10 + int64(ord), ease: 1 + rnd.Intn(4), kind: 1, durationMilli: 5000})
			}
		}
	}
	for i := range revs {
		revs[i].id = revs[i].id / 100 // back to milliseconds, distinct keys
	}
	seen := map[int64]bool{}
	for i := range revs {
		for seen[revs[i].id] {
			revs[i].id++
		}
		seen[revs[i].id] = true
	}
	return notes, revs, decks
}

// BenchmarkImportAPKG50k imports a 50,000-note package with 500,000
// reviews into an empty database (set OPSDECK_BENCH_APKG=FILE to keep the
// package, for measuring the command's peak memory).
func BenchmarkImportAPKG50k(b *testing.B) {
	dir := b.TempDir()
	pkg := filepath.Join(dir, "big.apkg")
	if p := os.Getenv("OPSDECK_BENCH_APKG"); p != "" {
		pkg = p
	}
	notes, revs, decks := bigCollection(50_000, 10)
	buildPackage(b, pkg, false, notes, revs, decks)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := store.Open(filepath.Join(dir, fmt.Sprintf("b%d.db", i)), &store.Options{Location: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := ImportReport(st, []string{pkg}, "", false, time.Now(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if rep.History.Reviews != 500_000 {
			b.Fatalf("%d reviews", rep.History.Reviews)
		}
		st.Close()
	}
}
