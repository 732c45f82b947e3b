package tui

import (
	"opsdeck/tune"

	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/deck/fsrs/optimizer"
)

// simHistory is a review log of 120 cards over three months: the "true"
// memory grows 3.5x per success and recall follows FSRS's curve, with
// grades drawn from a fixed seed (as main's TestOptimizeDatabase).
func simHistory(t *testing.T) []deck.Review {
	t.Helper()
	rng := uint64(42)
	rand := func() float64 {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return float64(rng%1_000_000) / 1_000_000
	}
	t0 := testNow.AddDate(0, -3, 0)
	var log []deck.Review
	grade := func(id string, r int, at time.Time) {
		log = append(log, deck.Review{CardID: id, At: at, Rating: r, Duration: 5 * time.Second})
	}
	for c := 0; c < 120; c++ {
		id := fmt.Sprintf("sim/c%d", c)
		at := t0.Add(time.Duration(c%7) * 24 * time.Hour)
		s := 1.0 + rand()
		for at.Before(testNow) {
			grade(id, 3, at)
			next := max(time.Duration(s*24)*time.Hour, 24*time.Hour)
			at = at.Add(next)
			if rand() < math.Pow(1+0.2346*next.Hours()/24/s, -0.5) {
				s *= 3.5
			} else {
				s = math.Max(0.5, s*0.3)
				grade(id, 1, at)
				at = at.Add(24 * time.Hour)
			}
		}
	}
	slices.SortStableFunc(log, func(a, b deck.Review) int { return a.At.Compare(b.At) })
	if len(log) < 600 {
		t.Fatalf("only %d simulated reviews", len(log))
	}
	return log
}

// step delivers msg to the root without running what it returns.
func (h *harness) step(msg tea.Msg) tea.Cmd {
	h.t.Helper()
	h.seen = append(h.seen, msg)
	nm, cmd := h.m.Update(msg)
	h.m = nm.(model)
	return cmd
}

// openOptimize presses o on the settings screen and returns the command
// that reads the history, not run yet.
func openOptimize(h *harness) tea.Cmd {
	h.t.Helper()
	h.keys(",")
	msg := h.step(keyMsg("o"))()
	if _, ok := msg.(openMsg); !ok {
		h.t.Fatalf("o gave %T, want openMsg", msg)
	}
	cmd := h.step(msg)
	if h.m.cur != scrOptimize || cmd == nil {
		h.t.Fatalf("screen %v, cmd %v", h.m.cur, cmd)
	}
	return cmd
}

// betterResult is a canned fit that beats the current parameters.
func betterResult(id int) fitResultMsg {
	r := fitResultMsg{id: id, reviews: 1234, items: 987, current: fsrs.DefaultWeights}
	r.fitted = fsrs.DefaultWeights
	r.fitted[0], r.fitted[8] = 0.5, 1.9
	r.before = optimizer.Metrics{LogLoss: 0.41, RMSEBins: 0.051, Items: 987}
	r.after = optimizer.Metrics{LogLoss: 0.37, RMSEBins: 0.023, Items: 987}
	return r
}

