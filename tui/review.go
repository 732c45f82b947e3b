package tui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/study"
)

// maxAnswerTime caps the time logged for one card (Anki's default 60 s),
// so a card left on screen during a break does not count as study time.
const maxAnswerTime = 60 * time.Second

// summaryTick is how often the summary refreshes while a learning card is
// waiting to come back.
const summaryTick = 15 * time.Second

// opSeq numbers the review screen's store operations across sessions, so a
// late result can never be taken for another's.
var opSeq atomic.Int64

func nextOp() int { return int(opSeq.Add(1)) }

// review is a study session: one card at a time, question then answer,
// graded 1-4, and a summary at the end.
type review struct {
	env   *env
	keys  reviewKeys
	lib   *study.Library
	sched *fsrs.Scheduler

	sess  *study.Session
	queue *deck.Queue // sess.Queue

	cur       deck.Item
	has       bool // a card is on screen (false: the summary)
	revealed  bool
	shownAt   time.Time
	preview   [4]fsrs.Card
	previewAt time.Time
	clock     time.Time // now, as of the last message

	pending int // the operation in flight (0: none); keys wait for it
	tickTag int

	vp            viewport.Model
	width, height int
	answerLine    int // first line of the answer in the viewport content

	info    infoView // the card info panel (i)
	ikeys   infoKeys
	flagKey bool // m was pressed: a digit flags the card
}

func newReview(e *env, lib *study.Library, s *study.Session, now time.Time) review {
	r := review{
		env: e, keys: newReviewKeys(), ikeys: newInfoKeys(), lib: lib, sched: lib.Sched,
		sess: s, queue: s.Queue, clock: now,
		vp: viewport.New(0, 0),
	}
	r.next(now)
	r.updateKeys()
	return r
}

// maxTextWidth is the widest the card text gets: wider lines are hard to
// read, so on a wide terminal the card is a centred column.
const maxTextWidth = 100

// column is the width of the card column and its left margin.
func (r review) column() (int, int) {
	w := min(r.width, maxTextWidth)
	return w, (r.width - w) / 2
}

func (r *review) setSize(w, h int) {
	r.width, r.height = w, h
	cw, _ := r.column()
	r.vp.Width = cw
	r.vp.Height = max(1, h-5)
	if r.has {
		r.render(false)
	}
	r.updateKeys()
}

// reviewed is the number of grades this session.
func (r review) reviewed() int { return r.sess.Reviewed() }

// next shows the next card of the queue, or the summary when nothing is
// left to show now.
func (r *review) next(now time.Time) tea.Cmd {
	r.clock = now
	it, ok := r.queue.Next(now)
	if !ok {
		r.has, r.revealed = false, false
		return r.summaryTick()
	}
	r.show(it, now)
	return nil
}

func (r *review) show(it deck.Item, now time.Time) {
	r.cur, r.has, r.revealed, r.shownAt = it, true, false, now
	r.render(true)
}

// summaryTick keeps the summary's clock moving while a learning card is
// still to come back today.
func (r *review) summaryTick() tea.Cmd {
	if _, ok := r.queue.NextLearning(); !ok {
		return nil
	}
	r.tickTag = nextOp()
	return toScreen(scrReview, false, r.env.after(summaryTick, tickMsg{op: r.tickTag}))
}

// render lays out the card in the viewport; top scrolls back to the top.
func (r *review) render(top bool) {
	st := r.env.styles
	cw, _ := r.column()
	w := max(10, cw)
	c := r.cur.Card
	lines := renderCardText(c.Front, w, st, st.Question)
	r.answerLine = -1
	if r.revealed {
		lines = append(lines, "", st.Rule.Render("── answer "+strings.Repeat("─", max(0, w-10))))
		r.answerLine = len(lines)
		lines = append(lines, renderCardText(c.Back, w, st, st.Answer)...)
		var meta []string
		if c.AsOf != "" {
			meta = append(meta, asOfText(c.AsOf, r.clock))
		}
		if c.Source != "" {
			meta = append(meta, "source: "+c.Source)
		}
		if len(meta) > 0 {
			lines = append(lines, "")
			for _, m := range meta {
				for _, l := range wrapWords(m, w, lipgloss.Width) {
					lines = append(lines, st.Dim.Render(linkURLs(l, lipgloss.Width(l)-w, st.Links)))
				}
			}
		}
	}
	r.vp.SetContent(strings.Join(lines, "\n"))
	r.vp.SetYOffset(r.vp.YOffset) // re-clamped: a taller screen leaves no blank rows
	switch {
	case top:
		r.vp.GotoTop()
	case r.revealed && r.answerLine >= 0 && r.answerLine >= r.vp.YOffset+r.vp.Height-2:
		// The answer starts below the fold: bring its heading to the top.
		r.vp.SetYOffset(r.answerLine - 1)
	}
}

