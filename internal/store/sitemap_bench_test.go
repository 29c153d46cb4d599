package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"broadsheet/internal/article"
)

// The sitemap queries at archive scale. BROADSHEET_BENCH_ARTICLES sets
// how many published articles to generate (default 100,000; the budget in
// docs/performance.md is measured at 1,000,000), one every five minutes,
// so 1,000,000 span about 9.5 years (8,600 a month). PostgreSQL is used
// when BROADSHEET_BENCH_POSTGRES_DSN names an empty database.
//
//	BROADSHEET_BENCH_ARTICLES=1000000 go test -run '^$' -bench Sitemap -benchtime 20x ./internal/store/

func benchArchive(b *testing.B) (*DB, time.Time, int) {
	b.Helper()
	ctx := context.Background()
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("BROADSHEET_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	dsn := os.Getenv("BROADSHEET_BENCH_POSTGRES_DSN")
	if dsn == "" {
		dsn = filepath.Join(b.TempDir(), "bench.db")
	}
	// The archive is written under schema 2 and then migrated, so the
	// monthly counts come from migration 00004 (whose time is logged).
	db, err := openNoMigrate(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	p, err := db.migrator()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 2); err != nil {
		b.Fatal(err)
	}
	if _, err := db.exec(ctx, `INSERT INTO sections (id, slug, path, name) VALUES (1, 'news', 'news', 'News')`); err != nil {
		b.Fatal(err)
	}
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	const step = 5 * 60 * 1000 // five minutes, in ms
	cols := `(slug, headline, body, body_html, section_id, status, published_at, created_at, updated_at)`
	gen := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO articles ` + cols + `
		SELECT 'story-' || i, 'Story ' || i, '', '', 1, 'published', ? + i * ?, ? + i * ?, ? + i * ? + 60000 FROM n`
	if db.Engine() == "postgres" {
		gen = `INSERT INTO articles ` + cols + `
		SELECT 'story-' || i, 'Story ' || i, '', '', 1, 'published', ? + i * ?, ? + i * ?, ? + i * ? + 60000
		FROM generate_series(1, ?::bigint) AS i`
	}
	t0 := ms(start)
	args := []any{n, t0, step, t0, step, t0, step}
	if db.Engine() == "postgres" {
		args = []any{t0, step, t0, step, t0, step, n}
	}
	if _, err := db.exec(ctx, gen, args...); err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("migrating %d articles to the latest schema took %v", n, time.Since(began).Round(time.Millisecond))
	if db.Engine() == "postgres" {
		if _, err := db.exec(ctx, `VACUUM ANALYZE articles`); err != nil {
			b.Fatal(err)
		}
	} else if _, err := db.exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return db, start, n
}

func BenchmarkSitemapQueries(b *testing.B) {
	db, start, n := benchArchive(b)
	ctx := context.Background()
	b.Logf("%d articles on %s", n, db.Engine())
	if months, err := db.PublishedMonths(ctx); err != nil || len(months) == 0 || months[1].Count < 8000 {
		b.Fatalf("months %v, %v: the migration did not count the archive", months, err)
	}
	// The month before the newest: full, and as far from the start of the
	// index as it gets.
	last := start.Add(time.Duration(n) * 5 * time.Minute)
	month := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	next := month.AddDate(0, 1, 0)

	b.Run("PublishedMonths", func(b *testing.B) {
		for b.Loop() {
			months, err := db.PublishedMonths(ctx)
			if err != nil || len(months) == 0 {
				b.Fatalf("%d months, %v", len(months), err)
			}
		}
	})
	b.Run("PublishedBetween/first5000", func(b *testing.B) {
		for b.Loop() {
			list, err := db.PublishedBetween(ctx, month, next, article.Cursor{}, 5000)
			if err != nil || len(list) != 5000 {
				b.Fatalf("%d articles, %v", len(list), err)
			}
		}
	})
	b.Run("PublishedBetween/wholeMonth", func(b *testing.B) {
		for b.Loop() {
			var after article.Cursor
			total := 0
			for {
				list, err := db.PublishedBetween(ctx, month, next, after, 5000)
				if err != nil {
					b.Fatal(err)
				}
				total += len(list)
				if len(list) < 5000 {
					break
				}
				a := list[len(list)-1]
				after = article.Cursor{PublishedAt: a.PublishedAt, ID: a.ID}
			}
			if total < 8000 {
				b.Fatalf("a month of %d articles", total)
			}
		}
	})
	b.Run("PublishedPosition/5000", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.PublishedPosition(ctx, month, next, 4999); err != nil {
				b.Fatal(err)
			}
		}
	})
}
