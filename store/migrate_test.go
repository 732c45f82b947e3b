package store

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// migrationTests holds the seed-then-check test of every real migration,
// by the schema it upgrades from: seed writes a database of that schema
// with raw bbolt, check inspects the migrated store.
var migrationTests = map[int]struct {
	seed  func(t *testing.T, tx *bolt.Tx)
	check func(t *testing.T, s *Store)
}{
	1: {seedV1, checkV1},
}

// progressV1 encodes a progress record as schema 1 wrote it: format 1, no
// flag byte.
func progressV1(r progressRec) []byte {
	b := encodeProgress(r)
	b = b[:len(b)-1]
	b[0] = 1
	return b
}

var v1Card = progressRec{num: 7, p: deck.Progress{Suspended: true, Leech: true, BuriedUntil: t0.Add(20 * time.Hour),
	Sched: fsrs.Card{State: fsrs.Review, Stability: 30.5, Difficulty: 6.25, Due: t0.Add(72 * time.Hour),
		LastReview: t0, ScheduledDays: 3, ElapsedDays: 2, Reps: 9, Lapses: 2}}}

// seedV1 writes a schema 1 database: two format-1 progress records, a
// review of one of them and its undo record (holding a format-1 copy), and
// then a suspend of the other (a generic undo record holding a format-1
// copy of its progress record before).
func seedV1(t *testing.T, tx *bolt.Tx) {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucket(name); err != nil {
			t.Fatal(err)
		}
	}
	mb := tx.Bucket(bMeta)
	_ = mb.Put(kApp, []byte(appMarker))
	_ = putSchema(tx, 1)
	pb := tx.Bucket(bProgress)
	_ = pb.Put([]byte("k8s/pods"), progressV1(v1Card))
	before := progressRec{num: 8, p: deck.Progress{Sched: fsrs.Card{State: fsrs.Learning, Stability: 1.5, Difficulty: 5,
		Due: t0.Add(-time.Hour), LastReview: t0.Add(-2 * time.Hour), Reps: 1}}}
	after := before
	after.p.Sched.State, after.p.Sched.Reps, after.p.Sched.Due = fsrs.Review, 2, t0.Add(48*time.Hour)
	_ = pb.Put([]byte("k8s/qos"), progressV1(after))
	_ = pb.SetSequence(8)
	key := revKey(t0, 1)
	_ = tx.Bucket(bRevlog).Put(key, encodeReview(reviewRec{num: 8, rating: fsrs.Good, stateBefore: fsrs.Learning, interval: 2, stability: 3, difficulty: 5}))
	_ = tx.Bucket(bRevlog).SetSequence(1)
	ub := tx.Bucket(bUndo)
	_ = ub.Put(undoKey(1), encodeUndo(undoRec{seq: 1, logKey: key, cardID: "k8s/qos", prev: progressV1(before)}))
	unsuspended := v1Card
	unsuspended.p.Suspended = false
	_ = ub.Put(undoKey(2), encodeGenericUndo(undoRec{seq: 2, generic: true, action: deck.UndoSuspend, cardIDs: []string{"k8s/pods"},
		entries: []undoEntry{{bucket: bProgress, key: []byte("k8s/pods"), present: true, prev: progressV1(unsuspended)}}}))
	_ = ub.SetSequence(2)
}

