package tui

import (
	"strings"
	"testing"
	"time"

	"opsdeck/deck"
)

// Burying or suspending a new card uses up none of today's new cards: the
// next one takes its place (Anki), and the dashboard agrees.
func TestBuryAndSuspendKeepTheNewCount(t *testing.T) {
	h := newHarness(t, oneDeck(25))
	h.mustSee("20")
	h.keys("enter")
	h.mustSee("1/20 · new 20 ·")
	h.keys("-")
	h.mustSee("1/20 · new 20 ·", "Q2?")
	h.keys("@")
	h.mustSee("1/20 · new 20 ·", "Q3?")
	// Grading does use one.
	h.keys("space", "4")
	h.mustSee("2/20 · new 19 ·")
}

// u after a suspend undoes the suspend (not an older grade) and shows that
// card again; with nothing to undo the key is hidden.
func TestUndoAfterSuspendRestoresThatCard(t *testing.T) {
	h := newHarness(t, oneDeck(5))
	h.keys("enter")
	if h.m.review.keys.Undo.Enabled() {
		t.Fatal("undo enabled with nothing to undo")
	}
	h.keys("space", "4") // grade c1
	h.mustSee("Q2?")
	h.keys("@") // suspend c2
	h.mustSee("Q3?")
	if !h.repo.prog["solo/c2"].Suspended {
		t.Fatal("c2 not suspended")
	}
	h.keys("u")
	h.mustSee("Q2?")
	if h.repo.prog["solo/c2"].Suspended {
		t.Error("undo left c2 suspended")
	}
	if _, ok := h.repo.prog["solo/c1"]; !ok {
		t.Error("undo of the suspend also undid the grade of c1")
	}
	if !strings.Contains(h.status(), "suspend") {
		t.Errorf("status %q does not name the suspend", h.status())
	}
	// Ctrl+Z is undo too: now the grade of c1.
	h.keys("ctrl+z")
	h.mustSee("Q1?")
	if _, ok := h.repo.prog["solo/c1"]; ok {
		t.Error("ctrl+z did not undo the grade")
	}
	if h.m.review.keys.Undo.Enabled() {
		t.Error("undo still enabled with nothing left to undo")
	}
}

// Space or Enter on the answer side answers Good (Anki's default); the
// setting turns that off.
func TestSpaceAnswersGood(t *testing.T) {
	h := newHarness(t, oneDeck(3))
	h.keys("enter", "space", "space")
	if n := strings.Count(strings.Join(h.repo.calls, ","), "Grade"); n != 1 {
		t.Fatalf("space on the answer: %d grades", n)
	}
	if r := h.repo.reviews; len(r) != 1 || r[0].Rating != 3 {
		t.Fatalf("space on the answer graded %+v, want Good", r)
	}
	h.mustSee("Q2?")
	h.keys("enter", "enter")
	if len(h.repo.reviews) != 2 || h.repo.reviews[1].Rating != 3 {
		t.Fatalf("enter on the answer: %+v", h.repo.reviews)
	}

	f := oneDeck(3)
	f.settings.SpaceAnswersGood = false
	h = newHarness(t, f)
	h.keys("enter", "space", "space", "enter")
	if len(f.reviews) != 0 {
		t.Fatalf("space/enter graded with the setting off: %+v", f.reviews)
	}
	h.mustSee("A1.")
}

// A cloze card's extra text is shown once.
func TestClozeExtraShownOnce(t *testing.T) {
	d := deck.Deck{ID: "solo", Title: "Solo", Builtin: true}
	base := deck.Card{Deck: "solo", Slug: "sla", Kind: deck.Cloze, Line: 1,
		Text: "The uptime SLA is {{c1::99.95%}}.", Extra: "Only with availability zones."}
	cards, err := deck.ClozeCards(base)
	if err != nil {
		t.Fatal(err)
	}
	d.Cards = cards
	h := newHarness(t, newFake(d))
	h.keys("enter", "space")
	if n := strings.Count(h.view(), "Only with availability zones."); n != 1 {
		t.Fatalf("extra shown %d times:\n%s", n, h.view())
	}
}

// The summary names when the next card becomes available: a review due
// tomorrow at 09:00 is there from the day start, "tomorrow from 04:00".
func TestSummarySaysTomorrowFromDayStart(t *testing.T) {
	f := oneDeck(2)
	f.prog["solo/c2"] = reviewCard("solo/c2", testNow.Add(24*time.Hour), 5)
	h := newHarness(t, f)
	h.keys("enter", "space", "4")
	h.mustSee("Session complete", "Next card due tomorrow from 04:00")
	h.mustNotSee("tomorrow at 09:00")
}