// updateKeys enables the bindings that work in the current state.
func (r *review) updateKeys() {
	idle := r.pending == 0
	card := idle && r.has
	r.keys.Reveal.SetEnabled(card && !r.revealed)
	for _, g := range []*key.Binding{&r.keys.Again, &r.keys.Hard, &r.keys.Good, &r.keys.Eas} {
		g.SetEnabled(card && r.revealed)
	}
	r.keys.Grade.SetEnabled(card && r.revealed)
	r.keys.AnswerGood.SetEnabled(card && r.revealed && r.lib.Settings.SpaceAnswersGood)
	r.keys.Undo.SetEnabled(idle && r.sess.CanUndo())
	r.keys.Edit.SetEnabled(card)
	r.keys.Bury.SetEnabled(card)
	r.keys.Susp.SetEnabled(card)
	r.keys.Flag.SetEnabled(card && !r.flagKey)
	r.keys.FlagN.SetEnabled(r.flagKey)
	r.keys.Info.SetEnabled(card)
	scroll := r.has && r.vp.TotalLineCount() > r.vp.Height
	r.keys.Up.SetEnabled(scroll)
	r.keys.Down.SetEnabled(scroll)
	r.keys.PgUp.SetEnabled(scroll)
	r.keys.PgDown.SetEnabled(scroll)
	r.keys.Continue.SetEnabled(idle && !r.has && r.queue.Counts().Total() > 0)
	r.keys.Back.SetEnabled(idle)
}

func (r review) update(msg tea.Msg) (review, tea.Cmd) {
	now := r.env.now()
	r.clock = now
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmd = r.key(msg, now)
	case gradedMsg:
		cmd = r.graded(msg, now)
	case undoneMsg:
		cmd = r.undone(msg, now)
	case flaggedMsg:
		cmd = r.flagged(msg, now)
	case flagSetMsg:
		cmd = r.flagSet(msg)
	case infoMsg:
		if msg.err != nil {
			cmd = statusCmd("card info: "+msg.err.Error(), true)
		} else if r.has && msg.id == r.cur.Card.ID {
			r.info.setSize(r.width, r.height)
			r.info.show(msg.ci, locOf(r.sched))
		}
	case tickMsg:
		if msg.op == r.tickTag && !r.has {
			cmd = r.summaryTick()
		}
	}
	r.updateKeys()
	return r, cmd
}

