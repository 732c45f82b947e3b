package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck/fsrs/optimizer"
	"opsdeck/tune"
)

// The optimize screen fits the FSRS parameters to the review log, as
// `opsdeck optimize` does: with too little history it says so and keeps
// the current parameters; otherwise it fits them (a progress bar; esc stops
// the fit), compares how well the current and the fitted parameters predict
// the log, refuses to save a fit that is not better, and saves only when
// the user says y (r also reschedules the review cards).

// optPhase is where the screen is.
type optPhase int

const (
	optLoading  optPhase = iota // reading the review history
	optFitting                  // the optimizer runs
	optTooFew                   // too little history: nothing fitted
	optNoBetter                 // fitted, but not better than the current parameters
	optConfirm                  // fitted and better: save?
	optSaving                   // ApplyWeights in flight
	optSaved                    // saved
	optFailed                   // the history could not be read or the fit failed
	optStopped                  // esc stopped the fit; its result is dropped
)

// fitProgress is one Options.Progress report.
type fitProgress struct{ done, total int }

// fitJob is a running fit: its progress (only the newest report is kept)
// and its result. Both channels are buffered, so the fit never blocks on a
// screen that stopped listening.
type fitJob struct {
	id   int
	prog <-chan fitProgress
	res  <-chan fitResultMsg
}

// fitStartedMsg says the history was read and the fit is running.
type fitStartedMsg struct {
	id             int
	reviews, items int
	job            fitJob
}

// fitProgressMsg is a progress report of job id; it carries the job so
// the screen can wait for the next one.
type fitProgressMsg struct {
	id          int
	done, total int
	job         fitJob
}

// fitResultMsg ends a fit: too little history, an error (including the
// fit being stopped), or the fitted weights with the metrics of both.
type fitResultMsg struct {
	id             int
	reviews, items int
	tooFew         string // why nothing was fitted; "" when it was
	err            error
	current        [optimizer.NumParams]float64
	fitted         [optimizer.NumParams]float64
	before, after  optimizer.Metrics
}

// weightsAppliedMsg is the result of ApplyWeights.
type weightsAppliedMsg struct {
	id         int
	weights    [optimizer.NumParams]float64
	reschedule bool
	cards      int
	err        error
}

// fitCmd reads the review history and, when it is big enough, starts the
// fit (tune.Fit.Run) in a goroutine; the returned message carries the job
// to wait on.
func fitCmd(ctx context.Context, repo Repo, id int, now time.Time, optimize tune.OptimizeFunc) tea.Cmd {
	return func() tea.Msg {
		res := fitResultMsg{id: id}
		lib, err := repo.Load(now)
		if err != nil {
			res.err = err
			return res
		}
		log, err := lib.Log()
		if err != nil {
			res.err = err
			return res
		}
		fit := tune.Prepare(log, lib.Sched, lib.Settings)
		res.reviews, res.items, res.current = fit.Reviews, fit.Items, fit.Current
		if fit.TooFew != "" {
			res.tooFew = fit.TooFew
			return res
		}
		if err := ctx.Err(); err != nil {
			res.err = err
			return res
		}
		prog := make(chan fitProgress, 1)
		done := make(chan fitResultMsg, 1)
		go func() { done <- runFit(ctx, res, fit, optimize, prog) }()
		return fitStartedMsg{id: id, reviews: fit.Reviews, items: fit.Items, job: fitJob{id: id, prog: prog, res: done}}
	}
}

// runFit runs the fit, reporting progress on prog without ever blocking.
func runFit(ctx context.Context, res fitResultMsg, fit *tune.Fit, optimize tune.OptimizeFunc, prog chan fitProgress) fitResultMsg {
	report := func(done, total int) {
		p := fitProgress{done, total}
		select {
		case prog <- p:
		default: // replace the unread report with the newer one
			select {
			case <-prog:
			default:
			}
			select {
			case prog <- p:
			default:
			}
		}
	}
	if err := fit.Run(ctx, optimize, report); err != nil {
		res.err = err
		return res
	}
	res.tooFew = fit.TooFew
	res.fitted, res.before, res.after = fit.Fitted, fit.Before, fit.After
	return res
}

// wait delivers the job's next progress report or, once it is done, its
// result. A report waiting is taken first, so the last one (100%) is seen
// before the result.
func (j fitJob) wait() tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-j.prog:
			return fitProgressMsg{id: j.id, done: p.done, total: p.total, job: j}
		default:
		}
		select {
		case p := <-j.prog:
			return fitProgressMsg{id: j.id, done: p.done, total: p.total, job: j}
		case r := <-j.res:
			return r
		}
	}
}

