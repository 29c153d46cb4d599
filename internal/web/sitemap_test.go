package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/demo"
	"broadsheet/internal/i18n"
	"broadsheet/internal/sitemap"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// newDemoHandler is the reader site on a new database of the engine
// loaded with the demo paper as of now.
func newDemoHandler(t *testing.T, e storetest.Engine, cfg Config, now time.Time) (*Handler, *store.DB) {
	t.Helper()
	db := e.Open(t)
	media := filepath.Join(t.TempDir(), "media")
	if _, err := demo.Load(context.Background(), db, media, now); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL, cfg.MediaDir = "http://paper.test", media
	h, err := NewHandler(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, cat)
	if err != nil {
		t.Fatal(err)
	}
	return h, db
}

func getLocs(t *testing.T, h http.Handler, path string) (int, []string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	if w.Code != http.StatusOK {
		return w.Code, nil
	}
	var doc struct {
		Entries []struct {
			Loc string `xml:"loc"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var locs []string
	for _, e := range doc.Entries {
		locs = append(locs, e.Loc)
	}
	return w.Code, locs
}

// With a limit of 5 URLs per file, a month is split into numbered parts,
// each listed in the index, that together hold its articles once each in
// publication order; the part after the last is 404.
func TestSitemap_monthSplitsIntoPartsAtTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		now := time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC) // the demo reaches back 16 days, into October
		h, db := newDemoHandler(t, e, Config{PageCache: true, SitemapURLs: 5}, now)
		h.now = func() time.Time { return now }
		months, err := db.PublishedMonths(context.Background())
		if err != nil || len(months) < 2 {
			t.Fatalf("months = %v, %v; the demo should span two", months, err)
		}
		_, index := getLocs(t, h, "/sitemap.xml")
		for _, m := range months {
			stem := m.Start.Format("2006-01")
			want, err := db.PublishedBetween(context.Background(), m.Start, m.End(), article.Cursor{}, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			nParts := (len(want) + 4) / 5
			for part := 1; part <= nParts; part++ {
				name := stem + ".xml"
				if part > 1 {
					name = fmt.Sprintf("%s-%d.xml", stem, part)
				}
				if !strings.Contains(strings.Join(index, " "), "/sitemaps/"+name) {
					t.Errorf("the index does not list %s", name)
				}
				code, locs := getLocs(t, h, "/sitemaps/"+name)
				if code != http.StatusOK || len(locs) == 0 || len(locs) > 5 {
					t.Errorf("%s: %d with %d URLs, want 200 with 1 to 5", name, code, len(locs))
				}
				got = append(got, locs...)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: parts list %d URLs, the month has %d articles", stem, len(got), len(want))
			}
			for i, a := range want {
				if got[i] != "http://paper.test"+escapePath(a.URL()) {
					t.Errorf("%s URL %d = %s, want %s", stem, i, got[i], a.URL())
				}
			}
			if code, _ := getLocs(t, h, fmt.Sprintf("/sitemaps/%s-%d.xml", stem, nParts+1)); code != http.StatusNotFound {
				t.Errorf("%s part %d (one past the last): %d, want 404", stem, nParts+1, code)
			}
		}
	})
}

// The cached news sitemap expires when its oldest article turns 48 hours
// old, though no content changed.
func TestSitemap_newsExpiresAsArticlesAge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		start := time.Now().Truncate(time.Second)
		clock := start
		h, _ := newDemoHandler(t, e, Config{PageCache: true}, start)
		h.now = func() time.Time { return clock }
		_, before := getLocs(t, h, "/sitemaps/news.xml")
		if len(before) < 2 {
			t.Fatalf("news sitemap lists %d articles, want several", len(before))
		}
		// The demo's oldest article in the window is 47 hours old: an hour on, it is out.
		clock = start.Add(time.Hour + time.Second)
		_, after := getLocs(t, h, "/sitemaps/news.xml")
		if len(after) != len(before)-1 || after[0] != before[0] {
			t.Errorf("an hour later the news sitemap lists %d of %d articles, want all but the oldest", len(after), len(before))
		}
	})
}

// The largest article URL the site can make — an 80-byte Hangul slug,
// percent-encoded, the largest id, a long origin — still fits 50,000 times
// in one file under the protocol's 50 MB.
func TestSitemap_worstCaseMonthFitsTheByteLimit(t *testing.T) {
	slug := article.Slugify(strings.Repeat("국회", 100))
	loc := "https://www.a-rather-long-newspaper-domain-name.example.co.kr" + escapePath(article.Path(1<<63-1, slug))
	urls := make([]sitemap.URL, sitemap.MaxURLs)
	for i := range urls {
		urls[i] = sitemap.URL{Loc: loc, LastMod: time.Now()}
	}
	b, err := sitemap.URLSet(urls)
	if err != nil {
		t.Fatalf("%d URLs of %d bytes: %v", len(urls), len(loc), err)
	}
	if len(b) > sitemap.MaxBytes/2 {
		t.Errorf("worst case is %d bytes, over half the limit: little margin for longer origins", len(b))
	}
}