func (r *review) key(k tea.KeyMsg, now time.Time) tea.Cmd {
	if r.pending != 0 {
		return nil // the store has not answered yet
	}
	ks := &r.keys
	if r.info.open {
		r.info.key(k, r.ikeys)
		return nil
	}
	if r.flagKey {
		r.flagKey = false
		if key.Matches(k, ks.FlagN) && r.has {
			n := int(k.Runes[0] - '0')
			if n == r.cur.Progress.Flag { // the same flag again clears it
				n = 0
			}
			r.pending = nextOp()
			return toScreen(scrReview, true, setFlagCmd(r.env.repo, r.pending, r.cur.Card.ID, n))
		}
		return nil
	}
	switch {
	case key.Matches(k, ks.Flag) && ks.Flag.Enabled():
		r.flagKey = true
	case key.Matches(k, ks.Info) && ks.Info.Enabled():
		return toScreen(scrReview, false, infoCmd(r.env.repo, r.cur.Card.ID, now))
	case key.Matches(k, ks.Reveal) && ks.Reveal.Enabled():
		r.revealed = true
		r.preview = r.sess.Preview(r.cur, now)
		r.previewAt = now
		r.render(false)
	case key.Matches(k, ks.Continue) && ks.Continue.Enabled():
		if it, ok := r.queue.Next(now); ok {
			r.show(it, now)
			return nil
		}
		if at, ok := r.queue.NextLearning(); ok {
			return statusCmd("Not yet: the next learning card comes back "+whenText(at, now, r.sched)+".", false)
		}
	case key.Matches(k, ks.AnswerGood) && ks.AnswerGood.Enabled():
		took := study.TookSince(r.shownAt, now)
		r.pending = nextOp()
		return toScreen(scrReview, true, gradeCmd(r.env.repo, r.pending, r.cur.Card.ID, fsrs.Good, now, took))
	case key.Matches(k, ks.Undo) && ks.Undo.Enabled():
		r.pending = nextOp()
		return toScreen(scrReview, true, undoCmd(r.env.repo, r.pending))
	case key.Matches(k, ks.Edit) && ks.Edit.Enabled():
		return cmdOf(editCardMsg{card: r.cur.Card})
	case key.Matches(k, ks.Bury) && ks.Bury.Enabled():
		r.pending = nextOp()
		return toScreen(scrReview, true, buryCmd(r.env.repo, r.pending, r.cur.Card.ID, study.DayEnd(r.sched, now)))
	case key.Matches(k, ks.Susp) && ks.Susp.Enabled():
		r.pending = nextOp()
		return toScreen(scrReview, true, suspendCmd(r.env.repo, r.pending, r.cur.Card.ID, true))
	case key.Matches(k, ks.Up) && ks.Up.Enabled():
		r.vp.ScrollUp(1)
	case key.Matches(k, ks.Down) && ks.Down.Enabled():
		r.vp.ScrollDown(1)
	case key.Matches(k, ks.PgUp) && ks.PgUp.Enabled():
		r.vp.PageUp()
	case key.Matches(k, ks.PgDown) && ks.PgDown.Enabled():
		r.vp.PageDown()
	case key.Matches(k, ks.Back) && ks.Back.Enabled():
		if r.has && r.reviewed() > 0 {
			r.has, r.revealed = false, false // end with the summary
			return r.summaryTick()
		}
		return back
	default:
		for i, g := range ks.grades() {
			if key.Matches(k, g) && g.Enabled() {
				took := study.TookSince(r.shownAt, now)
				r.pending = nextOp()
				return toScreen(scrReview, true, gradeCmd(r.env.repo, r.pending, r.cur.Card.ID, fsrs.Ratings[i], now, took))
			}
		}
	}
	return nil
}

// graded takes Grade's answer: only a grade that was saved moves on.
func (r *review) graded(msg gradedMsg, now time.Time) tea.Cmd {
	if msg.op != r.pending || msg.cardID != r.cur.Card.ID {
		return nil // not ours
	}
	r.pending = 0
	if msg.err != nil {
		return statusCmd("grade not saved: "+msg.err.Error()+" (press the grade again to retry)", true)
	}
	r.sess.Graded(r.cur, msg.rating, msg.took, msg.res)
	var status tea.Cmd
	if msg.res.Leech {
		text := "This card is now a leech (it keeps being forgotten): consider rewriting it (e)."
		if msg.res.Suspended {
			text = "This card is now a leech and was suspended: rewrite it, then unsuspend it in Browse."
		}
		status = statusCmd(text, false)
	}
	return tea.Batch(status, r.next(now))
}

func (r *review) undone(msg undoneMsg, now time.Time) tea.Cmd {
	if msg.op != r.pending {
		return nil
	}
	r.pending = 0
	if msg.err != nil {
		return statusCmd("undo failed: "+msg.err.Error(), true)
	}
	it, err := r.sess.Undone(msg.u)
	if err != nil {
		return statusCmd("undo reversed an earlier "+msg.u.Action+" of "+msg.u.CardID()+", not one from this session", true)
	}
	r.show(it, now)
	return statusCmd("Undid the "+msg.u.Action+" of "+it.Card.ID+".", false)
}

