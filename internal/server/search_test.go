package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

type searchJSON struct {
	Results []struct {
		ID       int64  `json:"id"`
		URL      string `json:"url"`
		Headline string `json:"headline"`
		Section  string `json:"section"`
		Snippet  string `json:"snippet"`
	} `json:"results"`
	Next string `json:"next"`
}

// The search page and the API find the demo articles, with marked
// snippets, filters and pages.
func TestSearch_pageAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		res, body := ts.get(t, "/search?q=assembly")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `class="search-result"`) || !strings.Contains(body, "<mark>") {
			t.Fatalf("search page: %d", res.StatusCode)
		}
		// The page says how many articles match, in both languages.
		n := strings.Count(body, `class="search-result"`)
		count := regexp.MustCompile(`class="search-count" role="status">([^<]*)<`)
		if m := count.FindStringSubmatch(body); m == nil || !strings.HasSuffix(m[1], "found") || !strings.HasPrefix(m[1], strconv.Itoa(n)+" article") {
			t.Errorf("search count with %d results on one page: %q", n, m)
		}
		if _, ko := ts.get(t, "/search?lang=ko&q=assembly"); !strings.Contains(ko, "검색 결과 "+strconv.Itoa(n)+"건") {
			t.Errorf("Korean search count: want 검색 결과 %d건", n)
		}
		// A word in every article: the count is the whole search's, on the
		// first page and on the next.
		_, long := ts.get(t, "/search?q=the")
		m := count.FindStringSubmatch(long)
		if m == nil || !regexp.MustCompile(`^(\d+ articles found|More than 100 articles found)$`).MatchString(m[1]) {
			t.Errorf("count of a long search: %q", m)
		} else if next := regexp.MustCompile(`href="(/search\?[^"]*after=[^"]*)"`).FindStringSubmatch(long); next == nil {
			t.Error("a search for a word in every article has no next page")
		} else {
			_, page2 := ts.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
			if m2 := count.FindStringSubmatch(page2); m2 == nil || m2[1] != m[1] {
				t.Errorf("count on the next page: %q, want %q", m2, m[1])
			}
		}
		if _, home := ts.get(t, "/"); !strings.Contains(home, `action="/search"`) {
			t.Error("the masthead has no search form")
		}
		if res, body := ts.get(t, "/search"); res.StatusCode != http.StatusOK || strings.Contains(body, "search-result") {
			t.Errorf("the empty search page: %d", res.StatusCode)
		}
		var all searchJSON
		res, raw := ts.get(t, "/api/v1/search?q=the&limit=5")
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(raw), &all) != nil || len(all.Results) != 5 || all.Next == "" {
			t.Fatalf("API search: %d %s", res.StatusCode, raw)
		}
		// Every page after the first continues without repeating.
		seen := map[int64]bool{}
		next := ""
		for page := 0; page < 20; page++ {
			var p searchJSON
			_, raw := ts.get(t, "/api/v1/search?"+url.Values{"q": {"the"}, "limit": {"5"}, "after": {next}, "sort": {"newest"}}.Encode())
			if err := json.Unmarshal([]byte(raw), &p); err != nil {
				t.Fatal(raw)
			}
			for _, r := range p.Results {
				if seen[r.ID] {
					t.Fatalf("%d on two pages", r.ID)
				}
				seen[r.ID] = true
			}
			if next = p.Next; next == "" {
				break
			}
		}
		if len(seen) < 10 {
			t.Errorf("paging through 'the' found only %d articles", len(seen))
		}
		var politics searchJSON
		_, raw = ts.get(t, "/api/v1/search?q=the&section=national&limit=50")
		_ = json.Unmarshal([]byte(raw), &politics)
		for _, r := range politics.Results {
			if !strings.HasPrefix(r.Section, "national") {
				t.Errorf("section filter let %s through", r.Section)
			}
		}
		if len(politics.Results) == 0 {
			t.Error("no results in National")
		}
	})
}

// Bad queries get results or a clear 400, never a 500: engine syntax,
// SQL, a 10,000-character query, bad filters and cursors.
func TestSearch_badQueriesAreAnsweredNot500(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		queries := []string{`"`, `""`, `NEAR(`, `NEAR(a b)`, `*`, `a*`, `OR OR`, `AND`, `NOT x`, `(((`, `)))`, `a:b`,
			`headline:x`, `'; DROP TABLE articles; --`, `" OR 1=1 --`, `\`, `%`, `_`, `^x`, `-x`, `+x`, `{x}`, `x'y`,
			`&`, `|`, `!`, `<->`, `:*`, `a <-> b`, "\u0000", "tab\tx", `서울 "`, strings.Repeat("a ", 5000), strings.Repeat("가", 10000)}
		for _, q := range queries {
			for _, path := range []string{"/search?", "/api/v1/search?"} {
				res, body := ts.get(t, path+url.Values{"q": {q}}.Encode())
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusBadRequest {
					t.Errorf("%s q=%.30q: %d", path, q, res.StatusCode)
				}
				// (A NUL is refused for every address before any page sees it.)
				if res.StatusCode == http.StatusBadRequest && q != "\u0000" && !strings.Contains(strings.ToLower(body), "search") && !strings.Contains(body, "q parameter") {
					t.Errorf("%s q=%.30q: a 400 that does not say why", path, q)
				}
			}
		}
		for _, bad := range []string{"q=", "q=x&section=nowhere", "q=x&author=nobody", "q=x&from=yesterday", "q=x&to=2026-13-01",
			"q=x&from=2026-05-02&to=2026-05-01", "q=x&sort=sideways", "q=x&after=abc", "q=x&after=1_0", "q=x&limit=0", "q=x&limit=1000"} {
			for _, path := range []string{"/search?", "/api/v1/search?"} {
				if path == "/search?" && (bad == "q=" || strings.Contains(bad, "limit")) {
					continue // the page shows the empty form; it has no limit
				}
				if res, _ := ts.get(t, path+bad); res.StatusCode != http.StatusBadRequest {
					t.Errorf("%s%s: %d, want 400", path, bad, res.StatusCode)
				}
			}
		}
		// Script in the query is shown as text.
		if _, body := ts.get(t, "/search?q="+url.QueryEscape(`<script>alert(1)</script>`)); strings.Contains(body, "<script>alert") {
			t.Error("the query is echoed as live markup")
		}
	})
}

// A topic's page is a timeline: its articles under the days they were
// published, newest day first.
func TestTopicPage_isATimelineByDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		_, home := ts.get(t, "/")
		m := regexp.MustCompile(`href="(/tag/[^"?]+)"`).FindStringSubmatch(home)
		if m == nil {
			_, art := ts.get(t, firstArticle(t, ts))
			m = regexp.MustCompile(`href="(/tag/[^"?]+)"`).FindStringSubmatch(art)
		}
		if m == nil {
			t.Fatal("no tag link found")
		}
		_, page := ts.get(t, m[1])
		days := regexp.MustCompile(`<section class="timeline-day">\s*<h2><time datetime="(\d{4}-\d\d-\d\d)">`).FindAllStringSubmatch(page, -1)
		if len(days) == 0 {
			t.Fatalf("%s has no days", m[1])
		}
		for i := 1; i < len(days); i++ {
			if days[i][1] >= days[i-1][1] {
				t.Errorf("days out of order: %s after %s", days[i][1], days[i-1][1])
			}
		}
	})
}
