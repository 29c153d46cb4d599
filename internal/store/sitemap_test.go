package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/store/storetest"
)

func TestPublishedMonths_countsEachMonthAndSkipsGapsAndDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		at := func(s string) time.Time {
			v, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		for _, p := range []struct {
			when, edited string
			draft        bool
		}{
			{"2019-03-31T23:59:59.999Z", "2019-04-02T00:00:00Z", false}, // last instant of March (UTC)
			{"2019-03-01T00:00:00Z", "2019-03-01T00:00:00Z", false},
			{"2026-11-01T00:00:00Z", "2026-11-20T10:00:00Z", false}, // seven years later: no empty months between
			{"2026-11-15T00:00:00Z", "2026-11-15T00:00:00Z", false},
			{"2026-11-16T00:00:00Z", "2026-12-01T00:00:00Z", true}, // a draft counts nowhere
		} {
			a := newArticle(politics.ID, "Story "+p.when, at(p.when), au)
			a.UpdatedAt = at(p.edited)
			if p.draft {
				a.Status = article.Draft
			}
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.PublishedMonths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []article.Month{
			{Start: at("2019-03-01T00:00:00Z"), Count: 2, LastModified: at("2019-04-02T00:00:00Z")},
			{Start: at("2026-11-01T00:00:00Z"), Count: 2, LastModified: at("2026-11-20T10:00:00Z")},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("months differ (-want +got):\n%s", diff)
		}

		// Edits move the counts: an article moved to another month, one
		// unpublished, the draft published. Each change is a change to the
		// months it leaves and enters.
		list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		byHeadline := map[string]article.Article{}
		for _, a := range list {
			byHeadline[a.Headline] = a
		}
		edit := func(headline string, change func(a *article.Article)) {
			a := byHeadline[headline]
			a.Authors, a.Tags = []author.Author{au}, nil
			change(&a)
			if err := db.UpdateArticle(ctx, &a, a.Version); err != nil {
				t.Fatal(err)
			}
		}
		edit("Story 2026-11-15T00:00:00Z", func(a *article.Article) {
			a.PublishedAt, a.UpdatedAt = at("2019-03-10T00:00:00Z"), at("2026-12-01T00:00:00Z")
		})
		edit("Story 2019-03-01T00:00:00Z", func(a *article.Article) { a.Status, a.UpdatedAt = article.Draft, at("2026-12-02T00:00:00Z") })
		edit("Story 2026-11-16T00:00:00Z", func(a *article.Article) { a.Status, a.UpdatedAt = article.Published, at("2026-12-03T00:00:00Z") })
		got, err = db.PublishedMonths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want = []article.Month{
			{Start: at("2019-03-01T00:00:00Z"), Count: 2, LastModified: at("2026-12-02T00:00:00Z")},
			{Start: at("2026-11-01T00:00:00Z"), Count: 2, LastModified: at("2026-12-03T00:00:00Z")},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("months after edits differ (-want +got):\n%s", diff)
		}
		for _, m := range got { // the counts agree with the articles themselves
			list, err := db.PublishedBetween(ctx, m.Start, m.End(), article.Cursor{}, 100)
			if err != nil || len(list) != m.Count {
				t.Errorf("%s: %d articles listed (%v), counted %d", m.Start.Format("2006-01"), len(list), err, m.Count)
			}
		}
	})
}

func TestPublishedBetween_pagesAMonthInOrderWithoutGaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 1, 0)
		var want []int64
		for i := 0; i < 13; i++ {
			// Pairs share a time, so the id must break ties; one lies outside each end.
			a := newArticle(politics.ID, "Story", from.Add(time.Duration(i/2)*time.Hour), au)
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			want = append(want, a.ID)
		}
		for _, outside := range []time.Time{from.Add(-time.Millisecond), to} {
			if err := db.CreateArticle(ctx, newArticle(politics.ID, "Outside", outside, au)); err != nil {
				t.Fatal(err)
			}
		}
		var got []int64
		var after article.Cursor
		for range 10 {
			list, err := db.PublishedBetween(ctx, from, to, after, 4)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				got = append(got, a.ID)
			}
			if len(list) < 4 {
				break
			}
			last := list[len(list)-1]
			after = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("keyset pages differ from the month's articles (-want +got):\n%s", diff)
		}

		// A part that starts after five articles continues with the sixth.
		pos, err := db.PublishedPosition(ctx, from, to, 4)
		if err != nil || pos.ID != want[4] {
			t.Fatalf("position 4 = %+v, %v; want article %d", pos, err, want[4])
		}
		rest, err := db.PublishedBetween(ctx, from, to, pos, 100)
		if err != nil || len(rest) != len(want)-5 || rest[0].ID != want[5] {
			t.Errorf("after position 4: %d articles from %v, %v; want %d from %d", len(rest), rest, err, len(want)-5, want[5])
		}
		if _, err := db.PublishedPosition(ctx, from, to, len(want)); !errors.Is(err, article.ErrNotFound) {
			t.Errorf("position past the end: %v, want ErrNotFound", err)
		}
	})
}

