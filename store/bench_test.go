package store

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck/fsrs"
)

// The large fixture: fixtureCards cards and fixtureReviews reviews made by
// the real grading code (gradeTx: scheduler, progress, log and undo ring)
// with NoSync on (fixture building only). It is built once per test binary
// run, in a temp dir removed by TestMain.
//
// The first 70% of the reviews go in transactions of bulkBatch grades. A
// big commit frees the old copy of every page it touched, which would
// leave a pool of free pages (about the size of the progress bucket) in
// the file that a real user's file, made of one small commit per grade,
// never has; so the last 30% go in transactions of tailBatch grades, whose
// growth reuses that pool as real use would.
const (
	fixtureCards   = 100_000
	fixtureReviews = 1_000_000
	bulkBatch      = 50_000
	tailBatch      = 200
	bulkReviews    = fixtureReviews * 7 / 10
	fixtureStep    = 90 * time.Second // one review every 90 s: ~960 a day, ~2.9 years
)

var deckIDs = []string{"solution-architecture", "infrastructure", "software-integration",
	"devops-automation", "kubernetes", "mlops", "cloud-migration"}

var fixture struct {
	once    sync.Once
	dir     string
	path    string
	last    time.Time // time of the last review
	buildIn time.Duration
	err     error
}

func cleanupFixtures() {
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
}

func fixtureCardID(i int) string {
	return fmt.Sprintf("%s/topic-%05d-explained", deckIDs[i%len(deckIDs)], i)
}

