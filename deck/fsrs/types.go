// Package fsrs implements the FSRS-6 memory model and the scheduler built on
// it, exact to the reference implementations (ts-fsrs 5.4, fsrs-rs 6). See
// shared/fsrs/README.md (beside the repository) for the formulas. Nothing here reads the clock:
// every function that needs the time takes it as an argument.
package fsrs

import "time"

// Rating is the grade given to a review.
type Rating int

const (
	Again Rating = 1
	Hard  Rating = 2
	Good  Rating = 3
	Easy  Rating = 4
)

// Ratings lists the four grades in order.
var Ratings = [4]Rating{Again, Hard, Good, Easy}

// State is a card's scheduling state.
type State int

const (
	New        State = 0
	Learning   State = 1
	Review     State = 2
	Relearning State = 3
)

// Card is a card's scheduling state: everything the scheduler needs to
// compute the next review. It holds no content.
type Card struct {
	State         State
	Due           time.Time
	Stability     float64
	Difficulty    float64
	ElapsedDays   int // days between the last two reviews, as counted by the scheduler
	ScheduledDays int // interval chosen at the last review, in days (0 for a step under a day)
	Step          int // index into the learning or relearning steps
	Reps          int
	Lapses        int
	LastReview    time.Time // zero for a new card
}