func TestLoadBylinesAndTags_fillsEachArticleInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		when := time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
		kim := author.Author{Name: "Kim", Email: "kim@paper.example"}
		lee := author.Author{Name: "Lee", Email: "lee@paper.example"}
		a := newArticle(politics.ID, "Two bylines", when, lee, kim)
		a.Tags = []article.Tag{{Slug: "zeta", Name: "Zeta"}, {Slug: "alpha", Name: "Alpha"}}
		b := newArticle(politics.ID, "No tags", when.Add(time.Hour), kim)
		b.Tags = nil
		for _, x := range []*article.Article{a, b} {
			if err := db.CreateArticle(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.LoadBylinesAndTags(ctx, list); err != nil {
			t.Fatal(err)
		}
		for _, got := range list {
			want, err := db.Article(ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Authors, got.Authors); diff != "" {
				t.Errorf("article %d bylines (-want +got):\n%s", got.ID, diff)
			}
			if diff := cmp.Diff(want.Tags, got.Tags); diff != "" {
				t.Errorf("article %d tags (-want +got):\n%s", got.ID, diff)
			}
		}
	})
}

func TestTaggedAfter_listsOnlyTagsWithPublishedArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		for i, slug := range []string{"one", "two", "draft-only", "three"} {
			a := newArticle(politics.ID, "Story", time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC), au)
			a.Tags = []article.Tag{{Slug: slug, Name: slug}}
			if slug == "draft-only" {
				a.Status = article.Draft
			}
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.TaggedCount(ctx); err != nil || n != 3 {
			t.Errorf("tagged count = %d, %v; want 3", n, err)
		}
		first, err := db.TaggedAfter(ctx, 0, 2)
		if err != nil || len(first) != 2 {
			t.Fatalf("first page = %v, %v", first, err)
		}
		rest, err := db.TaggedAfter(ctx, first[1].ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tg := range append(first, rest...) {
			got = append(got, tg.Slug)
		}
		if diff := cmp.Diff([]string{"one", "two", "three"}, got); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
	})
}

// The sitemaps list exactly what is published, through every change that
// moves an article in or out: a month lists its published articles, the
// tags' sitemap the tags that have one.
func TestSitemaps_listExactlyThePublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		au := author.Author{Name: "Kim", Email: "kim@paper.example"}
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 1, 0)
		byTag := map[string]*article.Article{}
		for i, p := range []struct {
			tag    string
			status article.Status
		}{{"kept", article.Published}, {"draft", article.Draft}, {"scheduled", article.Scheduled},
			{"unpublished", article.Published}, {"retagged", article.Published}} {
			a := newArticle(politics.ID, "Story "+p.tag, from.Add(time.Duration(i)*time.Hour), au)
			a.Status, a.Tags = p.status, []article.Tag{{Slug: p.tag, Name: p.tag}}
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			byTag[p.tag] = a
		}
		save := func(tag string, change func(a *article.Article)) {
			a, err := db.Article(ctx, byTag[tag].ID)
			if err != nil {
				t.Fatal(err)
			}
			change(&a)
			if err := db.UpdateArticle(ctx, &a, a.Version); err != nil {
				t.Fatal(err)
			}
		}
		save("unpublished", func(a *article.Article) { a.Status = article.Draft })
		save("retagged", func(a *article.Article) { a.Tags = []article.Tag{{Slug: "kept", Name: "kept"}} })

		list, err := db.PublishedBetween(ctx, from, to, article.Cursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, a := range list {
			got = append(got, a.ID)
		}
		if diff := cmp.Diff([]int64{byTag["kept"].ID, byTag["retagged"].ID}, got); diff != "" {
			t.Errorf("month (-want +got):\n%s", diff)
		}
		tags, err := db.TaggedAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, tg := range tags {
			slugs = append(slugs, tg.Slug)
		}
		if diff := cmp.Diff([]string{"kept"}, slugs); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
		if n, err := db.TaggedCount(ctx); err != nil || n != 1 {
			t.Errorf("tagged count = %d, %v; want 1", n, err)
		}

		// Published again, and the draft published: both come back.
		save("unpublished", func(a *article.Article) { a.Status = article.Published })
		save("draft", func(a *article.Article) { a.Status = article.Published })
		if n, err := db.TaggedCount(ctx); err != nil || n != 3 {
			t.Errorf("tagged count after publishing = %d, %v; want 3", n, err)
		}
		if list, err := db.PublishedBetween(ctx, from, to, article.Cursor{}, 100); err != nil || len(list) != 4 {
			t.Errorf("month after publishing: %d articles, %v; want 4", len(list), err)
		}
	})
}
