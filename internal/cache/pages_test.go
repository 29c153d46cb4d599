package cache

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func page(body string, keys ...string) *Page {
	return NewPage(200, "text/html", []byte(body), keys, "en")
}

func TestPages_invalidateDropsOnlyPagesWithTheKey(t *testing.T) {
	c := NewPages(1 << 20)
	_, gen := c.Get("/a")
	c.Put("/a", page("a", ArticleKey(1), SectionKey(2)), gen)
	c.Put("/b", page("b", ArticleKey(3), SectionKey(2)), gen)
	c.Put("/c", page("c", ArticleKey(4)), gen)
	c.Invalidate(SectionKey(2))
	for key, want := range map[string]bool{"/a": false, "/b": false, "/c": true} {
		if p, _ := c.Get(key); (p != nil) != want {
			t.Errorf("%s cached = %v, want %v", key, p != nil, want)
		}
	}
	c.Invalidate(KeyAll)
	if p, _ := c.Get("/c"); p != nil {
		t.Error("KeyAll left /c cached")
	}
}

func TestPages_putAfterInvalidationIsDropped(t *testing.T) {
	c := NewPages(1 << 20)
	_, gen := c.Get("/a")
	c.Invalidate(ArticleKey(1)) // content changed while /a was rendering
	c.Put("/a", page("stale", ArticleKey(1)), gen)
	if p, _ := c.Get("/a"); p != nil {
		t.Error("a page rendered before an invalidation was stored")
	}
}

func TestPages_staysWithinItsByteBound(t *testing.T) {
	c := NewPages(64 << 10)
	body := make([]byte, 4000)
	for i := range 100 {
		_, gen := c.Get("k")
		c.Put(fmt.Sprint("/", i), NewPage(200, "text/html", body, []string{ArticleKey(int64(i))}, "en"), gen)
	}
	n, bytes, _, _ := c.Stats()
	if bytes > 64<<10 || n == 0 {
		t.Errorf("cache holds %d pages, %d bytes; want some, at most %d bytes", n, bytes, 64<<10)
	}
	if p, _ := c.Get("/99"); p == nil {
		t.Error("the newest page was evicted")
	}
}

func TestPages_replacingAPageKeepsItFromEarlyEviction(t *testing.T) {
	body := make([]byte, 100)
	one := NewPage(200, "text/html", body, nil, "en").size()
	c := NewPages(8 * one) // room for eight pages
	put := func(k string) {
		_, gen := c.Get(k)
		c.Put(k, NewPage(200, "text/html", body, nil, "en"), gen)
	}
	put("/a")
	put("/b")
	put("/a") // replaced: now among the newest
	for _, k := range []string{"/c", "/d", "/e", "/f", "/g", "/h", "/i"} {
		put(k) // the ninth page pushes out the oldest live one, /b
	}
	if p, _ := c.Get("/a"); p == nil {
		t.Error("/a was evicted through its stale first slot")
	}
	if p, _ := c.Get("/b"); p != nil {
		t.Error("/b, the oldest, is still cached")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.8": true,
		"gzip;q=0": false, "gzip; q=0": false, "identity": false, "": false, "x-gzip-ish": false,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if header != "" {
			r.Header.Set("Accept-Encoding", header)
		}
		if got := acceptsGzip(r); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestPages_gzipAndETagsComputedOnce(t *testing.T) {
	body := make([]byte, 10000)
	p := NewPage(200, "text/html", body, nil, "en")
	p.Compress()
	if len(p.Gzip) == 0 || len(p.Gzip) >= len(body) {
		t.Errorf("gzip size %d for %d bytes of zeros", len(p.Gzip), len(body))
	}
	if p.ETag == p.GzipETag || p.ETag == "" {
		t.Errorf("ETags %q and %q must differ and be set", p.ETag, p.GzipETag)
	}
}

func TestPages_concurrentUse(t *testing.T) {
	c := NewPages(1 << 20)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := fmt.Sprint("/", i%20)
				if p, gen := c.Get(key); p == nil {
					c.Put(key, page(key, ArticleKey(int64(i%5))), gen)
				}
				if i%50 == g {
					c.Invalidate(ArticleKey(int64(g % 5)))
				}
			}
		}()
	}
	wg.Wait()
}