func checkV1(t *testing.T, s *Store) {
	p, ok := mustProgress(t, s, "k8s/pods")
	want := v1Card.p
	want.CardID = "k8s/pods"
	if !ok || p.Flag != 0 || p.Suspended != want.Suspended || p.Leech != want.Leech || !p.BuriedUntil.Equal(want.BuriedUntil) ||
		p.Sched.Stability != want.Sched.Stability || p.Sched.Difficulty != want.Sched.Difficulty || !p.Sched.Due.Equal(want.Sched.Due) ||
		p.Sched.Reps != 9 || p.Sched.Lapses != 2 || p.Sched.ElapsedDays != 2 || p.Sched.ScheduledDays != 3 {
		t.Errorf("migrated progress %+v\nwant %+v", p, want)
	}
	if n, ok, _ := s.CardNumber("k8s/pods"); !ok || n != 7 {
		t.Errorf("card number %d %v", n, ok)
	}
	if err := s.Verify(); err != nil {
		t.Fatalf("verify after migrating: %v", err)
	}
	// Every record is format 2 now.
	_ = s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bProgress).ForEach(func(k, v []byte) error {
			if v[0] != progressFormat {
				t.Errorf("%s still format %d", k, v[0])
			}
			return nil
		})
	})
	// The undo ring's copies were migrated too: undo puts back the
	// unsuspended card (a generic record), then the learning card (a grade's).
	u, err := s.UndoLast()
	if err != nil || u.Action != deck.UndoSuspend || u.CardID() != "k8s/pods" {
		t.Fatalf("undo of the suspend after migrating: %+v %v", u, err)
	}
	if p, ok := mustProgress(t, s, "k8s/pods"); !ok || p.Suspended || !p.Leech || p.Sched.Reps != 9 || p.Flag != 0 {
		t.Errorf("unsuspended %+v", p)
	}
	id, err := s.Undo()
	if err != nil || id != "k8s/qos" {
		t.Fatalf("undo after migrating: %q %v", id, err)
	}
	if p, ok := mustProgress(t, s, "k8s/qos"); !ok || p.Sched.State != fsrs.Learning || p.Sched.Reps != 1 || p.Flag != 0 {
		t.Errorf("undone %+v", p)
	}
	// The flag byte is written and read back.
	if _, err := s.Bulk("flag", []string{"nope/card"}, func(_ *deck.Card, p *deck.Progress) error { p.Flag = 6; return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("a card the store does not know: %v", err)
	}
	if n, err := s.Bulk("flag purple", []string{"k8s/pods"}, func(_ *deck.Card, p *deck.Progress) error { p.Flag = 7; return nil }); n != 1 || err != nil {
		t.Fatalf("bulk flag: %d %v", n, err)
	}
	if p, _ := mustProgress(t, s, "k8s/pods"); p.Flag != 7 {
		t.Errorf("bulk flag %+v", p)
	}
	if u, err := s.UndoLast(); err != nil || u.Action != "flag purple" || p0(t, s).Flag != 0 {
		t.Errorf("undo of the bulk flag: %+v %v", u, err)
	}
	if err := s.SetFlag("k8s/pods", 6); err != nil {
		t.Fatal(err)
	}
	if p, _ := mustProgress(t, s, "k8s/pods"); p.Flag != 6 || p.Suspended {
		t.Errorf("flag %+v", p)
	}
}

func p0(t *testing.T, s *Store) deck.Progress {
	p, _ := mustProgress(t, s, "k8s/pods")
	return p
}

func TestEveryMigrationHasATest(t *testing.T) {
	for _, m := range migrations {
		mt, ok := migrationTests[m.From]
		if !ok {
			t.Errorf("migration %d->%d (%s) has no seed-then-check test in migrationTests", m.From, m.From+1, m.Name)
			continue
		}
		t.Run(m.Name, func(t *testing.T) {
			path := dbPath(t)
			seedRaw(t, path, func(tx *bolt.Tx) { mt.seed(t, tx) })
			mt.check(t, openAt(t, path))
		})
	}
	// The list is ordered and has no gaps up to the current schema.
	for i, m := range migrations {
		if i > 0 && m.From != migrations[i-1].From+1 {
			t.Errorf("migrations out of order at %s", m.Name)
		}
	}
	if n := len(migrations); n > 0 && migrations[n-1].From != currentSchema-1 {
		t.Errorf("the last migration leads to schema %d, not %d", migrations[n-1].From+1, currentSchema)
	}
}

