package deck

import (
	"errors"
	"fmt"
	"time"

	"opsdeck/deck/fsrs"
)

// Domain rules that both front ends and the store apply: settings ranges,
// the leech rule and card IDs. Each is written once, here.

// The errors of user actions (the store returns them, wrapped with the card).
var (
	ErrNothingToUndo = errors.New("nothing to undo")
	ErrNotFound      = errors.New("not found")
	ErrExists        = errors.New("already exists")
	ErrNotCustom     = errors.New("not a custom card")
)

// UndoDepth is how many actions undo walks back, across cards.
const UndoDepth = 8

// CardID is the ID of the card with the slug in the deck: "<deck-id>/<slug>".
func CardID(deckID, slug string) string { return deckID + "/" + slug }

// Settings ranges, shown by the settings form and enforced by ValidateSettings.
const (
	MinRetention = 0.70
	MaxRetention = 0.97
)

// SettingsError names the setting that SaveSettings refused.
type SettingsError struct {
	Field string
	Msg   string
}

func (e *SettingsError) Error() string { return e.Field + ": " + e.Msg }

// ValidateSettings reports the first setting out of range.
func ValidateSettings(st Settings) error {
	bad := func(field, format string, a ...any) error {
		return &SettingsError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	switch {
	case !(st.DesiredRetention >= MinRetention && st.DesiredRetention <= MaxRetention):
		return bad("desired retention", "%v is outside %.2f-%.2f", st.DesiredRetention, MinRetention, MaxRetention)
	case st.NewPerDay < 0:
		return bad("new cards per day", "%d is negative", st.NewPerDay)
	case st.ReviewsPerDay < 0:
		return bad("reviews per day", "%d is negative", st.ReviewsPerDay)
	case st.DayStartHour < 0 || st.DayStartHour > 23:
		return bad("day start hour", "%d is outside 0-23", st.DayStartHour)
	case st.LeechThreshold < 1:
		return bad("leech threshold", "%d is below 1", st.LeechThreshold)
	case st.LeechAction != LeechTag && st.LeechAction != LeechSuspend:
		return bad("leech action", "unknown action %d", st.LeechAction)
	case st.MaximumInterval < 1:
		return bad("maximum interval", "%d days is below 1", st.MaximumInterval)
	}
	if len(st.Weights) != 0 {
		if _, err := fsrs.WeightsFrom(st.Weights); err != nil {
			return bad("weights", "%v", err)
		}
	}
	for id, o := range st.Decks {
		switch {
		case !ValidID(id):
			return bad("deck options", "deck %q: not a deck ID", id)
		case o.NewPerDay < 0:
			return bad("new cards per day", "deck %s: %d is negative", id, o.NewPerDay)
		case o.ReviewsPerDay < 0:
			return bad("reviews per day", "deck %s: %d is negative", id, o.ReviewsPerDay)
		case o.DesiredRetention != 0 && !(o.DesiredRetention >= MinRetention && o.DesiredRetention <= MaxRetention):
			return bad("desired retention", "deck %s: %v is outside %.2f-%.2f", id, o.DesiredRetention, MinRetention, MaxRetention)
		}
	}
	for _, s := range st.LearningSteps {
		if s <= 0 {
			return bad("learning steps", "step %v is not positive", s)
		}
	}
	for _, s := range st.RelearningSteps {
		if s <= 0 {
			return bad("relearning steps", "step %v is not positive", s)
		}
	}
	return nil
}

// LeechThresholdMet is Anki's rule: a leech at the threshold and again
// every half threshold after it (8, 12, 16, ... for 8).
func LeechThresholdMet(lapses, threshold int) bool {
	if threshold < 1 || lapses < threshold {
		return false
	}
	half := max(threshold/2, 1)
	return (lapses-threshold)%half == 0
}

// MonthsSince is the number of whole months from an as-of date (YYYY-MM or
// YYYY-MM-DD; a month alone counts from its first day) to now, or -1 when
// the date does not parse.
func MonthsSince(asOf string, now time.Time) int {
	t, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		if t, err = time.Parse("2006-01", asOf); err != nil {
			return -1
		}
	}
	m := (now.Year()-t.Year())*12 + int(now.Month()) - int(t.Month())
	if now.Day() < t.Day() {
		m--
	}
	return m
}
