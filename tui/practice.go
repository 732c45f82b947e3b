package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/plan"
	"opsdeck/study"
)

// practiceScreen is a cram session or a mock interview, opened from the
// Plan screen: a card at a time, self-graded; each grade is stored as a
// practice grade (the card's schedule stays). A mock shows a per-card timer
// against the card's budget, stops when its time is up, and ends with a
// scorecard per area that is saved with its date.
type practiceScreen struct {
	env   *env
	keys  practiceKeys
	lib   *study.Library
	kind  deck.PracticeKind
	items []plan.Item

	pos      int
	revealed bool
	shownAt  time.Time
	start    time.Time
	limit    time.Duration // mock only
	minutes  int

	answers []plan.MockAnswer
	saved   [][]byte // practice keys, for undo
	pending bool     // a store call is in flight
	op      int      // tags store results and ticks

	done     bool
	card     deck.MockRecord // the mock's scorecard, once done
	cardSave string          // "", "saving", "saved" or the error

	width, height int
}

// startPracticeMsg asks the root to open a cram session or a mock.
type startPracticeMsg struct {
	kind    deck.PracticeKind
	items   []plan.Item
	minutes int
}

// practicedMsg is the result of AddPractice; practiceUndoneMsg of
// UndoPractice; mockSavedMsg of SaveMock; practiceTickMsg redraws the
// mock's timer.
type practicedMsg struct {
	op  int
	p   deck.Practice
	ans plan.MockAnswer
	err error
}

type practiceUndoneMsg struct {
	op  int
	err error
}

type mockSavedMsg struct{ err error }

type practiceTickMsg struct{ op int }

func newPractice(e *env, lib *study.Library, msg startPracticeMsg) practiceScreen {
	now := e.now()
	p := practiceScreen{env: e, keys: newPracticeKeys(), lib: lib, kind: msg.kind, items: msg.items,
		start: now, shownAt: now, minutes: msg.minutes, op: nextOp()}
	if msg.kind == deck.Mock {
		p.limit = time.Duration(msg.minutes) * time.Minute
	}
	if len(p.items) == 0 {
		p.done = true
	}
	p.updateKeys()
	return p
}

func (p *practiceScreen) setSize(w, h int) { p.width, p.height = w, h }

// init starts the mock's timer.
func (p practiceScreen) init() tea.Cmd { return p.tick() }

func (p practiceScreen) tick() tea.Cmd {
	if p.kind != deck.Mock || p.done {
		return nil
	}
	return toScreen(scrPractice, false, p.env.after(time.Second, practiceTickMsg{op: p.op}))
}

func (p *practiceScreen) updateKeys() {
	k := &p.keys
	showing := !p.done && !p.pending
	k.Reveal.SetEnabled(showing && !p.revealed)
	k.Grade.SetEnabled(showing && p.revealed)
	k.Undo.SetEnabled(!p.done && !p.pending && len(p.saved) > 0)
	k.Back.SetEnabled(!p.pending)
	if p.done {
		k.Back.SetHelp("q", "back")
	} else {
		k.Back.SetHelp("q", "end")
	}
}

func (p practiceScreen) update(msg tea.Msg) (practiceScreen, tea.Cmd) {
	np, cmd := p.handle(msg)
	np.updateKeys()
	return np, cmd
}

