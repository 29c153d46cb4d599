package store

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// The editor's suggestion queries on a large paper: the archive of
// benchArchive (BROADSHEET_BENCH_ARTICLES, default 100,000 articles),
// 20,000 tags with three on every article, and 5,000 authors. The empty
// text is the worst case for tags: every tag's recent use is counted.
//
//	go test -run '^$' -bench Suggestions ./internal/store/
func BenchmarkSuggestions(b *testing.B) {
	db, start, n := benchArchive(b)
	ctx := context.Background()
	const tags, authors = 20_000, 5_000
	seq := func(limit int) string {
		if db.Engine() == "postgres" {
			return `SELECT i FROM generate_series(1, ` + strconv.Itoa(limit) + `) AS i`
		}
		return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ` + strconv.Itoa(limit) + `) SELECT i FROM n`
	}
	for _, q := range []string{
		`INSERT INTO tags (id, slug, name) SELECT i, 'topic-' || i, 'Topic ' || i FROM (` + seq(tags) + `) s`,
		`INSERT INTO authors (slug, name, email) SELECT 'writer-' || i, 'Writer ' || i, 'writer' || i || '@paper.example' FROM (` + seq(authors) + `) s`,
		`INSERT INTO article_tags (article_id, tag_id, position, published_at) SELECT id, 1 + (id * 7) % ` + strconv.Itoa(tags) + `, 0, published_at FROM articles WHERE true ON CONFLICT DO NOTHING`,
		`INSERT INTO article_tags (article_id, tag_id, position, published_at) SELECT id, 1 + (id * 13 + 5) % ` + strconv.Itoa(tags) + `, 1, published_at FROM articles WHERE true ON CONFLICT DO NOTHING`,
		`INSERT INTO article_tags (article_id, tag_id, position, published_at) SELECT id, 1 + (id % 50), 2, published_at FROM articles WHERE true ON CONFLICT DO NOTHING`,
		`ANALYZE`,
	} {
		if _, err := db.exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	// The window the newsroom counts: the last 90 days of the archive.
	since := start.Add(time.Duration(n)*5*time.Minute).AddDate(0, 0, -90)
	b.Logf("%d articles, %d tags, %d authors on %s", n, tags, authors, db.Engine())
	for _, q := range []string{"", "12", "topic 1999"} {
		b.Run("tags/"+q, func(b *testing.B) {
			for b.Loop() {
				if list, err := db.TagSuggestions(ctx, q, since, 20); err != nil || len(list) == 0 {
					b.Fatalf("%d tags, %v", len(list), err)
				}
			}
		})
	}
	for _, q := range []string{"", "writer 12", "writer4999@"} {
		b.Run("authors/"+q, func(b *testing.B) {
			for b.Loop() {
				if list, err := db.AuthorSuggestions(ctx, q, 20); err != nil || len(list) == 0 {
					b.Fatalf("%d authors, %v", len(list), err)
				}
			}
		})
	}
}
