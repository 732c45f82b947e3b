package store

import (
	"encoding/json"
	"reflect"
	"testing"

	"opsdeck/deck"
)

// decodeCardRecord is json.Unmarshal's answer for every input: records as
// json.Marshal writes them (the fast path) and anything else (the
// fallback).
func checkDecodeCard(t *testing.T, b []byte) {
	t.Helper()
	var want cardRecord
	werr := json.Unmarshal(b, &want)
	got, gerr := decodeCardRecord(b)
	if (werr == nil) != (gerr == nil) || (werr == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("%q:\ngot  %#v, %v\nwant %#v, %v", b, got, gerr, want, werr)
	}
}

func TestDecodeCardIsJSONs(t *testing.T) {
	recs := []cardRecord{
		{},
		{Front: "Q", Back: "A"},
		{Kind: deck.Cloze, Text: "a {{c1::b}} <c> & \"d\" \\ e\n\tf\r\u2028 é 😀 \x01", Index: 12, Extra: "x"},
		{Front: "with tags", Tags: []string{"a", "b <c>", ""}, Source: "https://example.com/?a=1&b=2", AsOf: "2024-05"},
		{Front: "bad utf8 \xff\xfe", Back: "\b\f"},
	}
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fastCard(b); !ok && r.Back != "\b\f" {
			t.Errorf("%s: not on the fast path", b)
		}
		checkDecodeCard(t, b)
	}
	for _, s := range []string{``, `{`, `{}`, `{} `, ` {}`, `{"front":"a"`, `{"Front":"a"}`, `{"front":null}`,
		`{"kind":-1}`, `{"kind":01}`, `{"kind":1.5}`, `{"index":99999999999}`, `{"tags":null}`, `{"tags":[]}`,
		`{"tags":["a",]}`, `{"front":"\ud83d\ude00"}`, `{"front":"\u00e9\u003c"}`, `{"front":"a\x"}`, `{"x":1}`,
		`{"front":"a","front":"b"}`, `{"front":"a",}`, `{"front" : "a"}`, `[]`, `{"front":"\u12"}`} {
		checkDecodeCard(t, []byte(s))
	}
}

func FuzzDecodeCard(f *testing.F) {
	f.Add([]byte(`{"front":"a","back":"b","tags":["x"],"kind":1,"index":2}`))
	f.Add([]byte(`{"front":"\u003c\n\\\"","text":"é"}`))
	f.Fuzz(func(t *testing.T, b []byte) { checkDecodeCard(t, b) })
}