func (r *review) flagged(msg flaggedMsg, now time.Time) tea.Cmd {
	if msg.op != r.pending || msg.cardID != r.cur.Card.ID {
		return nil
	}
	r.pending = 0
	what := "bury"
	if msg.kind != flagBury {
		what = "suspend"
	}
	if msg.err != nil {
		return statusCmd(what+" failed: "+msg.err.Error(), true)
	}
	text := "Suspended " + msg.cardID + " (unsuspend it in Browse)."
	if msg.kind == flagBury {
		text = "Buried " + msg.cardID + " until " + whenText(msg.until, now, r.sched) + "."
		r.sess.Removed(r.cur, msg.until)
	} else {
		r.sess.Removed(r.cur, time.Time{})
	}
	return tea.Batch(statusCmd(text, false), r.next(now))
}

// flagSet takes SetFlag's answer: the card shows its new flag.
func (r *review) flagSet(msg flagSetMsg) tea.Cmd {
	if msg.op != r.pending || msg.cardID != r.cur.Card.ID {
		return nil
	}
	r.pending = 0
	if msg.err != nil {
		return statusCmd("flag not saved: "+msg.err.Error(), true)
	}
	r.cur.Progress.Flag = msg.flag
	if msg.flag == 0 {
		return statusCmd("Flag cleared.", false)
	}
	return statusCmd(fmt.Sprintf("Flagged %s (flag:%d).", deck.FlagNames[msg.flag], msg.flag), false)
}

// keyHelp is the review's key map (the info panel's while it is open).
func (r review) keyHelp() keyMap {
	if r.info.open {
		return r.ikeys.help()
	}
	return r.keys.help()
}

// cardsEdited shows a note's new text after the form saved it.
func (r *review) cardsEdited(cs []deck.Card) {
	r.sess.Edited(cs...)
	for _, c := range cs {
		if r.has && r.cur.Card.ID == c.ID {
			r.cur.Card = c
			r.render(false)
		}
	}
	r.updateKeys() // the edit can be undone
}

