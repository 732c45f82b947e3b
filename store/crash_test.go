package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck/fsrs"
)

// The crash test re-executes the test binary as a child (crashEnv names
// the database) that grades and sometimes undoes in a loop, printing each
// action after it committed; the parent kills it with SIGKILL at random
// moments and then checks the file.
const (
	crashEnv     = "OPSDECK_STORE_CRASH_CHILD"
	crashSeedEnv = "OPSDECK_STORE_CRASH_SEED"
	holdEnv      = "OPSDECK_STORE_HOLD_CHILD"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		holdChild(path)
	}
	if path := os.Getenv(writerEnv); path != "" {
		writerChild(path)
	}
	if path := os.Getenv(crashEnv); path != "" {
		seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
		crashChild(path, seed)
		os.Exit(0)
	}
	code := m.Run()
	cleanupFixtures()
	os.Exit(code)
}

// crashChild grades random cards forever. Each committed action is printed
// as one line (one write: a kill cannot split it):
//
//	G <card> <unix nanos> <rating> <reps> <scheduled days> <lapses> <S bits> <D bits>
//	U <card>
func crashChild(path string, seed uint64) {
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(3)
	}
	now := t0
	_ = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error { now = e.At; return nil })
	rng := rand.New(rand.NewPCG(seed, 7))
	for {
		if rng.IntN(10) == 0 {
			id, err := s.Undo()
			if err == nil {
				fmt.Fprintf(os.Stdout, "U %s\n", id)
				continue
			}
			if !errors.Is(err, ErrNothingToUndo) {
				fmt.Fprintln(os.Stderr, "child undo:", err)
				os.Exit(4)
			}
		}
		now = now.Add(time.Duration(1+rng.IntN(900)) * time.Minute)
		id := fmt.Sprintf("crash/c%02d", rng.IntN(40))
		r := fsrs.Rating(1 + rng.IntN(4))
		res, err := s.Grade(id, r, now, time.Duration(rng.IntN(60000))*time.Millisecond)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child grade:", err)
			os.Exit(4)
		}
		c := res.After.Sched
		fmt.Fprintf(os.Stdout, "G %s %d %d %d %d %d %x %x\n", id, now.UnixNano(), r, c.Reps, c.ScheduledDays, c.Lapses,
			math.Float64bits(c.Stability), math.Float64bits(c.Difficulty))
	}
}

// logged is one review-log entry as the parent tracks it.
type logged struct {
	card     string
	at       int64
	rating   int
	interval int
	s, d     float32
}

