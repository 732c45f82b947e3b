package deck

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// notVolatile are number-bearing words that are not facts that change: HTTP
// status codes, cloze markers, well-known protocol and standard names, the
// N-2 version notation, ordinal list markers and the like. Everything else
// with a digit is a number somebody may have to re-check.
var notVolatile = regexp.MustCompile(`(?i)` + strings.Join([]string{
	`\bc\d+\b`,      // cloze numbers
	`\{\{c\d+::`,    // cloze openers
	`\b[1-5]\d\d\b`, // HTTP status codes (200, 404, 429, 503...)
	`\bn[-+]\d\b`,   // N-2, N+1
	`\b(ipv4|ipv6|l4|l7|s3|k8s|x509|oauth2|http/[123]|tls ?1\.[0-3]|sha-?256|base64|utf-8|ec2|az-\d+|p\d\d|b2b|b2c|2fa|mfa)\b`,
	`\b(rfc|iso) ?\d+\b`,   // standards
	`\b\d+(st|nd|rd|th)\b`, // ordinals
	`(?m)^\s*\d+\.\s`,      // numbered list markers
	`\b[0-9a-f]{7,40}\b`,   // hashes in examples
	`\b\d+ ?r'?s\b`,        // "the 8 Rs"
	`\bv\d+\b`,             // API versions in examples (v1, v2)
}, "|"))

var volatileWords = regexp.MustCompile(`(?i)\bpreview\b|retir|\bdeprecat|\bend[- ]of[- ](life|support)\b|(?-i:\bGA\b)`)

var digit = regexp.MustCompile(`[0-9]`)

// volatileReason says why a card's text holds a fact that changes, or "".
func volatileReason(text string) string {
	if m := volatileWords.FindString(text); m != "" {
		return "says " + strconv.Quote(m)
	}
	rest := notVolatile.ReplaceAllString(text, " ")
	if loc := digit.FindStringIndex(rest); loc != nil {
		from, to := max(0, loc[0]-20), min(len(rest), loc[1]+20)
		return "has a number (" + strconv.Quote(strings.TrimSpace(rest[from:to])) + ")"
	}
	return ""
}

// TestBuiltinDecksContent checks the content rules of the built-in decks:
// every card with a volatile fact (a number, a date, a preview/GA status, a
// retirement) names its source and the date it was checked; every deck has at
// least 100 cards and at least a third of them are scenario cards.
func TestBuiltinDecksContent(t *testing.T) {
	decks, err := ParseFS(os.DirFS("../decks"))
	if err != nil {
		t.Fatal(err) // TestBuiltinDecks lists the errors
	}
	for _, d := range decks {
		scen := 0
		for _, c := range d.Cards {
			where := "decks/" + d.File + ":" + strconv.Itoa(c.Line) + " (" + c.ID + ")"
			text := c.Front + "\n" + c.Back
			if c.Kind == Cloze {
				text = c.Text + "\n" + c.Extra
			}
			if why := volatileReason(text); why != "" && (c.Source == "" || c.AsOf == "") {
				t.Errorf("%s: %s but lacks source: or as-of:", where, why)
			}
			for _, tag := range c.Tags {
				if tag == "scenario" {
					scen++
					break
				}
			}
		}
		if n := len(d.Cards); n < 100 {
			t.Errorf("decks/%s: %d cards, want at least 100", d.File, n)
		} else if scen*3 < n {
			t.Errorf("decks/%s: %d of %d cards tagged scenario, want at least a third", d.File, scen, n)
		}
	}
}

func TestVolatileReason(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Pods are scheduled by the kube-scheduler.", false},
		{"APIM returns 429 when throttled.", false},
		{"AKS supports N-2 minor versions.", false},
		{"The SLA is 99.95% with zones.", true},
		{"A pool holds at most 1,000 nodes.", true},
		{"Node auto-provisioning is in preview.", true},
		{"The feature is GA.", true},
		{"The agent retires on 30 September 2026.", true},
		{"Configure TLS 1.2 over IPv6 with OAuth2.", false},
	} {
		if got := volatileReason(tc.text) != ""; got != tc.want {
			t.Errorf("volatileReason(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
