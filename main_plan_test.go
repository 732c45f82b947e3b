package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

type planDoc struct {
	InterviewDate *string `json:"interview_date"`
	DaysLeft      *int    `json:"days_left"`
	Areas         []struct {
		ID           string   `json:"id"`
		Cards        int      `json:"cards"`
		Seen         int      `json:"seen"`
		RecallNow    float64  `json:"recall_now"`
		RecallIdle   *float64 `json:"recall_on_date_if_idle"`
		RecallOnPlan *float64 `json:"recall_on_date_on_plan"`
		NewPerDay    *int     `json:"new_per_day"`
	} `json:"areas"`
	Total struct {
		Cards     int     `json:"cards"`
		RecallNow float64 `json:"recall_now"`
	} `json:"total"`
}

func planJSON(t *testing.T, db string, args ...string) planDoc {
	t.Helper()
	code, out, errs := opsdeck(t, "", append([]string{"--db", db, "plan", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("plan --json: %d %s", code, errs)
	}
	var doc planDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc
}

// TestPlanRecallNowIsStatsKnowledge: the plan's recall now per area is
// stats --json's knowledge / cards.total, with or without a date.
func TestPlanRecallNowIsStatsKnowledge(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := tempDB(t)
	day0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	plainSession(t, db, day0, strings.Repeat("\n3\n", 12)+strings.Repeat("\n1\n", 3), "--deck", "kubernetes", "--limit", "15")
	plainSession(t, db, day0, strings.Repeat("\n4\n", 5), "--deck", "mlops", "--limit", "5")
	plainSession(t, db, day0.AddDate(0, 0, 2), strings.Repeat("\n3\n", 30))
	now := day0.AddDate(0, 0, 9)
	t.Setenv("OPSDECK_NOW", now.Format(time.RFC3339))
	code, out, errs := opsdeck(t, "", "--db", db, "stats", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var st struct {
		Decks []struct {
			ID        string  `json:"id"`
			Knowledge float64 `json:"knowledge"`
			Cards     struct {
				Total int `json:"total"`
			} `json:"cards"`
		} `json:"decks"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	check := func(doc planDoc) {
		t.Helper()
		if len(doc.Areas) != len(st.Decks) {
			t.Fatalf("%d areas, %d decks", len(doc.Areas), len(st.Decks))
		}
		studied := 0
		for i, a := range doc.Areas {
			d := st.Decks[i]
			want := d.Knowledge / float64(d.Cards.Total)
			// The clock runs on from OPSDECK_NOW between the two commands
			// (milliseconds): recall falls by far less than 1e-6 meanwhile.
			if a.ID != d.ID || a.Cards != d.Cards.Total || math.Abs(a.RecallNow-want) > 1e-6 {
				t.Errorf("%s: recall now %.9f, %d cards; stats %s: %.9f, %d cards", a.ID, a.RecallNow, a.Cards, d.ID, want, d.Cards.Total)
			}
			if a.RecallNow > 0 {
				studied++
			}
		}
		if studied < 2 {
			t.Errorf("only %d areas studied", studied)
		}
	}
	doc := planJSON(t, db)
	if doc.InterviewDate != nil || doc.DaysLeft != nil || doc.Areas[0].RecallIdle != nil {
		t.Errorf("no date set, yet: %+v", doc)
	}
	check(doc)
	doc = planJSON(t, db, "--date", "2026-04-15")
	if doc.InterviewDate == nil || *doc.InterviewDate != "2026-04-15" || *doc.DaysLeft != 36 {
		t.Fatalf("date not set: %+v", doc)
	}
	check(doc)
	for _, a := range doc.Areas {
		if *a.RecallIdle > a.RecallNow || *a.RecallOnPlan < *a.RecallIdle || *a.NewPerDay <= 0 {
			t.Errorf("%s: now %.3f idle %.3f on plan %.3f, %d new a day", a.ID, a.RecallNow, *a.RecallIdle, *a.RecallOnPlan, *a.NewPerDay)
		}
	}
	// The date stays.
	if doc := planJSON(t, db); doc.InterviewDate == nil || *doc.InterviewDate != "2026-04-15" {
		t.Errorf("date not kept: %+v", doc.InterviewDate)
	}
	code, out, _ = opsdeck(t, "", "--db", db, "plan")
	if code != 0 || !strings.Contains(out, "Interview 2026-04-15: 36 days left") || !strings.Contains(out, "ON PLAN") {
		t.Errorf("plan table:\n%s", out)
	}
	if doc := planJSON(t, db, "--clear"); doc.InterviewDate != nil {
		t.Errorf("--clear left %v", *doc.InterviewDate)
	}
	if doc := planJSON(t, db); doc.InterviewDate != nil {
		t.Errorf("--clear not kept")
	}
}

// TestPlanBadDates: a date in the past, today or unparsable is refused
// with a clear message and the file is not written.
func TestPlanBadDates(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := tempDB(t)
	t.Setenv("OPSDECK_NOW", "2026-03-01T09:00:00Z")
	if code, _, errs := opsdeck(t, "", "--db", db, "plan", "--date", "2026-06-01"); code != 0 {
		t.Fatal(errs)
	}
	before := sha(t, db)
	for _, c := range []struct{ arg, want string }{
		{"2026-02-27", "interview date 2026-02-27 is in the past"},
		{"2026-03-01", "interview date 2026-03-01 is today"},
		{"next week", `interview date "next week": want a date YYYY-MM-DD`},
		{"2026-02-30", "want a date YYYY-MM-DD"},
	} {
		code, _, errs := opsdeck(t, "", "--db", db, "plan", "--date", c.arg)
		if code != 2 || !strings.HasPrefix(errs, "opsdeck: ") || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing was saved") {
			t.Errorf("--date %q: %d %q", c.arg, code, errs)
		}
	}
	if code, _, errs := opsdeck(t, "", "--db", db, "plan", "--date", "2026-06-02", "--clear"); code != 2 || !strings.Contains(errs, "cannot go together") {
		t.Errorf("--date with --clear: %d %q", code, errs)
	}
	if sha(t, db) != before {
		t.Error("a refused date changed the database")
	}
	if doc := planJSON(t, db); doc.InterviewDate == nil || *doc.InterviewDate != "2026-06-01" {
		t.Errorf("date after refusals: %v", doc.InterviewDate)
	}
	// Once the day has come, the plan says so and forecasts nothing.
	t.Setenv("OPSDECK_NOW", "2026-06-03T09:00:00Z")
	code, out, errs := opsdeck(t, "", "--db", db, "plan")
	if code != 0 || !strings.Contains(out, "The interview date 2026-06-01 has come") || strings.Contains(out, "ON PLAN") {
		t.Errorf("after the day: %d %s %s", code, out, errs)
	}
	if doc := planJSON(t, db); *doc.DaysLeft != -2 || doc.Areas[0].RecallIdle != nil {
		t.Errorf("after the day: days left %d", *doc.DaysLeft)
	}
	t.Setenv("OPSDECK_NOW", "2026-03-01T09:00:00Z")
	// Nothing studied: the forecast still works and says how to start.
	code, out, _ = opsdeck(t, "", "--db", db, "plan")
	if code != 0 || !strings.Contains(out, "No reviews yet") || !strings.Contains(out, "total") {
		t.Errorf("fresh plan:\n%s", out)
	}
}