func (p practiceScreen) handle(msg tea.Msg) (practiceScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case practiceTickMsg:
		if msg.op != p.op || p.done {
			return p, nil
		}
		return p, p.tick()
	case practicedMsg:
		if msg.op != p.op {
			return p, nil
		}
		p.pending = false
		if msg.err != nil {
			return p, statusCmd("grade not saved: "+msg.err.Error(), true)
		}
		p.saved = append(p.saved, msg.p.Key)
		p.answers = append(p.answers, msg.ans)
		return p, p.advance()
	case practiceUndoneMsg:
		if msg.op != p.op {
			return p, nil
		}
		p.pending = false
		if msg.err != nil {
			return p, statusCmd("undo: "+msg.err.Error(), true)
		}
		p.saved = p.saved[:len(p.saved)-1]
		p.answers = p.answers[:len(p.answers)-1]
		p.pos--
		p.revealed = false
		p.shownAt = p.env.now()
		return p, nil
	case mockSavedMsg:
		p.cardSave = "saved"
		if msg.err != nil {
			p.cardSave = "not saved: " + msg.err.Error()
		}
		return p, nil
	case tea.KeyMsg:
		return p.key(msg)
	}
	return p, nil
}

func (p practiceScreen) key(k tea.KeyMsg) (practiceScreen, tea.Cmd) {
	switch {
	case key.Matches(k, p.keys.Back):
		if p.done {
			return p, back
		}
		return p, p.finish()
	case key.Matches(k, p.keys.Reveal):
		p.revealed = true
		return p, nil
	case key.Matches(k, p.keys.Undo):
		p.pending = true
		repo, op, last := p.env.repo, p.op, p.saved[len(p.saved)-1]
		return p, toScreen(scrPractice, true, func() tea.Msg { return practiceUndoneMsg{op: op, err: repo.UndoPractice(last)} })
	case key.Matches(k, p.keys.Grade):
		r := fsrs.Rating(k.Runes[0] - '0')
		now := p.env.now()
		took := min(max(0, now.Sub(p.shownAt)), 10*time.Minute)
		if p.kind == deck.Cram {
			took = study.TookSince(p.shownAt, now)
		}
		it := p.items[p.pos]
		p.pending = true
		repo, op, kind := p.env.repo, p.op, p.kind
		ans := plan.MockAnswer{Item: it, Rating: r, Took: took}
		return p, toScreen(scrPractice, true, func() tea.Msg {
			pr, err := repo.AddPractice(kind, it.Card.ID, r, now, took)
			return practicedMsg{op: op, p: pr, ans: ans, err: err}
		})
	}
	return p, nil
}

// advance shows the next card, or ends the session when the cards or the
// mock's time ran out.
func (p *practiceScreen) advance() tea.Cmd {
	p.pos++
	p.revealed = false
	now := p.env.now()
	p.shownAt = now
	if p.pos >= len(p.items) || (p.limit > 0 && now.Sub(p.start) >= p.limit) {
		return p.finish()
	}
	return nil
}

// finish ends the session; a mock with answers saves its scorecard.
func (p *practiceScreen) finish() tea.Cmd {
	p.done = true
	if p.kind != deck.Mock || len(p.answers) == 0 {
		return nil
	}
	p.card = plan.Scorecard(p.lib, p.start, p.minutes, p.answers)
	p.cardSave = "saving"
	repo, card := p.env.repo, p.card
	return toScreen(scrPractice, true, func() tea.Msg { return mockSavedMsg{err: repo.SaveMock(card)} })
}

func (p practiceScreen) title() string {
	if p.kind == deck.Mock {
		return "Mock interview"
	}
	return "Cram"
}