func TestCrashKill(t *testing.T) {
	path := dbPath(t)
	// Create the file first: a kill during creation is tested separately
	// (creation is a link of a finished file).
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	const kills = 25
	// The seed is printed, and OPSDECK_STORE_CRASH_RUN_SEED=N repeats a run.
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("OPSDECK_STORE_CRASH_RUN_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (repeat with OPSDECK_STORE_CRASH_RUN_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	var model []logged           // the log as reported by the children
	exact := map[string]string{} // card -> last printed S/D bits and reps
	inFlight, totalGrades, totalUndos := 0, 0, 0
	for run := range kills {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path, fmt.Sprintf("%s=%d", crashSeedEnv, rng.Uint64()))
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rng.IntN(380)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("run %d: child did not die by SIGKILL: %v\n%s", run, err, stderr.String())
		}

		// Replay the child's report onto the model.
		sc := bufio.NewScanner(&stdout)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 9 && f[0] == "G":
				at, _ := strconv.ParseInt(f[2], 10, 64)
				rating, _ := strconv.Atoi(f[3])
				ivl, _ := strconv.Atoi(f[5])
				sb, _ := strconv.ParseUint(f[7], 16, 64)
				db, _ := strconv.ParseUint(f[8], 16, 64)
				model = append(model, logged{f[1], at, rating, ivl, float32(math.Float64frombits(sb)), float32(math.Float64frombits(db))})
				exact[f[1]] = strings.Join(f[4:], " ")
				totalGrades++
			case len(f) == 2 && f[0] == "U":
				if len(model) == 0 || model[len(model)-1].card != f[1] {
					t.Fatalf("run %d: child undid %s, the model's last grade is %+v", run, f[1], model[len(model)-1:])
				}
				model = model[:len(model)-1]
				delete(exact, f[1]) // its previous state was not printed
				totalUndos++
			default:
				t.Fatalf("run %d: half a line or garbage on stdout: %q", run, sc.Text())
			}
		}
		if !bytes.HasSuffix(stdout.Bytes(), []byte("\n")) && stdout.Len() > 0 {
			t.Fatalf("run %d: stdout ends mid-line", run)
		}

		// The file opens, passes the checks, and holds exactly what was
		// reported, give or take the one action in flight at the kill.
		s, err := Open(path, &Options{Location: time.UTC, Verify: true})
		if err != nil {
			t.Fatalf("run %d: open after kill: %v", run, err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		var actual []logged
		err = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error {
			actual = append(actual, logged{e.CardID, e.At.UnixNano(), e.Rating, e.Interval, float32(e.Stability), float32(e.Difficulty)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case equalLogs(actual, model):
		case len(actual) == len(model)+1 && equalLogs(actual[:len(model)], model):
			inFlight++ // a grade committed just before the kill, not printed yet
			delete(exact, actual[len(actual)-1].card)
		case len(actual)+1 == len(model) && equalLogs(actual, model[:len(actual)]):
			inFlight++ // an undo committed just before the kill
			delete(exact, model[len(model)-1].card)
		default:
			t.Fatalf("run %d: log (%d entries) does not match the %d reported", run, len(actual), len(model))
		}
		model = actual

		// Every card's state agrees with its log: one rep per entry, and
		// the last entry's stability, difficulty, interval and time.
		all, err := s.AllProgress()
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		last := map[string]logged{}
		for _, e := range actual {
			count[e.card]++
			last[e.card] = e
		}
		for id, p := range all {
			l := last[id]
			c := p.Sched
			if c.Reps != count[id] || float32(c.Stability) != l.s || float32(c.Difficulty) != l.d ||
				c.ScheduledDays != l.interval || c.LastReview.UnixNano() != l.at {
				t.Fatalf("run %d: %s: state %+v, log has %d entries, last %+v", run, id, c, count[id], l)
			}
			if want, ok := exact[id]; ok {
				got := fmt.Sprintf("%d %d %d %x %x", c.Reps, c.ScheduledDays, c.Lapses, math.Float64bits(c.Stability), math.Float64bits(c.Difficulty))
				if got != want {
					t.Fatalf("run %d: %s stored %s, child printed %s", run, id, got, want)
				}
			}
		}
		for id := range count {
			if _, ok := all[id]; !ok {
				t.Fatalf("run %d: %s has log entries but no state", run, id)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d kills: %d grades and %d undos reported, %d in flight at a kill, %d entries in the log",
		kills, totalGrades, totalUndos, inFlight, len(model))
	if totalGrades < kills {
		t.Errorf("only %d grades in %d runs: the children barely ran", totalGrades, kills)
	}
}

// holdChild opens the database, says so and waits to be killed.
func holdChild(path string) {
	// A raw writable bbolt handle: what a transaction that never ends
	// looks like to other processes (an opsdeck stuck in a long write).
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(3)
	}
	defer db.Close()
	fmt.Println("ready")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// Another process holding the file past the lock wait: Open fails with
// the message that names the path, and so does a transaction of a Store
// opened before.
func TestOpenHeldByAnotherProcess(t *testing.T) {
	path := dbPath(t)
	early, err := Open(path, &Options{Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("child: %q %v", line, err)
	}
	before := fileHash(t, path)
	_, err = Open(path, &Options{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || err.Error() != path+" is in use by another opsdeck" {
		t.Fatalf("err = %v", err)
	}
	err = early.SetInterviewDate("2027-01-01")
	if !errors.Is(err, ErrLocked) || err.Error() != path+" is in use by another opsdeck" {
		t.Fatalf("write while held: %v", err)
	}
	if _, err := early.Settings(); !errors.Is(err, ErrLocked) {
		t.Fatalf("read while held: %v", err)
	}
	if fileHash(t, path) != before {
		t.Error("file changed")
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	// The lock died with the process: the early Store works again.
	if err := early.SetInterviewDate("2027-01-01"); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// writerEnv makes the test binary a second process that grades its own
// cards on the same file, each grade its own transaction.
const writerEnv = "OPSDECK_STORE_WRITER_CHILD"

func writerChild(path string) {
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(3)
	}
	defer s.Close()
	for i := range writerGrades {
		if _, err := s.Grade(fmt.Sprintf("child/c%03d", i), fsrs.Good, t0.Add(time.Duration(i)*time.Second), time.Second); err != nil {
			fmt.Fprintln(os.Stderr, "child grade:", err)
			os.Exit(4)
		}
	}
	os.Exit(0)
}

const writerGrades = 150

// Two processes write the same file at once, each one transaction per
// grade, while both Stores stay open: every grade of both lands, and each
// sees the other's.
func TestTwoProcessesWriteOneFile(t *testing.T) {
	path := dbPath(t)
	s, err := Open(path, &Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v0, err := s.Version()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), writerEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := range writerGrades {
		if _, err := s.Grade(fmt.Sprintf("parent/c%03d", i), fsrs.Hard, t0.Add(time.Duration(i)*time.Second), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v: %s", err, stderr.String())
	}
	n := map[string]int{}
	err = s.EachReview(time.Time{}, time.Time{}, func(e LogEntry) error {
		n[strings.SplitN(e.CardID, "/", 2)[0]]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n["child"] != writerGrades || n["parent"] != writerGrades {
		t.Fatalf("reviews %v, want %d of each", n, writerGrades)
	}
	v1, err := s.Version()
	if err != nil {
		t.Fatal(err)
	}
	if v1 < v0+2*writerGrades {
		t.Errorf("version %d -> %d after %d commits", v0, v1, 2*writerGrades)
	}
}

func equalLogs(a, b []logged) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