// TestOptimizeEndToEnd runs the real optimizer through the screen's
// commands: progress up to 100%, the comparison, r, y, and the saved
// parameters in use after the reload.
func TestOptimizeEndToEnd(t *testing.T) {
	f := newFake(testDecks()...)
	f.reviews = simHistory(t)
	h := newHarness(t, f)
	h.keys(",")
	h.mustSee("FSRS parameters     default · o fits them")
	if !h.m.settings.keys.Optimize.Enabled() || !strings.Contains(h.m.help.ShortHelpView(h.m.shortHelp()), "o fit FSRS") {
		t.Fatal("o not offered on the settings screen")
	}
	h.keys("o") // the harness runs the fit to its end
	if h.m.cur != scrOptimize || h.m.opt.phase != optConfirm {
		t.Fatalf("screen %v phase %v; view:\n%s", h.m.cur, h.m.opt.phase, h.view())
	}
	// Progress came as messages, rising, up to the whole.
	last := -1
	var final fitProgressMsg
	for _, msg := range h.seen {
		if p, ok := inner(msg).(fitProgressMsg); ok {
			if p.done <= last || p.total <= 0 || p.done > p.total {
				t.Fatalf("progress %d/%d after %d", p.done, p.total, last)
			}
			last, final = p.done, p
		}
	}
	if last < 0 || final.done != final.total {
		t.Fatalf("last progress %+v", final)
	}
	r := h.m.opt.res
	if r.reviews != len(f.reviews) || r.items < optimizer.DefaultMinItems || !(r.after.LogLoss < r.before.LogLoss) {
		t.Fatalf("result %d reviews, %d items, %+v -> %+v", r.reviews, r.items, r.before, r.after)
	}
	if r.fitted == fsrs.DefaultWeights || r.current != fsrs.DefaultWeights {
		t.Fatal("fitted weights are the defaults, or current ones are not")
	}
	h.mustSee(fmt.Sprintf("%d reviews, %d training items", r.reviews, r.items),
		"current   fitted", "log loss", "RMSE (bins)", fmt.Sprintf("%.5f", r.after.LogLoss),
		"Reschedule: no", "Save the fitted parameters? y saves, n keeps the current ones")
	h.mustNotSee("Saved")
	h.keys("r")
	h.mustSee("Reschedule: yes")
	h.keys("y")
	if len(f.applied) != 1 || f.applied[0].w != r.fitted || !f.applied[0].reschedule {
		t.Fatalf("ApplyWeights calls %+v", f.applied)
	}
	h.mustSee("Saved. Memory state of 120 cards recomputed; review cards rescheduled.")
	if !strings.Contains(h.status(), "FSRS parameters saved") {
		t.Fatalf("status %q", h.status())
	}
	// Reloaded at once with the new parameters.
	if h.m.lib.Sched.Params().W != r.fitted {
		t.Fatal("the scheduler still has the old parameters")
	}
	h.keys("q")
	if h.m.cur != scrSettings {
		t.Fatalf("q went to %v", h.m.cur)
	}
	h.mustSee("FSRS parameters     custom")
	// Saving the form afterwards keeps the fitted parameters.
	h.keys("j", "l", "s")
	if f.settings.NewPerDay != 21 || !slices.Equal(f.settings.Weights, r.fitted[:]) {
		t.Fatalf("settings saved over the fit: %+v", f.settings)
	}
}

// TestOptimizeProgressBar feeds the screen progress reports: the bar and
// its percentage advance, and each report waits for the next.
func TestOptimizeProgressBar(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	openOptimize(h) // the history is never read: the job is the test's
	h.mustSee("Reading your review history")
	if !h.m.opt.keys.Stop.Enabled() || h.m.opt.keys.Save.Enabled() {
		t.Fatal("keys while reading: stop should be offered, save not")
	}
	id := h.m.optSeq
	prog := make(chan fitProgress, 1)
	res := make(chan fitResultMsg, 1)
	job := fitJob{id: id, prog: prog, res: res}
	if cmd := h.step(fitStartedMsg{id: id, reviews: 1200, items: 900, job: job}); cmd == nil {
		t.Fatal("no wait for progress")
	}
	h.mustSee("1200 reviews, 900 training items", "Fitting the parameters", "  0%", "esc stops the fit")
	hashes := func() int { return strings.Count(h.view(), "#") }
	if hashes() != 0 {
		t.Fatal("bar filled at 0%")
	}
	// The wait delivers what the fit reports.
	prog <- fitProgress{250, 1000}
	msg := h.step(fitProgressMsg{id: id, done: 0, total: 1000, job: job})()
	p, ok := inner(msg).(fitProgressMsg)
	if !ok || p.done != 250 || p.total != 1000 {
		t.Fatalf("wait gave %#v", msg)
	}
	h.step(p)
	h.mustSee(" 25%")
	quarter := hashes()
	if quarter == 0 {
		t.Fatal("bar empty at 25%")
	}
	h.step(fitProgressMsg{id: id, done: 1000, total: 1000, job: job})
	h.mustSee("100%")
	if full := hashes(); full < 3*quarter {
		t.Fatalf("bar at 100%% has %d #, at 25%% %d", full, quarter)
	}
	// A report of another run changes nothing and waits for nothing.
	if cmd := h.step(fitProgressMsg{id: id - 1, done: 10, total: 1000, job: job}); cmd != nil {
		t.Fatal("a stale report started a wait")
	}
	h.mustSee("100%")
	// The result follows.
	res <- betterResult(id)
	h.send(fitResultMsg{id: id - 1, err: errDiskFull}) // another run's: dropped
	if h.m.opt.phase != optFitting || h.m.status.err {
		t.Fatal("a stale result was taken")
	}
	h.run(job.wait())
	if h.m.opt.phase != optConfirm {
		t.Fatalf("phase %v after the result", h.m.opt.phase)
	}
	h.mustSee("1234 reviews, 987 training items", "0.41000", "0.37000",
		"off by 2.3% points instead of 5.1", "Save the fitted parameters?")
	if h.m.opt.keys.Stop.Enabled() || !h.m.opt.keys.Save.Enabled() || !h.m.opt.keys.Reschedule.Enabled() {
		t.Fatal("keys after the result")
	}
}

