package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/demo"
	"broadsheet/internal/i18n"
	"broadsheet/internal/popular"
	"broadsheet/internal/store"
)

func newHotSite(t *testing.T) (*Handler, *store.DB, article.Article) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Load(ctx, db, filepath.Join(dir, "media"), time.Now()); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Config{BaseURL: "http://t.test", PageCache: true, MaxAge: 60}, slog.New(slog.NewTextHandler(io.Discard, nil)), db, cat)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no published demo article: %v", err)
	}
	return h, db, list[0]
}

func get(method, path string, header map[string]string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return r
}

// The hot path answers a cached page exactly as the route does: the same
// status, headers and bytes, in every language and encoding, for pages
// and documents alike.
func TestServeCached_answersAsTheRouteDoes(t *testing.T) {
	h, _, a := newHotSite(t)
	paths := []string{"/", "/section/national", a.URL(), a.URL() + "/print", "/feed.xml", "/sitemap.xml", "/robots.txt", "/tag/no-such-tag"}
	variants := []map[string]string{
		nil,
		{"Accept-Language": "ko-KR,ko;q=0.9"},
		{"Accept-Encoding": "gzip, br"},
	}
	for _, p := range paths {
		for _, hdr := range variants {
			first := httptest.NewRecorder()
			h.ServeHTTP(first, get("GET", p, hdr)) // renders and keeps it
			routed := httptest.NewRecorder()
			h.ServeHTTP(routed, get("GET", p, hdr))
			hot := httptest.NewRecorder()
			if !h.ServeCached(hot, get("GET", p, hdr)) {
				if routed.Code == http.StatusOK {
					t.Errorf("GET %s %v: a page the cache holds went the long way", p, hdr)
				}
				continue
			}
			if hot.Code != routed.Code || hot.Body.String() != routed.Body.String() {
				t.Errorf("GET %s %v: hot %d (%d bytes), routed %d (%d bytes)", p, hdr, hot.Code, hot.Body.Len(), routed.Code, routed.Body.Len())
			}
			for k := range routed.Header() {
				if hot.Header().Get(k) != routed.Header().Get(k) {
					t.Errorf("GET %s %v: %s is %q hot, %q routed", p, hdr, k, hot.Header().Get(k), routed.Header().Get(k))
				}
			}
			if len(hot.Header()) != len(routed.Header()) {
				t.Errorf("GET %s %v: headers hot %v, routed %v", p, hdr, hot.Header(), routed.Header())
			}
		}
	}
}

// What the hot path leaves to the router: a query (it may choose the
// language or a page of a list), other methods, pages not yet cached,
// and everything while the cache is bypassed.
func TestServeCached_leavesToTheRouterWhatItCannotAnswer(t *testing.T) {
	h, _, a := newHotSite(t)
	h.ServeHTTP(httptest.NewRecorder(), get("GET", a.URL(), nil))
	cases := []*http.Request{
		get("GET", a.URL()+"?lang=ko", nil),
		get("POST", a.URL(), nil),
		get("GET", "/section/national", nil), // not asked for yet
		get("GET", "/no/such/page", nil),
	}
	for _, r := range cases {
		w := httptest.NewRecorder()
		if h.ServeCached(w, r) || w.Body.Len() > 0 || len(w.Header()) > 0 {
			t.Errorf("%s %s: answered by the hot path", r.Method, r.URL)
		}
	}
	if !h.ServeCached(httptest.NewRecorder(), get("HEAD", a.URL(), nil)) {
		t.Error("HEAD of a cached page went the long way")
	}
	h.BypassCache(true)
	if h.ServeCached(httptest.NewRecorder(), get("GET", a.URL(), nil)) {
		t.Error("the hot path answered while the cache is bypassed")
	}
}

// A reader's view of an article counts whichever way it is served; a
// bot's, a HEAD and the print view do not, as on the route.
func TestServeCached_countsArticleViewsAsTheRouteDoes(t *testing.T) {
	h, db, a := newHotSite(t)
	views := popular.New(db, nil, nil)
	h.EnableViews(views)
	reader := map[string]string{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"}
	first := httptest.NewRecorder()
	h.ServeHTTP(first, get("GET", a.URL(), reader))                           // counted, and cached
	h.ServeHTTP(httptest.NewRecorder(), get("GET", a.URL()+"/print", reader)) // cached, not counted
	// A browser revalidating its copy is answered 304 and not counted, as
	// on the long way.
	revalidate := map[string]string{"User-Agent": reader["User-Agent"], "If-None-Match": first.Header().Get("Etag")}
	for _, r := range []*http.Request{
		get("GET", a.URL(), reader), // counted
		get("GET", a.URL(), map[string]string{"User-Agent": "Googlebot/2.1"}),
		get("HEAD", a.URL(), reader),
		get("GET", a.URL()+"/print", reader),
		get("GET", a.URL(), revalidate),
	} {
		w := httptest.NewRecorder()
		if !h.ServeCached(w, r) {
			t.Fatalf("%s %s (%s): not answered hot", r.Method, r.URL, r.UserAgent())
		}
		if r.Header.Get("If-None-Match") != "" && w.Code != http.StatusNotModified {
			t.Fatalf("revalidation with %q: %d, want 304", r.Header.Get("If-None-Match"), w.Code)
		}
	}
	ctx := context.Background()
	if err := views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	list, counts, err := db.MostRead(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range list {
		if m.ID == a.ID {
			if counts[i] != 2 {
				t.Errorf("article %d: %d views counted, want 2", a.ID, counts[i])
			}
			return
		}
	}
	t.Errorf("article %d: no views counted", a.ID)
}

func TestArticleViewID_onlyTheArticlePageRoute(t *testing.T) {
	for path, want := range map[string]int64{
		"/article/12/council-votes":       12,
		"/article/12/council-votes/print": 0,
		"/article/12":                     0,
		"/article/12/":                    0,
		"/article/x/slug":                 0,
		"/article/-3/slug":                0,
		"/section/article/12/slug":        0,
	} {
		id, ok := articleViewID(path)
		if id != want || ok != (want != 0) {
			t.Errorf("articleViewID(%q) = %d, %v; want %d", path, id, ok, want)
		}
	}
}
