package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// errCorrupt is wrapped into ErrDamaged when a stored value cannot be decoded.
var errCorrupt = errors.New("undecodable record")

func corrupt(what string, key []byte) error {
	return fmt.Errorf("%w: %s %q: %w", ErrDamaged, what, key, errCorrupt)
}

// ---- progress records (binary) ----

// progressFormat is the format byte of a progress record. Format 1
// (schema 1) had no flag byte; migrateFlags rewrites it as format 2.
const progressFormat = 2

const (
	pfSuspended   = 1 << 0
	pfLeech       = 1 << 1
	pfBuried      = 1 << 2
	pfDue         = 1 << 3
	pfLastReview  = 1 << 4
	pfPlaceholder = 1 << 5
)

// progressRec is a decoded progress record. CardID is filled in from the key.
type progressRec struct {
	num         uint64 // card number, never 0 in a stored record
	placeholder bool   // keeps only num; reads treat the card as untouched
	p           deck.Progress
}

// putTime appends t as int64 Unix nanoseconds, which hold 1677 to 2262. A
// time outside is held to the nearest end (saturated), never wrapped: a due
// date in 2294 (the scheduler follows ts-fsrs that far) is stored as April
// 2262, not as 1677, when the card would come due at once.
func putTime(b []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(saturatedNanos(t)))
}

var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// saturatedNanos is t.UnixNano(), held to the int64 range.
func saturatedNanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

func encodeProgress(r progressRec) []byte {
	b := make([]byte, 0, 64)
	var flags byte
	p := r.p
	if p.Suspended {
		flags |= pfSuspended
	}
	if p.Leech {
		flags |= pfLeech
	}
	if !p.BuriedUntil.IsZero() {
		flags |= pfBuried
	}
	if !p.Sched.Due.IsZero() {
		flags |= pfDue
	}
	if !p.Sched.LastReview.IsZero() {
		flags |= pfLastReview
	}
	if r.placeholder {
		flags |= pfPlaceholder
	}
	b = append(b, progressFormat, flags)
	b = binary.AppendUvarint(b, r.num)
	c := p.Sched
	b = append(b, byte(c.State))
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Stability))
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Difficulty))
	for _, v := range [...]int{c.ElapsedDays, c.ScheduledDays, c.Step, c.Reps, c.Lapses} {
		b = binary.AppendVarint(b, int64(v))
	}
	if flags&pfDue != 0 {
		b = putTime(b, c.Due)
	}
	if flags&pfLastReview != 0 {
		b = putTime(b, c.LastReview)
	}
	if flags&pfBuried != 0 {
		b = putTime(b, p.BuriedUntil)
	}
	return append(b, byte(p.Flag))
}

// reader decodes a value and remembers the first error. Times come out
// in loc.
type reader struct {
	b   []byte
	bad bool
	loc *time.Location
}

