package deck

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// builtinIDs are the seven competency areas of docs/cli.md.
var builtinIDs = []string{
	"cloud-migration", "devops-automation", "infrastructure", "kubernetes",
	"mlops", "software-integration", "solution-architecture",
}

// TestBuiltinDecks parses every file of decks/ and checks the rules every
// built-in deck keeps.
func TestBuiltinDecks(t *testing.T) {
	decks, err := ParseFS(os.DirFS("../decks"))
	var el ErrorList
	if errors.As(err, &el) {
		for _, e := range el {
			t.Errorf("decks/%s", e)
		}
		t.FailNow()
	} else if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	got := map[string]bool{}
	total := 0
	for _, d := range decks {
		got[d.ID] = true
		if d.File != d.ID+".md" {
			t.Errorf("decks/%s: deck id %q should match the file name", d.File, d.ID)
		}
		if d.Description == "" {
			t.Errorf("decks/%s: no description", d.File)
		}
		if len(d.Cards) < 50 {
			t.Errorf("decks/%s: %d cards, want at least 50", d.File, len(d.Cards))
		}
		total += len(d.Cards)
		for _, c := range d.Cards {
			where := "decks/" + d.File + ":" + strconv.Itoa(c.Line)
			if prev, ok := ids[c.ID]; ok {
				t.Errorf("%s: card id %q also at %s", where, c.ID, prev)
			}
			ids[c.ID] = where
			if strings.TrimSpace(c.Front) == "" || strings.TrimSpace(c.Back) == "" {
				t.Errorf("%s: empty question or answer", where)
			}
			if c.Source != "" {
				if err := checkURL(c.Source); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			}
		}
	}
	for _, id := range builtinIDs {
		if !got[id] {
			t.Errorf("built-in deck %q is missing from decks/", id)
		}
	}
	if total < 400 {
		t.Errorf("%d built-in cards in all, want at least 400", total)
	}
	t.Logf("%d decks, %d cards", len(decks), total)
}
