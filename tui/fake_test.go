package tui

import (
	"errors"
	"fmt"
	"opsdeck/study"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// fakeRepo is an in-memory Repo. Its errs field makes the next call of a
// method fail (for example errs["Grade"] = errDiskFull).
type fakeRepo struct {
	mu       sync.Mutex
	decks    []deck.Deck
	prog     map[string]deck.Progress
	settings deck.Settings
	reviews  []deck.Review
	undo     []fakeUndo
	errs     map[string]error
	calls    []string
	applied  []fakeApplied // ApplyWeights calls that succeeded
	date     string        // the interview date ("" none)
	practice []deck.Practice
	mocks    []deck.MockRecord
}

type fakeApplied struct {
	w          [21]float64
	reschedule bool
}

type fakeUndo struct {
	kind   string // "" or deck.UndoGrade: a grade
	id     string
	before deck.Progress
	had    bool
	cards  []deck.Card // an edit: the text before
	// a delete: the card and where it was
	gone        deck.Card
	goneDeck    int
	gonePos     int
	goneReviews []deck.Review
	bulk        *fakeBulk // a bulk action (fake_search_test.go), not a grade
}

var errDiskFull = errors.New("write /tmp/db: no space left on device")

// testNow is the tests' clock: a Monday, 09:00 UTC.
var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Load reads the fake as the application layer reads a store.
func (f *fakeRepo) Load(now time.Time) (*study.Library, error) { return study.Load(f, now) }

func newFake(decks ...deck.Deck) *fakeRepo {
	return &fakeRepo{decks: decks, prog: map[string]deck.Progress{}, settings: deck.DefaultSettings(), errs: map[string]error{}}
}

// testDecks are two built-in decks and one custom deck.
func testDecks() []deck.Deck {
	mk := func(d string, builtin bool, n int) deck.Deck {
		dk := deck.Deck{ID: d, Title: strings.ToUpper(d[:1]) + d[1:] + " Area", Builtin: builtin}
		for i := 1; i <= n; i++ {
			slug := fmt.Sprintf("card-%d", i)
			c := deck.Card{ID: d + "/" + slug, Deck: d, Slug: slug, Front: fmt.Sprintf("Question %d of %s?", i, d),
				Back: fmt.Sprintf("Answer %d of %s.", i, d), Tags: []string{d, "t" + fmt.Sprint(i%2)}}
			if builtin {
				c.Line = 10 * i
			}
			dk.Cards = append(dk.Cards, c)
		}
		return dk
	}
	return []deck.Deck{mk("alpha", true, 5), mk("beta", true, 3), mk("mine", false, 2)}
}

func (f *fakeRepo) call(name string) error {
	f.calls = append(f.calls, name)
	if err, ok := f.errs[name]; ok {
		delete(f.errs, name)
		return err
	}
	return nil
}

func (f *fakeRepo) Decks() ([]deck.Deck, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Decks"); err != nil {
		return nil, err
	}
	out := make([]deck.Deck, len(f.decks))
	for i, d := range f.decks {
		d.Cards = slices.Clone(d.Cards)
		out[i] = d
	}
	return out, nil
}

func (f *fakeRepo) AllProgress() (map[string]deck.Progress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("AllProgress"); err != nil {
		return nil, err
	}
	out := make(map[string]deck.Progress, len(f.prog))
	for k, v := range f.prog {
		out[k] = v
	}
	return out, nil
}

func (f *fakeRepo) Settings() (deck.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Settings"); err != nil {
		return deck.Settings{}, err
	}
	return cloneSettings(f.settings), nil
}

func (f *fakeRepo) SaveSettings(s deck.Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("SaveSettings"); err != nil {
		return err
	}
	if err := deck.ValidateSettings(s); err != nil {
		return err
	}
	f.settings = cloneSettings(s)
	return nil
}

func (f *fakeRepo) sched() *fsrs.Scheduler {
	p := fsrs.DefaultParams()
	if len(f.settings.Weights) == len(p.W) {
		copy(p.W[:], f.settings.Weights)
	}
	p.DesiredRetention = f.settings.DesiredRetention
	p.LearningSteps = f.settings.LearningSteps
	p.RelearningSteps = f.settings.RelearningSteps
	p.DayStartHour = f.settings.DayStartHour
	p.MaximumInterval = f.settings.MaximumInterval
	p.Location = time.UTC
	s, err := fsrs.NewScheduler(p)
	if err != nil {
		panic(err)
	}
	return s
}

