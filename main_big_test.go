package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck/stats"
	"opsdeck/store"
	"opsdeck/study"
	"opsdeck/tui"
)

// The big collection (issue 18): 100,000 imported custom cards and
// 1,000,000 reviews on the real store (store.BuildFixture), built once per
// test binary run in a temp dir that TestMain removes. With -short or the
// race detector it is 10,000 cards and 100,000 reviews.
var big struct {
	once sync.Once
	dir  string
	path string // with reviews
	bare string // the same cards, no reviews
	f    store.Fixture
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

// bigFixture returns the fixture (do not write to it: copy it) and the
// clock its tests use: a minute after the last review.
func bigFixture(tb testing.TB) (store.Fixture, time.Time) {
	tb.Helper()
	big.once.Do(func() {
		builtin, err := builtinDecks()
		if err != nil {
			big.err = err
			return
		}
		f := store.Fixture{Cards: 100_000, Reviews: 1_000_000}
		if raceOn || testing.Short() {
			f = store.Fixture{Cards: 10_000, Reviews: 100_000}
		}
		if big.dir, big.err = os.MkdirTemp("", "opsdeck-big-"); big.err != nil {
			return
		}
		big.path = filepath.Join(big.dir, "big.db")
		big.bare = filepath.Join(big.dir, "bare.db")
		start := time.Now()
		if big.f, big.err = store.BuildFixture(big.path, builtin, f); big.err != nil {
			return
		}
		if _, big.err = store.BuildFixture(big.bare, builtin, store.Fixture{Cards: f.Cards}); big.err != nil {
			return
		}
		fmt.Fprintf(os.Stderr, "big fixture (%d cards, %d reviews) built in %v\n", f.Cards, f.Reviews, time.Since(start).Round(time.Millisecond))
	})
	if big.err != nil {
		tb.Fatal(big.err)
	}
	return big.f, big.f.Last.Add(time.Minute)
}

// TestWriteBigFixture writes the big fixture to $OPSDECK_FIXTURE_OUT (and
// the one without reviews next to it, with "-bare" before ".db"), for
// measuring the built binary from the shell; skipped when unset.
func TestWriteBigFixture(t *testing.T) {
	out := os.Getenv("OPSDECK_FIXTURE_OUT")
	if out == "" {
		t.Skip("OPSDECK_FIXTURE_OUT is not set")
	}
	f, now := bigFixture(t)
	for src, dst := range map[string]string{big.path: out, big.bare: strings.TrimSuffix(out, ".db") + "-bare.db"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d cards, %d reviews; OPSDECK_NOW=%s", f.Cards, f.Reviews, now.UTC().Format(time.RFC3339))
}

// fullReader hides the store's log reader, so study.Load takes the old
// path: the whole log in memory, every figure recomputed from it.
type fullReader struct{ study.Reader }

func openBig(tb testing.TB, path string) *store.Store {
	tb.Helper()
	builtin, err := builtinDecks()
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(path, &store.Options{Location: time.UTC, Builtin: builtin, ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// TestBigCollectionFastPathsAgree: on the big fixture, the dashboard's
// figures, the statistics and decks --json read the fast way (today's
// reviews, the streak from the log's keys, the log streamed) equal a full
// recomputation from the whole log in memory; the streak and today's
// counts also equal a count made here from the log.
func TestBigCollectionFastPathsAgree(t *testing.T) {
	f, now := bigFixture(t)
	t.Setenv("TZ", "UTC")
	st := openBig(t, big.path)
	fast, err := study.Load(st, now)
	if err != nil {
		t.Fatal(err)
	}
	full, err := study.Load(fullReader{st}, now)
	if err != nil {
		t.Fatal(err)
	}
	if fast.Reviews != nil || len(full.Reviews) != f.Reviews {
		t.Fatalf("fast load holds %d reviews, full %d (want 0 and %d)", len(fast.Reviews), len(full.Reviews), f.Reviews)
	}
	if !reflect.DeepEqual(fast.Dash, full.Dash) {
		t.Fatalf("dashboard:\nfast %+v\nfull %+v", fast.Dash, full.Dash)
	}
	outline, err := study.LoadOutline(st, now)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(outline.Dash, full.Dash) || outline.Cards != full.Cards {
		t.Fatalf("dashboard without card text:\n%+v\nfull %+v", outline.Dash, full.Dash)
	}
	// Independent counts: today's reviews and the streak from the log.
	today, err := st.TodayCounts(now)
	if err != nil {
		t.Fatal(err)
	}
	if fast.Dash.ReviewedToday == 0 || fast.Dash.ReviewedToday != today.Total() {
		t.Fatalf("reviewed today %d, the log says %d", fast.Dash.ReviewedToday, today.Total())
	}
	days := map[time.Time]bool{}
	for _, r := range full.Reviews {
		days[full.Sched.DayStart(r.At)] = true
	}
	streak := 0
	for d := full.Sched.DayStart(now); days[d]; d = full.Sched.DayStart(d.Add(-time.Hour)) {
		streak++
	}
	if fast.Dash.Streak < 100 || fast.Dash.Streak != streak {
		t.Fatalf("streak %d, the log's days say %d", fast.Dash.Streak, streak)
	}
	if q, err := full.Queue("", now); err != nil || q.Counts() != fast.Dash.Total.Counts {
		t.Fatalf("queue of everything: %v, dashboard %+v", err, fast.Dash.Total.Counts)
	}

	// Search reads the history on its first use: the same hits and card
	// info as over the full library.
	for _, q := range []string{"rated:2", "rated:7:1", "prop:reps>5 deck:imported-mlops"} {
		a, err1 := fast.Search(q, "", now)
		b, err2 := full.Search(q, "", now)
		if err1 != nil || err2 != nil || len(a) == 0 || len(a) != len(b) {
			t.Fatalf("search %q: %d hits (%v), full %d (%v)", q, len(a), err1, len(b), err2)
		}
	}
	id := store.FixtureCardID(7)
	ia, err1 := fast.Info(id, now)
	ib, err2 := full.Info(id, now)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(ia, ib) {
		t.Fatalf("card info of %s differs: %v %v", id, err1, err2)
	}

	// Statistics: streamed, against stats.Compute over the log in memory.
	got, err := fast.ComputeStats()
	if err != nil {
		t.Fatal(err)
	}
	infos := make([]stats.DeckInfo, len(full.Decks))
	for i, d := range full.Decks {
		infos[i] = stats.DeckInfoOf(d)
	}
	want, err := stats.Compute(stats.Input{Now: now, Sched: full.Sched, Decks: infos, Progress: full.Progress, Reviews: full.Reviews})
	if err != nil {
		t.Fatal(err)
	}
	if got.Report.Total.Reviews.All != f.Reviews {
		t.Fatalf("stats count %d reviews, the fixture has %d", got.Report.Total.Reviews.All, f.Reviews)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("streamed statistics differ from the full computation:\n%+v\n%+v", got.Report.Total, want.Report.Total)
	}

	// The counted library (LoadCounts: the dashboard's first frame, decks
	// and stats): one pass over the progress records, no card held.
	counted, err := study.LoadCounts(st, now, true)
	if err != nil {
		t.Fatal(err)
	}
	if !counted.Counted() || counted.Cards != full.Cards {
		t.Fatalf("counted library: counted %v, %d cards, want %d", counted.Counted(), counted.Cards, full.Cards)
	}
	sameFigures(t, counted.Dash, full.Dash)
	gotCounted, err := counted.ComputeStats()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotCounted, want) {
		t.Fatalf("statistics of the counted library differ from the full computation:\n%+v\n%+v", gotCounted.Report.Total, want.Report.Total)
	}
	// decks --json from the full library, the cards counted by
	// stats.Compute over the card IDs and the progress map.
	cardsOnly, err := stats.Compute(stats.Input{Now: now, Sched: full.Sched, Decks: infos, Progress: full.Progress, CardsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	wantDecks := stats.DeckList{}
	for i, d := range cardsOnly.Report.Decks {
		wantDecks.Decks = append(wantDecks.Decks, stats.DeckListEntry{ID: d.ID, Title: d.Title, Builtin: d.Builtin,
			Cards: d.Cards, DueToday: d.DueToday, NewToday: full.Dash.Decks[i].Counts.New})
	}
	if list, err := counted.DeckList(); err != nil || !reflect.DeepEqual(list, wantDecks) {
		t.Fatalf("decks list of the counted library: %v\n%+v\nwant %+v", err, list, wantDecks)
	}

	// The commands (which open the file themselves): decks --json and
	// stats --json against the full library.
	st.Close()
	t.Setenv("OPSDECK_NOW", now.UTC().Format(time.RFC3339Nano))
	sameJSON(t, "decks --json", wantDecks, "--db", big.path, "decks", "--json")
	sameJSON(t, "stats --json", want.Report, "--db", big.path, "stats", "--json")
}

// sameFigures compares dashboards: the counts exactly, the recall sums to
// 1e-9 (they are summed in chunks of cards, and the chunks of a counted
// library hold only studied cards, so the additions group differently).
func sameFigures(t *testing.T, got, want study.Figures) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	same := func(a, b study.DeckFigures) bool {
		if a.Counts != b.Counts || !near(a.Knowledge, b.Knowledge) || (a.Recall == nil) != (b.Recall == nil) {
			return false
		}
		return a.Recall == nil || near(*a.Recall, *b.Recall)
	}
	ok := len(got.Decks) == len(want.Decks) && same(got.Total, want.Total) && got.ReviewedToday == want.ReviewedToday &&
		got.TimeToday == want.TimeToday && got.Streak == want.Streak
	for i := range got.Decks {
		ok = ok && same(got.Decks[i], want.Decks[i])
	}
	if !ok {
		t.Fatalf("dashboard:\ngot  %+v\nwant %+v", got, want)
	}
}

// sameJSON runs opsdeck and compares its JSON output with want's.
func sameJSON(t *testing.T, what string, want any, args ...string) {
	t.Helper()
	code, out, errs := opsdeck(t, "", args...)
	if code != 0 {
		t.Fatalf("%s: %d %s", what, code, errs)
	}
	wb, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := json.Unmarshal(wb, &w); err != nil {
		t.Fatal(err)
	}
	// The command's clock runs on from OPSDECK_NOW: its "now" may be later.
	if gm, ok := g.(map[string]any); ok {
		if wm, ok := w.(map[string]any); ok && gm["now"] != nil {
			gt, err1 := time.Parse(time.RFC3339Nano, fmt.Sprint(gm["now"]))
			wt, err2 := time.Parse(time.RFC3339Nano, fmt.Sprint(wm["now"]))
			if err1 != nil || err2 != nil || gt.Before(wt) || gt.Sub(wt) > time.Minute {
				t.Fatalf("%s: now %v, want %v", what, gm["now"], wm["now"])
			}
			delete(gm, "now")
			delete(wm, "now")
		}
	}
	if !nearlyEqual(g, w) {
		if d := os.Getenv("OPSDECK_BIG_DIFF"); d != "" {
			os.WriteFile(filepath.Join(d, "got.json"), []byte(out), 0o600)
			os.WriteFile(filepath.Join(d, "want.json"), wb, 0o600)
		}
		t.Fatalf("%s differs from the full recomputation:\n%.2000s\nwant\n%.2000s", what, out, wb)
	}
}

// nearlyEqual compares decoded JSON; numbers may differ by a part in a
// million (the command's clock runs on from OPSDECK_NOW, so predicted
// recall moves by a few milliseconds' worth).
func nearlyEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !nearlyEqual(v, y[k]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !nearlyEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case float64:
		y, ok := b.(float64)
		return ok && math.Abs(x-y) <= 1e-6*math.Max(1, math.Abs(y))
	}
	return reflect.DeepEqual(a, b)
}

// ---- benchmarks on the big fixture: the rows of issue 18's table ----
//
//	go test -run '^$' -bench Big -benchtime 5x .
//
// Each reports time, allocated bytes (B/op) and heap-MB: the heap in use
// after a collection, with the result still alive (what the screen holds).

// heapMB reports the live heap after a collection.
func heapMB(b *testing.B, keep ...any) {
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(keep)
	b.ReportMetric(float64(ms.HeapInuse)/1e6, "heap-MB")
	b.StartTimer()
}

func benchCopy(b *testing.B, src string) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "opsdeck.db")
	raw, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dst, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	return dst
}

// firstFrame opens the store as the app does, runs the TUI's start-up
// (New, Init's commands) and draws the first dashboard frame.
func firstFrame(b *testing.B, path string, now time.Time) any {
	return appUntil(b, path, now, func(m tea.Model) (bool, tea.Msg) {
		return strings.Contains(m.View(), "Imported 1"), nil
	})
}

// appUntil runs the app's model on the file as the app opens it, feeding
// each command's message back, until step says the frame is there; a key
// step returns is sent at once.
func appUntil(b *testing.B, path string, now time.Time, step func(tea.Model) (bool, tea.Msg)) any {
	builtin, err := builtinDecks()
	if err != nil {
		b.Fatal(err)
	}
	// As the app opens it: the structure check in the background.
	st, err := store.Open(path, &store.Options{Location: time.UTC, Builtin: builtin, CheckInBackground: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	m := tui.New(study.New(st), tui.Options{Now: func() time.Time { return now }})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	// As the tea runtime does: each command in its own goroutine (a
	// batch's at once, a sequence's in order), their messages to Update.
	msgs := make(chan tea.Msg, 1024)
	var inflight sync.WaitGroup
	defer func() {
		// Not timed: what the app goes on doing in the background (the
		// whole library, the statistics, the structure check) ends before
		// the next run starts.
		b.StopTimer()
		inflight.Wait()
		<-st.CheckDone()
		b.StartTimer()
	}()
	var run func(cmd tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		inflight.Add(1)
		go func() {
			defer inflight.Done()
			msg := cmd()
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				return
			}
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
				for i := 0; i < v.Len(); i++ { // tea.Sequence
					if c := v.Index(i).Interface().(tea.Cmd); c != nil {
						msgs <- c()
					}
				}
				return
			}
			if msg != nil {
				msgs <- msg
			}
		}()
	}
	run(m.Init())
	timeout := time.After(time.Minute)
	for {
		var msg tea.Msg
		select {
		case msg = <-msgs:
		case <-timeout:
			b.Fatal("the frame never came")
		}
		var next tea.Cmd
		m, next = m.Update(msg)
		run(next)
		done, key := step(m)
		if done {
			return m // the statistics follow in the background
		}
		if key != nil {
			m, next = m.Update(key)
			run(next)
		}
	}
}

func benchFirstFrame(b *testing.B, path string, now time.Time) {
	path = benchCopy(b, path)
	b.ReportAllocs()
	b.ResetTimer()
	var v any
	for b.Loop() {
		v = firstFrame(b, path, now)
	}
	heapMB(b, v)
}

// BenchmarkBigFirstFrame: the TUI's first frame, 100,000 cards and
// 1,000,000 reviews (goal < 150 ms, < 150 MB).
func BenchmarkBigFirstFrame(b *testing.B) {
	_, now := bigFixture(b)
	benchFirstFrame(b, big.path, now)
}

// BenchmarkBigReady: from the start to the first card of a session on
// the screen, Enter pressed as soon as the first frame is drawn: the
// first frame (the counts), the whole library after it, then the session.
func BenchmarkBigReady(b *testing.B) {
	_, now := bigFixture(b)
	path := benchCopy(b, big.path)
	b.ReportAllocs()
	b.ResetTimer()
	var v any
	for b.Loop() {
		pressed := false
		v = appUntil(b, path, now, func(m tea.Model) (bool, tea.Msg) {
			if !pressed && strings.Contains(m.View(), "Imported 1") {
				pressed = true
				return false, tea.KeyMsg{Type: tea.KeyEnter}
			}
			return strings.Contains(m.View(), "space or enter shows the answer"), nil
		})
	}
	heapMB(b, v)
}

// BenchmarkBigSession: a study session of everything built from the
// loaded library (what Enter on the dashboard does on the UI goroutine).
func BenchmarkBigSession(b *testing.B) {
	_, now := bigFixture(b)
	builtin, err := builtinDecks()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(big.path, &store.Options{Location: time.UTC, Builtin: builtin, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	lib, err := study.Load(st, now)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := lib.Session("", now)
		if err != nil || s.Queue.Counts().Total() == 0 {
			b.Fatalf("session: %v", err)
		}
	}
}

// BenchmarkBigFirstFrameNoReviews: the same with 100,000 cards and no
// reviews (goal < 100 ms).
func BenchmarkBigFirstFrameNoReviews(b *testing.B) {
	_, now := bigFixture(b)
	benchFirstFrame(b, big.bare, now)
}

func benchCommand(b *testing.B, args ...string) {
	_, now := bigFixture(b)
	b.Setenv("TZ", "UTC")
	b.Setenv("OPSDECK_NOW", now.UTC().Format(time.RFC3339))
	path := benchCopy(b, big.path)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var out, errb bytes.Buffer
		if code := run(append([]string{"--db", path}, args...), strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatal(errb.String())
		}
	}
}

// BenchmarkBigDecks: `opsdeck decks` (goal < 100 ms).
func BenchmarkBigDecks(b *testing.B) { benchCommand(b, "decks") }

// BenchmarkBigStats: `opsdeck stats` (goal < 500 ms, < 150 MB).
func BenchmarkBigStats(b *testing.B) { benchCommand(b, "stats") }

// BenchmarkBigImportAnki100k: `opsdeck import` of an Anki text export of
// 100,000 rows into a new file (keep: about 1 s).
func BenchmarkBigImportAnki100k(b *testing.B) {
	dir := b.TempDir()
	file := filepath.Join(dir, "anki.txt")
	var buf bytes.Buffer
	buf.WriteString("#separator:tab\n#html:false\n")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&buf, "Question %d: what does it do, and when would you choose it?\tAnswer %d: what it is, the trade-off it makes and how it fails.\n", i, i)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n++
		var out, errb bytes.Buffer
		db := filepath.Join(dir, fmt.Sprintf("import-%d.db", n))
		if code := run([]string{"--db", db, "import", "--deck", "anki", file}, strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatal(errb.String())
		}
		b.StopTimer()
		os.Remove(db)
		b.StartTimer()
	}
}