func applyWeightsCmd(repo Repo, id int, w [optimizer.NumParams]float64, reschedule bool) tea.Cmd {
	return func() tea.Msg {
		n, err := repo.ApplyWeights(w, reschedule)
		return weightsAppliedMsg{id: id, weights: w, reschedule: reschedule, cards: n, err: err}
	}
}

// optimizeScreen is the fit, its result and the question whether to save.
type optimizeScreen struct {
	env    *env
	keys   optimizeKeys
	id     int // tags this run's messages
	cancel context.CancelFunc
	phase  optPhase

	reviews, items int
	done, total    int // progress of the fit
	bar            progress.Model
	res            fitResultMsg
	reschedule     bool
	message        string // the outcome in words (too few, saved, failed)

	width, height int
}

// newOptimizeScreen starts a fit tagged id and returns the command that
// reads the history.
func newOptimizeScreen(e *env, id int) (optimizeScreen, tea.Cmd) {
	ctx, cancel := context.WithCancel(context.Background())
	fill := colAccent.Light
	if lipgloss.HasDarkBackground() {
		fill = colAccent.Dark
	}
	s := optimizeScreen{
		env: e, keys: newOptimizeKeys(), id: id, cancel: cancel, phase: optLoading,
		// '#' and '.' read in any terminal; the percentage is text, and
		// NO_COLOR (lipgloss's profile) drops the colour.
		bar: progress.New(progress.WithFillCharacters('#', '.'), progress.WithSolidFill(fill),
			progress.WithColorProfile(lipgloss.ColorProfile()), progress.WithWidth(40)),
	}
	s.updateKeys()
	return s, toScreen(scrOptimize, false, fitCmd(ctx, e.repo, id, e.now(), e.optimize))
}

func (s *optimizeScreen) setSize(w, h int) {
	s.width, s.height = w, h
	s.bar.Width = max(10, min(50, w-30)) // after "  Fitting the parameters "
}

func (s *optimizeScreen) updateKeys() {
	running := s.phase == optLoading || s.phase == optFitting
	s.keys.Stop.SetEnabled(running)
	s.keys.Save.SetEnabled(s.phase == optConfirm)
	s.keys.Reschedule.SetEnabled(s.phase == optConfirm)
	if s.reschedule {
		s.keys.Reschedule.SetHelp("r", "keep due dates")
	} else {
		s.keys.Reschedule.SetHelp("r", "also reschedule")
	}
	s.keys.Discard.SetEnabled(s.phase == optConfirm)
	s.keys.Back.SetEnabled(s.phase == optTooFew || s.phase == optNoBetter || s.phase == optSaved || s.phase == optFailed)
}

// stop cancels a fit still running; its result will be dropped.
func (s *optimizeScreen) stop() {
	if s.phase == optLoading || s.phase == optFitting {
		s.phase = optStopped
	}
	if s.cancel != nil {
		s.cancel()
	}
}

func (s optimizeScreen) update(msg tea.Msg) (optimizeScreen, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case fitStartedMsg:
		if msg.id != s.id || s.phase != optLoading {
			return s, nil // a fit since stopped or replaced
		}
		s.phase = optFitting
		s.reviews, s.items = msg.reviews, msg.items
		cmd = toScreen(scrOptimize, false, msg.job.wait())
	case fitProgressMsg:
		if msg.id != s.id || s.phase != optFitting {
			return s, nil
		}
		s.done, s.total = msg.done, msg.total
		cmd = toScreen(scrOptimize, false, msg.job.wait())
	case fitResultMsg:
		if msg.id != s.id || (s.phase != optLoading && s.phase != optFitting) {
			return s, nil
		}
		cmd = s.finish(msg)
	case weightsAppliedMsg:
		if msg.id != s.id || s.phase != optSaving {
			return s, nil
		}
		if msg.err != nil {
			s.phase = optConfirm // still unsaved: y tries again, n leaves
			s.message = "Not saved: " + msg.err.Error()
			cmd = statusCmd("parameters not saved: "+msg.err.Error(), true)
			break
		}
		s.phase = optSaved
		what := "due dates kept"
		if msg.reschedule {
			what = "review cards rescheduled"
		}
		s.message = fmt.Sprintf("Saved. Memory state of %d cards recomputed; %s.", msg.cards, what)
		cmd = statusCmd("FSRS parameters saved; they apply now.", false)
	case tea.KeyMsg:
		cmd = s.key(msg)
	}
	s.updateKeys()
	return s, cmd
}

// finish takes the fit's outcome.
func (s *optimizeScreen) finish(r fitResultMsg) tea.Cmd {
	s.cancel()
	s.res = r
	s.reviews, s.items = r.reviews, r.items
	switch {
	case r.err != nil:
		s.phase = optFailed
		s.message = "Nothing fitted; the current parameters are kept."
		return statusCmd("could not fit the parameters: "+r.err.Error(), true)
	case r.tooFew != "":
		s.phase = optTooFew
		s.message = r.tooFew + "\nKeeping the current parameters."
	case r.after.LogLoss >= r.before.LogLoss:
		s.phase = optNoBetter
		s.message = "The fitted parameters predict no better than the current ones; keeping the current parameters."
	default:
		s.phase = optConfirm
		s.message = ""
	}
	return nil
}

