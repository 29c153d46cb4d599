package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/demo"
	"broadsheet/internal/i18n"
	"broadsheet/internal/store"
)

func TestTemplates_parseAndNameEveryAsset(t *testing.T) {
	as, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseTemplates(as); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.css", "print.css"} {
		if u := as.url(name); !strings.HasPrefix(u, "/static/") || !strings.HasSuffix(u, "/"+name) {
			t.Errorf("asset URL %q", u)
		}
	}
}

// Many readers rendering at once share templates, the navigation memo and
// the page cache; the race detector watches this test.
func TestHandler_concurrentRendering(t *testing.T) {
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
	h, err := NewHandler(Config{BaseURL: "http://t.test", PageCache: true},
		slog.New(slog.NewTextHandler(io.Discard, nil)), db, cat)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 8})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/", "/section/national", "/author/kim-minji?lang=ko"}
	for _, a := range list {
		paths = append(paths, a.URL(), a.URL()+"/print")
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				p := paths[(g+i)%len(paths)]
				if i%13 == 0 {
					h.Invalidate("home", "nav")
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
				if w.Code != http.StatusOK {
					t.Errorf("GET %s: %d", p, w.Code)
					return
				}
			}
		}()
	}
	wg.Wait()
}
