package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// A PATCH through the API changes the fields it names and keeps the ones
// the API's body cannot name: the search title and description, and the
// other sections the article is listed in, set in the newsroom.
func TestAPI_patchKeepsWhatItDoesNotName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		ctx := context.Background()
		a := m.target(t, article.Draft, m.staff[account.Editor])
		culture, err := m.ts.db.SectionByPath(ctx, "culture")
		if err != nil {
			t.Fatal(err)
		}
		a.SEOTitle, a.SEODescription, a.AlsoIn = "Search title", "Search description", []int64{culture.ID}
		if err := m.ts.db.UpdateArticle(ctx, &a, a.Version); err != nil {
			t.Fatal(err)
		}
		if res := m.ts.api(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), account.Editor, map[string]any{"deck": "A new deck"}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("patch: %d", res.StatusCode)
		}
		got, err := m.ts.db.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Deck != "A new deck" || got.SEOTitle != "Search title" || got.SEODescription != "Search description" ||
			len(got.AlsoIn) != 1 || got.AlsoIn[0] != culture.ID {
			t.Errorf("after a PATCH of the deck: deck %q, SEO %q/%q, also in %v", got.Deck, got.SEOTitle, got.SEODescription, got.AlsoIn)
		}
	})
}
