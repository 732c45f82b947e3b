package transfer

import (
	"archive/zip"
	"crypto/sha1"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"opsdeck/deck"
)

// Schema11 is the legacy Anki collection schema (version 11) that every
// Anki and AnkiDroid version opens: what export --format apkg writes.
const Schema11 = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,
  left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,
  ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
`

// The note type IDs export writes.
const (
	basicModelID = 1700000000001
	clozeModelID = 1700000000002
)

// fieldHTML is card text as an Anki field, the inverse of deck.HTMLField:
// a line break that the card renderer shows is a <br> (a hard break loses
// its "\\", which HTMLField puts back), a newline that it joins into a
// space stays a newline (Anki shows a space too), a code fence is
// <pre><code class="language-X">; special characters are escaped and
// leading spaces kept as &nbsp;.
func fieldHTML(s string) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if lang, ok := strings.CutPrefix(strings.TrimSpace(l), "```"); ok {
			b.WriteString("<pre><code")
			if lang = strings.TrimSpace(lang); lang != "" {
				b.WriteString(` class="language-` + html.EscapeString(lang) + `"`)
			}
			b.WriteString(">")
			j := i + 1
			for ; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), "```"); j++ {
				if j > i+1 {
					b.WriteString("\n")
				}
				b.WriteString(html.EscapeString(lines[j]))
			}
			b.WriteString("</code></pre>")
			i = j
			continue
		}
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		switch {
		case i+1 == len(lines):
			b.WriteString(escapeLine(l))
		case strings.HasPrefix(strings.TrimSpace(next), "```"):
			b.WriteString(escapeLine(l))
			if strings.TrimSpace(l) == "" {
				b.WriteString("<br>")
			}
		case strings.HasSuffix(l, "\\") && deck.JoinsNext(strings.TrimSuffix(l, "\\"), next):
			b.WriteString(escapeLine(strings.TrimSuffix(l, "\\")) + "<br>")
		case deck.JoinsNext(l, next):
			b.WriteString(escapeLine(l) + "\n")
		default:
			b.WriteString(escapeLine(l) + "<br>")
		}
	}
	return b.String()
}

func escapeLine(l string) string {
	t := strings.TrimLeft(l, " ")
	return strings.Repeat("&nbsp;", len(l)-len(t)) + html.EscapeString(t)
}

