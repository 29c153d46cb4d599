package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestColumns_kindsAndMissingTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		cols, err := db.Columns(ctx, "comments")
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]store.Kind{}
		for _, c := range cols {
			kinds[c.Name] = c.Kind
		}
		for name, want := range map[string]store.Kind{"id": store.KindInteger, "body": store.KindText, "score": store.KindReal, "edited_at": store.KindInteger} {
			if kinds[name] != want {
				t.Errorf("comments.%s: kind %d, want %d", name, kinds[name], want)
			}
		}
		// Names go into SQL text: anything but [a-z0-9_] is no table, and
		// the search index (a virtual table on SQLite) is never moved.
		for _, name := range []string{"no_such_table", "articles; DROP TABLE articles", "Articles", "", strings.Repeat("a", 64)} {
			if _, err := db.Columns(ctx, name); !errors.Is(err, store.ErrNoTable) {
				t.Errorf("Columns(%q): got %v, want ErrNoTable", name, err)
			}
		}
		if e.Name == "sqlite" {
			if _, err := db.Columns(ctx, "article_search"); !errors.Is(err, store.ErrNoTable) {
				t.Errorf("Columns(article_search): got %v, want ErrNoTable for a virtual table", err)
			}
		}
		err = db.LoadTables(ctx, func(l *store.Loader) error {
			return l.Insert(ctx, "sections", []string{"id", "slug); DROP TABLE articles; --"}, []any{1, "x"})
		})
		if err == nil || !strings.Contains(err.Error(), "is not allowed") {
			t.Errorf("insert with a bad column name: got %v, want a refusal", err)
		}
	})
}