// seedRaw writes a database with raw bbolt.
func seedRaw(t *testing.T, path string, fn func(tx *bolt.Tx)) {
	t.Helper()
	if err := os.MkdirAll(path[:strings.LastIndex(path, "/")], 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { fn(tx); return nil }); err != nil {
		t.Fatal(err)
	}
}

// withMigrations swaps in a migration list and schema version for a test.
func withMigrations(t *testing.T, schema int, ms []migration) {
	oldS, oldM := currentSchema, migrations
	currentSchema, migrations = schema, ms
	t.Cleanup(func() { currentSchema, migrations = oldS, oldM })
}

// dump reads every bucket's keys and values.
func dump(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]map[string]string{}
	_ = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			m := map[string]string{}
			_ = b.ForEach(func(k, v []byte) error { m[string(k)] = string(v); return nil })
			out[string(name)] = m
			return nil
		})
	})
	return out
}

// An example of a real upgrade path: a test-only "schema 0" in which the
// settings were meta/"prefs" (retention in percent, steps in seconds) and
// there was no overrides bucket.
type prefsV0 struct {
	RetentionPct int   `json:"retention_pct"`
	NewPerDay    int   `json:"new"`
	StepsSec     []int `json:"steps"`
}

var migrationV0 = migration{From: 0, Name: "prefs to settings, overrides bucket", Up: func(tx *bolt.Tx) error {
	mb := tx.Bucket(bMeta)
	var p prefsV0
	if err := json.Unmarshal(mb.Get([]byte("prefs")), &p); err != nil {
		return err
	}
	st := deck.DefaultSettings()
	st.DesiredRetention = float64(p.RetentionPct) / 100
	st.NewPerDay = p.NewPerDay
	st.LearningSteps = nil
	for _, s := range p.StepsSec {
		st.LearningSteps = append(st.LearningSteps, time.Duration(s)*time.Second)
	}
	if err := putSettings(tx, st); err != nil {
		return err
	}
	if err := mb.Delete([]byte("prefs")); err != nil {
		return err
	}
	_, err := tx.CreateBucket(bOverrides)
	return err
}}

func seedV0(t *testing.T, tx *bolt.Tx) {
	for _, name := range allBuckets {
		if string(name) == string(bOverrides) {
			continue
		}
		if _, err := tx.CreateBucket(name); err != nil {
			t.Fatal(err)
		}
	}
	mb := tx.Bucket(bMeta)
	_ = mb.Put(kApp, []byte(appMarker))
	_ = putSchema(tx, 0)
	_ = mb.Put([]byte("prefs"), []byte(`{"retention_pct":85,"new":12,"steps":[60,600,3600]}`))
	rec := progressRec{num: 1, p: deck.Progress{Sched: fsrs.Card{State: fsrs.Review, Stability: 12.5, Difficulty: 4.25,
		Due: t0.Add(240 * time.Hour), LastReview: t0, ScheduledDays: 10, Reps: 3}, Leech: true}}
	_ = tx.Bucket(bProgress).Put([]byte("k8s/pods"), encodeProgress(rec))
	_ = tx.Bucket(bProgress).SetSequence(1)
}