// The settings for Anki's options: the review limit on new cards, Space
// answering Good, sibling burying, and a deck's own limits and retention.
func TestSettingsAnkiOptionsAndDeckLimits(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys(",")
	row := func(name string) {
		t.Helper()
		for i := 0; i < len(settingRows) && settingRows[h.m.settings.cursor].name != name; i++ {
			h.keys("j")
		}
		if settingRows[h.m.settings.cursor].name != name {
			t.Fatalf("no row %q", name)
		}
	}
	row("Review limit on new")
	h.mustSee("Review limit on new on")
	h.keys("l")
	row("Space/Enter answers")
	h.keys("l")
	row("Siblings: bury new")
	h.keys("l")
	row("This deck")
	h.mustSee("This deck           alpha")
	h.keys("l") // beta
	row("  new per day")
	h.mustSee("collection (20)")
	h.keys("h", "h") // 18 for beta
	row("  retention")
	h.keys("l") // 0.91 for beta
	h.keys("s")
	st := f.settings
	if !st.NewIgnoresReviewLimit || st.SpaceAnswersGood || !st.BuryNew || st.BuryReview {
		t.Fatalf("saved options %+v", st)
	}
	if o := st.Decks["beta"]; o.NewPerDay != 18 || o.ReviewsPerDay != 200 || o.DesiredRetention != 0.91 || len(st.Decks) != 1 {
		t.Fatalf("saved deck options %+v", st.Decks)
	}
	// The dashboard counts beta with its own limit.
	f2 := newFake(testDecks()...)
	f2.settings.Decks = map[string]deck.DeckOptions{"alpha": {NewPerDay: 2, ReviewsPerDay: 200}}
	h2 := newHarness(t, f2)
	if c := h2.m.lib.Dash.Decks[0].Counts; c.New != 2 {
		t.Errorf("alpha with its own limit of 2: %+v", c)
	}
	if c := h2.m.lib.Dash.Decks[1].Counts; c.New != 3 {
		t.Errorf("beta with the collection's limit: %+v", c)
	}
}

// Esc on a changed Add or Edit form asks before discarding; on an
// unchanged one it just goes back.
func TestEditEscAsksBeforeDiscarding(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	ed := newEditor(h.m.env, h.m.lib, h.m.lib.Decks[0].Cards[0], false)
	ed.setSize(80, 20)
	if _, cmd := ed.update(keyMsg("esc")); cmd == nil {
		t.Fatal("esc on an unchanged form did not go back")
	} else if _, ok := cmd().(backMsg); !ok {
		t.Fatal("esc on an unchanged form did not go back")
	}
	ed, _ = ed.update(keyMsg("x"))
	ed, cmd := ed.update(keyMsg("esc"))
	if cmd != nil || !ed.confirm || !strings.Contains(ed.view(), "Discard the changes?") {
		t.Fatalf("esc on a changed form: confirm %v\n%s", ed.confirm, ed.view())
	}
	ed, cmd = ed.update(keyMsg("n"))
	if cmd != nil || ed.confirm || !ed.changed() {
		t.Fatal("n did not keep editing")
	}
	ed, _ = ed.update(keyMsg("esc"))
	_, cmd = ed.update(keyMsg("y"))
	if cmd == nil {
		t.Fatal("y did not discard")
	}
	if _, ok := cmd().(backMsg); !ok {
		t.Fatal("y did not go back")
	}
	// Add: typing anything makes it changed.
	add := newEditor(h.m.env, h.m.lib, newCardFor("alpha"), true)
	add, _ = add.update(keyMsg("Q"))
	if add, _ = add.update(keyMsg("esc")); !add.confirm {
		t.Fatal("esc on a changed Add form did not ask")
	}
}

