package deck

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format writes d in the deck format, so that ParseFile reads back the same
// deck: the same header, cards, IDs and text.
func Format(w io.Writer, d Deck) error {
	bw := bufio.NewWriter(w)
	title := oneLine(d.Title)
	if title == "" {
		title = d.ID
	}
	fmt.Fprintf(bw, "# %s\nid: %s\n", title, d.ID)
	if desc := oneLine(d.Description); desc != "" {
		fmt.Fprintf(bw, "description: %s\n", desc)
	}
	done := map[string]bool{}
	for _, c := range d.Cards {
		if done[c.Slug] {
			continue // a further deletion of a cloze note already written
		}
		done[c.Slug] = true
		fmt.Fprintf(bw, "\n## %s\n", c.Slug)
		if len(c.Tags) > 0 {
			fmt.Fprintf(bw, "tags: %s\n", strings.Join(c.Tags, ", "))
		}
		if c.Source != "" {
			fmt.Fprintf(bw, "source: %s\n", c.Source)
		}
		if c.AsOf != "" {
			fmt.Fprintf(bw, "as-of: %s\n", c.AsOf)
		}
		bw.WriteString("\n")
		if c.Kind == Cloze {
			writeBody(bw, "C:", c.Text)
			if c.Extra != "" {
				bw.WriteString("\n")
				writeBody(bw, "A:", c.Extra)
			}
			continue
		}
		writeBody(bw, "Q:", c.Front)
		bw.WriteString("\n")
		writeBody(bw, "A:", c.Back)
	}
	return bw.Flush()
}

func writeBody(w *bufio.Writer, mark, text string) {
	for i, l := range strings.Split(text, "\n") {
		l = EscapeLine(l)
		if i == 0 {
			if l == "" {
				w.WriteString(mark + "\n")
			} else {
				w.WriteString(mark + " " + l + "\n")
			}
			continue
		}
		w.WriteString(l + "\n")
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// CheckCard reports why c could not be written to and read back from a deck
// file (an empty side, an unterminated code fence, a bad tag or source), or
// nil. Callers that take text from users (add, edit, import) check with it.
func CheckCard(c Card) error {
	var errs []string
	if !ValidID(c.Deck) {
		errs = append(errs, fmt.Sprintf("invalid deck id %q: use lowercase letters, digits and '-'", c.Deck))
	}
	if !ValidID(c.Slug) {
		errs = append(errs, fmt.Sprintf("invalid card slug %q", c.Slug))
	}
	sides := [][2]string{{"question", c.Front}, {"answer", c.Back}}
	if c.Kind == Cloze {
		sides = [][2]string{{"cloze text", c.Text}}
		if _, err := clozeNumbers(c.Text); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if c.Kind == Cloze && c.Extra != "" {
		sides = append(sides, [2]string{"extra text", c.Extra})
	}
	for _, s := range sides {
		if strings.TrimSpace(s[1]) == "" {
			errs = append(errs, "empty "+s[0])
		}
		if msg := lineProblem([]byte(strings.ReplaceAll(s[1], "\r\n", "\n"))); msg != "" {
			errs = append(errs, "the "+s[0]+" has "+msg)
		}
		var f fence
		for _, l := range strings.Split(s[1], "\n") {
			f.step(l)
		}
		if f.open() {
			errs = append(errs, "unterminated code fence in the "+s[0])
		}
	}
	for _, t := range c.Tags {
		if t == "" || strings.ContainsAny(t, " \t,") {
			errs = append(errs, fmt.Sprintf("bad tag %q (no spaces or commas)", t))
		}
	}
	if c.Source != "" {
		if err := checkURL(c.Source); err != nil {
			errs = append(errs, "source: "+err.Error())
		}
	}
	if c.AsOf != "" && !validDate(c.AsOf) {
		errs = append(errs, fmt.Sprintf("as-of %q: use YYYY-MM or YYYY-MM-DD", c.AsOf))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// NormalizeText turns CRLF into LF, drops trailing CRs and blank lines at
// either end, as the parser would read the text back.
func NormalizeText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return trimBlank(lines)
}
