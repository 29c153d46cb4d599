package server_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// firstArticle is the URL of the newest demo article.
func firstArticle(t *testing.T, ts *testServer) string {
	t.Helper()
	var list struct {
		Articles []articleOut `json:"articles"`
	}
	ts.api(t, "GET", "/api/v1/articles?status=published&section=national/politics&limit=2", account.Editor, nil, &list)
	if len(list.Articles) < 2 {
		t.Fatalf("demo has %d politics articles", len(list.Articles))
	}
	return list.Articles[0].URL
}

func TestSite_everyResponseHasSecurityHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, p := range []string{"/", firstArticle(t, ts), "/nope", "/healthz", "/api/v1/articles", "/media/demo/assembly.png"} {
			res, _ := ts.get(t, p)
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s: %s = %q, want %q", p, h, got, want)
				}
			}
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: CSP %q is not strict", p, csp)
			}
			if res.Header.Get("X-Request-Id") == "" {
				t.Errorf("%s: no X-Request-Id", p)
			}
		}
	})
}

func TestSite_conditionalAndCompressedAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		for _, cached := range []bool{true, false} {
			t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
				var ts *testServer
				if cached {
					ts = newTestServer(t, e)
				} else {
					ts = newTestServer(t, e, withoutPageCache)
				}
				url := firstArticle(t, ts)
				res, body := ts.get(t, url, "Accept-Encoding", "identity")
				etag := res.Header.Get("Etag")
				if etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "public") {
					t.Fatalf("validators missing: ETag %q Cache-Control %q", etag, res.Header.Get("Cache-Control"))
				}
				if res, _ := ts.get(t, url, "If-None-Match", etag, "Accept-Encoding", "identity"); res.StatusCode != http.StatusNotModified {
					t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
				}
				if res, _ := ts.get(t, url, "If-None-Match", `"other"`); res.StatusCode != http.StatusOK {
					t.Errorf("stale ETag: status %d, want 200", res.StatusCode)
				}
				// Go's client adds and strips gzip itself unless asked explicitly.
				res, gz := ts.get(t, url, "Accept-Encoding", "gzip")
				if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
					t.Fatalf("gzip not served: Content-Encoding %q Vary %q", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
				}
				zr, err := gzip.NewReader(bytes.NewReader([]byte(gz)))
				if err != nil {
					t.Fatal(err)
				}
				plain, _ := io.ReadAll(zr)
				if string(plain) != body {
					t.Error("gzipped page differs from the plain page")
				}
			})
		}
	})
}

// Editing an article refreshes its page, its fronts and the home page at
// once; pages that do not show it stay cached.
func TestSite_editInvalidatesExactlyWhatShowsTheArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		var created articleOut
		ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle("Original headline"), &created)
		unrelated := "/section/sports"
		pages := []string{created.URL, "/section/national/politics", "/section/national", "/", unrelated}
		for _, p := range pages {
			ts.get(t, p)
		}
		_, _, hitsBefore, _ := ts.site.Web.PageCacheStats()
		var edited articleOut
		res := ts.api(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", created.ID), account.Editor,
			map[string]any{"headline": "Corrected headline"}, &edited)
		if res.StatusCode != http.StatusOK || edited.Version != created.Version+1 {
			t.Fatalf("edit: %d, version %d", res.StatusCode, edited.Version)
		}
		for _, p := range pages[:4] {
			if _, body := ts.get(t, p); !strings.Contains(body, "Corrected headline") || strings.Contains(body, "Original headline") {
				t.Errorf("%s still shows the old headline after the edit", p)
			}
		}
		_, _, hitsMid, _ := ts.site.Web.PageCacheStats()
		if hitsMid != hitsBefore {
			t.Errorf("%d pages that show the article were served from the cache after the edit", hitsMid-hitsBefore)
		}
		ts.get(t, unrelated)
		if _, _, hitsAfter, _ := ts.site.Web.PageCacheStats(); hitsAfter != hitsMid+1 {
			t.Errorf("%s was dropped from the cache though it does not show the article", unrelated)
		}

		// A reader's copy of the front, validated by its ETag, is stale now.
		res, _ = ts.get(t, "/section/national/politics", "Accept-Encoding", "identity")
		frontTag := res.Header.Get("Etag")

		// Unpublishing takes it off its page and its fronts.
		if res := ts.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", created.ID), account.Editor, nil, nil); res.StatusCode != 200 {
			t.Fatalf("unpublish: %d", res.StatusCode)
		}
		if res, _ := ts.get(t, created.URL); res.StatusCode != http.StatusNotFound {
			t.Errorf("unpublished article: status %d, want 404", res.StatusCode)
		}
		if _, body := ts.get(t, "/section/national/politics"); strings.Contains(body, created.URL) {
			t.Error("section front still lists the unpublished article")
		}
		if res, _ := ts.get(t, "/section/national/politics", "If-None-Match", frontTag, "Accept-Encoding", "identity"); res.StatusCode != http.StatusOK {
			t.Errorf("revalidating the old front: %d, want 200 with the new page", res.StatusCode)
		}
	})
}

