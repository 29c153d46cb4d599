package store_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// topicPages reads a tag's published timeline the way the topic page
// does, limit articles a page, following the cursor to the end, and fails
// on a repeated article or one out of order.
func topicPages(t *testing.T, db *store.DB, tagID int64, limit int) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	seen := map[int64]bool{}
	var after article.Cursor
	var last *article.Article
	for range 100 {
		list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), TagID: tagID, Status: article.Published, After: after, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		for i := range list {
			a := list[i]
			if seen[a.ID] {
				t.Fatalf("article %q listed twice", a.Headline)
			}
			seen[a.ID] = true
			if a.Status != article.Published {
				t.Errorf("article %q is %s, on a topic page", a.Headline, a.Status)
			}
			if last != nil && !(a.PublishedAt.Before(last.PublishedAt) ||
				a.PublishedAt.Equal(last.PublishedAt) && a.ID < last.ID) {
				t.Errorf("article %q (%v) after %q (%v): not newest first", a.Headline, a.PublishedAt, last.Headline, last.PublishedAt)
			}
			last = &a
			out = append(out, a.Headline)
		}
		if len(list) < limit {
			return out
		}
		after = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	t.Fatal("the timeline does not end")
	return nil
}

func TestTopicTimeline_followsPublicationTagsAndSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		budget := article.Tag{Slug: "budget", Name: "Budget"}
		other := article.Tag{Slug: "weather", Name: "Weather"}
		day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }

		// What the timeline should be, kept beside the database: each
		// article's state, from which the expected order is derived.
		type state struct {
			a      *article.Article
			tagged bool
		}
		var all []*state
		want := func() []string {
			var in []*state
			for _, s := range all {
				if s.tagged && s.a.Status == article.Published {
					in = append(in, s)
				}
			}
			sort.Slice(in, func(i, j int) bool {
				a, b := in[i].a, in[j].a
				if !a.PublishedAt.Equal(b.PublishedAt) {
					return a.PublishedAt.After(b.PublishedAt)
				}
				return a.ID > b.ID
			})
			out := []string{}
			for _, s := range in {
				out = append(out, s.a.Headline)
			}
			return out
		}
		create := func(headline string, when time.Time, status article.Status, tags ...article.Tag) *state {
			a := newArticle(politics.ID, headline, when, au)
			a.Status, a.Tags = status, tags
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			s := &state{a: a}
			for _, tg := range tags {
				s.tagged = s.tagged || tg.Slug == budget.Slug
			}
			all = append(all, s)
			return s
		}
		save := func(s *state, change func(a *article.Article)) {
			t.Helper()
			cur, err := db.Article(ctx, s.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			change(&cur)
			if err := db.UpdateArticle(ctx, &cur, cur.Version); err != nil {
				t.Fatal(err)
			}
			s.a = &cur
			s.tagged = false
			for _, tg := range cur.Tags {
				s.tagged = s.tagged || tg.Slug == budget.Slug
			}
		}
		check := func(step string) {
			t.Helper()
			tag, err := db.TagBySlug(ctx, budget.Slug)
			if err != nil {
				t.Fatal(err)
			}
			w := want()
			for _, limit := range []int{1, 2, 3, 100} {
				if diff := cmp.Diff(w, topicPages(t, db, tag.ID, limit)); diff != "" {
					t.Errorf("%s, %d a page: timeline (-want +got):\n%s", step, limit, diff)
				}
			}
		}

		// Two published at the same instant: the id breaks the tie, also
		// across a page boundary.
		create("Budget tabled", day(2, 9), article.Published, budget)
		create("Budget debated", day(3, 9), article.Published, other, budget)
		create("Opposition reply", day(3, 9), article.Published, budget)
		reaction := create("Markets react", day(4, 9), article.Published, budget)
		create("Rain all week", day(4, 10), article.Published, other)
		vote := create("Vote draft", day(5, 9), article.Draft, budget)
		rain := create("Storm warning", day(5, 10), article.Published, other)
		passed := create("Budget passes", day(9, 9), article.Scheduled, budget)
		check("created")

		save(reaction, func(a *article.Article) { a.Status = article.Draft })
		check("unpublished")

		save(vote, func(a *article.Article) { a.Status, a.PublishedAt = article.Published, day(6, 8) })
		check("draft published")

		save(reaction, func(a *article.Article) { a.Status = article.Published })
		check("republished")

		save(rain, func(a *article.Article) { a.Tags = append(a.Tags, budget) })
		check("tag added")

		save(all[0], func(a *article.Article) { a.Tags = []article.Tag{other} })
		check("tag removed")

		save(vote, func(a *article.Article) { a.PublishedAt = day(1, 8) })
		check("publication time moved back")

		// The scheduler publishes a due article by saving it as published
		// at its scheduled time.
		due, err := db.DueArticles(ctx, day(10, 0), 10)
		if err != nil || len(due) != 1 || due[0] != passed.a.ID {
			t.Fatalf("due = %v, %v; want the scheduled article", due, err)
		}
		save(passed, func(a *article.Article) { a.Status = article.Published })
		check("scheduled article published")

		save(passed, func(a *article.Article) { a.Status, a.PublishedAt = article.Scheduled, day(20, 9) })
		check("rescheduled")
	})
}

// Bulk-loaded articles, the generator's, reach their topic pages and the
// tags' sitemap as saved ones do.
func TestBulkLoad_fillsTopicTimelines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		if err := db.SaveAuthor(ctx, &au); err != nil {
			t.Fatal(err)
		}
		tags, err := db.BulkTags(ctx, []string{"Budget", "Weather"})
		if err != nil {
			t.Fatal(err)
		}
		var list []store.BulkArticle
		var want []string
		for i := range 5 {
			a := newArticle(politics.ID, "Bulk "+string(rune('A'+i)), time.Date(2026, 3, 1+i, 0, 0, 0, 0, time.UTC))
			a.ID = int64(100 + i)
			b := store.BulkArticle{Article: *a, AuthorIDs: []int64{au.ID}, TagIDs: []int64{tags[1]}}
			if i%2 == 0 {
				b.TagIDs = []int64{tags[1], tags[0]}
				want = append([]string{a.Headline}, want...)
			}
			list = append(list, b)
		}
		if err := db.BulkLoad(ctx, list); err != nil {
			t.Fatal(err)
		}
		// The load itself fills the links in; the rebuild keeps them.
		if diff := cmp.Diff(want, topicPages(t, db, tags[0], 2)); diff != "" {
			t.Errorf("timeline after the load (-want +got):\n%s", diff)
		}
		if err := db.RebuildDerived(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, topicPages(t, db, tags[0], 2)); diff != "" {
			t.Errorf("timeline after the rebuild (-want +got):\n%s", diff)
		}
		if n, err := db.TaggedCount(ctx); err != nil || n != 2 {
			t.Errorf("tagged count = %d, %v; want 2", n, err)
		}
	})
}
