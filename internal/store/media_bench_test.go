package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/author"
	"broadsheet/internal/media"
	"broadsheet/internal/store/storetest"
)

// BenchmarkImages_pageWithUseCounts measures what a page of the media
// library costs the database: a page of images and, for each, the count
// of the articles and pages that use it, which reads every article's
// image address and body once. 5,000 articles of about 3 KB each
// stand for a few years of a small newsroom.
func BenchmarkImages_pageWithUseCounts(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			db := e.Open(b)
			_, politics, _ := seedSections(&testing.T{}, db)
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			text := strings.Repeat("The council met on Tuesday and voted on the harbour budget. ", 50)
			for i := range 5000 {
				a := newArticle(politics.ID, fmt.Sprintf("Story %d", i), base.Add(time.Duration(i)*time.Minute), author.Author{Name: "Mina Park", Email: "mina@paper.example"})
				a.Body = text + fmt.Sprintf("\n\n![x](/media/u/%04x/640.jpg)\n", i%100)
				if err := db.CreateArticle(ctx, a); err != nil {
					b.Fatal(err)
				}
			}
			for i := range media.PageSize {
				im := testImage(fmt.Sprintf("u/%04x", i), 0, base.Add(time.Duration(i)*time.Minute))
				if err := db.CreateImage(ctx, &im); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				ims, err := db.SearchImages(ctx, media.ListQuery{Limit: media.PageSize + 1})
				if err != nil {
					b.Fatal(err)
				}
				keys := make([]string, len(ims))
				for i, im := range ims {
					keys[i] = im.Key
				}
				if _, err := db.ImageUseCounts(ctx, keys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