func TestMigrationExampleV0(t *testing.T) {
	withMigrations(t, SchemaVersion, append([]migration{migrationV0}, migrations...))
	path := dbPath(t)
	seedRaw(t, path, func(tx *bolt.Tx) { seedV0(t, tx) })
	seed := dump(t, path)

	s := openAt(t, path)
	// The backup holds the file as it was (a bbolt copy: same data, fresh
	// meta pages).
	if !reflect.DeepEqual(dump(t, BackupPath(path, 0)), seed) {
		t.Error("the backup is not the pre-migration data")
	}
	checkFile(t, BackupPath(path, 0))
	if v, err := s.Schema(); err != nil || v != SchemaVersion {
		t.Fatalf("schema %d %v", v, err)
	}
	st, err := s.Settings()
	if err != nil {
		t.Fatal(err)
	}
	want := deck.DefaultSettings()
	want.DesiredRetention, want.NewPerDay = 0.85, 12
	want.LearningSteps = []time.Duration{time.Minute, 10 * time.Minute, time.Hour}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("settings %+v\nwant %+v", st, want)
	}
	p, ok := mustProgress(t, s, "k8s/pods")
	if !ok || !p.Leech || p.Sched.Stability != 12.5 || !p.Sched.Due.Equal(t0.Add(240*time.Hour)) {
		t.Errorf("progress %+v", p)
	}
	// The store works on the migrated file.
	if err := s.EditCard(deck.Card{ID: "k8s/pods", Front: "F", Back: "B"}); err != nil {
		t.Fatal(err)
	}
	res := mustGrade(t, s, "k8s/pods", fsrs.Good, t0.Add(241*time.Hour))
	if res.CardNumber != 1 || res.After.Sched.Reps != 4 {
		t.Errorf("grade after migration: %+v", res)
	}
}

func TestMigrationFailureChangesNothing(t *testing.T) {
	boom := errors.New("boom")
	failing := migrationV0
	failing.Up = func(tx *bolt.Tx) error {
		if err := migrationV0.Up(tx); err != nil {
			return err
		}
		return boom // after writing: the transaction must roll back
	}
	real := migrations
	withMigrations(t, SchemaVersion, append([]migration{failing}, real...))
	path := dbPath(t)
	seedRaw(t, path, func(tx *bolt.Tx) { seedV0(t, tx) })
	before := dump(t, path)
	_, err := Open(path, nil)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "boom") ||
		!strings.Contains(err.Error(), BackupPath(path, 0)) {
		t.Fatalf("err = %v", err)
	}
	if after := dump(t, path); !reflect.DeepEqual(after, before) {
		t.Error("a failed migration changed the data")
	}
	if _, err := os.Stat(BackupPath(path, 0)); err != nil {
		t.Errorf("backup missing: %v", err)
	}
	// With the fix in place the same file migrates.
	withMigrations(t, SchemaVersion, append([]migration{migrationV0}, real...))
	s := openAt(t, path)
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Errorf("schema %d", v)
	}
}

func TestMigrationsRunInOrderInOneStep(t *testing.T) {
	path := dbPath(t)
	s, err := Open(path, knownOpts())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSuspended("a/b", true); err != nil {
		t.Fatal(err)
	}
	s.Close()
	v1 := dump(t, path)
	trail := func(step string) func(tx *bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			mb := tx.Bucket(bMeta)
			return mb.Put([]byte("trail"), append(mb.Get([]byte("trail")), step...))
		}
	}
	withMigrations(t, SchemaVersion+2, []migration{
		{From: SchemaVersion, Name: "first", Up: trail("1")},
		{From: SchemaVersion + 1, Name: "second", Up: trail("2")},
	})
	s = openAt(t, path)
	if v, _ := s.Schema(); v != SchemaVersion+2 {
		t.Errorf("schema %d", v)
	}
	if !reflect.DeepEqual(dump(t, BackupPath(path, SchemaVersion)), v1) {
		t.Error("the backup differs from the v1 data")
	}
	if p, ok := mustProgress(t, s, "a/b"); !ok || !p.Suspended {
		t.Error("data lost")
	}
	s.Close()
	if got := dump(t, path)["meta"]["trail"]; got != "12" {
		t.Errorf("trail %q", got)
	}
	// A missing step is an error, not a silent skip.
	withMigrations(t, SchemaVersion+4, []migration{{From: SchemaVersion + 3, Name: "late", Up: trail("4")}})
	if _, err := Open(path, nil); err == nil || !strings.Contains(err.Error(), "no migration from schema") {
		t.Errorf("gap: %v", err)
	}
}