func (r *reader) byte1() byte {
	if len(r.b) < 1 {
		r.bad = true
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.bad = true
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) u32() uint32 {
	if len(r.b) < 4 {
		r.bad = true
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) time() time.Time { return time.Unix(0, int64(r.u64())).In(r.loc) }

// decodeProgress decodes a progress record, with times in loc; the card
// ID is not set.
func decodeProgress(b []byte, loc *time.Location) (progressRec, bool) {
	return decodeProgressFormat(b, loc, false)
}

// decodeProgressFormat is decodeProgress; with v1 it also reads format 1
// (for the migration).
func decodeProgressFormat(b []byte, loc *time.Location, v1 bool) (progressRec, bool) {
	r := reader{b: b, loc: loc}
	var out progressRec
	format := r.byte1()
	if format != progressFormat && !(v1 && format == 1) {
		return out, false
	}
	flags := r.byte1()
	out.num = r.uvarint()
	out.placeholder = flags&pfPlaceholder != 0
	p := &out.p
	p.Suspended = flags&pfSuspended != 0
	p.Leech = flags&pfLeech != 0
	c := &p.Sched
	st := r.byte1()
	if st > byte(fsrs.Relearning) {
		return out, false
	}
	c.State = fsrs.State(st)
	c.Stability = math.Float64frombits(r.u64())
	c.Difficulty = math.Float64frombits(r.u64())
	c.ElapsedDays = int(r.varint())
	c.ScheduledDays = int(r.varint())
	c.Step = int(r.varint())
	c.Reps = int(r.varint())
	c.Lapses = int(r.varint())
	if flags&pfDue != 0 {
		c.Due = r.time()
	}
	if flags&pfLastReview != 0 {
		c.LastReview = r.time()
	}
	if flags&pfBuried != 0 {
		p.BuriedUntil = r.time()
	}
	if format == progressFormat {
		p.Flag = int(r.byte1())
		if p.Flag > deck.MaxFlag {
			return out, false
		}
	}
	return out, !r.bad && len(r.b) == 0 && out.num != 0
}

// progressNum reads only the card number of a progress record.
func progressNum(b []byte) uint64 {
	if len(b) < 3 {
		return 0
	}
	v, n := binary.Uvarint(b[2:])
	if n <= 0 {
		return 0
	}
	return v
}

// ---- review log (binary) ----

const revKeyLen = 12

// revKey is a revlog key: unix nanos and a tie-break, both big-endian.
func revKey(t time.Time, tie uint32) []byte {
	k := make([]byte, revKeyLen)
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	binary.BigEndian.PutUint32(k[8:], tie)
	return k
}

// revSeek is the first possible revlog key at or after t.
func revSeek(t time.Time) []byte { return revKey(t, 0) }

func revKeyTime(k []byte, loc *time.Location) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k))).In(loc)
}

// timeOK reports whether t has a Unix-nanosecond representation that
// sorts correctly as an unsigned key (1970 to 2262).
func timeOK(t time.Time) bool {
	return !t.Before(time.Unix(0, 0)) && t.Before(time.Unix(0, math.MaxInt64))
}

// reviewRec is a decoded review record.
type reviewRec struct {
	num          uint64
	rating       fsrs.Rating
	stateBefore  fsrs.State
	lastInterval int
	interval     int
	stability    float32
	difficulty   float32
	duration     time.Duration // whole milliseconds
}

func encodeReview(v reviewRec) []byte {
	b := make([]byte, 0, 24)
	b = append(b, byte(v.rating)&7|byte(v.stateBefore)&3<<3)
	b = binary.AppendUvarint(b, v.num)
	b = binary.AppendVarint(b, int64(v.lastInterval))
	b = binary.AppendVarint(b, int64(v.interval))
	b = binary.BigEndian.AppendUint32(b, math.Float32bits(v.stability))
	b = binary.BigEndian.AppendUint32(b, math.Float32bits(v.difficulty))
	ms := v.duration.Milliseconds()
	if ms < 0 {
		ms = 0
	}
	b = binary.AppendUvarint(b, uint64(ms))
	return b
}

func decodeReview(b []byte) (reviewRec, bool) {
	r := reader{b: b}
	var v reviewRec
	h := r.byte1()
	if h>>5 != 0 {
		return v, false
	}
	v.rating = fsrs.Rating(h & 7)
	v.stateBefore = fsrs.State(h >> 3 & 3)
	v.num = r.uvarint()
	v.lastInterval = int(r.varint())
	v.interval = int(r.varint())
	v.stability = math.Float32frombits(r.u32())
	v.difficulty = math.Float32frombits(r.u32())
	ms := r.uvarint()
	v.duration = time.Duration(ms) * time.Millisecond
	ok := ms <= math.MaxInt64/uint64(time.Millisecond) && !r.bad && len(r.b) == 0 && v.rating >= fsrs.Again && v.rating <= fsrs.Easy && v.num != 0
	return v, ok
}

// ---- undo records (binary) ----

type undoRec struct {
	seq    uint64
	logKey []byte
	cardID string
	prev   []byte // encoded progress record before the grade

	// An action other than a grade (generic: true): its name, the cards it
	// touched, and every value it changed as it was before.
	generic bool
	action  string
	cardIDs []string
	entries []undoEntry
}

