package web

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/demo"
	"broadsheet/internal/i18n"
	"broadsheet/internal/store"
)

// An article page names, in its <head>, the site's feeds and its own
// section's, each of which answers with a feed.
func TestArticlePage_namesTheSiteAndSectionFeeds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Load(ctx, db, filepath.Join(dir, "media"), time.Now()); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Config{BaseURL: "http://t.test", PageCache: true}, slog.New(slog.NewTextHandler(io.Discard, nil)), db, cat)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no published demo article: %v", err)
	}
	a := list[0]
	secs, err := db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sectionPath string
	for _, s := range secs {
		if s.ID == a.SectionID {
			sectionPath = s.Path
		}
	}
	if sectionPath == "" {
		t.Fatalf("article %d has no section in the demo paper", a.ID)
	}

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", a.URL(), nil))
	if w.Code != 200 {
		t.Fatalf("GET %s: %d", a.URL(), w.Code)
	}
	links := regexp.MustCompile(`<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">`).FindAllStringSubmatch(w.Body.String(), -1)
	got := map[string]string{}
	for _, l := range links {
		got[html.UnescapeString(l[2])] = html.UnescapeString(l[1])
	}
	want := map[string]string{
		"http://t.test/feed.xml":                             "application/rss+xml",
		"http://t.test/feed.atom":                            "application/atom+xml",
		"http://t.test/feed.json":                            "application/feed+json",
		"http://t.test/section/" + sectionPath + "/feed.xml": "application/rss+xml",
	}
	for u, typ := range want {
		if got[u] != typ {
			t.Errorf("the article page does not name %s as %s; its feed links: %v", u, typ, got)
		}
	}
	for u := range got {
		path := u[len("http://t.test"):]
		fw := httptest.NewRecorder()
		h.ServeHTTP(fw, httptest.NewRequest("GET", path, nil))
		if fw.Code != 200 {
			t.Errorf("the feed the article names, %s, answers %d", path, fw.Code)
		}
	}
}
