package tui

import (
	"strings"
	"testing"

	"opsdeck/deck"
)

func TestAddCardToANewDeckAndStudyIt(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("a")
	if h.m.cur != scrEdit || !h.m.edit.add || h.m.edit.focus != fieldDeck {
		t.Fatalf("a: screen %v add %v focus %d", h.m.cur, h.m.edit.add, h.m.edit.focus)
	}
	h.mustSee("Add card", "› Deck")
	checkFrame(t, h.view(), 80, 24)
	h.typeText("my-notes")
	h.keys("tab")
	h.typeText("What does kubectl drain do?")
	h.keys("tab")
	h.typeText("Cordons the node\nand evicts its pods.")
	h.keys("tab")
	h.typeText("k8s, ops")
	h.keys("ctrl+s")
	// The form stays open for the next card, on the same deck and tags.
	if h.m.cur != scrEdit || h.m.edit.deckIn.Value() != "my-notes" || h.m.edit.front.Value() != "" ||
		h.m.edit.focus != fieldFront || h.m.edit.tags.Value() != "k8s, ops" {
		t.Fatalf("after save: %v deck %q front %q focus %d (%s)", h.m.cur, h.m.edit.deckIn.Value(), h.m.edit.front.Value(), h.m.edit.focus, h.m.edit.problem)
	}
	h.mustSee("Added my-notes/", "Type the next card")
	h.keys("esc")
	if h.m.cur != scrDashboard {
		t.Fatalf("esc after adding: %v", h.m.cur)
	}
	var added deck.Card
	for _, d := range f.decks {
		if d.ID == "my-notes" {
			added = d.Cards[0]
		}
	}
	want := "my-notes/" + deck.SlugFor("What does kubectl drain do?")
	if added.ID != want || added.Back != "Cordons the node\nand evicts its pods." || strings.Join(added.Tags, " ") != "k8s ops" {
		t.Fatalf("added %+v, want ID %s", added, want)
	}
	h.mustSee("my-notes")
	// Study the new deck: go to it and press enter.
	for h.m.dash.entries[h.m.dash.cursor].kind != entryDeck || h.m.lib.Decks[h.m.dash.entries[h.m.dash.cursor].deck].ID != "my-notes" {
		h.keys("j")
	}
	h.keys("enter", "space")
	h.mustSee("What does kubectl drain do?", "Cordons the node", "and evicts its pods.", "tags: k8s, ops")
	h.keys("3")
	if p, ok := f.progress(want); !ok || p.Sched.Reps != 1 {
		t.Fatal("the new card's grade was not saved")
	}
}

func TestAddValidation(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("a")
	h.keys("ctrl+s")
	h.mustSee("cannot save: choose a deck")
	h.typeText("My Deck")
	h.keys("tab")
	h.typeText("Q?")
	h.keys("tab")
	h.typeText("A.")
	h.keys("ctrl+s")
	h.mustSee("cannot save: deck ID \"My Deck\"")
	// Fix the deck (back to the deck field) but leave the answer empty.
	h.keys("shift+tab", "shift+tab")
	if h.m.edit.focus != fieldDeck {
		t.Fatalf("focus %d", h.m.edit.focus)
	}
	for range "My Deck" {
		h.keys("backspace")
	}
	h.typeText("alpha")
	h.keys("tab", "tab")
	h.keys("backspace", "backspace")
	h.keys("ctrl+s")
	h.mustSee("cannot save: empty answer")
	// A question alpha already has.
	h.typeText("A.")
	h.keys("shift+tab")
	h.keys("backspace", "backspace")
	h.typeText("Question 1 of alpha?")
	h.repo.decks[0].Cards[0].ID = "alpha/" + deck.SlugFor("Question 1 of alpha?")
	h.m.edit.lib.Decks[0].Cards[0].ID = h.repo.decks[0].Cards[0].ID
	h.keys("ctrl+s")
	h.mustSee("already has this question")
	for _, c := range f.calls {
		if c == "AddCard" {
			t.Fatal("an invalid card reached the store")
		}
	}
}

