package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

var articleQueryAll = article.ListQuery{Scope: article.SystemScope(), Limit: 100}

type byline struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type articleOut struct {
	ID       int64    `json:"id"`
	URL      string   `json:"url"`
	Headline string   `json:"headline"`
	Section  string   `json:"section"`
	Status   string   `json:"status"`
	Authors  []byline `json:"authors"`
	Version  int      `json:"version"`
}

func tenParagraphs(topic string) string {
	var b strings.Builder
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "Paragraph %d about %s. The committee met again on the matter, and members said they expected a vote soon.\n\n", i, topic)
	}
	return b.String()
}

func politicsArticle(headline string) map[string]any {
	return map[string]any{
		"headline": headline,
		"deck":     "Two reporters follow the vote",
		"body":     tenParagraphs("the transport bill"),
		"section":  "national/politics",
		"authors": []map[string]string{
			{"name": "Han Ji-won", "email": "han.jiwon@paper.example"},
			{"name": "Oh Se-jin", "email": "oh.sejin@paper.example"},
		},
		"tags":       []string{"transport", "national assembly"},
		"lead_image": map[string]string{"url": "/media/demo/assembly.png", "caption": "The chamber", "credit": "Staff", "alt": "Lawmakers in the chamber"},
		"status":     "published",
	}
}

// An article created through the API shows up on its section front, on
// the home page and at its URL, with breadcrumb, bylines and print view.
func TestAPI_createdArticleAppearsEverywhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		// Warm the cache first: publishing must invalidate these pages.
		for _, p := range []string{"/", "/section/national/politics", "/section/national"} {
			ts.get(t, p)
		}
		var a articleOut
		res := ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle("Assembly passes transport bill"), &a)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create: status %d, want 201", res.StatusCode)
		}
		if !strings.HasPrefix(a.URL, "/article/") || a.Section != "national/politics" || len(a.Authors) != 2 {
			t.Fatalf("create answered %+v", a)
		}
		if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/articles/%d", a.ID) {
			t.Errorf("Location = %q", loc)
		}

		for _, p := range []string{"/section/national/politics", "/section/national", "/"} {
			if _, body := ts.get(t, p); !strings.Contains(body, `href="`+a.URL+`"`) {
				t.Errorf("%s does not link to the new article %s", p, a.URL)
			}
		}

		res, body := ts.get(t, a.URL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("article page: status %d", res.StatusCode)
		}
		crumbs := regexp.MustCompile(`(?s)<nav class="breadcrumb" aria-label="Breadcrumb">(.*?)</nav>`).FindStringSubmatch(body)
		if crumbs == nil {
			t.Fatal("article page has no breadcrumb nav")
		}
		wantCrumbs := `<a href="/">Home</a></li><li><a href="/section/national">National</a></li><li><a href="/section/national/politics">Politics</a>`
		if !strings.Contains(crumbs[1], wantCrumbs) {
			t.Errorf("breadcrumb = %s\nwant it to contain %s", crumbs[1], wantCrumbs)
		}
		if !strings.Contains(body, `"@type":"BreadcrumbList"`) {
			t.Error("article page has no JSON-LD BreadcrumbList")
		}
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("article page has %d h1 elements, want 1", n)
		}
		for _, b := range []string{
			`BY <a href="/author/han-ji-won" rel="author">HAN JI-WON</a> [<a href="mailto:han.jiwon@paper.example">han.jiwon@paper.example</a>]`,
			`BY <a href="/author/oh-se-jin" rel="author">OH SE-JIN</a> [<a href="mailto:oh.sejin@paper.example">oh.sejin@paper.example</a>]`,
		} {
			if !strings.Contains(body, b) {
				t.Errorf("article page lacks byline %s", b)
			}
		}
		if n := strings.Count(body, "<p>Paragraph "); n != 10 {
			t.Errorf("article body has %d paragraphs, want 10", n)
		}

		res, body = ts.get(t, a.URL+"/print")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("print view: status %d", res.StatusCode)
		}
		for _, want := range []string{"<h1>Assembly passes transport bill</h1>", "BY HAN JI-WON [han.jiwon@paper.example]",
			"http://paper.test" + a.URL, "Paragraph 10 about"} {
			if !strings.Contains(body, want) {
				t.Errorf("print view lacks %q", want)
			}
		}
		for _, banned := range []string{"<nav", "breadcrumb", "main-nav", "<footer class=\"site-footer\""} {
			if strings.Contains(body, banned) {
				t.Errorf("print view contains %q", banned)
			}
		}
		res, _ = ts.get(t, "/author/han-ji-won")
		if res.StatusCode != http.StatusOK {
			t.Errorf("author page: status %d", res.StatusCode)
		}
	})
}

