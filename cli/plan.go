package cli

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"opsdeck/plan"
)

type planCmd struct {
	Date  string `placeholder:"YYYY-MM-DD" help:"save the interview date (a day after today)"`
	Clear bool   `help:"remove the interview date"`
	JSON  bool   `name:"json" help:"print JSON (shape in docs/cli.md)"`
}

// Run saves or clears the date when asked, then prints the plan.
func (p planCmd) Run(c *ctx) error {
	if p.Date != "" && p.Clear {
		return usagef("--date and --clear cannot go together")
	}
	use := dbView // showing the plan writes nothing
	if p.Date != "" || p.Clear {
		use = dbWrite
	}
	svc, done, err := c.service(use)
	if err != nil {
		return err
	}
	defer done()
	now := c.now()
	lib, err := svc.Load(now)
	if err != nil {
		return err
	}
	switch {
	case p.Clear:
		if err := svc.ClearInterviewDate(); err != nil {
			return err
		}
		lib.Interview = ""
	case p.Date != "":
		day, err := plan.ParseDate(p.Date, lib.Sched, now)
		var de *plan.DateError
		if errors.As(err, &de) {
			return usagef("%s; nothing was saved", de.Msg)
		}
		if err != nil {
			return err
		}
		if err := svc.SetInterviewDate(day); err != nil {
			return err
		}
		lib.Interview = day
	}
	pl := plan.Compute(lib)
	if p.JSON {
		return printJSON(c, pl)
	}
	return writePlan(c.Stdout, pl)
}

// writePlan prints the plan as a table.
func writePlan(w io.Writer, pl *plan.Plan) error {
	switch {
	case pl.InterviewDate == nil:
		fmt.Fprintln(w, "No interview date: set one with opsdeck plan --date YYYY-MM-DD.")
	case !pl.Forecast():
	default:
		fmt.Fprintf(w, "Interview %s: %s left; new cards over the next %s, then at least %d days to consolidate.\n",
			*pl.InterviewDate, days(*pl.DaysLeft), days(pl.LearnDays), plan.ConsolidationDays)
	}
	if pl.Hint != "" {
		fmt.Fprintln(w, pl.Hint)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	dated := pl.Forecast()
	// The first column is padded to one width, so that it reads left-aligned.
	nameW := len("total")
	for _, a := range pl.Areas {
		nameW = max(nameW, len(clean(a.ID)))
	}
	pad := func(s string) string { return fmt.Sprintf("%-*s", nameW, s) }
	if dated {
		fmt.Fprintln(tw, pad("AREA")+"\tCARDS\tSEEN\tNOW\tIDLE\tON PLAN\tNEW/DAY\tREV/DAY\tMIN/DAY\t")
	} else {
		fmt.Fprintln(tw, pad("AREA")+"\tCARDS\tSEEN\tNOW\t")
	}
	row := func(name string, f plan.Figures) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t", pad(clean(name)), f.Cards, f.Seen, pct(f.RecallNow))
		if dated {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t", pct(*f.RecallIdle), pct(*f.RecallOnPlan), *f.NewPerDay, *f.ReviewsPerDay, *f.MinutesPerDay)
		}
		fmt.Fprintln(tw)
	}
	for _, a := range pl.Areas {
		row(a.ID, a.Figures)
	}
	row("total", pl.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	if dated {
		fmt.Fprintln(w, "\nNOW: predicted recall today; IDLE: on the day if you stop studying now; ON PLAN: on the day\nif you follow the plan (simulated). Unseen cards count 0.")
	}
	return nil
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
