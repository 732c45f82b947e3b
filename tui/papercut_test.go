package tui

import (
	"fmt"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// A status message is about the screen and action it came from: the next
// action or another screen clears it.
func TestStatusDoesNotOutliveItsTruth(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space", "3", "u")
	if !strings.Contains(h.status(), "Undid the grade of solo/c1") {
		t.Fatalf("status after undo: %q", h.status())
	}
	h.keys("space", "3")
	if h.status() != "" {
		t.Fatalf("the undo message outlived the next grade: %q", h.status())
	}
	// An error on one screen is not shown on the next.
	h.m.status = status{text: "undo failed: nothing to undo", err: true, id: h.m.status.id + 1}
	h.keys("q", "q") // the summary, then the dashboard
	if h.m.cur != scrDashboard || h.status() != "" {
		t.Fatalf("on %v the status still reads %q", h.m.cur, h.status())
	}
}

// q twice in a review with no grades lands on the dashboard and stays:
// leaving a screen and quitting are distinct.
func TestQTwiceLeavesButDoesNotQuit(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "q", "q")
	if h.quit || h.m.cur != scrDashboard {
		t.Fatalf("q q from a review: quit %v, on %v", h.quit, h.m.cur)
	}
	if !strings.Contains(h.status(), "q again to quit") {
		t.Fatalf("no hint: %q", h.status())
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("q on the dashboard does not quit")
	}
	// On a dashboard not just come back to, q quits at once.
	h = newHarness(t, oneDeck(3))
	h.keys("j", "q")
	if !h.quit {
		t.Fatal("q on the dashboard does not quit")
	}
}

// r on the dashboard says what it loaded.
func TestReloadSaysSo(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("r")
	if h.status() != "Reloaded: 1 deck, 3 cards." {
		t.Fatalf("status after r: %q", h.status())
	}
}

// After a resize a scrolled card is re-clamped: no blank rows under its
// last line.
func TestResizeReclampsAScrolledCard(t *testing.T) {
	f := oneDeck(1)
	var long []string
	for i := 1; i <= 40; i++ {
		long = append(long, fmt.Sprintf("line %d", i), "")
	}
	f.decks[0].Cards[0].Back = strings.Join(long, "\n")
	h := newHarness(t, f)
	h.keys("enter", "space", "G")
	for i := 0; i < 100; i++ {
		h.keys("j")
	}
	h.mustSee("line 40")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 40})
	vp := h.m.review.vp
	if rows := vp.TotalLineCount() - vp.YOffset; rows < vp.Height {
		t.Fatalf("after the resize the card fills %d of %d rows", rows, vp.Height)
	}
}

// A leech shows the tag "leech" on its tags line; a tiny stability is not
// "0.0d"; Browse shows a buried new card as buried.
func TestLeechTagStabilityAndBuriedState(t *testing.T) {
	f := oneDeck(2)
	f.prog["solo/c1"] = deck.Progress{CardID: "solo/c1", Leech: true,
		Sched: fsrs.Card{State: fsrs.Relearning, Stability: 0.04, Difficulty: 9, Due: testNow, Reps: 12, Lapses: 8}}
	f.prog["solo/c2"] = deck.Progress{CardID: "solo/c2", BuriedUntil: testNow.Add(time.Hour)}
	h := newHarness(t, f)
	h.keys("enter")
	h.mustSee("tags: tagc1, leech")
	h.keys("q", "b")
	h.mustSee("buried")
	h.keys("enter")
	h.mustSee("tags: tagc1, leech", "stability 58m")
	h.mustNotSee("0.0d")
	if got := stabilityText(12.34); got != "12.3d" {
		t.Fatalf("stabilityText(12.34) = %q", got)
	}
}

// Nothing is cut at 80 columns: Browse's deck column, the delete question
// with a long card ID, the Settings help line.
func TestNotCutAt80Columns(t *testing.T) {
	id := "solution-architecture"
	slug := "scenario-a-very-long-card-slug-about-landing-zones"
	d := deck.Deck{ID: id, Title: "Solution Architecture", Cards: []deck.Card{
		{ID: id + "/" + slug, Deck: id, Slug: slug, Front: "Q?", Back: "A."}}}
	h := newHarness(t, newFake(d))
	h.keys("b")
	h.mustSee("new         solution-architecture Q?")
	h.keys("d")
	v := h.view()
	if !strings.Contains(v, "y deletes · n keeps (history is kept)") || !strings.Contains(v, "landing-zones?") {
		t.Fatalf("delete question cut:\n%s", v)
	}
	checkFrame(t, v, 80, 24)
	h.keys("y")
	if s := h.status(); !strings.HasSuffix(s, "landing-zones (its history is kept).") || len([]rune(s)) > 80 {
		t.Fatalf("status after delete: %q", s)
	}
	h.keys("q", ",", "l")
	h.mustSee("s save", "q back · ? keys")
}