// Bad input gets the right 4xx with a clear message and stores nothing.
func TestAPI_badInputIsRefusedAndStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		before := ts.counts(t)
		valid := politicsArticle("Valid headline")
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for key, val := range valid {
				m[key] = val
			}
			m[k] = v
			return m
		}
		big := strings.Repeat("x", 12<<20)
		tests := []struct {
			name      string
			body      string
			token     string
			status    int
			code      string
			field     string
			mentionIn string
		}{
			{name: "malformed JSON", body: `{"headline": "x",`, status: 400, code: "malformed_request", mentionIn: "ends too early"},
			{name: "not an object", body: `[1,2,3]`, status: 400, code: "malformed_request"},
			{name: "syntax error", body: `{"headline": x}`, status: 400, code: "malformed_request", mentionIn: "not valid JSON"},
			{name: "wrong type", body: `{"headline": 42}`, status: 400, code: "malformed_request", mentionIn: `"headline"`},
			{name: "unknown field", body: `{"headlin": "typo"}`, status: 400, code: "malformed_request", mentionIn: "headlin"},
			{name: "two objects", body: `{} {}`, status: 400, code: "malformed_request"},
			{name: "empty body", body: ``, status: 400, code: "malformed_request", mentionIn: "empty"},
			{name: "unknown section", body: jsonOf(t, with("section", "national/nowhere")), status: 422, code: "validation_failed", field: "section"},
			{name: "empty headline", body: jsonOf(t, with("headline", "   ")), status: 422, code: "validation_failed", field: "headline"},
			{name: "no authors", body: jsonOf(t, with("authors", []any{})), status: 422, code: "validation_failed", field: "authors"},
			{name: "bad author email", body: jsonOf(t, with("authors", []map[string]string{{"name": "A", "email": "not-an-email"}})), status: 422, code: "validation_failed", field: "authors"},
			{name: "bad status", body: jsonOf(t, with("status", "live")), status: 422, code: "validation_failed", field: "status"},
			{name: "script image url", body: jsonOf(t, with("lead_image", map[string]string{"url": "javascript:alert(1)", "alt": "x"})), status: 422, code: "validation_failed", field: "lead_image.url"},
			{name: "body over 512 KiB", body: jsonOf(t, with("body", strings.Repeat("word ", 110_000))), status: 422, code: "validation_failed", field: "body"},
			{name: "12 MB body", body: `{"headline":"x","body":"` + big + `"}`, status: 413, code: "request_too_large"},
			{name: "bad token", body: jsonOf(t, valid), token: "bst_not-a-real-token", status: 401, code: "unauthorized"},
			{name: "no token", body: jsonOf(t, valid), token: "-", status: 401, code: "unauthorized"},
			{name: "NUL in body", body: jsonOf(t, with("body", "before\x00after")), status: 422, code: "validation_failed"},
			{name: "NUL in caption", body: jsonOf(t, with("lead_image", map[string]string{"url": "/a.png", "alt": "a", "caption": "x\x00"})), status: 422, code: "validation_failed"},
			{name: "NUL in author name", body: jsonOf(t, with("authors", []map[string]string{{"name": "A\x00", "email": "a@paper.example"}})), status: 422, code: "validation_failed"},
			{name: "NUL in tag", body: jsonOf(t, with("tags", []string{"a\x00b"})), status: 422, code: "validation_failed"},
			{name: "invalid UTF-8 in headline", body: `{"headline":"\xff\xfe",` + jsonOf(t, valid)[1:], status: 400, code: "malformed_request"},
			{name: "zero published_at", body: jsonOf(t, with("published_at", "0001-01-01T00:00:00Z")), status: 422, code: "validation_failed", field: "published_at"},
			{name: "future published_at", body: jsonOf(t, with("published_at", "9999-12-31T00:00:00Z")), status: 422, code: "validation_failed", field: "published_at"},
			{name: "reporter publishing", body: jsonOf(t, valid), token: ts.tokens[account.Reporter], status: 403, code: "forbidden"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token := tt.token
				switch token {
				case "":
					token = ts.tokens[account.Editor]
				case "-":
					token = ""
				}
				res, text := ts.do(t, "POST", "/api/v1/articles", token, tt.body)
				var e apiError
				if err := jsonDecode(text, &e); err != nil {
					t.Fatalf("status %d, answer is not JSON: %.200s", res.StatusCode, text)
				}
				if res.StatusCode != tt.status || e.Code != tt.code {
					t.Fatalf("got %d %q (%s), want %d %q", res.StatusCode, e.Code, e.Error, tt.status, tt.code)
				}
				if e.Error == "" {
					t.Error("error has no message for people")
				}
				if tt.field != "" && e.Fields[tt.field] == "" {
					t.Errorf("fields = %v, want a message for %q", e.Fields, tt.field)
				}
				if tt.mentionIn != "" && !strings.Contains(e.Error, tt.mentionIn) {
					t.Errorf("message %q does not mention %q", e.Error, tt.mentionIn)
				}
			})
		}
		if after := ts.counts(t); after != before {
			t.Errorf("bad requests changed the data: (articles, authors, sections) %v → %v", before, after)
		}
	})
}