func (f *fakeRepo) Scheduler() (*fsrs.Scheduler, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Scheduler"); err != nil {
		return nil, err
	}
	return f.sched(), nil
}

func (f *fakeRepo) Reviews(from, to time.Time) ([]deck.Review, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Reviews"); err != nil {
		return nil, err
	}
	var out []deck.Review
	for _, r := range f.reviews {
		if (!from.IsZero() && r.At.Before(from)) || (!to.IsZero() && !r.At.Before(to)) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func (f *fakeRepo) Grade(id string, r fsrs.Rating, now time.Time, took time.Duration) (deck.GradeResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Grade"); err != nil {
		return deck.GradeResult{}, err
	}
	before, had := f.prog[id]
	if !had {
		before = deck.Progress{CardID: id}
	}
	after := before
	after.Sched = f.sched().Next(before.Sched, id, now, r)
	res := deck.GradeResult{Before: before}
	if after.Sched.Lapses > before.Sched.Lapses && deck.LeechThresholdMet(after.Sched.Lapses, f.settings.LeechThreshold) {
		after.Leech, res.Leech = true, true
		if f.settings.LeechAction == deck.LeechSuspend {
			after.Suspended, res.Suspended = true, true
		}
	}
	res.After = after
	res.Review = deck.Review{CardID: id, At: now, Rating: int(r), StateBefore: int(before.Sched.State),
		LastInterval: before.Sched.ScheduledDays, Interval: after.Sched.ScheduledDays, Duration: took}
	f.prog[id] = after
	f.reviews = append(f.reviews, res.Review)
	sort.SliceStable(f.reviews, func(i, j int) bool { return f.reviews[i].At.Before(f.reviews[j].At) })
	f.undo = append(f.undo, fakeUndo{id: id, before: before, had: had})
	if len(f.undo) > deck.UndoDepth {
		f.undo = f.undo[1:]
	}
	return res, nil
}

func (f *fakeRepo) Undo() (deck.Undone, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Undo"); err != nil {
		return deck.Undone{}, err
	}
	if len(f.undo) == 0 {
		return deck.Undone{}, deck.ErrNothingToUndo
	}
	u := f.undo[len(f.undo)-1]
	f.undo = f.undo[:len(f.undo)-1]
	if u.bulk != nil {
		f.undoBulk(u.bulk)
		return deck.Undone{Action: u.bulk.label, CardIDs: u.bulk.ids}, nil
	}
	if u.cards != nil {
		var ids []string
		for _, c := range u.cards {
			i, j := f.find(c.ID)
			f.decks[i].Cards[j] = c
			ids = append(ids, c.ID)
		}
		return deck.Undone{Action: u.kind, CardIDs: ids}, nil
	}
	if u.kind == deck.UndoDelete {
		cards := f.decks[u.goneDeck].Cards
		f.decks[u.goneDeck].Cards = append(cards[:u.gonePos:u.gonePos], append([]deck.Card{u.gone}, cards[u.gonePos:]...)...)
	}
	if u.had {
		f.prog[u.id] = u.before
	} else {
		delete(f.prog, u.id)
	}
	for i := len(f.reviews) - 1; i >= 0 && (u.kind == "" || u.kind == deck.UndoGrade); i-- {
		if f.reviews[i].CardID == u.id {
			f.reviews = append(f.reviews[:i], f.reviews[i+1:]...)
			break
		}
	}
	kind := u.kind
	if kind == "" {
		kind = deck.UndoGrade
	}
	return deck.Undone{Action: kind, CardIDs: []string{u.id}}, nil
}

func (f *fakeRepo) find(id string) (int, int) {
	for i, d := range f.decks {
		for j, c := range d.Cards {
			if c.ID == id {
				return i, j
			}
		}
	}
	return -1, -1
}

func (f *fakeRepo) AddCard(c deck.Card) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("AddCard"); err != nil {
		return err
	}
	if i, _ := f.find(c.ID); i >= 0 {
		return fmt.Errorf("card %s: %w", c.ID, deck.ErrExists)
	}
	for i := range f.decks {
		if f.decks[i].ID == c.Deck {
			f.decks[i].Cards = append(f.decks[i].Cards, c)
			return nil
		}
	}
	f.decks = append(f.decks, deck.Deck{ID: c.Deck, Title: c.Deck, Cards: []deck.Card{c}})
	return nil
}