// undoEntry is one bucket value as it was before an action: prev, or
// absent (present false).
type undoEntry struct {
	bucket, key, prev []byte
	present           bool
}

// genericUndo marks a generic undo record: it follows the seq where a
// grade's record has its revlog key, whose first byte (of a Unix time in
// nanoseconds before 2262) is never 0xff.
const genericUndo = 0xff

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.bad || uint64(len(r.b)) < n {
		r.bad = true
		return nil
	}
	v := append([]byte(nil), r.b[:n]...)
	r.b = r.b[n:]
	return v
}

func encodeGenericUndo(u undoRec) []byte {
	b := binary.AppendUvarint(nil, u.seq)
	b = append(b, genericUndo)
	b = appendBytes(b, []byte(u.action))
	b = binary.AppendUvarint(b, uint64(len(u.cardIDs)))
	for _, id := range u.cardIDs {
		b = appendBytes(b, []byte(id))
	}
	b = binary.AppendUvarint(b, uint64(len(u.entries)))
	for _, e := range u.entries {
		b = appendBytes(b, e.bucket)
		b = appendBytes(b, e.key)
		if e.present {
			b = append(b, 1)
			b = appendBytes(b, e.prev)
		} else {
			b = append(b, 0)
		}
	}
	return b
}

// decodeGenericUndo reads a generic record after its seq and marker; a
// saved progress record must decode (with v1, format 1 too: the
// migration).
func decodeGenericUndo(r reader, u undoRec, v1 bool) (undoRec, bool) {
	u.generic = true
	u.action = string(r.bytes())
	n := r.uvarint()
	for i := uint64(0); i < n && !r.bad; i++ {
		u.cardIDs = append(u.cardIDs, string(r.bytes()))
	}
	n = r.uvarint()
	for i := uint64(0); i < n && !r.bad; i++ {
		var e undoEntry
		e.bucket, e.key = r.bytes(), r.bytes()
		if len(r.b) == 0 {
			r.bad = true
			break
		}
		e.present = r.b[0] == 1
		r.b = r.b[1:]
		if e.present {
			e.prev = r.bytes()
			if !r.bad && string(e.bucket) == string(bProgress) {
				if _, ok := decodeProgressFormat(e.prev, time.UTC, v1); !ok {
					r.bad = true
				}
			}
		}
		u.entries = append(u.entries, e)
	}
	return u, !r.bad && len(r.b) == 0 && u.action != ""
}

func undoKey(seq uint64) []byte { return []byte{byte(seq % UndoDepth)} }

func encodeUndo(u undoRec) []byte {
	b := make([]byte, 0, 3+revKeyLen+1+len(u.cardID)+len(u.prev))
	b = binary.AppendUvarint(b, u.seq)
	b = append(b, u.logKey...)
	b = binary.AppendUvarint(b, uint64(len(u.cardID)))
	b = append(b, u.cardID...)
	return append(b, u.prev...)
}

func decodeUndo(b []byte) (undoRec, bool) { return decodeUndoFormat(b, false) }

// decodeUndoFormat is decodeUndo; with v1 the progress copy may be in
// format 1 (for the migration).
func decodeUndoFormat(b []byte, v1 bool) (undoRec, bool) {
	r := reader{b: b}
	var u undoRec
	u.seq = r.uvarint()
	if !r.bad && len(r.b) > 0 && r.b[0] == genericUndo {
		r.b = r.b[1:]
		return decodeGenericUndo(r, u, v1)
	}
	if r.bad || len(r.b) < revKeyLen {
		return u, false
	}
	u.logKey = append([]byte(nil), r.b[:revKeyLen]...)
	r.b = r.b[revKeyLen:]
	n := r.uvarint()
	if r.bad || uint64(len(r.b)) < n {
		return u, false
	}
	u.cardID = string(r.b[:n])
	u.prev = append([]byte(nil), r.b[n:]...)
	_, ok := decodeProgressFormat(u.prev, time.UTC, v1)
	return u, ok
}