func (r review) view() string {
	if !r.has {
		return r.summaryView()
	}
	st := r.env.styles
	if r.info.open {
		return r.info.view(st)
	}
	w, margin := r.column()
	c := r.cur.Card
	var b strings.Builder

	// Card line: area, state, tags.
	info := []string{r.lib.DeckTitle(c.Deck), stateName(r.cur.Progress)}
	if tags := tagsOf(c, r.cur.Progress); len(tags) > 0 {
		info = append(info, "tags: "+strings.Join(tags, ", "))
	}
	flag := ""
	if f := r.cur.Progress.Flag; f != 0 {
		flag = st.Flag[f].Render(deck.FlagNames[f]+" flag") + st.Dim.Render(" · ")
	}
	b.WriteString(flag + st.Dim.Render(cutText(strings.Join(info, " · "), w-lipgloss.Width(flag))) + "\n")

	// Session line: a bar, the position and what is left.
	cnt := r.queue.Counts()
	done := r.reviewed()
	total := done + cnt.Total()
	right := fmt.Sprintf(" %d/%d · new %d · learn %d · review %d", done+1, total, cnt.New, cnt.Learning, cnt.Review)
	barW := max(10, w-lipgloss.Width(right)-1)
	b.WriteString(bar(done, total, barW) + right + "\n")
	b.WriteString(st.Rule.Render(strings.Repeat("─", w)) + "\n")

	b.WriteString(fitBlock(r.vp.View(), w, r.vp.Height) + "\n")

	rule := strings.Repeat("─", w)
	if r.vp.TotalLineCount() > r.vp.Height {
		more := fmt.Sprintf(" %d%% · j/k scroll ", int(r.vp.ScrollPercent()*100))
		if !r.vp.AtBottom() {
			more = " ↓ more" + more
		}
		rule = strings.Repeat("─", max(0, w-lipgloss.Width(more)-2)) + more + "──"
	}
	b.WriteString(st.Rule.Render(rule) + "\n")

	switch {
	case r.pending != 0:
		b.WriteString(st.Dim.Render("saving…"))
	case r.flagKey:
		b.WriteString(st.Warn.Render(cutText("flag: 1 red 2 orange 3 green 4 blue 5 pink 6 turquoise 7 purple, 0 none", w)))
	case !r.revealed:
		b.WriteString(st.Key.Render("space") + " or " + st.Key.Render("enter") + " shows the answer")
	default:
		b.WriteString(r.buttons())
	}
	if margin == 0 {
		return b.String()
	}
	pad := strings.Repeat(" ", margin)
	lines := strings.Split(b.String(), "\n")
	for i := range lines {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

// buttons is the grade line: each grade's key, name and next interval.
func (r review) buttons() string {
	st := r.env.styles
	names := [4]string{"Again", "Hard", "Good", "Easy"}
	parts := make([]string, 4)
	for i := range names {
		parts[i] = st.Key.Render(fmt.Sprint(i+1)) + " " + st.Grade[i].Render(names[i]) + " " +
			intervalText(r.preview[i], r.previewAt)
	}
	return strings.Join(parts, "   ")
}

func stateName(p deck.Progress) string {
	s := [...]string{"new", "learning", "review", "relearning"}[min(3, max(0, int(p.Sched.State)))]
	if p.Leech {
		s += " · leech"
	}
	return s
}

func (r review) summaryView() string {
	st := r.env.styles
	now := r.clock
	n := r.reviewed()
	g := r.sess.Grades()
	left := r.queue.Counts().Total()
	var b strings.Builder
	_, ready := r.queue.Next(now)
	learnAt, learning := r.queue.NextLearning()
	title := "Session complete"
	switch {
	case ready:
		title = "Session paused"
	case learning:
		title = "Done for now"
	}
	b.WriteString("\n" + st.Section.Render(title+" · "+r.sess.Title) + "\n\n")
	row := func(label, value string) {
		b.WriteString("  " + padRight(label, 10) + value + "\n")
	}
	row("cards", fmt.Sprintf("%d   (again %d · hard %d · good %d · easy %d)", n, g[0], g[1], g[2], g[3]))
	acc := "—"
	if n > 0 {
		acc = fmt.Sprintf("%s   (%d of %d not Again)", percentText(float64(n-g[0])/float64(n)), n-g[0], n)
	}
	row("accuracy", acc)
	avg := ""
	if n > 0 {
		avg = fmt.Sprintf("   (%s a card)", durText(r.sess.Spent()/time.Duration(n)))
	}
	row("time", durText(r.sess.Spent())+avg)

	next, tomorrow := r.sess.NextDue(now)
	var nexts []string
	if ready {
		nexts = append(nexts, fmt.Sprintf("%s left in this session: press enter to go on.", plural(left, "card")))
	} else if learning {
		nexts = append(nexts, fmt.Sprintf("A learning card comes back %s; press enter then.", whenText(learnAt, now, r.sched)))
	}
	switch {
	case learning && !ready && next.Equal(learnAt):
		// said above
	case next.IsZero():
		nexts = append(nexts, "No studied card is waiting for review yet.")
	case !next.After(now) && left == 0:
		nexts = append(nexts, "More cards are due, but today's limits are reached (change them in Settings).")
	case next.After(now):
		nexts = append(nexts, "Next card due "+whenText(next, now, r.sched)+".")
	}
	if tomorrow > 0 {
		nexts = append(nexts, fmt.Sprintf("%s due by the end of tomorrow.", plural(tomorrow, "card")))
	}
	for i, s := range nexts {
		label := ""
		if i == 0 {
			label = "next"
		}
		for j, l := range wrapWords(s, max(10, r.width-14), lipgloss.Width) {
			if j > 0 {
				label = ""
			}
			row(label, l)
		}
	}
	b.WriteString("\n")
	hint := "q back to the dashboard"
	if r.sess.CanUndo() {
		hint = "u undo the last " + r.sess.LastAction() + " · " + hint
	}
	b.WriteString("  " + st.Dim.Render(hint))
	return b.String()
}

// asOfText says when a card's facts were checked, and how long ago when
// that is more than 12 months, so that the learner knows to look again.
func asOfText(asOf string, now time.Time) string {
	if m := deck.MonthsSince(asOf, now); m > 12 {
		return fmt.Sprintf("as of %s (checked %d months ago: look again)", asOf, m)
	}
	return "as of " + asOf
}