func (f *fakeRepo) EditCard(c deck.Card) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("EditCard"); err != nil {
		return err
	}
	i, j := f.find(c.ID)
	if i < 0 {
		return fmt.Errorf("card %s: %w", c.ID, deck.ErrNotFound)
	}
	f.undo = append(f.undo, fakeUndo{kind: deck.UndoEdit, id: c.ID, cards: []deck.Card{f.decks[i].Cards[j]}})
	f.decks[i].Cards[j] = c
	return nil
}

func (f *fakeRepo) AddCards(cs []deck.Card) error {
	for _, c := range cs {
		if err := f.AddCard(c); err != nil {
			return err
		}
	}
	return nil
}

// EditCards edits every card, undone as one action (as the store does).
func (f *fakeRepo) EditCards(cs []deck.Card) error {
	var olds []deck.Card
	for _, c := range cs {
		if err := f.EditCard(c); err != nil {
			return err
		}
		u := f.undo[len(f.undo)-1]
		f.undo = f.undo[:len(f.undo)-1]
		olds = append(olds, u.cards...)
	}
	if len(cs) > 0 {
		f.undo = append(f.undo, fakeUndo{kind: deck.UndoEdit, id: cs[0].ID, cards: olds})
	}
	return nil
}

func (f *fakeRepo) DeleteCard(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("DeleteCard"); err != nil {
		return err
	}
	i, j := f.find(id)
	if i < 0 || (f.decks[i].Builtin && f.decks[i].Cards[j].Line != 0) {
		return fmt.Errorf("card %s: %w", id, deck.ErrNotCustom)
	}
	before, had := f.prog[id]
	f.undo = append(f.undo, fakeUndo{kind: deck.UndoDelete, id: id, before: before, had: had,
		gone: f.decks[i].Cards[j], goneDeck: i, gonePos: j})
	if len(f.undo) > deck.UndoDepth {
		f.undo = f.undo[1:]
	}
	f.decks[i].Cards = append(f.decks[i].Cards[:j], f.decks[i].Cards[j+1:]...)
	delete(f.prog, id)
	return nil
}

func (f *fakeRepo) modify(id, kind string, fn func(*deck.Progress)) error {
	if i, _ := f.find(id); i < 0 {
		return fmt.Errorf("card %s: %w", id, deck.ErrNotFound)
	}
	p, ok := f.prog[id]
	f.undo = append(f.undo, fakeUndo{kind: kind, id: id, before: p, had: ok})
	if !ok {
		p = deck.Progress{CardID: id}
	}
	fn(&p)
	f.prog[id] = p
	return nil
}

func (f *fakeRepo) SetSuspended(id string, s bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("SetSuspended"); err != nil {
		return err
	}
	return f.modify(id, deck.UndoSuspend, func(p *deck.Progress) { p.Suspended = s })
}

func (f *fakeRepo) Bury(id string, until time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Bury"); err != nil {
		return err
	}
	return f.modify(id, deck.UndoBury, func(p *deck.Progress) { p.BuriedUntil = until })
}

// ApplyWeights saves the weights and counts the cards with history (the
// fake keeps no memory states to recompute).
func (f *fakeRepo) ApplyWeights(w [21]float64, reschedule bool) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ApplyWeights"); err != nil {
		return 0, err
	}
	f.settings.Weights = slices.Clone(w[:])
	f.undo = nil // as the store does: old undo records hold the old memory states
	f.applied = append(f.applied, fakeApplied{w, reschedule})
	cards := map[string]bool{}
	for _, r := range f.reviews {
		cards[r.CardID] = true
	}
	return len(cards), nil
}

func (f *fakeRepo) progress(id string) (deck.Progress, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.prog[id]
	return p, ok
}

// --- driving the model ---

// delayedMsg stands for a message the app asked to get after a real-time
// delay (status clearing, the summary's clock); the driver does not wait.
type delayedMsg struct {
	d   time.Duration
	msg tea.Msg
}

// harness drives the root model synchronously: it runs every command a
// message returns and feeds the results back, as the tea runtime would.
type harness struct {
	t       testing.TB
	m       model
	repo    *fakeRepo
	clock   time.Time
	quit    bool
	delayed []delayedMsg
	seen    []tea.Msg // every message delivered, in order
}