// ---- JSON records ----

// settingsRecord is meta/"settings". Steps are Go duration strings ("10m").
// Missing fields take the defaults, so a field added later reads as its
// default in an older file.
type settingsRecord struct {
	DesiredRetention float64   `json:"desired_retention"`
	NewPerDay        int       `json:"new_per_day"`
	ReviewsPerDay    int       `json:"reviews_per_day"`
	DayStartHour     int       `json:"day_start_hour"`
	LearningSteps    []string  `json:"learning_steps"`
	RelearningSteps  []string  `json:"relearning_steps"`
	LeechThreshold   int       `json:"leech_threshold"`
	LeechAction      string    `json:"leech_action"` // "tag" or "suspend"
	MaximumInterval  int       `json:"maximum_interval"`
	Weights          []float64 `json:"weights,omitempty"` // empty: the FSRS-6 defaults
	PlanPace         bool      `json:"plan_pace,omitempty"`

	NewIgnoresReviewLimit bool                         `json:"new_ignores_review_limit"`
	SpaceAnswersGood      bool                         `json:"space_answers_good"`
	BuryNew               bool                         `json:"bury_new"`
	BuryReview            bool                         `json:"bury_review"`
	BuryInterday          bool                         `json:"bury_interday"`
	Decks                 map[string]deckOptionsRecord `json:"decks,omitempty"` // "this deck" overrides
}

// deckOptionsRecord is one deck's overrides in settingsRecord.Decks.
type deckOptionsRecord struct {
	NewPerDay        int     `json:"new_per_day"`
	ReviewsPerDay    int     `json:"reviews_per_day"`
	DesiredRetention float64 `json:"desired_retention,omitempty"` // 0: the collection's
}

func defaultSettings() deck.Settings { return deck.DefaultSettings() }

func stepsOut(d []time.Duration) []string {
	if d == nil {
		return nil
	}
	out := make([]string, len(d))
	for i, v := range d {
		out[i] = v.String()
	}
	return out
}

func stepsIn(s []string) ([]time.Duration, error) {
	if s == nil {
		return nil, nil
	}
	out := make([]time.Duration, len(s))
	for i, v := range s {
		d, err := time.ParseDuration(v)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func settingsToRecord(st deck.Settings) settingsRecord {
	action := "tag"
	if st.LeechAction == deck.LeechSuspend {
		action = "suspend"
	}
	return settingsRecord{
		DesiredRetention: st.DesiredRetention,
		NewPerDay:        st.NewPerDay,
		ReviewsPerDay:    st.ReviewsPerDay,
		DayStartHour:     st.DayStartHour,
		LearningSteps:    stepsOut(st.LearningSteps),
		RelearningSteps:  stepsOut(st.RelearningSteps),
		LeechThreshold:   st.LeechThreshold,
		LeechAction:      action,
		MaximumInterval:  st.MaximumInterval,
		Weights:          st.Weights,
		PlanPace:         st.PlanPace,

		NewIgnoresReviewLimit: st.NewIgnoresReviewLimit,
		SpaceAnswersGood:      st.SpaceAnswersGood,
		BuryNew:               st.BuryNew,
		BuryReview:            st.BuryReview,
		BuryInterday:          st.BuryInterday,
		Decks:                 deckOptionsOut(st.Decks),
	}
}

func deckOptionsOut(m map[string]deck.DeckOptions) map[string]deckOptionsRecord {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]deckOptionsRecord, len(m))
	for id, o := range m {
		out[id] = deckOptionsRecord{NewPerDay: o.NewPerDay, ReviewsPerDay: o.ReviewsPerDay, DesiredRetention: o.DesiredRetention}
	}
	return out
}