func (s *optimizeScreen) key(k tea.KeyMsg) tea.Cmd {
	ks := &s.keys
	switch {
	case key.Matches(k, ks.Stop):
		s.stop()
		return tea.Batch(back, statusCmd("Fitting stopped; the parameters are unchanged.", false))
	case key.Matches(k, ks.Reschedule):
		s.reschedule = !s.reschedule
	case key.Matches(k, ks.Save):
		s.phase = optSaving
		s.message = ""
		return applyWeightsCmd(s.env.repo, s.id, s.res.fitted, s.reschedule)
	case key.Matches(k, ks.Discard):
		return tea.Batch(back, statusCmd("Not saved; the current parameters are kept.", false))
	case key.Matches(k, ks.Back):
		return back
	}
	return nil
}

func (s optimizeScreen) view() string {
	st := s.env.styles
	w := s.width - 2
	var b strings.Builder
	line := func(text string) { b.WriteString(indent(wrapText(text, w)) + "\n") }
	b.WriteString("\n")
	if s.phase == optLoading || s.phase == optStopped {
		b.WriteString(st.Dim.Render("  Reading your review history…") + "\n")
		return b.String()
	}
	if s.phase == optTooFew || s.phase == optFailed {
		line(s.message) // with the counts, when they are known
		return b.String()
	}
	line(fmt.Sprintf("%d reviews, %d training items (one per review on a later day than the card's last).", s.reviews, s.items))
	b.WriteString("\n")
	switch s.phase {
	case optFitting:
		pct := 0.0
		if s.total > 0 {
			pct = float64(s.done) / float64(s.total)
		}
		b.WriteString("  Fitting the parameters " + s.bar.ViewAs(pct) + "\n\n")
		line("Your parameters stay as they are unless you save the fitted ones.")
		line("esc stops the fit.")
	default:
		s.resultView(&b, w)
	}
	return b.String()
}

// resultView compares the current and the fitted parameters in words and
// asks (or says) what happens to them.
func (s optimizeScreen) resultView(b *strings.Builder, w int) {
	st := s.env.styles
	r := s.res
	line := func(text string) { b.WriteString(indent(wrapText(text, w)) + "\n") }
	b.WriteString("  " + padRight("", 20) + padLeft("current", 9) + padLeft("fitted", 9) + "\n")
	b.WriteString("  " + padRight("log loss", 20) + padLeft(fmt.Sprintf("%.5f", r.before.LogLoss), 9) + padLeft(fmt.Sprintf("%.5f", r.after.LogLoss), 9) + "\n")
	b.WriteString("  " + padRight("RMSE (bins)", 20) + padLeft(fmt.Sprintf("%.5f", r.before.RMSEBins), 9) + padLeft(fmt.Sprintf("%.5f", r.after.RMSEBins), 9) + "\n\n")
	words := "Log loss measures how surprised the model is by your answers (lower is better); " +
		"RMSE (bins) is the typical gap between predicted and actual recall rates."
	if r.before.RMSEBins > 0 {
		words += fmt.Sprintf(" The fitted model's predictions are off by %.1f%% points instead of %.1f.", 100*r.after.RMSEBins, 100*r.before.RMSEBins)
	}
	line(words)
	b.WriteString("\n")
	parts := make([]string, len(r.fitted))
	for i, v := range r.fitted {
		parts[i] = strconv.FormatFloat(v, 'f', 4, 64)
	}
	b.WriteString(st.Dim.Render(indent(wrapText("fitted: "+strings.Join(parts, " "), w))) + "\n\n")
	switch s.phase {
	case optNoBetter:
		b.WriteString(st.Warn.Render(indent(wrapText(s.message, w))) + "\n")
	case optConfirm:
		if s.reschedule {
			line("Reschedule: yes. Each review card's next due date is recomputed from its last review (r keeps them).")
		} else {
			line("Reschedule: no. Due dates stay; only memory states are recomputed (r reschedules too).")
		}
		if s.message != "" {
			b.WriteString("  " + st.Error.Render("error: ") + s.message + "\n")
		}
		b.WriteString(st.Bold.Render("  Save the fitted parameters? y saves, n keeps the current ones.") + "\n")
	case optSaving:
		b.WriteString(st.Dim.Render("  saving…") + "\n")
	case optSaved:
		b.WriteString(st.OK.Render(indent(wrapText(s.message, w))) + "\n")
	}
}

// indent puts two spaces before each line of s.
func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
