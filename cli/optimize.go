package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"opsdeck/deck/fsrs/optimizer"
	"opsdeck/tune"
)

type optimizeCmd struct {
	Revlog     string `placeholder:"FILE" help:"fit an FSRS-format review-log CSV instead of the database"`
	DayStart   *int   `placeholder:"H" help:"hour the day starts, 0-23 (with --revlog; default 4)"`
	TZ         string `name:"tz" placeholder:"ZONE" help:"time zone of the day boundaries (with --revlog; default local)"`
	JSON       bool   `name:"json" help:"print JSON (with --revlog)"`
	Yes        bool   `help:"save the fitted parameters without asking"`
	Reschedule bool   `help:"also move due dates to the new intervals"`
}

func (o optimizeCmd) Run(c *ctx) error {
	if o.Revlog == "" {
		if o.JSON || o.TZ != "" || o.DayStart != nil {
			return usagef("--json, --tz and --day-start go with --revlog (the database has its own day start)")
		}
		return o.database(c)
	}
	if o.Yes || o.Reschedule {
		return usagef("--yes and --reschedule save to the database; --revlog only fits a file")
	}
	dayStart := 4
	if o.DayStart != nil {
		dayStart = *o.DayStart
	}
	if dayStart < 0 || dayStart > 23 {
		return usagef("--day-start %d: use an hour 0-23", dayStart)
	}
	loc := time.Local
	if o.TZ != "" {
		var err error
		if loc, err = time.LoadLocation(o.TZ); err != nil {
			return usagef("--tz %q: %v", o.TZ, err)
		}
	}
	bar := newProgressBar(c.Stderr)
	fit, err := tune.FitFile(context.Background(), o.Revlog, loc, dayStart, bar.update)
	bar.done()
	if err != nil {
		return err
	}
	if fit.TooFew != "" {
		return fmt.Errorf("%s: not enough reviews to fit: %s Keep the default parameters", o.Revlog, fit.TooFew)
	}
	if o.JSON {
		out := struct {
			Parameters      []float64 `json:"parameters"`
			LogLoss         float64   `json:"log_loss"`
			RMSEBins        float64   `json:"rmse_bins"`
			DefaultLogLoss  float64   `json:"default_log_loss"`
			DefaultRMSEBins float64   `json:"default_rmse_bins"`
			Items           int       `json:"items"`
		}{fit.Fitted[:], fit.After.LogLoss, fit.After.RMSEBins, fit.Before.LogLoss, fit.Before.RMSEBins, fit.Items}
		return json.NewEncoder(c.Stdout).Encode(out)
	}
	describeFit(c.Stdout, "defaults", fit)
	return nil
}

// database fits the database's own review log, shows the gain and saves
// the parameters when the user agrees.
func (o optimizeCmd) database(c *ctx) error {
	svc, done, err := c.service(dbRead)
	if err != nil {
		return err
	}
	defer done()
	lib, err := svc.Load(c.now())
	if err != nil {
		return err
	}
	log, err := lib.Log()
	if err != nil {
		return err
	}
	fit := tune.Prepare(log, lib.Sched, lib.Settings)
	if fit.TooFew == "" {
		bar := newProgressBar(c.Stderr)
		err = fit.Run(context.Background(), nil, bar.update)
		bar.done()
		if err != nil {
			return err
		}
	}
	if fit.TooFew != "" {
		fmt.Fprintf(c.Stdout, "%s\nKeeping the current parameters.\n", fit.TooFew)
		return nil
	}
	describeFit(c.Stdout, "current", fit)
	if !fit.Better() {
		fmt.Fprintln(c.Stdout, "\nThe fitted parameters predict no better than the current ones; keeping the current parameters.")
		return nil
	}
	if !o.Yes {
		fmt.Fprint(c.Stdout, "\nSave the fitted parameters? [y/N] ")
		line, _ := bufio.NewReader(c.Stdin).ReadString('\n')
		if ans := strings.ToLower(strings.TrimSpace(line)); ans != "y" && ans != "yes" {
			fmt.Fprintln(c.Stdout, "Not saved.")
			return nil
		}
	}
	n, err := svc.ApplyWeights(fit.Fitted, o.Reschedule)
	if err != nil {
		return fmt.Errorf("parameters not saved: %w", err)
	}
	what := "due dates kept"
	if o.Reschedule {
		what = "review cards rescheduled"
	}
	fmt.Fprintf(c.Stdout, "Saved. Memory state of %d cards recomputed; %s.\n", n, what)
	return nil
}

// describeFit says in plain words how much better the fitted parameters
// predict than the base ones.
func describeFit(w io.Writer, base string, f *tune.Fit) {
	before, after := f.Before, f.After
	fmt.Fprintf(w, "%d reviews, %d training items (one per review on a later day than the card's last).\n\n", f.Reviews, f.Items)
	fmt.Fprintf(w, "                      %8s   fitted\n", base)
	fmt.Fprintf(w, "log loss              %8.5f %8.5f\n", before.LogLoss, after.LogLoss)
	fmt.Fprintf(w, "RMSE (bins)           %8.5f %8.5f\n\n", before.RMSEBins, after.RMSEBins)
	fmt.Fprintln(w, "Log loss measures how surprised the model is by your answers (lower is better);")
	fmt.Fprintln(w, "RMSE (bins) is the typical gap between predicted and actual recall rates.")
	if before.RMSEBins > 0 {
		fmt.Fprintf(w, "The fitted model's predictions are off by %.1f%% points instead of %.1f.\n",
			100*after.RMSEBins, 100*before.RMSEBins)
	}
	parts := make([]string, optimizer.NumParams)
	for i, v := range f.Fitted {
		parts[i] = strconv.FormatFloat(v, 'f', 4, 64)
	}
	fmt.Fprintf(w, "\nparameters: %s\n", strings.Join(parts, ", "))
}

// progressBar draws a one-line bar on stderr.
type progressBar struct {
	w    io.Writer
	last int
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w, last: -1} }

func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	pct := 100 * done / total
	if pct == p.last {
		return
	}
	p.last = pct
	n := pct * 30 / 100
	fmt.Fprintf(p.w, "\rfitting [%s%s] %3d%%", strings.Repeat("#", n), strings.Repeat(".", 30-n), pct)
}

func (p *progressBar) done() {
	if p.last >= 0 {
		fmt.Fprintln(p.w)
	}
}
