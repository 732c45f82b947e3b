package fsrs

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	if p.W != DefaultWeights || p.DesiredRetention != 0.9 || p.MaximumInterval != 36500 ||
		!p.EnableShortTerm || !p.EnableFuzz || p.DayStartHour != 4 || p.Location != nil {
		t.Errorf("DefaultParams() = %+v", p)
	}
	if len(p.LearningSteps) != 2 || p.LearningSteps[0] != time.Minute || p.LearningSteps[1] != 10*time.Minute {
		t.Errorf("learning steps = %v, want [1m 10m]", p.LearningSteps)
	}
	if len(p.RelearningSteps) != 1 || p.RelearningSteps[0] != 10*time.Minute {
		t.Errorf("relearning steps = %v, want [10m]", p.RelearningSteps)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
	// Two relearning steps still accept the default weights.
	p.RelearningSteps = []time.Duration{10 * time.Minute, time.Hour}
	if err := p.Validate(); err != nil {
		t.Errorf("defaults with two relearning steps rejected: %v", err)
	}
}

func TestWeightsFrom(t *testing.T) {
	w, err := WeightsFrom(DefaultWeights[:])
	if err != nil || w != DefaultWeights {
		t.Errorf("21 weights: got %v, %v", w, err)
	}
	fsrs5 := []float64{0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575,
		0.1192, 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621}
	w, err = WeightsFrom(fsrs5)
	if err != nil {
		t.Fatalf("19 weights: %v", err)
	}
	if w[19] != 0 || w[20] != 0.5 || w[0] != fsrs5[0] || w[18] != fsrs5[18] {
		t.Errorf("19 weights migrated to %v", w)
	}
	p := DefaultParams()
	p.W = w
	if err := p.Validate(); err != nil {
		t.Errorf("migrated FSRS-5 weights rejected: %v", err)
	}
	for _, n := range []int{0, 17, 18, 20, 22} {
		_, err := WeightsFrom(make([]float64, n))
		if err == nil || !strings.Contains(err.Error(), "got "+strconv.Itoa(n)+" weights") {
			t.Errorf("%d weights: error %v, want one naming the count", n, err)
		}
	}
}

func TestValidateRejectsWeights(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(p *Params)
		index int
		want  string // in the message
	}{
		{"NaN", func(p *Params) { p.W[3] = math.NaN() }, 3, "w[3] is NaN"},
		{"+Inf", func(p *Params) { p.W[8] = math.Inf(1) }, 8, "w[8] is +Inf"},
		{"-Inf", func(p *Params) { p.W[0] = math.Inf(-1) }, 0, "w[0] is -Inf"},
		{"w7 above", func(p *Params) { p.W[7] = 0.8 }, 7, "w[7] = 0.8 is outside its range [0.001, 0.75]"},
		{"w0 below", func(p *Params) { p.W[0] = 0 }, 0, "w[0] = 0 is outside its range [0.001, 100]"},
		{"w4 above", func(p *Params) { p.W[4] = 10.5 }, 4, "[1, 10]"},
		{"w16 below", func(p *Params) { p.W[16] = 0.9 }, 16, "[1, 6]"},
		{"w20 below", func(p *Params) { p.W[20] = 0.05 }, 20, "w[20] = 0.05 is outside its range [0.1, 0.8]"},
		{"w20 above", func(p *Params) { p.W[20] = 0.81 }, 20, "[0.1, 0.8]"},
		{"w17 above", func(p *Params) { p.W[17] = 2.5 }, 17, "[0, 2]"},
		{"w19 small with short-term", func(p *Params) { p.W[19] = 0.005 }, 19, "[0.01, 0.8]"},
		{"w17 above the relearning ceiling", func(p *Params) {
			p.RelearningSteps = []time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute}
		}, 17, "ceiling for 3 relearning steps"},
	} {
		p := DefaultParams()
		c.edit(&p)
		err := p.Validate()
		var we *WeightError
		if !errors.As(err, &we) {
			t.Errorf("%s: error %v, want a *WeightError", c.name, err)
			continue
		}
		if we.Index != c.index || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q (index %d), want index %d and %q", c.name, err, we.Index, c.index, c.want)
		}
		if _, err := NewScheduler(p); err == nil {
			t.Errorf("%s: NewScheduler accepted the parameters", c.name)
		}
	}
}