func TestAddStoreErrorStaysInTheForm(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("a")
	h.typeText("mine")
	h.keys("tab")
	h.typeText("New q?")
	h.keys("tab")
	h.typeText("New a.")
	f.errs["AddCard"] = errDiskFull
	h.keys("ctrl+s")
	if h.m.cur != scrEdit {
		t.Fatal("a failed save left the form")
	}
	h.mustSee("not saved", "no space left on device")
	h.keys("ctrl+s")
	if h.m.cur != scrEdit || !strings.Contains(h.status(), "Added mine/") {
		t.Fatal("retry did not save")
	}
}

func TestEditFormKeys(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	c := f.decks[0].Cards[1]
	ed := newEditor(h.m.env, h.m.lib, c, false)
	ed.setSize(80, 21)
	if ed.focus != fieldFront {
		t.Fatalf("edit starts on field %d", ed.focus)
	}
	// The deck is fixed when editing: tab cycles front, back, tags.
	for _, want := range []int{fieldBack, fieldTags, fieldFront} {
		ed, _ = ed.update(keyMsg("tab"))
		if ed.focus != want {
			t.Fatalf("tab: focus %d, want %d", ed.focus, want)
		}
	}
	ed, _ = ed.update(keyMsg("shift+tab"))
	if ed.focus != fieldTags {
		t.Fatalf("shift+tab: focus %d", ed.focus)
	}
	// Enter in the tags field saves: one EditCard with the same ID.
	ed, cmd := ed.update(keyMsg("enter"))
	if !ed.saving || cmd == nil {
		t.Fatal("enter in tags did not save")
	}
	msg := cmd().(savedMsg)
	if msg.err != nil || msg.added || len(msg.cards) != 1 || msg.cards[0].ID != c.ID || msg.cards[0].Front != c.Front {
		t.Fatalf("saved %+v", msg)
	}
	// Esc cancels without a store call.
	ed2 := newEditor(h.m.env, h.m.lib, c, false)
	_, cmd = ed2.update(keyMsg("esc"))
	if _, ok := cmd().(backMsg); !ok {
		t.Fatal("esc did not go back")
	}
	// q is text here.
	ed3 := newEditor(h.m.env, h.m.lib, c, false)
	ed3, cmd = ed3.update(keyMsg("q"))
	if cmd != nil {
		if _, ok := cmd().(backMsg); ok {
			t.Fatal("q left the form")
		}
	}
	if !strings.HasSuffix(ed3.front.Value(), "q") {
		t.Fatalf("q not typed: %q", ed3.front.Value())
	}
}

func TestEditFromBrowseUpdatesTheRow(t *testing.T) {
	f := newFake(testDecks()...)
	h := newHarness(t, f)
	h.keys("b", "j", "e")
	if h.m.cur != scrEdit {
		t.Fatalf("e opened %v", h.m.cur)
	}
	h.keys("tab")
	h.typeText(" More.")
	h.keys("ctrl+s")
	if h.m.cur != scrBrowse {
		t.Fatalf("save returned to %v", h.m.cur)
	}
	if got := f.decks[0].Cards[1].Back; got != "Answer 2 of alpha. More." {
		t.Fatalf("store has %q", got)
	}
	h.keys("enter")
	h.mustSee("Answer 2 of alpha. More.")
}

func TestDeckFieldCompletesAndExplains(t *testing.T) {
	h := newHarness(t, newFake(testDecks()...))
	h.keys("a")
	h.mustSee("an existing deck ID, or a new one to make a deck")
	h.typeText("a")
	h.mustSee("› Deck    a ", "→ completes: alpha")
	h.mustNotSee("alpha ") // not shown inline as if typed
	h.keys("right")
	if v := h.m.edit.deckIn.Value(); v != "alpha" {
		t.Fatalf("right completed to %q", v)
	}
	h.mustSee("existing deck: Alpha Area")
	h.typeText("x")
	h.mustSee("a new deck alphax will be made")
	h.typeText("Y")
	h.mustSee("use lowercase letters, digits and '-'")
}
