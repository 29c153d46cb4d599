package server_test

import (
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestAPI_dictionaryPronunciation checks that every entry of a look-up
// carries its lemma's IPA, and an unknown one an empty string rather than no
// field.
func TestAPI_dictionaryPronunciation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		tests := map[string]map[string]string{ // query → lemma → pronunciation
			"summits":   {"summit": "/ˈsʌmət/"},
			"relations": {"relation": "/riˈleɪʃən/", "relations": "/riˈleɪʃənz/"},
			"Nuclear":   {"nuclear": "/ˈnukliɚ/"},
		}
		for q, want := range tests {
			res, body := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape(q))
			if res.StatusCode != 200 {
				t.Fatalf("q=%q: status %d (%.200s)", q, res.StatusCode, body)
			}
			var r struct {
				Entries []struct {
					Lemma         string  `json:"lemma"`
					Pronunciation *string `json:"pronunciation"`
				} `json:"entries"`
			}
			if err := jsonDecode(body, &r); err != nil {
				t.Fatalf("q=%q: answer is not JSON: %v", q, err)
			}
			if len(r.Entries) == 0 {
				t.Fatalf("q=%q: no entries", q)
			}
			for _, e := range r.Entries {
				if e.Pronunciation == nil {
					t.Errorf("q=%q: entry %q has no pronunciation field", q, e.Lemma)
				} else if w, ok := want[e.Lemma]; ok && *e.Pronunciation != w {
					t.Errorf("q=%q: %q pronounced %q, want %q", q, e.Lemma, *e.Pronunciation, w)
				}
			}
			if p := r.Entries[0].Pronunciation; p != nil && *p != want[r.Entries[0].Lemma] {
				t.Errorf("q=%q: first entry %q pronounced %q, want %q", q, r.Entries[0].Lemma, *r.Entries[0].Pronunciation, want[r.Entries[0].Lemma])
			}
		}
		// The dictionary page shows it beside each entry's lemma.
		if res, body := ts.get(t, "/dictionary?q=summits"); res.StatusCode != 200 || !strings.Contains(body, `<span class="pron">/ˈsʌmət/</span>`) {
			t.Errorf("dictionary page for summits: status %d, want the IPA /ˈsʌmət/ beside the lemma", res.StatusCode)
		}
	})
}