// Query strings a page does not use cannot fill the cache with copies.
func TestSite_unusedQueryDoesNotMakeCacheCopies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		url := firstArticle(t, ts)
		ts.get(t, url)
		before, _, _, _ := ts.site.Web.PageCacheStats()
		for i := 0; i < 20; i++ {
			if res, _ := ts.get(t, fmt.Sprintf("%s?after=junk%d&utm=%d", url, i, i)); res.StatusCode != http.StatusOK {
				t.Fatalf("article with junk query: %d", res.StatusCode)
			}
		}
		if after, _, _, _ := ts.site.Web.PageCacheStats(); after != before {
			t.Errorf("cache grew from %d to %d entries on junk queries", before, after)
		}
	})
}

func TestSite_languageFromAcceptLanguageAndParameter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		url := firstArticle(t, ts)
		tests := []struct {
			name, path, accept, lang, print, dateMark string
		}{
			{"default", url, "", "en", ">Print<", " KST"},
			{"korean browser", url, "ko-KR,ko;q=0.9", "ko", ">인쇄<", "년 "},
			{"explicit parameter", url + "?lang=ko", "en-US", "ko", ">인쇄<", "년 "},
			{"unknown language", url, "fr-FR", "en", ">Print<", " KST"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, body := ts.get(t, tt.path, "Accept-Language", tt.accept)
				if !strings.Contains(body, `<html lang="`+tt.lang+`">`) || !strings.Contains(body, tt.print) || !strings.Contains(body, tt.dateMark) {
					t.Errorf("page is not in %s (want %q and %q)", tt.lang, tt.print, tt.dateMark)
				}
				// A language chosen with ?lang= holds on every internal link.
				chosen := strings.Contains(tt.path, "lang=")
				if got := strings.Contains(body, `/print?lang=ko"`); got != chosen {
					t.Errorf("print link carries ?lang=ko: %v, want %v", got, chosen)
				}
			})
		}
	})
}

// Site settings take effect at once, without a restart.
func TestAPI_settingsChangeTheSiteAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		url := firstArticle(t, ts)
		_, before := ts.get(t, url) // cached now
		if !strings.Contains(before, " KST") || !strings.Contains(before, ">Print<") {
			t.Fatal("default page is not English in Seoul time")
		}
		var got map[string]string
		res := ts.api(t, "PATCH", "/api/v1/settings", account.Admin,
			map[string]any{"site_name": "The Morning Ledger", "locale": "ko", "timezone": "Europe/London"}, &got)
		if res.StatusCode != http.StatusOK || got["locale"] != "ko" || got["timezone"] != "Europe/London" {
			t.Fatalf("change settings: %d %v", res.StatusCode, got)
		}
		_, after := ts.get(t, url)
		for _, want := range []string{"The Morning Ledger", ">인쇄<", `<html lang="ko">`} {
			if !strings.Contains(after, want) {
				t.Errorf("after the change the page lacks %q", want)
			}
		}
		if strings.Contains(after, " KST") {
			t.Error("dates are still in Seoul time")
		}
		var e1 apiError
		if res := ts.api(t, "PATCH", "/api/v1/settings", account.Admin, map[string]any{"timezone": "Mars/Olympus", "locale": "fr"}, &e1); res.StatusCode != 422 ||
			e1.Fields["timezone"] == "" || e1.Fields["locale"] == "" {
			t.Errorf("bad settings: %d %+v, want 422 naming both fields", res.StatusCode, e1)
		}
	})
}

