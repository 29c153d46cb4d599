package server_test

import (
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestAPI_dictionaryFunctionWords asks for words WordNet does not have; the
// function-word lexicon answers them in the same shape as any other entry.
func TestAPI_dictionaryFunctionWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		type result struct {
			Lemma   string `json:"lemma"`
			Entries []struct {
				Lemma       string `json:"lemma"`
				POS         string `json:"pos"`
				Definitions []struct {
					Text string `json:"text"`
				} `json:"definitions"`
			} `json:"entries"`
		}
		tests := []struct{ q, lemma, pos, second string }{
			{"the", "the", "determiner", ""},
			{"whom", "whom", "pronoun", ""},
			{"whether", "whether", "conjunction", ""},
			{"don't", "do", "auxiliary verb", "not"},
			{"Don’t", "do", "auxiliary verb", "not"},
			{"can", "can", "modal verb", ""},
		}
		for _, tt := range tests {
			res, body := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape(tt.q))
			if res.StatusCode != 200 {
				t.Errorf("q=%q: status %d, want 200 (%.200s)", tt.q, res.StatusCode, body)
				continue
			}
			var r result
			if err := jsonDecode(body, &r); err != nil {
				t.Errorf("q=%q: answer is not JSON: %v", tt.q, err)
				continue
			}
			if r.Lemma != tt.lemma || len(r.Entries) == 0 || r.Entries[0].POS != tt.pos || len(r.Entries[0].Definitions) == 0 || r.Entries[0].Definitions[0].Text == "" {
				t.Errorf("q=%q: %+v, want lemma %q whose first entry is a %s with definitions", tt.q, r, tt.lemma, tt.pos)
			}
			if tt.second != "" && (len(r.Entries) < 2 || r.Entries[1].Lemma != tt.second) {
				t.Errorf("q=%q: entries %+v, want %q second", tt.q, r.Entries, tt.second)
			}
		}
		// The page credits each source for its own entries.
		for q, credit := range map[string][2]bool{"whom": {true, false}, "summit": {false, true}, "can": {true, true}} {
			_, body := ts.get(t, "/dictionary?q="+q)
			lexicon, wordnet := strings.Contains(body, "Function words (the, whom, whether…) written for"), strings.Contains(body, "Definitions from WordNet 3.0")
			if lexicon != credit[0] || wordnet != credit[1] {
				t.Errorf("/dictionary?q=%s credits the lexicon %v and WordNet %v, want %v and %v", q, lexicon, wordnet, credit[0], credit[1])
			}
		}
		// The page names the new parts of speech in the reader's language.
		for path, want := range map[string][]string{
			"/dictionary?q=whom":                                     {"<h2>whom</h2>", "pronoun"},
			"/dictionary?q=whom&lang=ko":                             {"<h2>whom</h2>", "대명사"},
			"/dictionary?q=" + url.QueryEscape("can't") + "&lang=ko": {"<h2>can</h2>", "법조동사", `<h3>not <span class="pron">/nɑt/</span>`, "부사"},
		} {
			res, body := ts.get(t, path)
			if res.StatusCode != 200 {
				t.Errorf("%s: status %d, want 200", path, res.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", path, w)
				}
			}
		}
	})
}