// WriteAPKG writes decks as an Anki package in the legacy format
// (collection.anki2, schema 11): notes with Basic and Cloze note types,
// decks (an opsdeck title is the Anki deck name) and tags, every card new.
// A note's GUID is its opsdeck note ID (or the Anki GUID it was imported
// with), so importing the package back gives the same cards and IDs.
func WriteAPKG(w io.Writer, decks []deck.Deck, now time.Time) error {
	tmp, err := os.MkdirTemp("", "opsdeck-apkg-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "collection.anki2")
	if err := writeCollection(path, decks, now); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	f, err := zw.Create("collection.anki2")
	if err != nil {
		return err
	}
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := io.Copy(f, src); err != nil {
		return err
	}
	m, err := zw.Create("media")
	if err != nil {
		return err
	}
	io.WriteString(m, "{}")
	return zw.Close()
}

func writeCollection(path string, decks []deck.Deck, now time.Time) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(Schema11); err != nil {
		return err
	}
	sec := now.Unix()
	deckJSON := map[string]any{"1": ankiDeck(1, "Default", "", sec)}
	insNote, err := tx.Prepare(`INSERT INTO notes VALUES (?,?,?,?,-1,?,?,?,?,0,'')`)
	if err != nil {
		return err
	}
	insCard, err := tx.Prepare(`INSERT INTO cards VALUES (?,?,?,?,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')`)
	if err != nil {
		return err
	}
	id := now.UnixMilli()
	pos := 0
	for i, d := range decks {
		did := int64(1_600_000_000_000 + i + 2)
		name := d.Title
		if strings.TrimSpace(name) == "" {
			name = d.ID
		}
		deckJSON[fmt.Sprint(did)] = ankiDeck(did, name, d.Description, sec)
		done := map[string]bool{}
		for _, c := range d.Cards {
			if done[c.Slug] {
				continue
			}
			done[c.Slug] = true
			guid := c.GUID
			if guid == "" {
				guid = deck.ClozeID(d.ID, c.Slug, 1)
			}
			mid, f1, f2 := int64(basicModelID), c.Front, c.Back
			ords := []int{0}
			if c.Kind == deck.Cloze {
				mid, f1, f2 = clozeModelID, c.Text, c.Extra
				nums, _ := deck.ClozeNumbers(c.Text)
				ords = ords[:0]
				for _, k := range nums {
					ords = append(ords, k-1)
				}
			}
			tags := ""
			if len(c.Tags) > 0 {
				tags = " " + strings.Join(c.Tags, " ") + " "
			}
			id++
			nid := id
			sfld := stripHTML(fieldHTML(f1))
			if _, err := insNote.Exec(nid, guid, mid, sec, tags, fieldHTML(f1)+"\x1f"+fieldHTML(f2), sfld, fieldChecksum(sfld)); err != nil {
				return err
			}
			pos++
			for _, ord := range ords {
				id++
				if _, err := insCard.Exec(id, nid, did, ord, sec, pos); err != nil {
					return err
				}
			}
		}
	}
	models := map[string]any{
		fmt.Sprint(basicModelID): ankiModel(basicModelID, "Basic", 0, sec, []string{"Front", "Back"},
			[][3]string{{"Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}}),
		fmt.Sprint(clozeModelID): ankiModel(clozeModelID, "Cloze", 1, sec, []string{"Text", "Back Extra"},
			[][3]string{{"Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"}}),
	}
	conf := map[string]any{"activeDecks": []int{1}, "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
		"timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": basicModelID, "nextPos": pos + 1,
		"sortType": "noteFld", "sortBackwards": false, "addToCur": true}
	dconf := map[string]any{"1": map[string]any{
		"id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true, "timer": 0,
		"replayq": true, "dyn": false,
		"new": map[string]any{"delays": []float64{1, 10}, "ints": []int{1, 4, 0}, "initialFactor": 2500,
			"order": 1, "perDay": 20, "bury": false},
		"rev":   map[string]any{"perDay": 200, "ease4": 1.3, "ivlFct": 1, "maxIvl": 36500, "bury": false, "hardFactor": 1.2},
		"lapse": map[string]any{"delays": []float64{10}, "mult": 0, "minInt": 1, "leechFails": 8, "leechAction": 1},
	}}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	day := time.Date(now.Year(), now.Month(), now.Day(), 4, 0, 0, 0, now.Location()).Unix()
	if _, err := tx.Exec(`INSERT INTO col VALUES (1,?,?,?,11,0,0,0,?,?,?,?,'{}')`,
		day, now.UnixMilli(), now.UnixMilli(), js(conf), js(models), js(deckJSON), js(dconf)); err != nil {
		return err
	}
	return tx.Commit()
}

func ankiDeck(id int64, name, desc string, mod int64) map[string]any {
	return map[string]any{"id": id, "name": name, "desc": desc, "mod": mod, "usn": -1, "collapsed": false,
		"browserCollapsed": false, "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0,
		"newToday": []int{0, 0}, "revToday": []int{0, 0}, "lrnToday": []int{0, 0}, "timeToday": []int{0, 0}}
}

func ankiModel(id int64, name string, kind int, mod int64, fields []string, tmpls [][3]string) map[string]any {
	var flds, ts []map[string]any
	for i, f := range fields {
		flds = append(flds, map[string]any{"name": f, "ord": i, "sticky": false, "rtl": false,
			"font": "Arial", "size": 20, "media": []string{}})
	}
	for i, t := range tmpls {
		ts = append(ts, map[string]any{"name": t[0], "ord": i, "qfmt": t[1], "afmt": t[2],
			"bqfmt": "", "bafmt": "", "did": nil, "bfont": "", "bsize": 0})
	}
	return map[string]any{"id": id, "name": name, "type": kind, "mod": mod, "usn": -1, "sortf": 0,
		"did": 1, "tmpls": ts, "flds": flds, "tags": []string{}, "vers": []int{},
		"css":       ".card { font-family: arial; font-size: 20px; text-align: left; }",
		"latexPre":  "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
		"latexPost": "\\end{document}", "latexsvg": false,
		"req": [][]any{{0, "any", []int{0}}}}
}

// stripHTML is a field as plain text (Anki's sort field and checksum).
func stripHTML(s string) string { return deck.HTMLToText(s) }

// fieldChecksum is Anki's csum: the first 8 hex digits of the SHA-1 of the
// stripped first field, as an integer.
func fieldChecksum(s string) int64 {
	sum := sha1.Sum([]byte(s))
	return int64(binary.BigEndian.Uint32(sum[:4]))
}