// Unknown URLs and path tricks are 4xx pages, never 500 and never a file
// from outside the media folder.
func TestSite_unknownAndTraversalPathsAre4xx(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		paths := []string{
			"/article/999999/no-such-story", "/article/abc/x", "/article/-1/x", "/article/99999999999999999999999/x",
			"/section/national/nowhere", "/author/nobody", "/tag/none", "/page/none", "/no/such/page",
			"/media/../../etc/passwd", "/media/..%2f..%2f..%2fetc%2fpasswd", "/media/%2e%2e/%2e%2e/etc/passwd",
			"/media/demo/../../broadsheet.db", "/static/../../go.mod", "/static/0000/main.css",
			"/section/national?after=not-a-cursor", "/api/v1/articles/abc", "/api/v1/nothing-here",
			"/author/%00", "/tag/a%00b", "/page/a%00b", "/author/%ff%fe", "/section/%c3%28",
			"/api/v1/articles?author=%ff", "/api/v1/pages/a%00", "/?lang=%00", "/section/national?after=%ff",
		}
		for _, p := range paths {
			res, body := ts.get(t, p)
			if res.StatusCode < 300 || res.StatusCode >= 500 {
				t.Errorf("GET %s: status %d, want a 3xx or 4xx", p, res.StatusCode)
			}
			if strings.Contains(body, "root:x:0") || strings.Contains(body, "SQLite format") || strings.Contains(body, "module broadsheet") {
				t.Errorf("GET %s leaked a file", p)
			}
		}
		res, body := ts.get(t, "/article/999999/no-such-story")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Errorf("unknown article: %d, want 404 with a clear page", res.StatusCode)
		}
		if res, _ := ts.get(t, "/section/national/"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/section/national" {
			t.Errorf("trailing slash: %d to %q, want 301 to /section/national", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = ts.get(t, "/section/national?after=not-a-cursor")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not a page cursor") {
			t.Errorf("bad cursor: %d, want 400 saying what is wrong", res.StatusCode)
		}
	})
}
