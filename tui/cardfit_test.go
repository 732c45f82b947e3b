package tui

import (
	"os"
	"testing"

	"opsdeck/deck"
)

// Every built-in card's question and answer fit the review screen of an
// 80x24 terminal without scrolling (issue: cards short enough to review).
func TestBuiltinCardsFitTheReviewScreen(t *testing.T) {
	decks, err := deck.ParseFS(os.DirFS("../decks"))
	if err != nil {
		t.Fatal(err)
	}
	sty := DefaultStyles()
	st := &sty
	rows := 24 - chromeHeight - 5 // the 80x24 terminal the app is laid out for
	w := 80
	over := 0
	for _, d := range decks {
		for _, c := range d.Cards {
			n := len(renderCardText(c.Front, w, st, st.Question)) + 2 + len(renderCardText(c.Back, w, st, st.Answer))
			// (a cloze card's Back already ends with its extra, shown once)
			if n > rows {
				over++
				t.Errorf("%s/%s:%d (%s): question and answer take %d rows at 80x24, the screen shows %d", "decks", d.File, c.Line, c.ID, n, rows)
			}
		}
	}
	t.Logf("%d cards over", over)
}