func TestOptimizeTooLittleHistory(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  func() []deck.Review
		want string
	}{
		{"few reviews", func() []deck.Review {
			var log []deck.Review
			for i := range 60 {
				log = append(log, deck.Review{CardID: fmt.Sprintf("a/c%d", i%20), At: testNow.AddDate(0, 0, -60+i/20*10), Rating: 3})
			}
			return log
		}, "60 reviews (40 training items) are too few to fit reliably"},
		// Enough reviews, but each card seen once: nothing to learn from.
		{"few items", func() []deck.Review {
			var log []deck.Review
			for i := range 450 {
				log = append(log, deck.Review{CardID: fmt.Sprintf("a/c%d", i), At: testNow.Add(-time.Duration(i) * time.Minute), Rating: 3})
			}
			return log
		}, "450 reviews (0 training items) are too few to fit reliably"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(testDecks()...)
			f.reviews = tc.log()
			h := newHarness(t, f)
			h.keys(",", "o")
			h.mustSee(tc.want, "Keeping the current parameters.")
			h.mustNotSee("Save the fitted", "Fitting")
			if h.m.opt.phase != optTooFew || h.m.opt.keys.Save.Enabled() || !h.m.opt.keys.Back.Enabled() {
				t.Fatalf("phase %v, save %v", h.m.opt.phase, h.m.opt.keys.Save.Enabled())
			}
			h.keys("y", "r")
			if slices.Contains(f.calls, "ApplyWeights") {
				t.Fatal("saved with too little history")
			}
			h.keys("esc")
			if h.m.cur != scrSettings {
				t.Fatalf("esc went to %v", h.m.cur)
			}
		})
	}
}

// TestOptimizeNoDoesNotSave: n and esc leave without saving.
func TestOptimizeNoDoesNotSave(t *testing.T) {
	for _, k := range []string{"n", "esc"} {
		t.Run(k, func(t *testing.T) {
			f := newFake(testDecks()...)
			h := newHarness(t, f)
			openOptimize(h)
			h.send(betterResult(h.m.optSeq))
			h.mustSee("Save the fitted parameters?")
			h.keys("r", k)
			if h.m.cur != scrSettings || slices.Contains(f.calls, "ApplyWeights") || f.settings.Weights != nil {
				t.Fatalf("after %s: screen %v, calls %v", k, h.m.cur, f.calls)
			}
			if !strings.Contains(h.status(), "Not saved; the current parameters are kept.") {
				t.Fatalf("status %q", h.status())
			}
		})
	}
}