// A long deck list says what is off screen, and sorts Extra 2 before
// Extra 10.
func TestDashboardLongListSaysMore(t *testing.T) {
	var ds []deck.Deck
	for i := 1; i <= 20; i++ {
		id := fmt.Sprintf("extra-%d", i)
		ds = append(ds, deck.Deck{ID: id, Title: fmt.Sprintf("Extra %d", i),
			Cards: []deck.Card{{ID: id + "/c", Deck: id, Slug: "c", Front: "Q", Back: "A"}}})
	}
	h := newHarness(t, newFake(deck.Merge(nil, ds, nil)...)) // as the store merges them
	h.mustSee("↓ 11 more below")
	v := h.view()
	if i2, i10 := strings.Index(v, "Extra 2 "), strings.Index(v, "Extra 10"); i2 < 0 || i10 < 0 || i2 > i10 {
		t.Fatalf("order:\n%s", v)
	}
	h.keys("G")
	h.mustSee("more above")
	h.mustNotSee("more below")
	checkFrame(t, h.view(), 80, 24)
}

// On a tall terminal the forecast and time charts grow to fill it.
func TestChartsGrowWithTheTerminal(t *testing.T) {
	f := oneDeck(6)
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("solo/c%d", i)
		f.prog[id] = deck.Progress{CardID: id, Sched: fsrs.Card{State: fsrs.Review, Stability: 10, Difficulty: 5,
			Due: testNow.Add(time.Duration(i) * 24 * time.Hour), ScheduledDays: 10, Reps: 3}}
	}
	bars := func(h *harness) int { return strings.Count(h.view(), "│") }
	h := newHarness(t, f)
	h.keys("s", "3")
	small := bars(h)
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	big := bars(h)
	if small < 8 || big < small+8 {
		t.Fatalf("forecast bar rows: %d at 80x24, %d at 120x40", small, big)
	}
	checkFrame(t, h.view(), 120, 40)
	// Down to 60x20 the chart shrinks instead of scrolling off.
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	if tiny := bars(h); tiny >= small || tiny < 3 {
		t.Fatalf("forecast bar rows at 60x20: %d (80x24: %d)", tiny, small)
	}
	checkFrame(t, h.view(), 60, 20)
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if !strings.Contains(h.view(), "daily load") || !strings.Contains(h.view(), "reviews a day your review cards will take") {
		t.Fatalf("daily load unexplained:\n%s", h.view())
	}
}

// D puts back all of Anki's defaults, the FSRS parameters too; keys right
// after it move the cursor from where it was; the maximum interval is a
// setting.
func TestSettingsDefaultsAndMaximumInterval(t *testing.T) {
	f := newFake(testDecks()...)
	f.settings.Weights = make([]float64, 21)
	copy(f.settings.Weights, fsrs.DefaultWeights[:])
	f.settings.Weights[0] = 0.5
	f.settings.MaximumInterval = 365
	f.settings.NewPerDay = 5
	h := newHarness(t, f)
	h.keys(",")
	h.mustSee("FSRS parameters     custom", "Maximum interval    365d")
	h.keys("j", "D", "j", "j")
	if h.m.settings.cursor != 3 {
		t.Fatalf("cursor %d after j D j j", h.m.settings.cursor)
	}
	h.mustSee("FSRS parameters     default *", "Maximum interval    36500d *", "New cards per day   20 *")
	h.keys("s")
	if f.settings.Weights != nil || f.settings.MaximumInterval != 36500 || f.settings.NewPerDay != 20 {
		t.Fatalf("saved %+v", f.settings)
	}
	if h.m.settings.cursor != 3 {
		t.Fatalf("the reload moved the cursor to %d", h.m.settings.cursor)
	}
	// The maximum interval steps by a year and can be typed.
	for h.m.settings.cursor != 6 {
		h.keys("j")
	}
	h.keys("h")
	h.mustSee("Maximum interval    36135d *")
	h.keys("enter")
	for range "36135d" {
		h.keys("backspace")
	}
	h.typeText("180")
	h.keys("enter", "s")
	if f.settings.MaximumInterval != 180 || h.m.lib.Sched.Params().MaximumInterval != 180 {
		t.Fatalf("maximum interval saved %d, scheduler %d", f.settings.MaximumInterval, h.m.lib.Sched.Params().MaximumInterval)
	}
}