func newHarness(t testing.TB, repo *fakeRepo) *harness {
	h := &harness{t: t, repo: repo, clock: testNow}
	m := New(repo, Options{Now: func() time.Time { return h.clock }}).(model)
	m.env.tick = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return delayedMsg{d: d, msg: msg} }
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	return h
}

// send delivers a message and everything it leads to.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	h.seen = append(h.seen, msg)
	nm, cmd := h.m.Update(msg)
	h.m = nm.(model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	case delayedMsg:
		h.delayed = append(h.delayed, msg)
	default:
		// tea.Sequence's message is an unexported []tea.Cmd: run in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				h.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		h.send(msg)
	}
}

// keys sends key presses: single runes, or names like "enter", "esc",
// "up", "down", "tab", "shift+tab", "ctrl+c", "ctrl+s", "space".
func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+z":
		return tea.KeyMsg{Type: tea.KeyCtrlZ}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// typeText types text into the focused field.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		if r == '\n' {
			h.send(tea.KeyMsg{Type: tea.KeyEnter})
			continue
		}
		if r == ' ' {
			h.send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (h *harness) view() string { return h.m.View() }

func (h *harness) mustSee(want ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			h.t.Fatalf("view lacks %q:\n%s", w, v)
		}
	}
}

func (h *harness) mustNotSee(bad ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range bad {
		if strings.Contains(v, w) {
			h.t.Fatalf("view shows %q:\n%s", w, v)
		}
	}
}

// status is the status line's text.
func (h *harness) status() string { return h.m.status.text }

// inner is the message inside a forMsg (or msg itself).
func inner(msg tea.Msg) tea.Msg {
	if f, ok := msg.(forMsg); ok {
		return f.msg
	}
	return msg
}

func (f *fakeRepo) RenameDeck(id, title string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("RenameDeck"); err != nil {
		return err
	}
	for i := range f.decks {
		if f.decks[i].ID == id && !f.decks[i].Builtin {
			f.decks[i].Title = title
			return nil
		}
	}
	return fmt.Errorf("deck %s: not a custom deck", id)
}

func (f *fakeRepo) DeleteDeck(id string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("DeleteDeck"); err != nil {
		return 0, err
	}
	for i := range f.decks {
		if f.decks[i].ID == id && !f.decks[i].Builtin {
			n := len(f.decks[i].Cards)
			for _, c := range f.decks[i].Cards {
				delete(f.prog, c.ID)
			}
			f.decks = append(f.decks[:i], f.decks[i+1:]...)
			f.undo = nil
			return n, nil
		}
	}
	return 0, fmt.Errorf("deck %s: not a custom deck", id)
}

// The interview date, as the store keeps it.
func (f *fakeRepo) InterviewDate() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.date, f.errs["InterviewDate"]
}

func (f *fakeRepo) SetInterviewDate(day string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "SetInterviewDate "+day)
	if err := f.errs["SetInterviewDate"]; err != nil {
		return err
	}
	f.date = day
	return nil
}

func (f *fakeRepo) ClearInterviewDate() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "ClearInterviewDate")
	f.date = ""
	return nil
}

func (f *fakeRepo) AddPractice(kind deck.PracticeKind, id string, r fsrs.Rating, now time.Time, took time.Duration) (deck.Practice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("AddPractice %s %s %d", kind, id, r))
	if err := f.errs["AddPractice"]; err != nil {
		delete(f.errs, "AddPractice")
		return deck.Practice{}, err
	}
	p := deck.Practice{Key: []byte(fmt.Sprint(len(f.practice), now.UnixNano())), Kind: kind, CardID: id, At: now, Rating: r, Duration: took}
	f.practice = append(f.practice, p)
	return p, nil
}

func (f *fakeRepo) UndoPractice(key []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "UndoPractice")
	for i, p := range f.practice {
		if string(p.Key) == string(key) {
			f.practice = append(f.practice[:i], f.practice[i+1:]...)
			return nil
		}
	}
	return errors.New("nothing to undo")
}

func (f *fakeRepo) SaveMock(m deck.MockRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "SaveMock")
	f.mocks = append(f.mocks, m)
	return nil
}

func (f *fakeRepo) Mocks() ([]deck.MockRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]deck.MockRecord(nil), f.mocks...), nil
}