// The Add form makes a cloze note when the text has {{cN::...}}, says so,
// and needs no back; editing a cloze card edits its note (source text,
// extra, tags) and all its cards at once.
func TestAddAndEditClozeNote(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	add := newEditor(h.m.env, h.m.lib, newCardFor("mine"), true)
	add.setSize(80, 20)
	add.front.SetValue("{{c1::RPO}} is how much data you may lose; {{c2::RTO}} how long you may be down.")
	if !strings.Contains(add.view(), "cloze note: one card per {{cN::...}}") || !strings.Contains(add.view(), "Text") {
		t.Fatalf("the form does not say it makes a cloze note:\n%s", add.view())
	}
	add, cmd := add.save()
	if add.problem != "" || cmd == nil {
		t.Fatalf("save: %q", add.problem)
	}
	msg := cmd().(savedMsg)
	if msg.err != nil || len(msg.cards) != 2 || msg.cards[1].ID != msg.cards[0].ID+"-c2" || msg.cards[0].Kind != deck.Cloze {
		t.Fatalf("added %+v", msg)
	}
	h.send(msg)
	h.run(h.m.reload())
	// Edit c2: the form shows the note, and saving changes both cards.
	var c2 deck.Card
	for _, d := range h.m.lib.Decks {
		for _, c := range d.Cards {
			if c.ID == msg.cards[1].ID {
				c2 = c
			}
		}
	}
	ed := newEditor(h.m.env, h.m.lib, c2, false)
	ed.setSize(80, 20)
	if ed.front.Value() != msg.cards[0].Text || !strings.Contains(ed.view(), "cloze note of 2 cards") {
		t.Fatalf("edit form shows %q:\n%s", ed.front.Value(), ed.view())
	}
	ed.front.SetValue("{{c1::RPO}}: data you may lose. {{c2::RTO}}: time you may be down.")
	ed.back.SetValue("Both come from the business.")
	ed.tags.SetValue("dr")
	ed, cmd = ed.save()
	if ed.problem != "" {
		t.Fatal(ed.problem)
	}
	saved := cmd().(savedMsg)
	if saved.err != nil || len(saved.cards) != 2 {
		t.Fatalf("edit saved %+v", saved)
	}
	for _, c := range saved.cards {
		if c.Text != "{{c1::RPO}}: data you may lose. {{c2::RTO}}: time you may be down." || c.Extra != "Both come from the business." ||
			strings.Join(c.Tags, ",") != "dr" || !strings.HasSuffix(c.Back, "Both come from the business.") {
			t.Errorf("%s after the edit: %+v", c.ID, c)
		}
	}
	// Dropping a deletion is refused (each card's schedule hangs on one).
	ed.front.SetValue("{{c1::RPO}} only")
	if ed, _ = ed.save(); !strings.Contains(ed.problem, "c1, c2") {
		t.Errorf("dropping c2: problem %q", ed.problem)
	}
}

// In Browse, u undoes the last action of any kind too (here a suspend),
// and says so when there is nothing to undo.
func TestBrowseUndo(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "s")
	if !f.prog["alpha/card-1"].Suspended {
		t.Fatal("s did not suspend")
	}
	h.keys("u")
	if f.prog["alpha/card-1"].Suspended {
		t.Fatal("u did not undo the suspend")
	}
	if !strings.Contains(h.status(), "Undid the suspend of alpha/card-1") {
		t.Errorf("status %q", h.status())
	}
	h.mustSee("›   new         alpha    Question 1")
	h.keys("u")
	if !strings.Contains(h.status(), "nothing to undo") {
		t.Errorf("status with nothing to undo: %q", h.status())
	}
}

// Editing a cloze note from the review screen is one action: u undoes it
// (every card's text), even when its first card is not in the session.
func TestReviewUndoClozeNoteEdit(t *testing.T) {
	d := deck.Deck{ID: "solo", Title: "Solo", Builtin: true}
	cards, err := deck.ClozeCards(deck.Card{Deck: "solo", Slug: "sla", Line: 1, Text: "Uptime {{c1::99.95%}} with zones, {{c2::99.9%}} without."})
	if err != nil {
		t.Fatal(err)
	}
	d.Cards = cards
	f := newFake(d)
	f.prog["solo/sla"] = deck.Progress{CardID: "solo/sla", Suspended: true}
	h := newHarness(t, f)
	h.keys("enter")
	h.mustSee("Uptime 99.95% with zones, [...] without.")
	h.keys("e")
	if h.m.cur != scrEdit || h.m.edit.front.Value() != cards[0].Text {
		t.Fatalf("edit form on %v with %q", h.m.cur, h.m.edit.front.Value())
	}
	h.m.edit.front.SetValue("Uptime {{c1::99.95%}} with zones, {{c2::99.9%}} without them.")
	h.keys("ctrl+s")
	h.mustSee("[...] without them.")
	h.keys("u")
	h.mustSee("Uptime 99.95% with zones, [...] without.")
	if !strings.Contains(h.status(), "Undid the edit of solo/sla-c2") {
		t.Errorf("status %q", h.status())
	}
	for _, c := range f.decks[0].Cards {
		if c.Text != cards[0].Text {
			t.Errorf("%s after undo: %q", c.ID, c.Text)
		}
	}
}

// On the dashboard too, u undoes the last action (here a suspend made elsewhere).
func TestDashboardUndo(t *testing.T) {
	f := newFake(testDecks()...)
	f.undo = nil
	h := newHarness(t, f)
	f.undo = append(f.undo, fakeUndo{kind: deck.UndoSuspend, id: "alpha/card-2", before: deck.Progress{CardID: "alpha/card-2"}, had: true})
	f.prog["alpha/card-2"] = deck.Progress{CardID: "alpha/card-2", Suspended: true}
	h.keys("u")
	if f.prog["alpha/card-2"].Suspended {
		t.Fatal("u on the dashboard did not undo")
	}
	if !strings.Contains(h.status(), "Undid the suspend of alpha/card-2") {
		t.Errorf("status %q", h.status())
	}
	h.keys("u")
	if !strings.Contains(h.status(), "nothing to undo") {
		t.Errorf("status %q", h.status())
	}
}
