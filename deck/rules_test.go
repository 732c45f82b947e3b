package deck

import "testing"

func TestLeechThresholdRule(t *testing.T) {
	cases := []struct {
		lapses, threshold int
		want              bool
	}{
		{7, 8, false}, {8, 8, true}, {9, 8, false}, {12, 8, true}, {16, 8, true}, {15, 8, false},
		{1, 1, true}, {2, 1, true}, {3, 3, true}, {4, 3, true}, {5, 3, true}, {0, 0, false},
	}
	for _, c := range cases {
		if got := LeechThresholdMet(c.lapses, c.threshold); got != c.want {
			t.Errorf("LeechThresholdMet(%d, %d) = %v", c.lapses, c.threshold, got)
		}
	}
}
