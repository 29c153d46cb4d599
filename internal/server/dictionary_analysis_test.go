package server_test

import (
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// A word WordNet lacks is answered with its parts; nonsense stays a 404.
func TestAPI_dictionaryAnalysis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		type answer struct {
			Code     string `json:"code"`
			Entries  []any  `json:"entries"`
			Analysis *struct {
				POS   string `json:"pos"`
				Gloss string `json:"gloss"`
				Parts []struct {
					Lemma   string `json:"lemma"`
					Kind    string `json:"kind"`
					Meaning string `json:"meaning"`
				} `json:"parts"`
			} `json:"analysis"`
		}
		tests := []struct {
			q      string
			pos    string
			lemmas string
		}{
			{"denuclearization", "noun", "de- nuclear -ization"},
			{"Seoul-based", "adjective", "seoul based"},
			{"post-election", "adjective", "post- election"},
		}
		for _, tt := range tests {
			res, body := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape(tt.q))
			var a answer
			if err := jsonDecode(body, &a); err != nil || res.StatusCode != 200 {
				t.Errorf("q=%s: %d %.200s, want 200 with JSON", tt.q, res.StatusCode, body)
				continue
			}
			if a.Analysis == nil || a.Entries == nil || len(a.Entries) != 0 {
				t.Errorf("q=%s: %.300s, want an analysis and no entries", tt.q, body)
				continue
			}
			var lemmas []string
			for _, p := range a.Analysis.Parts {
				lemmas = append(lemmas, p.Lemma)
			}
			if got := strings.Join(lemmas, " "); got != tt.lemmas || a.Analysis.POS != tt.pos {
				t.Errorf("q=%s: parts %q, %s; want %q, %s", tt.q, got, a.Analysis.POS, tt.lemmas, tt.pos)
			}
		}
		// A word WordNet has gets entries and no analysis.
		if _, body := ts.get(t, "/api/v1/dictionary?q=elections"); strings.Contains(body, `"analysis"`) || !strings.Contains(body, `"election"`) {
			t.Errorf("elections: %.200s, want WordNet's entry alone", body)
		}
		for _, q := range []string{"xqzt", "zzzz-qqqq"} {
			res, body := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape(q))
			var a answer
			if err := jsonDecode(body, &a); err != nil || res.StatusCode != 404 || a.Code != "not_found" || a.Analysis != nil {
				t.Errorf("q=%s: %d %.200s, want 404 not_found", q, res.StatusCode, body)
			}
		}
		if res, _ := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape("de<nuclear>")); res.StatusCode != 400 {
			t.Errorf("markup in the query: %d, want 400", res.StatusCode)
		}
	})
}

func TestSite_dictionaryPageShowsAnalysis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		tests := []struct {
			path   string
			status int
			want   []string
		}{
			{"/dictionary?q=denuclearization", 200, []string{"<h2>denuclearization</h2>", "Parts of the word",
				"<b>de-</b> <span class=\"pos\" lang=\"en\">prefix</span>: remove", "<b>nuclear</b> <span class=\"pos\" lang=\"en\">stem, adjective</span>", "<b>nuclear</b>", "<b>-ization</b>", "The whole word: noun", "WordNet 3.0"}},
			{"/dictionary?q=Seoul-based&lang=ko", 200, []string{"단어의 구성", "<b>seoul</b> <span class=\"pos\" lang=\"ko\">명사</span>", "<b>based</b> <span class=\"pos\" lang=\"ko\">분사</span>", "단어 전체의 품사: 형용사"}},
			{"/dictionary?q=zzzz-qqqq", 404, []string{"has no entry for “zzzz-qqqq”"}},
		}
		for _, tt := range tests {
			res, body := ts.get(t, tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("%s: status %d, want %d", tt.path, res.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", tt.path, w)
				}
			}
		}
	})
}