func TestValidateW19(t *testing.T) {
	p := DefaultParams()
	p.W[19] = 0.005
	p.EnableShortTerm = false
	if err := p.Validate(); err != nil {
		t.Errorf("w19 = 0.005 without short-term rejected: %v", err)
	}
	p.EnableShortTerm = true
	p.W[19] = 0 // FSRS-5 weights
	if err := p.Validate(); err != nil {
		t.Errorf("w19 = 0 with short-term rejected: %v", err)
	}
}

func TestValidateRejectsSettings(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(p *Params)
		want string
	}{
		{"retention 0", func(p *Params) { p.DesiredRetention = 0 }, "desired retention 0 is outside (0, 1)"},
		{"retention 1", func(p *Params) { p.DesiredRetention = 1 }, "desired retention 1 is outside (0, 1)"},
		{"retention 1.5", func(p *Params) { p.DesiredRetention = 1.5 }, "outside (0, 1)"},
		{"retention -0.1", func(p *Params) { p.DesiredRetention = -0.1 }, "outside (0, 1)"},
		{"retention NaN", func(p *Params) { p.DesiredRetention = math.NaN() }, "desired retention NaN"},
		{"max interval 0", func(p *Params) { p.MaximumInterval = 0 }, "maximum interval 0 days"},
		{"day start 24", func(p *Params) { p.DayStartHour = 24 }, "day start hour 24 is outside 0-23"},
		{"day start -1", func(p *Params) { p.DayStartHour = -1 }, "day start hour -1"},
		{"zero learning step", func(p *Params) { p.LearningSteps = []time.Duration{time.Minute, 0} }, "learning step 2 is 0s"},
		{"negative relearning step", func(p *Params) { p.RelearningSteps = []time.Duration{-time.Minute} }, "relearning step 1 is -1m0s"},
	} {
		p := DefaultParams()
		c.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// The edges that are allowed.
	p := DefaultParams()
	p.MaximumInterval, p.DayStartHour, p.DesiredRetention = 1, 23, 0.99
	p.LearningSteps, p.RelearningSteps = nil, nil
	if err := p.Validate(); err != nil {
		t.Errorf("edge values rejected: %v", err)
	}
	p.DayStartHour = 0
	if err := p.Validate(); err != nil {
		t.Errorf("day start hour 0 rejected: %v", err)
	}
}

func TestClipWeights(t *testing.T) {
	if got := ClipWeights(DefaultWeights, 1, true); got != DefaultWeights {
		t.Errorf("defaults clipped to %v", got)
	}
	junk := DefaultWeights
	junk[0], junk[7], junk[19], junk[20], junk[12] = -3, 0.9, 0, 5, math.NaN()
	got := ClipWeights(junk, 1, true)
	if got[0] != 0.001 || got[7] != 0.75 || got[19] != 0.01 || got[20] != 0.8 || got[12] != 0.001 {
		t.Errorf("clipped to %v", got)
	}
	p := DefaultParams()
	p.W = got
	if err := p.Validate(); err != nil {
		t.Errorf("clipped weights rejected: %v", err)
	}
	// With several relearning steps the w17/w18 ceiling applies (ts-fsrs
	// 5.4.1: sqrt of the product bound).
	w := DefaultWeights
	w[17], w[18] = 2, 2
	got = ClipWeights(w, 3, true)
	ceiling := math.Sqrt(-(math.Log(w[11]) + math.Log(math.Pow(2, w[13])-1) + w[14]*0.3) / 3)
	if math.Abs(got[17]-ceiling) > 1e-8 || got[17] != got[18] {
		t.Errorf("w17, w18 clipped to %v, %v, want %v", got[17], got[18], ceiling)
	}
}

func TestSchedulerKeepsItsOwnSteps(t *testing.T) {
	p := DefaultParams()
	s, err := NewScheduler(p)
	if err != nil {
		t.Fatal(err)
	}
	p.LearningSteps[0] = time.Hour
	if got := s.Params().LearningSteps[0]; got != time.Minute {
		t.Errorf("the scheduler's steps changed with the caller's slice: %v", got)
	}
	s.Params().RelearningSteps[0] = time.Hour
	if got := s.Params().RelearningSteps[0]; got != 10*time.Minute {
		t.Errorf("Params() exposes the scheduler's slice: %v", got)
	}
}