func (p practiceScreen) view() string {
	if p.done {
		return p.summaryView()
	}
	st := p.env.styles
	w := p.width
	it := p.items[p.pos]
	c := it.Card
	var b strings.Builder
	info := []string{p.lib.DeckTitle(c.Deck), fmt.Sprintf("recall on the day %s", percentText(it.Recall))}
	if p.kind == deck.Cram && p.lib.Interview == "" {
		info[1] = fmt.Sprintf("recall now %s", percentText(it.Recall))
	}
	b.WriteString(st.Dim.Render(cutText(strings.Join(info, " · "), w)) + "\n")
	right := fmt.Sprintf(" %d/%d", p.pos+1, len(p.items))
	if p.kind == deck.Mock {
		now := p.env.now()
		spent := now.Sub(p.shownAt)
		over := ""
		if spent > it.Budget {
			over = " OVER"
		}
		right += fmt.Sprintf(" · this card %s of %s%s · %s left", clockText(spent), clockText(it.Budget), over,
			clockText(max(0, p.limit-now.Sub(p.start))))
	}
	b.WriteString(bar(p.pos, len(p.items), max(10, w-len([]rune(right))-1)) + right + "\n")
	b.WriteString(st.Rule.Render(strings.Repeat("─", w)) + "\n")
	lines := renderCardText(deck.SafeText(c.Front), w, st, st.Question)
	if p.revealed {
		lines = append(lines, "", st.Rule.Render("── answer "+strings.Repeat("─", max(0, w-10))))
		lines = append(lines, renderCardText(deck.SafeText(c.Back), w, st, st.Answer)...)
	}
	b.WriteString(fitBlock(strings.Join(lines, "\n"), w, max(1, p.height-5)) + "\n")
	b.WriteString(st.Rule.Render(strings.Repeat("─", w)) + "\n")
	switch {
	case p.pending:
		b.WriteString(st.Dim.Render("saving…"))
	case !p.revealed:
		b.WriteString(st.Key.Render("space") + " shows the answer")
	default:
		b.WriteString("1 Again   2 Hard   3 Good   4 Easy   " + st.Dim.Render("(the schedule stays)"))
	}
	return b.String()
}

// summaryView is the end: a cram's totals, or the mock's scorecard.
func (p practiceScreen) summaryView() string {
	st := p.env.styles
	var b strings.Builder
	pass := 0
	for _, a := range p.answers {
		if a.Rating != fsrs.Again {
			pass++
		}
	}
	if p.kind == deck.Cram || len(p.answers) == 0 {
		b.WriteString("\n" + st.Section.Render(p.title()+" done") + "\n\n")
		if len(p.items) == 0 {
			b.WriteString("Nothing to cram: no card studied yet. Cram goes over the cards you have seen.\n")
		} else {
			b.WriteString(fmt.Sprintf("%d answered, %s correct. Schedules unchanged.\n", len(p.answers), ratio(pass, len(p.answers))))
		}
		b.WriteString("\n" + st.Dim.Render("q goes back to the plan."))
		return b.String()
	}
	b.WriteString(st.Section.Render("Mock interview scorecard") + st.Dim.Render(fmt.Sprintf("  %s · %d minutes · %s",
		p.start.Format("2006-01-02 15:04"), p.minutes, p.cardSave)) + "\n\n")
	head := padRight("Area", 40) + padLeft("answered", 10) + padLeft("passed", 8) + padLeft("over time", 11)
	b.WriteString(st.Dim.Render(head) + "\n")
	over := 0
	for _, a := range p.card.Areas {
		b.WriteString(padRight(p.lib.DeckTitle(a.ID), 40) + padLeft(fmt.Sprint(a.Answered), 10) +
			padLeft(ratio(a.Passed, a.Answered), 8) + padLeft(fmt.Sprint(a.OverBudget), 11) + "\n")
		over += a.OverBudget
	}
	b.WriteString(st.Bold.Render(padRight("All areas", 40)+padLeft(fmt.Sprint(len(p.answers)), 10)+
		padLeft(ratio(pass, len(p.answers)), 8)+padLeft(fmt.Sprint(over), 11)) + "\n\n")
	b.WriteString(st.Dim.Render("Passed: graded Hard, Good or Easy. Over time: longer than the card's budget") + "\n")
	b.WriteString(st.Dim.Render(fmt.Sprintf("(%ds for a scenario, %ds for a fact). Schedules unchanged. q goes back.",
		int(plan.ScenarioBudget/time.Second), int(plan.FactBudget/time.Second))))
	return b.String()
}

func ratio(n, of int) string {
	if of == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", n*100/of)
}

// clockText is m:ss.
func clockText(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
