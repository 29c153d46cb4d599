package api

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/demo"
	"broadsheet/internal/front"
	"broadsheet/internal/glossary"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
	"broadsheet/internal/store"
	"broadsheet/internal/webhook"
)

// apiOnDemoDatabase is the API on a temporary SQLite file with the demo
// content and one reader (id 1), so public routes that read comments
// answer as in production.
func apiOnDemoDatabase(t *testing.T) http.Handler {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Load(ctx, db, filepath.Join(dir, "media"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "s", DisplayName: "Reader"}); err != nil {
		t.Fatal(err)
	}
	articles := article.NewService(db, nopInvalidator{}, nil)
	return NewHandler(slog.New(slog.DiscardHandler), db, articles, glossary.NewService(db, nil), nopInvalidator{},
		&Comments{Service: comment.NewService(db, nil), Sessions: reader.NewSessions(db, false), Readers: db},
		testManage(db))
}

type nopInvalidator struct{}

func (nopInvalidator) Invalidate(...string) {}

// testManage is the API's services on db, without an audit log or cache.
func testManage(db *store.DB) Manage {
	return Manage{Sections: section.NewService(db, nil, nil), Authors: author.NewService(db, nil, nil),
		Pages: page.NewService(db, nil, nil, page.Rules{Render: article.RenderMarkdown}, nil),
		Site:  site.NewService(db, nil, nil, nil), Front: front.NewService(db, nil, nil),
		Webhooks: webhook.NewService(db, nil, nil, false)}
}
