package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"broadsheet/internal/article"
)

// BulkArticle is a published article for BulkLoad, with the ids of its
// authors and tags, which must exist.
type BulkArticle struct {
	article.Article
	AuthorIDs []int64
	TagIDs    []int64
}

// BulkLoad stores many published articles at once, for filling a
// database to measure it at scale (bench/articlegen): ids are given,
// there are no revisions or related articles, and the search index and
// monthly counts are built afterwards by RebuildDerived. Everything in
// one call is one transaction. The site's own writes never use it.
func (db *DB) BulkLoad(ctx context.Context, list []BulkArticle) error {
	if db.d.name == "postgres" {
		return db.bulkCopy(ctx, list)
	}
	return db.tx(ctx, func(t *txn) error {
		ins, err := t.tx.PrepareContext(ctx, `INSERT INTO articles (id, slug, headline, deck, body, body_html, section_id, status,
			published_at, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, 1)`)
		if err != nil {
			return err
		}
		au, err := t.tx.PrepareContext(ctx, `INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		// The articles are all published: their tag links carry the
		// publication time, as linkArticle's do.
		tg, err := t.tx.PrepareContext(ctx, `INSERT INTO article_tags (article_id, tag_id, position, published_at) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		for _, a := range list {
			if _, err := ins.ExecContext(ctx, a.ID, a.Slug, a.Headline, a.Deck, a.Body, a.BodyHTML, a.SectionID,
				ms(a.PublishedAt), ms(a.CreatedAt), ms(a.UpdatedAt)); err != nil {
				return fmt.Errorf("store: bulk article %d: %w", a.ID, err)
			}
			for i, id := range a.AuthorIDs {
				if _, err := au.ExecContext(ctx, a.ID, id, i); err != nil {
					return fmt.Errorf("store: bulk article %d: %w", a.ID, err)
				}
			}
			for i, id := range a.TagIDs {
				if _, err := tg.ExecContext(ctx, a.ID, id, i, ms(a.PublishedAt)); err != nil {
					return fmt.Errorf("store: bulk article %d: %w", a.ID, err)
				}
			}
		}
		return nil
	})
}

// bulkCopy is BulkLoad on PostgreSQL, with COPY.
func (db *DB) bulkCopy(ctx context.Context, list []BulkArticle) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	return conn.Raw(func(driverConn any) error {
		c := driverConn.(*stdlib.Conn).Conn()
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		var arts, auths, tags [][]any
		for _, a := range list {
			arts = append(arts, []any{a.ID, a.Slug, a.Headline, a.Deck, a.Body, a.BodyHTML, a.SectionID, "published",
				ms(a.PublishedAt), ms(a.CreatedAt), ms(a.UpdatedAt), int64(1)})
			for i, id := range a.AuthorIDs {
				auths = append(auths, []any{a.ID, id, int64(i)})
			}
			for i, id := range a.TagIDs {
				tags = append(tags, []any{a.ID, id, int64(i), ms(a.PublishedAt)})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"articles"}, []string{"id", "slug", "headline", "deck", "body", "body_html",
			"section_id", "status", "published_at", "created_at", "updated_at", "version"}, pgx.CopyFromRows(arts)); err != nil {
			return fmt.Errorf("store: bulk copy articles: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"article_authors"}, []string{"article_id", "author_id", "position"}, pgx.CopyFromRows(auths)); err != nil {
			return fmt.Errorf("store: bulk copy bylines: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"article_tags"}, []string{"article_id", "tag_id", "position", "published_at"}, pgx.CopyFromRows(tags)); err != nil {
			return fmt.Errorf("store: bulk copy tags: %w", err)
		}
		return tx.Commit(ctx)
	})
}

// RebuildDerived rebuilds what articles' saves normally keep up to date
// — the search index, the monthly counts of the sitemaps and, on
// PostgreSQL, the id sequence — after BulkLoad.
func (db *DB) RebuildDerived(ctx context.Context) error {
	var stmts []string
	if db.d.name == "postgres" {
		// The GIN index is built once after the rows are in: keeping it up
		// to date row by row is many times slower.
		stmts = []string{
			`SET maintenance_work_mem = '512MB'`,
			`DROP INDEX IF EXISTS article_search_document`,
			`TRUNCATE article_search`,
			`INSERT INTO article_search (article_id, headline, deck, body, people, tags, document)
			SELECT id, headline, deck, body, people, tags,
				setweight(to_tsvector('simple', headline), 'A') ||
				setweight(to_tsvector('simple', deck || ' ' || people || ' ' || tags), 'B') ||
				setweight(to_tsvector('simple', body), 'C')
			FROM (SELECT a.id, a.headline, a.deck, a.body,
				COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') AS people,
				COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '') AS tags
			FROM articles a WHERE a.status = 'published') s`,
			`CREATE INDEX article_search_document ON article_search USING GIN (document)`,
			`DELETE FROM article_months`,
			`INSERT INTO article_months (month_start, articles, last_modified)
			SELECT (EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT,
				COUNT(*), MAX(updated_at)
			FROM articles WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1`,
			`SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT MAX(id) FROM articles))`,
			`ANALYZE`,
		}
	} else {
		stmts = []string{
			`DELETE FROM article_search`,
			`INSERT INTO article_search (rowid, headline, deck, body, people, tags)
			SELECT a.id, a.headline, a.deck, a.body,
				COALESCE((SELECT group_concat(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), ''),
				COALESCE((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')
			FROM articles a WHERE a.status = 'published'`,
			`INSERT INTO article_search (article_search) VALUES ('optimize')`,
			`DELETE FROM article_months`,
			`INSERT INTO article_months (month_start, articles, last_modified)
			SELECT CAST(strftime('%s', published_at / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000,
				COUNT(*), MAX(updated_at)
			FROM articles WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1`,
			`ANALYZE`,
		}
	}
	for _, s := range stmts {
		if _, err := db.sql.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("store: rebuild: %w", err)
		}
	}
	// The tag links' copy of the publication time, which the topic pages
	// are read by, for databases filled before the links carried it. Only
	// links that differ are written: BulkLoad already fills it in.
	if _, err := db.sql.ExecContext(ctx, `UPDATE article_tags SET published_at = (SELECT a.published_at FROM articles a
		WHERE a.id = article_tags.article_id AND a.status = 'published')
		WHERE published_at IS DISTINCT FROM (SELECT a.published_at FROM articles a
		WHERE a.id = article_tags.article_id AND a.status = 'published')`); err != nil {
		return fmt.Errorf("store: rebuild tag links: %w", err)
	}
	return nil
}

// MaxArticleID is the largest article id, 0 for none.
func (db *DB) MaxArticleID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.queryRow(ctx, `SELECT MAX(id) FROM articles`).Scan(&id)
	return id.Int64, err
}

// BulkTags stores tags by name (slug derived), keeping existing ones, and
// returns their ids in order.
func (db *DB) BulkTags(ctx context.Context, names []string) ([]int64, error) {
	ids := make([]int64, len(names))
	err := db.tx(ctx, func(t *txn) error {
		for i, n := range names {
			slug := article.Slugify(n)
			if _, err := t.exec(ctx, `INSERT INTO tags (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING`, slug, n); err != nil {
				return err
			}
			if err := t.queryRow(ctx, `SELECT id FROM tags WHERE slug = ?`, slug).Scan(&ids[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return ids, err
}