func TestPageServe_lastModifiedAnswersIfModifiedSince(t *testing.T) {
	changed := time.Date(2026, 11, 26, 8, 30, 15, 500e6, time.UTC)
	p := NewPage(200, "application/rss+xml", []byte("<rss/>"), nil, "")
	p.SetLastModified(changed)
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"no validators", nil, 200},
		{"same second", map[string]string{"If-Modified-Since": changed.Format(http.TimeFormat)}, 304},
		{"later", map[string]string{"If-Modified-Since": changed.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"earlier", map[string]string{"If-Modified-Since": changed.Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"not a date", map[string]string{"If-Modified-Since": "yesterday"}, 200},
		// If-None-Match wins: a stale ETag means a new body even when the time has not moved.
		{"stale etag beats date", map[string]string{"If-None-Match": `"old"`, "If-Modified-Since": changed.Format(http.TimeFormat)}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/feed.xml", nil)
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			p.Serve(w, r, nil)
			if w.Code != tc.want {
				t.Errorf("status %d, want %d", w.Code, tc.want)
			}
			if got := w.Header().Get("Last-Modified"); got != "Thu, 26 Nov 2026 08:30:15 GMT" {
				t.Errorf("Last-Modified %q, want the change time to the second", got)
			}
		})
	}
}

func TestPageServe_varyNamesLanguageOnlyForLanguagePages(t *testing.T) {
	for lang, want := range map[string]string{"en": "Accept-Encoding, Accept-Language", "": "Accept-Encoding"} {
		w := httptest.NewRecorder()
		NewPage(200, "text/plain", []byte("x"), nil, lang).Serve(w, httptest.NewRequest("GET", "/", nil), nil)
		if got := w.Header().Get("Vary"); got != want {
			t.Errorf("language %q: Vary %q, want %q", lang, got, want)
		}
	}
}

func TestPage_expired(t *testing.T) {
	now := time.Now()
	p := page("x")
	if p.Expired(now) {
		t.Error("a page without Expires expired")
	}
	p.Expires = now.Add(time.Minute)
	if p.Expired(now) || !p.Expired(now.Add(time.Minute)) {
		t.Error("Expires is not honoured to the instant")
	}
}

// TestPages_pastItsLifetimeAPageIsAMiss: with a lifetime set, a page is
// served until it has been kept that long, then Get misses (it is not
// handed back as an expired copy to serve meanwhile); a new Put keeps it
// again. Without a lifetime pages are kept until invalidated.
func TestPages_pastItsLifetimeAPageIsAMiss(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := NewPages(1 << 20)
	c.now = func() time.Time { return now }
	c.SetLifetime(time.Minute)
	_, gen := c.Get("/a")
	c.Put("/a", page("a", ArticleKey(1)), gen)
	now = now.Add(59 * time.Second)
	if p, _ := c.Get("/a"); p == nil {
		t.Fatal("a page within its lifetime was a miss")
	}
	now = now.Add(time.Second)
	p, gen := c.Get("/a")
	if p != nil {
		t.Fatal("a page kept for its whole lifetime was still served")
	}
	c.Put("/a", page("a again", ArticleKey(1)), gen)
	if p, _ := c.Get("/a"); p == nil || string(p.Body) != "a again" {
		t.Fatal("the page stored again after its lifetime is not served")
	}
	if entries, _, _, _ := c.Stats(); entries != 1 {
		t.Errorf("%d entries after storing one page twice, want 1", entries)
	}

	c.SetLifetime(0)
	now = now.Add(24 * time.Hour)
	if p, _ := c.Get("/a"); p == nil {
		t.Error("without a lifetime a page went out of the cache on its own")
	}
}