// TestOptimizeNotBetter: a fit that predicts no better is not offered.
func TestOptimizeNotBetter(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	openOptimize(h)
	r := betterResult(h.m.optSeq)
	r.after.LogLoss = r.before.LogLoss
	h.send(r)
	h.mustSee("The fitted parameters predict no better than the current ones; keeping the", "current parameters.")
	h.mustNotSee("Save the fitted")
	h.keys("y")
	if slices.Contains(f.calls, "ApplyWeights") || h.m.opt.phase != optNoBetter {
		t.Fatal("y saved a fit that is not better")
	}
	h.keys("q")
	if h.m.cur != scrSettings {
		t.Fatal("q did not go back")
	}
}

// TestOptimizeSaveError: a failed save says so, claims nothing, and lets
// the user try again.
func TestOptimizeSaveError(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	openOptimize(h)
	r := betterResult(h.m.optSeq)
	h.send(r)
	f.errs["ApplyWeights"] = errDiskFull
	h.keys("y")
	if !strings.Contains(h.status(), "parameters not saved") || !strings.Contains(h.status(), "no space left") || !h.m.status.err {
		t.Fatalf("status %q", h.status())
	}
	h.mustSee("error: Not saved: write /tmp/db: no space left", "Save the fitted parameters?")
	h.mustNotSee("Saved.")
	if len(f.applied) != 0 || f.settings.Weights != nil || h.m.settings.saved.Weights != nil {
		t.Fatal("weights taken after a failed save")
	}
	if h.m.lib.Sched.Params().W != fsrs.DefaultWeights {
		t.Fatal("the scheduler changed after a failed save")
	}
	h.keys("y") // again, and it works
	if len(f.applied) != 1 || f.applied[0].w != r.fitted || f.applied[0].reschedule {
		t.Fatalf("ApplyWeights calls %+v", f.applied)
	}
	h.mustSee("Saved. Memory state of 0 cards recomputed; due dates kept.")
	h.mustNotSee("error:")
}

// TestOptimizeErrors: a history that cannot be read goes to the status
// line; the parameters stay.
func TestOptimizeErrors(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	f.errs["Reviews"] = errDiskFull
	h.keys(",", "o")
	if !h.m.status.err || !strings.Contains(h.status(), "could not fit the parameters: reading the review log: write /tmp/db") {
		t.Fatalf("status %q", h.status())
	}
	h.mustSee("Nothing fitted; the current parameters are kept.")
	if !h.m.opt.keys.Back.Enabled() || h.m.opt.keys.Save.Enabled() {
		t.Fatal("keys after an error")
	}
}

// TestOptimizeStop: esc while the real optimizer runs cancels its context,
// goes back, and the cancelled fit's result is dropped.
func TestOptimizeStop(t *testing.T) {
	f := newFake(testDecks()...)
	f.reviews = simHistory(t)
	h := newHarness(t, f)
	started := make(chan struct{})
	h.m.env.optimize = func(ctx context.Context, items []optimizer.Item, opt optimizer.Options) (optimizer.Result, error) {
		report := opt.Progress
		first := true
		opt.Progress = func(done, total int) {
			report(done, total)
			if first { // hold the fit after its first batch until it is cancelled
				first = false
				close(started)
				<-ctx.Done()
			}
		}
		return optimizer.Optimize(ctx, items, opt)
	}
	msg := openOptimize(h)()
	if _, ok := inner(msg).(fitStartedMsg); !ok {
		t.Fatalf("got %T, want fitStartedMsg", msg)
	}
	wait := h.step(msg)
	<-started
	h.mustSee("Fitting the parameters")
	if !strings.Contains(h.m.help.ShortHelpView(h.m.shortHelp()), "esc/q stop fitting") {
		t.Fatal("stop not in the help line")
	}
	h.keys("esc")
	if h.m.cur != scrSettings || !strings.Contains(h.status(), "Fitting stopped; the parameters are unchanged.") {
		t.Fatalf("after esc: %v %q", h.m.cur, h.status())
	}
	var res fitResultMsg
	for {
		msg := wait()
		if r, ok := inner(msg).(fitResultMsg); ok {
			res = r
			break
		}
		wait = inner(msg).(fitProgressMsg).job.wait()
	}
	if !errors.Is(res.err, context.Canceled) {
		t.Fatalf("the fit was not cancelled: %v", res.err)
	}
	h.send(res)
	if h.m.cur != scrSettings || h.m.status.err || slices.Contains(f.calls, "ApplyWeights") {
		t.Fatalf("the stopped fit's result was taken: %v %q", h.m.cur, h.status())
	}
	// Fitting again starts afresh, without the old status.
	h.m.env.optimize = nil
	h.keys("o")
	if h.status() != "" || h.m.opt.phase != optConfirm {
		t.Fatalf("second fit: phase %v, status %q", h.m.opt.phase, h.status())
	}
}