func decodeSettings(b []byte) (deck.Settings, error) {
	rec := settingsToRecord(defaultSettings())
	if err := json.Unmarshal(b, &rec); err != nil {
		return deck.Settings{}, err
	}
	st := deck.Settings{
		DesiredRetention: rec.DesiredRetention,
		NewPerDay:        rec.NewPerDay,
		ReviewsPerDay:    rec.ReviewsPerDay,
		DayStartHour:     rec.DayStartHour,
		LeechThreshold:   rec.LeechThreshold,
		MaximumInterval:  rec.MaximumInterval,
		Weights:          rec.Weights,
		PlanPace:         rec.PlanPace,

		NewIgnoresReviewLimit: rec.NewIgnoresReviewLimit,
		SpaceAnswersGood:      rec.SpaceAnswersGood,
		BuryNew:               rec.BuryNew,
		BuryReview:            rec.BuryReview,
		BuryInterday:          rec.BuryInterday,
	}
	if len(rec.Decks) > 0 {
		st.Decks = make(map[string]deck.DeckOptions, len(rec.Decks))
		for id, o := range rec.Decks {
			st.Decks[id] = deck.DeckOptions{NewPerDay: o.NewPerDay, ReviewsPerDay: o.ReviewsPerDay, DesiredRetention: o.DesiredRetention}
		}
	}
	switch rec.LeechAction {
	case "tag":
		st.LeechAction = deck.LeechTag
	case "suspend":
		st.LeechAction = deck.LeechSuspend
	default:
		return st, fmt.Errorf("unknown leech action %q", rec.LeechAction)
	}
	var err error
	if st.LearningSteps, err = stepsIn(rec.LearningSteps); err != nil {
		return st, err
	}
	if st.RelearningSteps, err = stepsIn(rec.RelearningSteps); err != nil {
		return st, err
	}
	return st, nil
}

// deckRecord is a custom deck in decks/.
type deckRecord struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// cardRecord is a custom card in cards/; its ID, deck and slug are the key.
type cardRecord struct {
	Kind   deck.Kind `json:"kind,omitempty"` // 0 basic, 1 cloze
	Front  string    `json:"front"`
	Back   string    `json:"back"`
	Tags   []string  `json:"tags,omitempty"`
	Source string    `json:"source,omitempty"`
	AsOf   string    `json:"as_of,omitempty"`
	Text   string    `json:"text,omitempty"`
	Index  int       `json:"index,omitempty"`
	Extra  string    `json:"extra,omitempty"`
	// Added is when the card was added (absent in cards added before
	// opsdeck kept it).
	Added *time.Time `json:"added,omitempty"`
	GUID  string     `json:"guid,omitempty"` // the Anki note GUID it was imported with, if not its note ID
}

func cardToRecord(c deck.Card) cardRecord {
	tags := c.Tags
	if len(tags) == 0 {
		tags = nil
	}
	r := cardRecord{Kind: c.Kind, Front: c.Front, Back: c.Back, Tags: tags, Source: c.Source,
		AsOf: c.AsOf, Text: c.Text, Index: c.Index, Extra: c.Extra, GUID: c.GUID}
	if !c.Added.IsZero() {
		t := c.Added.UTC()
		r.Added = &t
	}
	return r
}

func recordToCard(id string, r cardRecord) deck.Card {
	d, slug, _ := strings.Cut(id, "/")
	if r.Kind == deck.Cloze && r.Index > 1 {
		slug = strings.TrimSuffix(slug, fmt.Sprintf("-c%d", r.Index))
	}
	return deck.Card{ID: id, Deck: d, Slug: slug, Kind: r.Kind, Front: r.Front, Back: r.Back,
		Tags: r.Tags, Source: r.Source, AsOf: r.AsOf, Text: r.Text, Index: r.Index, Extra: r.Extra, Added: added(r.Added), GUID: r.GUID}
}

func added(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// overrideRecord is the edited text of a built-in card in overrides/.
type overrideRecord struct {
	Front string   `json:"front"`
	Back  string   `json:"back"`
	Tags  []string `json:"tags,omitempty"`
	// A cloze card: the note's edited source text and extra (Front and Back
	// are then rendered from them).
	Text  string `json:"text,omitempty"`
	Extra string `json:"extra,omitempty"`
}
