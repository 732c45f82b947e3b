package syncer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

// fakeClock is every device's clock in a test: it moves on by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

type device struct {
	st  *store.Store
	eng *Engine
}

func openDevice(t *testing.T, path string, clk *fakeClock) *device {
	t.Helper()
	st, err := store.Open(path, &store.Options{Location: time.UTC, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &device{st: st, eng: New(st, clk.now)}
}

// reviewSet is a device's review log as comparable lines.
func reviewSet(t *testing.T, st *store.Store) []string {
	t.Helper()
	var out []string
	err := st.EachReview(time.Time{}, time.Time{}, func(e store.LogEntry) error {
		out = append(out, fmt.Sprintf("%s %d r%d s%d %d>%d n%d", e.CardID, e.At.UnixNano(), e.Rating, e.StateBefore, e.LastInterval, e.Interval, e.CardNumber))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// stateOf is every card's progress and the custom cards' text.
func stateOf(t *testing.T, st *store.Store) (map[string]deck.Progress, []deck.Deck) {
	t.Helper()
	p, err := st.AllProgress()
	if err != nil {
		t.Fatal(err)
	}
	for id, v := range p {
		v.Sched.Due = v.Sched.Due.UTC()
		v.Sched.LastReview = v.Sched.LastReview.UTC()
		v.BuriedUntil = v.BuriedUntil.UTC()
		p[id] = v
	}
	d, err := st.CustomDecks()
	if err != nil {
		t.Fatal(err)
	}
	return p, d
}

// Random interleavings of reviews, undos, edits and syncs over three
// devices (through a shared folder) converge: after everyone syncs twice
// the review logs, every card's state and the custom cards are equal on
// all three, and every acknowledged review that was not undone is there,
// once.
func TestThreeDevicesConverge(t *testing.T) {
	seeds := uint64(12) // OPSDECK_SYNC_SEEDS=200 for a longer run
	if n, err := strconv.ParseUint(os.Getenv("OPSDECK_SYNC_SEEDS"), 10, 64); err == nil && n > 0 {
		seeds = n
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 99))
			clk := &fakeClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
			dir := t.TempDir()
			shared := filepath.Join(dir, "shared")
			var devs []*device
			for i := range 3 {
				d := openDevice(t, filepath.Join(dir, fmt.Sprintf("d%d.db", i)), clk)
				if _, err := d.eng.Init("", shared, false); err != nil {
					t.Fatal(err)
				}
				devs = append(devs, d)
			}
			type key struct {
				card string
				at   int64
			}
			acked := map[key]bool{}  // acknowledged reviews
			undone := map[key]bool{} // and the ones undone
			if err := devs[0].st.AddCard(deck.Card{ID: "mine/shared", Deck: "mine", Slug: "shared", Front: "Q0", Back: "A0"}); err != nil {
				t.Fatal(err)
			}
			for step := range 80 {
				clk.t = clk.t.Add(time.Duration(1+rng.IntN(600)) * time.Minute)
				i := rng.IntN(3)
				d := devs[i]
				switch op := rng.IntN(10); {
				case op < 5:
					id := fmt.Sprintf("k8s/c%d", rng.IntN(6))
					if rng.IntN(4) == 0 {
						id = "mine/shared"
					}
					res, err := d.st.Grade(id, fsrs.Rating(1+rng.IntN(4)), clk.t, time.Second)
					if err != nil {
						t.Fatalf("step %d: grade: %v", step, err)
					}
					acked[key{id, res.Review.At.UnixNano()}] = true
				case op < 6:
					before := reviewSet(t, d.st)
					u, err := d.st.UndoLast()
					if errors.Is(err, store.ErrNothingToUndo) {
						continue
					}
					if err != nil {
						t.Fatalf("step %d: undo: %v", step, err)
					}
					if u.Action == deck.UndoGrade {
						after := map[string]bool{}
						for _, r := range reviewSet(t, d.st) {
							after[r] = true
						}
						for _, r := range before {
							if !after[r] {
								var id string
								var at int64
								fmt.Sscanf(r, "%s %d", &id, &at)
								undone[key{id, at}] = true
							}
						}
					}
				case op < 7 && rng.IntN(5) == 0:
					// Fitted parameters: every card's memory recomputed.
					w := fsrs.DefaultWeights
					w[0] *= 0.8 + 0.4*rng.Float64()
					w[8] *= 0.8 + 0.4*rng.Float64()
					if _, err := d.st.ApplyWeights(w, rng.IntN(2) == 0); err != nil {
						t.Fatalf("step %d: apply weights: %v", step, err)
					}
				case op < 7 && rng.IntN(2) == 0:
					// A bulk action (search's): a flag, or a forget.
					action, fn := "flag red", func(c *deck.Card, p *deck.Progress) error { p.Flag = 1 + rng.IntN(3); return nil }
					if rng.IntN(2) == 0 {
						action, fn = "forget", func(c *deck.Card, p *deck.Progress) error { p.Sched = fsrs.Card{}; return nil }
					}
					if _, err := d.st.Bulk(action, []string{"mine/shared"}, fn); err != nil && !errors.Is(err, deck.ErrNotFound) {
						t.Fatalf("step %d: %s: %v", step, action, err)
					}
				case op < 7:
					err := d.st.EditCard(deck.Card{ID: "mine/shared", Deck: "mine", Slug: "shared", Front: fmt.Sprintf("Q%d", step), Back: "A"})
					if err != nil && !errors.Is(err, deck.ErrNotFound) {
						t.Fatalf("step %d: edit: %v", step, err)
					}
				default:
					if _, err := d.eng.Sync(); err != nil {
						t.Fatalf("step %d: sync: %v", step, err)
					}
				}
			}
			for range 2 {
				for _, d := range devs {
					clk.t = clk.t.Add(time.Minute)
					if _, err := d.eng.Sync(); err != nil {
						t.Fatal(err)
					}
				}
			}
			want := reviewSet(t, devs[0].st)
			p0, c0 := stateOf(t, devs[0].st)
			for i, d := range devs[1:] {
				if got := reviewSet(t, d.st); !reflect.DeepEqual(got, want) {
					t.Fatalf("device %d's log differs:\n%s\nvs device 0:\n%s", i+1, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				p, c := stateOf(t, d.st)
				if !reflect.DeepEqual(p, p0) {
					for id := range p0 {
						if !reflect.DeepEqual(p[id], p0[id]) {
							t.Errorf("device %d card %s: %+v vs %+v", i+1, id, p[id], p0[id])
						}
					}
					t.FailNow()
				}
				if !reflect.DeepEqual(c, c0) {
					t.Fatalf("device %d's custom cards differ: %+v vs %+v", i+1, c, c0)
				}
			}
			have := map[key]int{}
			for _, r := range want {
				var id string
				var at int64
				fmt.Sscanf(r, "%s %d", &id, &at)
				have[key{id, at}]++
			}
			for k := range acked {
				n := have[k]
				switch {
				case undone[k] && n != 0:
					t.Errorf("undone review %v is back", k)
				case !undone[k] && n != 1:
					t.Errorf("acknowledged review %v appears %d times", k, n)
				}
			}
			t.Logf("%d reviews acknowledged, %d undone, %d in the merged log", len(acked), len(undone), len(want))
			if len(have) != len(acked)-len(undone) {
				t.Errorf("%d reviews, want %d", len(have), len(acked)-len(undone))
			}
		})
	}
}

const (
	killChildEnv = "OPSDECK_SYNC_KILL_CHILD"
	killAtEnv    = "OPSDECK_SYNC_KILL_AT"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(killChildEnv); path != "" {
		killChild(path, os.Getenv(killAtEnv))
	}
	os.Exit(m.Run())
}

// killChild runs one round on path and SIGKILLs itself at the step.
func killChild(path, at string) {
	st, err := store.Open(path, &store.Options{Location: time.UTC})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	stepHook = func(s string) {
		if s == at {
			p, _ := os.FindProcess(os.Getpid())
			_ = p.Signal(os.Kill)
			time.Sleep(time.Minute)
		}
	}
	if _, err := New(st, nil).Sync(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
	os.Exit(0)
}

func gitOrSkip(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git is not installed")
		}
		t.Skip("no git on PATH")
	}
}

// A sync killed (SIGKILL) at each step of a round: the next round
// completes it, and both devices converge with every review once.
func TestSyncKilledAtEachStep(t *testing.T) {
	gitOrSkip(t)
	for _, at := range []string{"pulled", "imported", "exported", "committed", "pushed"} {
		t.Run(at, func(t *testing.T) {
			dir := t.TempDir()
			remote := filepath.Join(dir, "remote.git")
			if out, err := exec.Command("git", "init", "-q", "--bare", remote).CombinedOutput(); err != nil {
				t.Fatalf("%v %s", err, out)
			}
			clk := &fakeClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
			a := openDevice(t, filepath.Join(dir, "a.db"), clk)
			b := openDevice(t, filepath.Join(dir, "b.db"), clk)
			for _, d := range []*device{a, b} {
				if _, err := d.eng.Init(remote, "", false); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 4 {
				clk.t = clk.t.Add(time.Hour)
				if _, err := a.st.Grade(fmt.Sprintf("k8s/a%d", i), fsrs.Good, clk.t, time.Second); err != nil {
					t.Fatal(err)
				}
				if _, err := b.st.Grade(fmt.Sprintf("k8s/a%d", i), fsrs.Hard, clk.t.Add(time.Minute), time.Second); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := b.eng.Sync(); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killChildEnv+"="+a.st.Path(), killAtEnv+"="+at)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != -1 {
				t.Fatalf("child was not killed at %s: %v %s", at, err, out)
			}
			for _, d := range []*device{a, b, a} {
				if _, err := d.eng.Sync(); err != nil {
					t.Fatalf("the round after the kill: %v", err)
				}
			}
			ra, rb := reviewSet(t, a.st), reviewSet(t, b.st)
			if !reflect.DeepEqual(ra, rb) || len(ra) != 8 {
				t.Fatalf("after the kill at %s: A %d reviews, B %d:\n%s\n--\n%s", at, len(ra), len(rb), strings.Join(ra, "\n"), strings.Join(rb, "\n"))
			}
			pa, _ := stateOf(t, a.st)
			pb, _ := stateOf(t, b.st)
			if !reflect.DeepEqual(pa, pb) {
				t.Fatalf("states differ after the kill at %s", at)
			}
			if st, err := a.eng.Status(); err != nil || st.PendingEvents != 0 || st.DevicesSeen != 2 {
				t.Fatalf("status %+v %v", st, err)
			}
		})
	}
}

var _ = sort.Strings
