package transfer

import (
	"archive/zip"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	_ "modernc.org/sqlite" // pure-Go SQLite (no cgo): reads Anki's collection

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
	"opsdeck/store"
)

// Limits on an Anki package: the collection inside is copied out to a
// temporary file (SQLite needs one) and refused beyond MaxCollectionBytes,
// so a zip or zstd bomb fills no disk.
const (
	MaxCollectionBytes = 1 << 30
	MaxPackageNotes    = 1_000_000
)

// PackageReport says what was read from one Anki package.
type PackageReport struct {
	File       string
	Collection string         // the collection file used, e.g. "collection.anki21b (zstd)"
	Notes      int            // notes imported
	Mapped     map[string]int // notes per mapping: "Basic", "Basic and reversed", "Cloze", "first two fields"
	Cards      int            // opsdeck cards made
	Reviews    int            // review-log entries read (gradings 1-4)
	Skipped    int            // revlog rows that are not gradings (manual, rescheduled, ease 0), left out
	Extra      int            // cards of further templates of notes mapped by their first two fields, left out
	Suspended  int
	Buried     int
	Media      int // media files in the package, not imported
}

// isPackage says whether name is an Anki package (.apkg or .colpkg).
func isPackage(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".apkg" || ext == ".colpkg"
}

// PackageError lists the problems of a package: "file: note ID: reason".
type PackageError struct {
	File     string
	Problems []string
}

func (e *PackageError) Error() string {
	return fmt.Sprintf("%s\nimport: %d problem(s); nothing was imported", strings.Join(e.Problems, "\n"), len(e.Problems))
}

// readPackage reads an Anki package: its decks and cards (deckID, when
// set, puts them all in that deck), and each card's review history and
// flags. now and sch decide until when a buried card stays buried.
func readPackage(name, deckID string, sch *fsrs.Scheduler, now time.Time) ([]deck.Deck, []store.CardHistory, PackageReport, error) {
	rep := PackageReport{File: name, Mapped: map[string]int{}}
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, nil, rep, fmt.Errorf("%s: not an Anki package (a zip file): %v", name, err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
		switch f.Name {
		case "collection.anki21b", "collection.anki21", "collection.anki2", "media", "meta":
		default:
			rep.Media++
		}
	}
	var src *zip.File
	for _, n := range []string{"collection.anki21b", "collection.anki21", "collection.anki2"} {
		if f := files[n]; f != nil {
			src, rep.Collection = f, n
			break
		}
	}
	if src == nil {
		return nil, nil, rep, fmt.Errorf("%s: no collection.anki21b, collection.anki21 or collection.anki2 inside: not an Anki package", name)
	}
	tmp, err := os.MkdirTemp("", "opsdeck-apkg-")
	if err != nil {
		return nil, nil, rep, err
	}
	defer os.RemoveAll(tmp)
	dbPath := filepath.Join(tmp, "collection.db")
	if err := extract(src, dbPath, strings.HasSuffix(src.Name, ".anki21b")); err != nil {
		return nil, nil, rep, fmt.Errorf("%s: %s: %v", name, src.Name, err)
	}
	if strings.HasSuffix(src.Name, ".anki21b") {
		rep.Collection += " (zstd)"
	}
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		return nil, nil, rep, err
	}
	defer db.Close()
	c, err := readCollection(db)
	if err != nil {
		return nil, nil, rep, fmt.Errorf("%s: %s: not a readable Anki collection: %v", name, src.Name, err)
	}
	decks, hist, err := c.convert(name, deckID, sch, now, &rep)
	return decks, hist, rep, err
}

// extract copies a zip entry to path, zstd-decoded when compressed, at
// most MaxCollectionBytes.
func extract(f *zip.File, path string, compressed bool) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var r io.Reader = rc
	if compressed {
		zd, err := zstd.NewReader(rc, zstd.WithDecoderMaxMemory(1<<30), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return err
		}
		defer zd.Close()
		r = zd
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(r, MaxCollectionBytes+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot unpack: %v", err)
	}
	if n > MaxCollectionBytes {
		return fmt.Errorf("the collection unpacks to more than %d GiB", MaxCollectionBytes>>30)
	}
	return nil
}

// The parts of an Anki collection opsdeck reads.
type ankiNotetype struct {
	name      string
	cloze     bool
	fields    int
	templates int
}

type ankiNote struct {
	id     int64
	guid   string
	mid    int64
	tags   string
	fields []string
}

