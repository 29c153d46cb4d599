package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/store/storetest"
)

// The newsroom's list on SQLite with a few thousand articles in every
// state, searched and filtered as an editor would on deadline:
//
//	go test -run '^$' -bench NewsroomList -benchtime 200x ./internal/store/
func BenchmarkNewsroomList(b *testing.B) {
	ctx := context.Background()
	db := storetest.Engines(b)[0].Open(b)
	_, politics, sports := seedSections(b, db)
	writers := []author.Author{{Name: "Mina Park", Email: "mina@paper.example"}, {Name: "Jun Lee", Email: "jun@paper.example"},
		{Name: "Seo-yeon Kim", Email: "seo@paper.example"}}
	topics := []string{"harbour", "budget", "ferry", "council", "school", "rowing", "tram", "housing"}
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	const n = 3000
	statuses := []article.Status{article.Published, article.Published, article.Published, article.Draft, article.Review, article.Scheduled}
	for i := range n {
		sec := politics.ID
		if i%3 == 0 {
			sec = sports.ID
		}
		at := base.Add(time.Duration(i) * time.Hour)
		t1, t2 := topics[i%len(topics)], topics[(i/len(topics))%len(topics)]
		a := newArticle(sec, fmt.Sprintf("The %s and the %s, part %d", t1, t2, i), at, writers[i%len(writers)])
		a.Body = fmt.Sprintf("A report on the %s. The %s question came up again on day %d, with residents and officials.", t1, t2, i)
		a.BodyHTML = "<p>" + a.Body + "</p>"
		a.Status = statuses[i%len(statuses)]
		switch a.Status {
		case article.Draft, article.Review:
			a.PublishedAt = time.Time{}
		case article.Scheduled:
			a.PublishedAt = base.AddDate(2, 0, 0)
		}
		if err := db.CreateArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	mina, err := db.AuthorBySlug(ctx, "mina-park")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		q    article.ListQuery
	}{
		{"first page", article.ListQuery{Sort: article.SortUpdated}},
		{"search", article.ListQuery{Text: "harbour", Sort: article.SortUpdated}},
		{"search prefix", article.ListQuery{Text: "ferr*", Sort: article.SortUpdated}},
		{"search and filters", article.ListQuery{Text: "council", Status: article.Draft, SectionIDs: []int64{politics.ID},
			AuthorID: mina.ID, ChangedFrom: base.AddDate(0, 1, 0), Sort: article.SortHeadline, Ascending: true}},
		{"deep page by headline", article.ListQuery{Sort: article.SortHeadline, Offset: 2400}},
	} {
		c.q.Scope, c.q.Limit = article.SystemScope(), 30
		b.Run(c.name+"/page", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ListArticles(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/count", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.CountArticles(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
