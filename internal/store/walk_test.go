package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/page"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestWalks_readEverythingInPagesByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		national, politics, _ := seedSections(t, db)
		if a, p, err := db.MaxIDs(ctx); err != nil || a != 0 || p != 0 {
			t.Errorf("empty paper: MaxIDs %d, %d, %v; want 0, 0", a, p, err)
		}
		when := time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
		var want []int64
		for i, status := range []article.Status{article.Published, article.Draft, article.Review, article.Scheduled, article.Published} {
			a := newArticle(politics.ID, fmt.Sprintf("Story %d", i), when)
			a.Status = status
			if status == article.Draft || status == article.Review {
				a.PublishedAt = time.Time{}
			}
			if i == 0 {
				a.AlsoIn = []int64{national.ID}
			}
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			want = append(want, a.ID)
		}
		var got []int64
		for after := int64(0); ; {
			list, err := db.ArticlesAfter(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				got = append(got, a.ID)
				if a.BodyHTML == "" || len(a.Tags) != 1 {
					t.Errorf("article %d: body %q, tags %v", a.ID, a.BodyHTML, a.Tags)
				}
				if a.ID == want[0] && (len(a.AlsoIn) != 1 || a.AlsoIn[0] != national.ID) {
					t.Errorf("article %d: other sections %v, want [%d]", a.ID, a.AlsoIn, national.ID)
				}
				after = a.ID
			}
			if len(list) < 2 {
				break
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("articles: got %v, want %v", got, want)
		}
		tags, err := db.TagsAfter(ctx, 0, 10)
		if err != nil || len(tags) != 1 || tags[0].Slug != "budget" {
			t.Errorf("tags: %v, %v", tags, err)
		}
		for _, slug := range []string{"about", "about/team"} {
			if err := db.SavePage(ctx, &page.Page{Slug: slug, Title: slug, Body: "b", BodyHTML: "<p>b</p>", UpdatedAt: when}); err != nil {
				t.Fatal(err)
			}
		}
		pages, err := db.PagesAfter(ctx, 0, 1)
		if err != nil || len(pages) != 1 || pages[0].BodyHTML != "<p>b</p>" {
			t.Errorf("first page: %v, %v", pages, err)
		}
		if more, _ := db.PagesAfter(ctx, pages[0].ID, 10); len(more) != 1 || more[0].Slug != "about/team" {
			t.Errorf("pages after %d: %v", pages[0].ID, more)
		}
		if a, p, err := db.MaxIDs(ctx); err != nil || a != want[len(want)-1] || p != pages[0].ID+1 {
			t.Errorf("MaxIDs: %d, %d, %v", a, p, err)
		}
	})
}

func TestWalks_refusePagesOutOfBounds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		for _, n := range []int{0, -1, store.MaxWalk + 1} {
			errs := []error{}
			_, err := db.ArticlesAfter(ctx, 0, n)
			errs = append(errs, err)
			_, err = db.TagsAfter(ctx, 0, n)
			errs = append(errs, err)
			_, err = db.VisibleCommentsAfter(ctx, 1, 0, n)
			errs = append(errs, err)
			_, err = db.PagesAfter(ctx, 0, n)
			errs = append(errs, err)
			for i, err := range errs {
				if err == nil || !strings.Contains(err.Error(), "want 1 to") {
					t.Errorf("walk %d, a page of %d: got %v, want a refusal", i, n, err)
				}
			}
		}
		if _, err := db.ArticlesAfter(ctx, 0, store.MaxWalk); err != nil {
			t.Errorf("a page of MaxWalk: %v", err)
		}
	})
}