type ankiCard struct {
	id, nid, did, odid int64
	ord, queue         int
}

type ankiReview struct {
	at       time.Time
	cid      int64
	ease     int
	kind     int
	duration time.Duration
	ivl      int64
	factor   int64
}

type collection struct {
	decks     map[int64]string
	notetypes map[int64]ankiNotetype
	notes     []ankiNote
	cards     map[int64][]ankiCard // by note ID, ordered by ord
	revlog    map[int64][]ankiReview
}

// readCollection reads the notes, cards, decks, note types and review log
// of a collection in the legacy schema (11: decks and models as JSON in
// col) or the current one (18: decks, notetypes, fields, templates tables).
func readCollection(db *sql.DB) (*collection, error) {
	c := &collection{decks: map[int64]string{}, notetypes: map[int64]ankiNotetype{}, cards: map[int64][]ankiCard{}, revlog: map[int64][]ankiReview{}}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type='table' AND name='notetypes'`).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		if err := c.readSchema18(db); err != nil {
			return nil, err
		}
	} else if err := c.readSchema11(db); err != nil {
		return nil, err
	}
	rows, err := db.Query(`SELECT id, guid, mid, tags, flds FROM notes ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var nt ankiNote
		var flds string
		if err := rows.Scan(&nt.id, &nt.guid, &nt.mid, &nt.tags, &flds); err != nil {
			rows.Close()
			return nil, err
		}
		nt.fields = strings.Split(flds, "\x1f")
		c.notes = append(c.notes, nt)
		if len(c.notes) > MaxPackageNotes {
			rows.Close()
			return nil, fmt.Errorf("more than %d notes", MaxPackageNotes)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.Query(`SELECT id, nid, did, odid, ord, queue FROM cards ORDER BY nid, ord`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var cd ankiCard
		if err := rows.Scan(&cd.id, &cd.nid, &cd.did, &cd.odid, &cd.ord, &cd.queue); err != nil {
			rows.Close()
			return nil, err
		}
		c.cards[cd.nid] = append(c.cards[cd.nid], cd)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.Query(`SELECT id, cid, ease, type, time, ivl, factor FROM revlog ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r ankiReview
		var id, ms int64
		if err := rows.Scan(&id, &r.cid, &r.ease, &r.kind, &ms, &r.ivl, &r.factor); err != nil {
			return nil, err
		}
		r.at = time.UnixMilli(id)
		r.duration = time.Duration(max(0, min(ms, 3_600_000))) * time.Millisecond
		c.revlog[r.cid] = append(c.revlog[r.cid], r)
	}
	return c, rows.Err()
}

func (c *collection) readSchema11(db *sql.DB) error {
	var models, decks string
	if err := db.QueryRow(`SELECT models, decks FROM col`).Scan(&models, &decks); err != nil {
		return err
	}
	var ms map[string]struct {
		Name  string            `json:"name"`
		Type  int               `json:"type"`
		Flds  []json.RawMessage `json:"flds"`
		Tmpls []json.RawMessage `json:"tmpls"`
	}
	if err := json.Unmarshal([]byte(models), &ms); err != nil {
		return fmt.Errorf("col.models: %v", err)
	}
	for k, m := range ms {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("col.models: note type ID %q", k)
		}
		c.notetypes[id] = ankiNotetype{name: m.Name, cloze: m.Type == 1, fields: len(m.Flds), templates: len(m.Tmpls)}
	}
	var ds map[string]struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(decks), &ds); err != nil {
		return fmt.Errorf("col.decks: %v", err)
	}
	for k, d := range ds {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("col.decks: deck ID %q", k)
		}
		c.decks[id] = d.Name
	}
	return nil
}

func (c *collection) readSchema18(db *sql.DB) error {
	rows, err := db.Query(`SELECT id, name FROM decks`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		c.decks[id] = strings.ReplaceAll(name, "\x1f", "::")
	}
	rows.Close()
	rows, err = db.Query(`SELECT id, name, config FROM notetypes`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		var config []byte
		if err := rows.Scan(&id, &name, &config); err != nil {
			rows.Close()
			return err
		}
		c.notetypes[id] = ankiNotetype{name: name, cloze: protoVarint(config, 1) == 1}
	}
	rows.Close()
	for _, t := range []string{"fields", "templates"} {
		rows, err := db.Query(`SELECT ntid, count(*) FROM ` + t + ` GROUP BY ntid`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			nt := c.notetypes[id]
			if t == "fields" {
				nt.fields = n
			} else {
				nt.templates = n
			}
			c.notetypes[id] = nt
		}
		rows.Close()
	}
	return nil
}

// protoVarint is the value of varint field num at the top level of a
// protobuf message (0 when absent or unreadable): the note type's kind
// (field 1 of Anki's Notetype.Config: 0 normal, 1 cloze).
func protoVarint(b []byte, num uint64) uint64 {
	uv := func() (uint64, bool) {
		var v uint64
		for s := uint(0); s < 64; s += 7 {
			if len(b) == 0 {
				return 0, false
			}
			c := b[0]
			b = b[1:]
			v |= uint64(c&0x7f) << s
			if c < 0x80 {
				return v, true
			}
		}
		return 0, false
	}
	for len(b) > 0 {
		key, ok := uv()
		if !ok {
			return 0
		}
		switch key & 7 {
		case 0:
			v, ok := uv()
			if !ok {
				return 0
			}
			if key>>3 == num {
				return v
			}
		case 1:
			if len(b) < 8 {
				return 0
			}
			b = b[8:]
		case 2:
			n, ok := uv()
			if !ok || n > uint64(len(b)) {
				return 0
			}
			b = b[n:]
		case 5:
			if len(b) < 4 {
				return 0
			}
			b = b[4:]
		default:
			return 0
		}
	}
	return 0
}

// convert maps the collection to opsdeck decks, cards and histories.
func (c *collection) convert(name, deckID string, sch *fsrs.Scheduler, now time.Time, rep *PackageReport) ([]deck.Deck, []store.CardHistory, error) {
	var problems []string
	bad := func(n ankiNote, format string, args ...any) {
		if len(problems) < 100 {
			problems = append(problems, fmt.Sprintf("%s: note %d: %s", name, n.id, fmt.Sprintf(format, args...)))
		}
	}
	buriedUntil := sch.DayStart(sch.DayStart(now).Add(36 * time.Hour))
	decks := map[string]*deck.Deck{}
	var order []string
	ids := map[string]int64{} // card ID -> note ID
	var hist []store.CardHistory
	for _, n := range c.notes {
		cards := c.cards[n.id]
		if len(cards) == 0 {
			continue // a note without cards: nothing to study
		}
		nt, ok := c.notetypes[n.mid]
		if !ok {
			bad(n, "note type %d is not in the collection", n.mid)
			continue
		}
		fields := make([]string, len(n.fields))
		okFields := true
		for i, f := range n.fields {
			t, err := deck.HTMLField(f)
			if err != nil {
				bad(n, "field %d: %v", i+1, err)
				okFields = false
				break
			}
			fields[i] = t
		}
		if !okFields {
			continue
		}
		field := func(i int) string {
			if i < len(fields) {
				return fields[i]
			}
			return ""
		}
		if deck.CountControl(n.guid+n.tags) > 0 || len(n.guid) > 200 {
			bad(n, "a control character (or more than 200 bytes) in its GUID or tags")
			continue
		}
		did := cards[0].did
		if cards[0].odid != 0 {
			did = cards[0].odid // in a filtered deck: its home deck
		}
		dID, title := deckID, deckID
		if dID == "" {
			dn, ok := c.decks[did]
			if !ok {
				dn = "Default"
			}
			dID, title = deck.Slugify(dn), dn
			if deck.CountControl(dn) > 0 {
				bad(n, "its deck's name holds a control character")
				continue
			}
			if !deck.ValidID(dID) {
				bad(n, "deck %q gives no valid deck id: use --deck ID", dn)
				continue
			}
		}
		gDeck, gSlug, isNoteID := strings.Cut(n.guid, "/")
		isNoteID = isNoteID && deck.ValidID(gDeck) && deck.ValidID(gSlug)
		if isNoteID && deckID == "" {
			dID = gDeck
			if _, seen := decks[dID]; !seen {
				title = "" // keeps the stored title (or the ID for a new deck)
				if dn, ok := c.decks[did]; ok && deck.Slugify(dn) != dID {
					title = dn
				}
			}
		}
		tags := deck.CleanTags(strings.Fields(n.tags))
		var made []deck.Card
		var from []ankiCard // the Anki card each made card stands for
		switch {
		case nt.cloze:
			text := field(0)
			nums, err := deck.ClozeNumbers(text)
			if strings.TrimSpace(text) == "" {
				err = errors.New("empty cloze text")
			}
			if err != nil {
				bad(n, "%v", err)
				continue
			}
			slug := deck.SlugFor(text)
			if isNoteID {
				slug = gSlug
			}
			byOrd := map[int]ankiCard{}
			for _, cd := range cards {
				byOrd[cd.ord] = cd
			}
			for _, k := range nums {
				cd, ok := byOrd[k-1]
				if !ok {
					continue
				}
				cc := deck.Card{ID: deck.ClozeID(dID, slug, k), Deck: dID, Slug: slug, Kind: deck.Cloze,
					Text: text, Index: k, Extra: field(1), Tags: tags, NoMeta: true}
				cc.Front, cc.Back = deck.RenderCloze(text, k, cc.Extra)
				if !isNoteID {
					cc.GUID = n.guid
				}
				made = append(made, cc)
				from = append(from, cd)
			}
			rep.Mapped["Cloze"]++
		default:
			if nt.fields < 2 {
				bad(n, "note type %q has %d field(s); opsdeck needs a question and an answer", nt.name, nt.fields)
				continue
			}
			kind := "first two fields"
			reversed := false
			if strings.HasPrefix(nt.name, "Basic") && nt.templates <= 2 {
				kind = "Basic"
				if nt.templates == 2 {
					kind, reversed = "Basic and reversed", true
				}
			}
			for _, cd := range cards {
				front, back := field(0), field(1)
				guid := n.guid
				switch {
				case cd.ord == 0:
				case cd.ord == 1 && reversed:
					front, back = back, front
					guid += ":1"
				default:
					rep.Extra++
					continue
				}
				if strings.TrimSpace(front) == "" || strings.TrimSpace(back) == "" {
					bad(n, "card %d: an empty question or answer", cd.ord+1)
					continue
				}
				slug := deck.SlugFor(front)
				if isNoteID && cd.ord == 0 {
					slug, guid = gSlug, ""
				}
				cc := deck.Card{ID: deck.CardID(dID, slug), Deck: dID, Slug: slug, Front: front, Back: back, Tags: tags, GUID: guid, NoMeta: true}
				if err := deck.CheckCard(cc); err != nil {
					bad(n, "%v", err)
					continue
				}
				made = append(made, cc)
				from = append(from, cd)
			}
			rep.Mapped[kind]++
		}
		d := decks[dID]
		if d == nil {
			d = &deck.Deck{ID: dID, Title: title, File: name}
			decks[dID] = d
			order = append(order, dID)
		}
		for i, cc := range made {
			if prev, dup := ids[cc.ID]; dup {
				bad(n, "card %s is also a card of note %d (the same question in the same deck)", cc.ID, prev)
				continue
			}
			ids[cc.ID] = n.id
			d.Cards = append(d.Cards, cc)
			h := c.history(from[i], rep)
			h.CardID = cc.ID
			switch from[i].queue {
			case -1:
				h.Suspended = true
				rep.Suspended++
			case -2, -3:
				h.BuriedUntil = buriedUntil
				rep.Buried++
			}
			hist = append(hist, h)
			rep.Cards++
		}
		rep.Notes++
	}
	if len(problems) > 0 {
		return nil, nil, &PackageError{File: name, Problems: problems}
	}
	out := make([]deck.Deck, len(order))
	for i, id := range order {
		out[i] = *decks[id]
	}
	return out, hist, nil
}

// history is a card's gradings from the review log, oldest first: a
// manual "forget" (type 4 with interval 0) starts the history again, other
// rows that are not gradings (ease 0: rescheduled, set due date) are
// left out and counted.
func (c *collection) history(cd ankiCard, rep *PackageReport) store.CardHistory {
	var h store.CardHistory
	rs := c.revlog[cd.id]
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].at.Before(rs[j].at) })
	for _, r := range rs {
		switch {
		case r.kind == 4 && r.ease == 0 && r.ivl == 0:
			rep.Skipped += len(h.Reviews) + 1
			rep.Reviews -= len(h.Reviews)
			h.Reviews = h.Reviews[:0]
		case r.ease < 1 || r.ease > 4 || r.kind > 3:
			rep.Skipped++
		default:
			h.Reviews = append(h.Reviews, store.HistoryReview{At: r.at, Rating: fsrs.Rating(r.ease), Duration: r.duration})
			rep.Reviews++
		}
	}
	return h
}