// A custom deck is renamed (R) and deleted (D, then y) from the dashboard;
// a built-in deck offers neither.
func TestRenameAndDeleteACustomDeck(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("j") // alpha, built in
	if h.m.dash.dkeys.Rename.Enabled() {
		t.Fatal("rename offered on a built-in deck")
	}
	h.keys("R")
	if h.m.dash.ops.renaming {
		t.Fatal("R renames a built-in deck")
	}
	h.keys("j", "j") // mine
	h.mustSee("R rename", "D delete")
	h.keys("R")
	if !h.m.capturesText() {
		t.Fatal("the title field does not take typed text")
	}
	for range "Mine Area" {
		h.keys("backspace")
	}
	h.typeText("My notes, q and all")
	h.keys("enter")
	if f.decks[2].Title != "My notes, q and all" || h.quit {
		t.Fatalf("title %q", f.decks[2].Title)
	}
	h.mustSee("My notes, q and all (custom)", `Renamed mine to "My notes, q and all".`)
	checkFrame(t, h.view(), 80, 24)
	h.keys("D")
	h.mustSee("Delete deck mine and its 2 cards? Their history is kept. y deletes · n keeps")
	checkFrame(t, h.view(), 80, 24)
	h.keys("n")
	if len(f.decks) != 3 {
		t.Fatal("n deleted")
	}
	h.keys("D", "y")
	if len(f.decks) != 2 || strings.Contains(h.view(), "My notes") {
		t.Fatalf("not deleted:\n%s", h.view())
	}
	h.mustSee("Deleted deck mine and its 2 cards (their history is kept).")
}

// ctrl+o hands the card to $VISUAL/$EDITOR as Markdown in the deck format;
// what comes back fills the form (code fences and all), and a text that is
// not one card is refused with a reason.
func TestEditInExternalEditor(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "e")
	if h.m.cur != scrEdit || h.m.edit.externalKey().Enabled() {
		t.Fatal("ctrl+o offered with no editor set")
	}
	t.Setenv("EDITOR", "vi")
	h.mustSee("ctrl+o editor")
	md := h.m.edit.cardMarkdown()
	if !strings.Contains(md, "\nQ: Question 1 of alpha?\n") || !strings.Contains(md, "\nA: Answer 1 of alpha.\n") || !strings.Contains(md, "tags: alpha, t1") {
		t.Fatalf("markdown:\n%s", md)
	}
	if cmd := h.m.edit.externalCmd(); cmd == nil {
		t.Fatal("no command")
	}
	edited := strings.Replace(md, "A: Answer 1 of alpha.", "A: Run:\n\n```sh\nkubectl get pods\n```", 1)
	h.send(externalEditedMsg{text: edited})
	if got := h.m.edit.back.Value(); got != "Run:\n\n```sh\nkubectl get pods\n```" {
		t.Fatalf("back %q", got)
	}
	h.keys("ctrl+s")
	if i, j := f.find("alpha/card-1"); f.decks[i].Cards[j].Back != "Run:\n\n```sh\nkubectl get pods\n```" {
		t.Fatalf("saved %q", f.decks[i].Cards[j].Back)
	}
	// Two cards back: refused, the form unchanged.
	h.keys("e")
	before := h.m.edit.back.Value()
	h.send(externalEditedMsg{text: h.m.edit.cardMarkdown() + "\n## two\n\nQ: x\n\nA: y\n"})
	if h.m.edit.back.Value() != before || !strings.Contains(h.m.edit.problem, "exactly one card") {
		t.Fatalf("two cards taken: %q", h.m.edit.problem)
	}
}

// A status longer than the screen is cut visibly, with "…".
func TestLongStatusIsCutVisibly(t *testing.T) {
	h := newHarness(t, oneDeck(1))
	h.send(statusMsg{text: strings.Repeat("word ", 30) + "END"})
	lines := strings.Split(h.view(), "\n")
	if l := lines[len(lines)-2]; !strings.HasSuffix(strings.TrimRight(l, " "), "…") || len([]rune(l)) > 80 {
		t.Fatalf("status line %q", l)
	}
}

// A prompt's input is drawn as the input renders it: its own cursor
// styling is not turned into visible escape symbols by the cut.
func TestBrowsePromptShowsNoEscapeSymbols(t *testing.T) {
	// In colour, as in a real terminal (the tests otherwise draw in ASCII).
	prev := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(prev)
	h := newHarness(t, newFake(testDecks()...))
	h.keys("b", "t", "x")
	h.mustSee("add tag: x")
	if v := h.view(); strings.Contains(v, "␛") {
		t.Fatalf("escape symbols in the prompt:\n%s", v)
	}
	h.keys("esc", "/", "d", "e", "c", "k")
	if v := h.view(); strings.Contains(v, "␛") {
		t.Fatalf("escape symbols in the filter:\n%s", v)
	}
}

// The settings form's edit field is drawn as the input renders it.
func TestSettingsEditFieldShowsNoEscapeSymbols(t *testing.T) {
	prev := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(prev)
	h := newHarness(t, newFake(testDecks()...))
	h.keys(",", "j", "j", "j", "enter")
	if v := h.view(); strings.Contains(v, "␛") || !strings.Contains(v, "[") {
		t.Fatalf("the edit field:\n%s", v)
	}
}