func TestSite_staticPagesAuthorAndTag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		checks := map[string][]string{
			"/page/standards-board-policy": {"<h1>Standards Board Policy</h1>", "<ol>"},
			"/page/about":                  {"<h1>About Broadsheet Daily</h1>"},
			"/page/privacy":                {"<h1>Privacy</h1>"},
			"/author/kim-minji":            {"<h1>Kim Min-ji</h1>", "mailto:kim.minji@paper.example", "Articles by Kim Min-ji"},
			"/tag/budget":                  {"Articles tagged", "/article/"},
			"/section/national":            {"<h1>National</h1>", `href="/section/national/politics"`, `aria-label="Breadcrumb"`},
			"/":                            {"Top stories", `href="/section/sports"`, `href="/page/standards-board-policy"`},
		}
		for p, wants := range checks {
			res, body := ts.get(t, p)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", p, res.StatusCode)
				continue
			}
			for _, w := range wants {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", p, w)
				}
			}
		}
		// Editors change the policy page; the site shows the new text.
		res := ts.api(t, "PUT", "/api/v1/pages/standards-board-policy", account.Editor,
			map[string]string{"title": "Standards Board Policy", "body": "1. Be kind.\n2. <script>alert(1)</script> Stay on topic."}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("save page: %d", res.StatusCode)
		}
		_, body := ts.get(t, "/page/standards-board-policy")
		if !strings.Contains(body, "Be kind.") || strings.Contains(body, "<script>alert") {
			t.Error("policy page does not show the new text, or shows raw script")
		}
	})
}

var listedHeadline = regexp.MustCompile(`(?:<h3 class="card-headline">|<div class="story-lead-text">\s*<h2>)<a href="([^"]+)"`)

func TestSite_sectionFrontPagesWithoutGapsOrDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for i := 0; i < 25; i++ {
			ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle(fmt.Sprintf("Paging story %02d", i)), nil)
		}
		seen := map[string]int{}
		next := "/section/national/politics"
		for pages := 0; next != "" && pages < 10; pages++ {
			_, body := ts.get(t, next)
			// The cards, and the story that leads the first page.
			for _, m := range listedHeadline.FindAllStringSubmatch(body, -1) {
				seen[m[1]]++
			}
			next = ""
			if i := strings.Index(body, `rel="next" href="?after=`); i >= 0 {
				rest := body[i+len(`rel="next" href="`):]
				next = "/section/national/politics" + rest[:strings.Index(rest, `"`)]
			}
		}
		if _, body := ts.get(t, "/section/national/politics?after=1-1"); !strings.Contains(body, `href="/section/national/politics?after=1-1&amp;lang=ko"`) {
			t.Error("the language link on a later page does not keep the page")
		}
		if len(seen) != 25+8 {
			t.Errorf("pages listed %d articles, want 33 (25 new + 8 demo)", len(seen))
		}
		for url, n := range seen {
			if n != 1 {
				t.Errorf("%s listed %d times", url, n)
			}
		}
	})
}

func TestHealthAndReadiness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, p := range []string{"/healthz", "/readyz"} {
			if res, _ := ts.get(t, p); res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}
		ts.db.Close()
		if res, _ := ts.get(t, "/readyz"); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz with the database closed: %d, want 503", res.StatusCode)
		}
	})
}
