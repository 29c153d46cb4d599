package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

func TestAPI_dictionaryLookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		type result struct {
			Code        string   `json:"code"`
			Lemma       string   `json:"lemma"`
			Suggestions []string `json:"suggestions"`
			Entries     []struct {
				POS         string `json:"pos"`
				Definitions []struct {
					Text string `json:"text"`
				} `json:"definitions"`
			} `json:"entries"`
		}
		tests := []struct {
			q      string
			status int
			lemma  string
		}{
			{"signals", 200, "signal"}, {"departed", 200, "depart"}, {"Countries", 200, "country"},
			{"held", 200, "hold"}, {"mice", 200, "mouse"}, {"Workers’", 200, "worker"},
			{"qwzxv", 404, ""},
			{"", 400, ""}, {strings.Repeat("a", 10000), 400, ""}, {"bell\x07", 400, ""},
			{"<script>alert(1)</script>", 400, ""}, {"'; DROP TABLE articles; --", 400, ""},
		}
		for _, tt := range tests {
			res, body := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape(tt.q))
			if res.StatusCode != tt.status {
				t.Errorf("q=%.20q: status %d, want %d (%.200s)", tt.q, res.StatusCode, tt.status, body)
				continue
			}
			var r result
			if err := jsonDecode(body, &r); err != nil {
				t.Errorf("q=%.20q: answer is not JSON: %v", tt.q, err)
				continue
			}
			switch tt.status {
			case 200:
				if r.Lemma != tt.lemma || len(r.Entries) == 0 || len(r.Entries[0].Definitions) == 0 {
					t.Errorf("q=%q: lemma %q with %d entries, want %q with definitions", tt.q, r.Lemma, len(r.Entries), tt.lemma)
				}
				if !strings.Contains(res.Header.Get("Cache-Control"), "public") {
					t.Errorf("q=%q: Cache-Control %q, want public", tt.q, res.Header.Get("Cache-Control"))
				}
			case 404:
				if r.Code != "not_found" || r.Suggestions == nil {
					t.Errorf("q=%q: %+v, want not_found with suggestions", tt.q, r)
				}
			case 400:
				if r.Code != "malformed_request" {
					t.Errorf("q=%.20q: code %q, want malformed_request", tt.q, r.Code)
				}
			}
		}
		res, body := ts.get(t, "/api/v1/dictionary?q=signalz&suggest=0")
		var miss result
		if err := jsonDecode(body, &miss); err != nil || res.StatusCode != 404 || miss.Suggestions == nil || len(miss.Suggestions) != 0 {
			t.Errorf("a miss with suggest=0: %d %s, want 404 with an empty list of suggestions", res.StatusCode, body)
		}
		if _, body := ts.get(t, "/api/v1/dictionary?q=signalz"); !strings.Contains(body, `"signal"`) {
			t.Errorf("a miss: %s, want signal suggested", body)
		}
		if res, _ := ts.get(t, "/api/v1/dictionary?q=%00"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("NUL query: %d, want 400", res.StatusCode)
		}
	})
}

func TestSite_dictionaryPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		tests := []struct {
			path   string
			status int
			want   []string
		}{
			{"/dictionary", 200, []string{`<form class="dictionary-form"`, `name="q"`}},
			{"/dictionary?q=signals", 200, []string{"<h2>signal</h2>", "Dictionary form: signal", "WordNet 3.0"}},
			{"/dictionary?q=mice&lang=ko", 200, []string{"<h2>mouse</h2>", "명사", `name="lang" value="ko"`}},
			{"/dictionary?q=qwzxv", 404, []string{"has no entry for “qwzxv”"}},
			{"/dictionary?q=" + url.QueryEscape("<script>alert(1)</script>"), 400, []string{"not allowed", `value="&lt;script&gt;`}},
			{"/dictionary?q=" + strings.Repeat("a", 10000), 400, []string{"longer than 100 characters"}},
		}
		for _, tt := range tests {
			res, body := ts.get(t, tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("%.60s: status %d, want %d", tt.path, res.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%.60s lacks %q", tt.path, w)
				}
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("%.60s echoes markup unescaped", tt.path)
			}
		}
		_, body := ts.get(t, firstArticle(t, ts))
		if !strings.Contains(body, `<a class="dictionary-link" href="/dictionary">Dictionary</a>`) {
			t.Error("the article has no Dictionary link next to Print (the way without JavaScript)")
		}
		// With JavaScript the link gives way to a toggle; the script is a
		// file of the site, as the CSP wants, and the pop-up's strings come
		// from the page.
		for _, want := range []string{`<button type="button" class="dictionary-toggle" aria-pressed="false"`,
			`<script src="/static/`, `/dictionary.js" defer></script>`, `role="dialog" aria-labelledby="dict-popup-title"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the article lacks %s", want)
			}
		}
	})
}

func TestSite_articleListsItsLessCommonWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		path := firstArticle(t, ts)
		res, body := ts.get(t, path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		start := strings.Index(body, `<aside class="article-words"`)
		if start < 0 {
			t.Fatal("the article has no Words in this article list")
		}
		list := body[start : start+strings.Index(body[start:], "</aside>")]
		if !strings.Contains(list, `<h2 id="words-heading">Words in this article</h2>`) {
			t.Error("the list has no heading")
		}
		links := strings.Count(list, `<a href="/dictionary?q=`)
		defs := strings.Count(list, "<dd>")
		if links < 8 || links > 12 || defs != links {
			t.Errorf("the list has %d dictionary links and %d definitions, want 8 to 12 of each:\n%s", links, defs, list)
		}
		if strings.Contains(list, "<dd></dd>") {
			t.Errorf("a word has no definition:\n%s", list)
		}
		if _, print := ts.get(t, path+"/print"); strings.Contains(print, "article-words") {
			t.Error("the print view lists the words too; it should show the article alone")
		}
		if _, ko := ts.get(t, path+"?lang=ko"); !strings.Contains(ko, "이 기사의 단어") || !strings.Contains(ko, "&amp;lang=ko") {
			t.Error("the Korean page lacks the Korean heading or links that keep ?lang=ko")
		}
	})
}