// TestOptimizeFitsAt80x24: the result and the question fit the smallest
// terminal.
func TestOptimizeFitsAt80x24(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	openOptimize(h)
	h.send(betterResult(h.m.optSeq))
	h.keys("r")
	h.m.opt.message = "Not saved: " + errDiskFull.Error()
	v := h.view()
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, want := range []string{"Save the fitted parameters?", "Reschedule: yes", "RMSE (bins)", "y save"} {
		if !strings.Contains(v, want) {
			t.Fatalf("80x24 view lacks %q:\n%s", want, v)
		}
	}
}

func TestFitReviewsNumbersCards(t *testing.T) {
	at := testNow
	log := []deck.Review{
		{CardID: "b/x", At: at, Rating: 3, Duration: 2 * time.Second},
		{CardID: "a/y", At: at.Add(time.Hour), Rating: 1},
		{CardID: "b/x", At: at.Add(48 * time.Hour), Rating: 4},
	}
	got := tune.Reviews(log)
	want := []optimizer.Review{
		{CardID: 1, Time: at.UnixMilli(), Rating: 3, Duration: 2000},
		{CardID: 2, Time: at.Add(time.Hour).UnixMilli(), Rating: 1},
		{CardID: 1, Time: at.Add(48 * time.Hour).UnixMilli(), Rating: 4},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v", got)
	}
}

// TestOptimizeFitRefuses: the optimizer's own "not enough" keeps the
// parameters with its reason; any other failure goes to the status line.
func TestOptimizeFitRefuses(t *testing.T) {
	f := newFake(testDecks()...)
	f.reviews = simHistory(t)
	h := newHarness(t, f)
	fail := error(&optimizer.NotEnoughDataError{Items: 7, Need: 8})
	h.m.env.optimize = func(ctx context.Context, items []optimizer.Item, opt optimizer.Options) (optimizer.Result, error) {
		return optimizer.Result{}, fail
	}
	h.keys(",", "o")
	want := fmt.Sprintf("%d reviews, %d training items: optimizer: not enough review history: 7 item(s), need at least 8.", len(f.reviews), h.m.opt.items)
	if !strings.Contains(h.m.opt.message, want) || h.m.opt.items < optimizer.DefaultMinItems {
		t.Fatalf("message %q", h.m.opt.message)
	}
	h.mustSee("need at least 8.", "Keeping the current parameters.")
	if h.m.opt.phase != optTooFew || h.m.status.err {
		t.Fatalf("phase %v status %q", h.m.opt.phase, h.status())
	}
	fail = errors.New("optimizer: training diverged")
	h.keys("q", "o")
	if h.m.opt.phase != optFailed || !h.m.status.err || !strings.Contains(h.status(), "could not fit the parameters: optimizer: training diverged") {
		t.Fatalf("phase %v status %q", h.m.opt.phase, h.status())
	}
	h.mustSee("Nothing fitted; the current parameters are kept.")
	if slices.Contains(f.calls, "ApplyWeights") {
		t.Fatal("saved after a failed fit")
	}
}
