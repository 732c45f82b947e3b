package fsrs

import "time"

// DefaultWeights are the FSRS-6 default parameters.
var DefaultWeights = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
	0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
	0.0912, 0.0658, 0.1542,
}

// Params configures a Scheduler.
type Params struct {
	W                [21]float64
	DesiredRetention float64         // 0 < r < 1; default 0.9
	MaximumInterval  int             // days; default 36500
	LearningSteps    []time.Duration // default 1m 10m
	RelearningSteps  []time.Duration // default 10m
	EnableShortTerm  bool            // default true
	EnableFuzz       bool            // default true in real use, false in the vectors
	DayStartHour     int             // 0-23, default 4
	Location         *time.Location  // day boundaries are counted here; nil means UTC
}

// DefaultParams returns Anki's defaults with fuzz on.
func DefaultParams() Params {
	panic("unimplemented")
}

// Validate reports the first problem with p, naming the parameter.
func (p Params) Validate() error {
	panic("unimplemented")
}

// Scheduler computes next states. It is immutable and safe for concurrent use.
type Scheduler struct {
	p Params
}

// NewScheduler validates p and returns a scheduler.
func NewScheduler(p Params) (*Scheduler, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Scheduler{p: p}, nil
}

// Params returns the scheduler's parameters.
func (s *Scheduler) Params() Params { return s.p }

// Next returns the card's state after being graded r at now. key identifies
// the card (its ID) and seeds the fuzz together with the review count, so
// Next and Preview agree.
func (s *Scheduler) Next(c Card, key string, now time.Time, r Rating) Card {
	panic("unimplemented")
}

// Preview returns the state each grade would give, indexed by Rating-1.
func (s *Scheduler) Preview(c Card, key string, now time.Time) [4]Card {
	panic("unimplemented")
}

// Retrievability is the predicted probability of recall of c at now
// (0 for a new card).
func (s *Scheduler) Retrievability(c Card, now time.Time) float64 {
	panic("unimplemented")
}

// DayIndex numbers the scheduling day t falls in (days start at
// DayStartHour in Location).
func (s *Scheduler) DayIndex(t time.Time) int {
	panic("unimplemented")
}

// DayStart returns the start of the scheduling day that contains t.
func (s *Scheduler) DayStart(t time.Time) time.Time {
	panic("unimplemented")
}