// largeFixture returns the path of the fixture database (do not write to
// it; copy it first) and the time of its last review.
func largeFixture(b *testing.B) (string, time.Time) {
	fixture.once.Do(func() {
		start := time.Now()
		fixture.dir, fixture.err = os.MkdirTemp("", "opsdeck-store-fixture-")
		if fixture.err != nil {
			return
		}
		fixture.path = filepath.Join(fixture.dir, "opsdeck.db")
		fixture.last, fixture.err = buildFixture(fixture.path)
		fixture.buildIn = time.Since(start)
		if fixture.err == nil {
			// The fixture passes the same checks as every test database.
			var s *Store
			if s, fixture.err = Open(fixture.path, nil); fixture.err == nil {
				fixture.err = s.Check()
				s.Close()
			}
		}
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path, fixture.last
}

func buildFixture(path string) (time.Time, error) {
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		return time.Time{}, err
	}
	defer s.Close()
	s.noSync = true
	st, err := s.Settings()
	if err != nil {
		return time.Time{}, err
	}
	sch, err := s.schedulerFor(st)
	if err != nil {
		return time.Time{}, err
	}
	rng := rand.New(rand.NewPCG(42, 42))
	now := time.Date(2023, 5, 1, 8, 0, 0, 0, time.UTC)
	introduced := 0
	for done := 0; done < fixtureReviews; {
		batch := bulkBatch
		if done >= bulkReviews {
			batch = tailBatch
		}
		err := s.update(func(tx *bolt.Tx) error {
			for n := 0; n < batch && done < fixtureReviews; n++ {
				// One review in ten introduces a new card (100,000 in all);
				// the others revisit a card already studied.
				var i int
				if introduced < fixtureCards && (introduced == 0 || rng.IntN(10) == 0) {
					i = introduced
					introduced++
				} else {
					i = rng.IntN(introduced)
				}
				r := fsrs.Good
				switch x := rng.IntN(100); {
				case x < 10:
					r = fsrs.Again
				case x < 18:
					r = fsrs.Hard
				case x > 92:
					r = fsrs.Easy
				}
				took := time.Duration(2000+rng.IntN(30000)) * time.Millisecond
				if _, err := gradeTx(tx, s.loc, st, sch, fixtureCardID(i), r, now, took); err != nil {
					return err
				}
				now = now.Add(fixtureStep)
				done++
			}
			return nil
		})
		if err != nil {
			return time.Time{}, err
		}
	}
	db, release, err := s.acquire(true)
	if err != nil {
		return time.Time{}, err
	}
	defer release()
	if err := db.Sync(); err != nil {
		return time.Time{}, err
	}
	return now.Add(-fixtureStep), nil
}

// BenchmarkLoadQueue is what building the study queue reads: every card's
// progress and today's counts, with 100,000 cards and 1,000,000 reviews in
// the file. It also reports the file's size.
func BenchmarkLoadQueue(b *testing.B) {
	path, last := largeFixture(b)
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := last.Add(time.Minute)
	all, err := s.AllProgress()
	if err != nil || len(all) != fixtureCards {
		b.Fatalf("AllProgress: %d cards, %v", len(all), err)
	}
	today, _ := s.TodayCounts(now)
	if today.Total() == 0 {
		b.Fatal("no reviews today in the fixture")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		all, err := s.AllProgress()
		if err != nil || len(all) != fixtureCards {
			b.Fatal(err)
		}
		if _, err := s.TodayCounts(now); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportSize(b, s)
	b.Logf("fixture built in %v; today: %+v", fixture.buildIn.Round(time.Millisecond), today)
}

// BenchmarkOpen opens and closes the large file (start-up cost: the
// read-only inspection, then the read-write open).
func BenchmarkOpen(b *testing.B) {
	path, _ := largeFixture(b)
	for b.Loop() {
		s, err := Open(path, &Options{Location: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// reportSize reports the file size (what ls shows) and the bytes in use
// (bbolt's high-water mark), in MB, and bytes per review.
func reportSize(b *testing.B, s *Store) {
	fi, err := os.Stat(s.Path())
	if err != nil {
		b.Fatal(err)
	}
	var used int64
	var logPages, logLeafInuse int
	_ = s.view(func(tx *bolt.Tx) error {
		used = tx.Size()
		st := tx.Bucket(bRevlog).Stats()
		logPages = st.LeafPageN + st.BranchPageN
		logLeafInuse = st.LeafInuse
		return nil
	})
	db, release, err := s.acquire(false)
	if err != nil {
		b.Fatal(err)
	}
	free := db.Stats().FreePageN
	release()
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
	b.ReportMetric(float64(free*4096)/1e6, "free-MB")
	b.ReportMetric(float64(used)/1e6, "used-MB")
	b.ReportMetric(float64(logPages*4096)/fixtureReviews, "log-B/review")
	b.Logf("file %d bytes, in use %d; review log: %d pages, %.1f bytes of leaf data per review",
		fi.Size(), used, logPages, float64(logLeafInuse)/fixtureReviews)
}

// BenchmarkFileSize1M reports the size of the 1,000,000-review file
// (goal < 64 MB) and how long a full read of the log takes.
func BenchmarkFileSize1M(b *testing.B) {
	path, _ := largeFixture(b)
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if err := s.EachReview(time.Time{}, time.Time{}, func(LogEntry) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != fixtureReviews {
			b.Fatalf("%d reviews", n)
		}
	}
	b.StopTimer()
	reportSize(b, s)
}

// BenchmarkGrade is one grade commit (fsync included) on a small file;
// compare with BenchmarkBareUpdate, run on the same disk.
func BenchmarkGrade(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "opsdeck.db"), &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchGrades(b, s, t0, 1000)
}

// BenchmarkGradeSyncOn is BenchmarkGrade with sync set up: each grade
// also appends its event, in the same transaction.
func BenchmarkGradeSyncOn(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "opsdeck.db"), &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.EnableSync("bench-0000"); err != nil {
		b.Fatal(err)
	}
	benchGrades(b, s, t0, 1000)
}

// BenchmarkGradeLarge is a grade commit on (a copy of) the large fixture.
func BenchmarkGradeLarge(b *testing.B) {
	src, last := largeFixture(b)
	dst := filepath.Join(b.TempDir(), "opsdeck.db")
	if err := copyFile(src, dst); err != nil {
		b.Fatal(err)
	}
	s, err := Open(dst, &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchGrades(b, s, last.Add(time.Minute), fixtureCards)
}

func benchGrades(b *testing.B, s *Store, now time.Time, cards int) {
	rng := rand.New(rand.NewPCG(1, 1))
	ids := make([]string, 4096)
	for i := range ids {
		ids[i] = fixtureCardID(rng.IntN(cards))
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		id := ids[i%len(ids)]
		i++
		if _, err := s.Grade(id, fsrs.Rating(1+rng.IntN(4)), now, 5*time.Second); err != nil {
			b.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
}

// BenchmarkBareUpdate is the floor: one bbolt Update putting one key.
func BenchmarkBareUpdate(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
		b.Fatal(err)
	}
	val := make([]byte, 20)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		val[0] = byte(i)
		if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("b")).Put([]byte("k"), val) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareStateAndLog is the floor for any design that writes a
// card's state and a log entry in one transaction: one bbolt Update
// putting one key in each of two buckets of a few thousand keys.
func BenchmarkBareStateAndLog(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "bare2.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n = 2000
	ids := make([][]byte, n)
	for i := range ids {
		ids[i] = []byte(fixtureCardID(i))
	}
	val := make([]byte, 48)
	err = db.Update(func(tx *bolt.Tx) error {
		p, _ := tx.CreateBucket([]byte("p"))
		l, _ := tx.CreateBucket([]byte("l"))
		for i := range n {
			if err := p.Put(ids[i], val); err != nil {
				return err
			}
			if err := l.Put(binary.BigEndian.AppendUint64(nil, uint64(i)), val[:20]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := n
	for b.Loop() {
		i++
		err := db.Update(func(tx *bolt.Tx) error {
			if err := tx.Bucket([]byte("p")).Put(ids[i%n], val); err != nil {
				return err
			}
			l := tx.Bucket([]byte("l"))
			l.FillPercent = 1
			return l.Put(binary.BigEndian.AppendUint64(nil, uint64(i)), val[:20])
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Flush the copy now, or the first grade's fsync would pay for it.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkTxOpen is what a transaction that finds no lingering handle
// adds: opening the file for it (writable / read-only) and closing it.
func BenchmarkTxOpen(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "opsdeck.db"), &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, write := range []bool{true, false} {
		b.Run(map[bool]string{true: "writable", false: "read-only"}[write], func(b *testing.B) {
			for b.Loop() {
				db, err := s.openHandle(write)
				if err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
		})
	}
}

// BenchmarkVersion is one poll of the TUI's change watch.
func BenchmarkVersion(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "opsdeck.db"), &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := s.Version(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMerge10k merges another device's 10,000 reviews of 1,000
// cards into a fresh device (every card replayed from its history); run
// with -benchtime 1x (a second merge of the same events is a no-op).
func BenchmarkMerge10k(b *testing.B) {
	dir := b.TempDir()
	a, err := Open(filepath.Join(dir, "a.db"), &Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.noSync = true
	if err := a.EnableSync("a-0001"); err != nil {
		b.Fatal(err)
	}
	now := t0
	for i := range 10_000 {
		now = now.Add(97 * time.Minute)
		if _, err := a.Grade(fixtureCardID(i%1000), fsrs.Rating(1+i%4), now, time.Second); err != nil {
			b.Fatal(err)
		}
	}
	_, evs, err := a.OwnEvents(0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := Open(filepath.Join(b.TempDir(), "c.db"), &Options{Location: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.EnableSync("c-0001"); err != nil {
			b.Fatal(err)
		}
		res, err := c.ImportEvents(evs)
		if err != nil || res.New != len(evs) || res.Cards != 1000 {
			b.Fatal(res, err)
		}
		c.Close()
	}
}
