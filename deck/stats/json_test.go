package stats

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The `stats --json` shape, written from docs/cli.md independently of the
// package's types.
type cliPassFail struct {
	Pass *int `json:"pass"`
	Fail *int `json:"fail"`
}
type cliRetention struct {
	Young  *cliPassFail `json:"young"`
	Mature *cliPassFail `json:"mature"`
}
type cliCards struct {
	Total     *int `json:"total"`
	New       *int `json:"new"`
	Learning  *int `json:"learning"`
	Young     *int `json:"young"`
	Mature    *int `json:"mature"`
	Suspended *int `json:"suspended"`
	Leeches   *int `json:"leeches"`
}
type cliArea struct {
	Cards          *cliCards `json:"cards"`
	DueToday       *int      `json:"due_today"`
	Retrievability *float64  `json:"retrievability"`
	Knowledge      *float64  `json:"knowledge"`
	Reviews        *struct {
		Today *int `json:"today"`
		All   *int `json:"all"`
	} `json:"reviews"`
	TrueRetention *struct {
		Today     *cliRetention `json:"today"`
		Yesterday *cliRetention `json:"yesterday"`
		Week      *cliRetention `json:"week"`
		Month     *cliRetention `json:"month"`
		Year      *cliRetention `json:"year"`
		All       *cliRetention `json:"all"`
	} `json:"true_retention"`
}
type cliDeck struct {
	ID      *string `json:"id"`
	Title   *string `json:"title"`
	Builtin *bool   `json:"builtin"`
	cliArea
}
type cliStats struct {
	Now              *string    `json:"now"`
	DayStartsAtHour  *int       `json:"day_starts_at_hour"`
	DesiredRetention *float64   `json:"desired_retention"`
	Decks            []*cliDeck `json:"decks"`
	Total            *cliArea   `json:"total"`
}

// keyPaths lists every key path of a decoded JSON value; array elements
// are written [].
func keyPaths(prefix string, v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			keyPaths(p, x, out)
		}
	case []any:
		for _, x := range v {
			keyPaths(prefix+"[]", x, out)
		}
	}
}

func areaKeys(prefix string) []string {
	keys := []string{"cards", "due_today", "retrievability", "knowledge", "reviews", "reviews.today", "reviews.all", "true_retention"}
	for _, c := range []string{"total", "new", "learning", "young", "mature", "suspended", "leeches"} {
		keys = append(keys, "cards."+c)
	}
	for _, p := range []string{"today", "yesterday", "week", "month", "year", "all"} {
		keys = append(keys, "true_retention."+p)
		for _, a := range []string{"young", "mature"} {
			keys = append(keys, "true_retention."+p+"."+a, "true_retention."+p+"."+a+".pass", "true_retention."+p+"."+a+".fail")
		}
	}
	for i := range keys {
		keys[i] = prefix + keys[i]
	}
	return keys
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestStatsJSONMatchesCLIContract(t *testing.T) {
	in := world(t)
	in.Decks = append(in.Decks, DeckInfo{ID: "fresh", Title: "Fresh", CardIDs: []string{"fresh/1"}})
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res.Report)
	if err != nil {
		t.Fatal(err)
	}

	// 1. Strict decode into the contract's struct.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var got cliStats
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	if got.Now == nil || got.DayStartsAtHour == nil || *got.DayStartsAtHour != 4 ||
		got.DesiredRetention == nil || *got.DesiredRetention != 0.9 || got.Total == nil || len(got.Decks) != 3 {
		t.Fatalf("top level = %+v", got)
	}
	if *got.Decks[0].ID != "k8s" || *got.Decks[0].Title != "Kubernetes" || !*got.Decks[0].Builtin ||
		*got.Decks[0].Cards.Total != 8 || *got.Decks[0].TrueRetention.Today.Young.Fail != 1 {
		t.Errorf("deck 0 = %s", data)
	}
	// "fresh" has no reviewed card: retrievability is null, knowledge 0.
	if got.Decks[2].Retrievability != nil || got.Decks[2].Knowledge == nil || *got.Decks[2].Knowledge != 0 {
		t.Errorf("fresh deck retrievability/knowledge: %s", data)
	}
	if !strings.Contains(string(data), `"retrievability":null`) {
		t.Errorf("no null retrievability in %s", data)
	}

	// 2. The set of keys is exactly cli.md's.
	want := map[string]bool{"now": true, "day_starts_at_hour": true, "desired_retention": true, "decks": true, "total": true,
		"decks[].id": true, "decks[].title": true, "decks[].builtin": true}
	for _, k := range areaKeys("decks[].") {
		want[k] = true
	}
	for _, k := range areaKeys("total.") {
		want[k] = true
	}
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	keyPaths("", raw, have)
	if w, h := sortedKeys(want), sortedKeys(have); !slices.Equal(w, h) {
		for _, k := range w {
			if !have[k] {
				t.Errorf("missing key %s", k)
			}
		}
		for _, k := range h {
			if !want[k] {
				t.Errorf("unexpected key %s", k)
			}
		}
	}
	// Every deck object has every key (not only the union of them).
	for i, d := range raw.(map[string]any)["decks"].([]any) {
		one := map[string]bool{}
		keyPaths("decks[]", d, one)
		for _, k := range append(areaKeys("decks[]."), "decks[].id", "decks[].title", "decks[].builtin") {
			if !one[k] {
				t.Errorf("deck %d lacks %s", i, k)
			}
		}
	}

	// 3. The strict decoder does reject a key outside the contract.
	dec = json.NewDecoder(strings.NewReader(`{"now":"x","extra":1}`))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cliStats{}); err == nil {
		t.Error("unknown key accepted")
	}
}
