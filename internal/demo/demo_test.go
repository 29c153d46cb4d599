package demo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/store/storetest"
)

func TestLoad_onceAndIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		media := t.TempDir()
		loaded, err := Load(ctx, db, media, time.Now())
		if err != nil || !loaded {
			t.Fatalf("first load: %v, %v", loaded, err)
		}
		loaded, err = Load(ctx, db, media, time.Now())
		if err != nil || loaded {
			t.Fatalf("second load: %v, %v; want nothing done", loaded, err)
		}
		list, _ := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 100})
		secs, _ := db.Sections(ctx)
		authors, _ := db.Authors(ctx)
		if len(list) < 40 || len(secs) < 8 || len(authors) != 5 {
			t.Errorf("demo has %d articles, %d sections, %d authors; want ≥ 40, ≥ 8, 5", len(list), len(secs), len(authors))
		}
		for name := range scenes {
			if st, err := os.Stat(filepath.Join(media, "demo", name+".png")); err != nil || st.Size() == 0 {
				t.Errorf("image %s: %v", name, err)
			}
		}
	})
}

func TestLoad_refusesASiteWithItsOwnArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		if err := loadSections(ctx, db); err != nil {
			t.Fatal(err)
		}
		sec, _ := db.SectionByPath(ctx, "culture")
		now := time.Now().UTC().Truncate(time.Millisecond)
		own := &article.Article{Slug: "ours", Headline: "Our own story", Body: "b", BodyHTML: "<p>b</p>", SectionID: sec.ID,
			Status: article.Published, PublishedAt: now, CreatedAt: now, UpdatedAt: now,
			Authors: []author.Author{{Name: "Staff", Email: "staff@paper.example"}}}
		if err := db.CreateArticle(ctx, own); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(ctx, db, t.TempDir(), time.Now()); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("got %v, want ErrNotEmpty", err)
		}
		list, _ := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Limit: 100})
		authors, _ := db.Authors(ctx)
		if len(list) != 1 || len(authors) != 1 {
			t.Errorf("the refused load left %d articles and %d authors, want 1 and 1", len(list), len(authors))
		}
	})
}
