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
			published_at, created_at, updated_at, version, search_key) VALUES (?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, 1, ?)`)
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
				ms(a.PublishedAt), ms(a.CreatedAt), ms(a.UpdatedAt), searchKey(a.PublishedAt, a.ID)); err != nil {
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
				ms(a.PublishedAt), ms(a.CreatedAt), ms(a.UpdatedAt), int64(1), searchKey(a.PublishedAt, a.ID)})
			for i, id := range a.AuthorIDs {
				auths = append(auths, []any{a.ID, id, int64(i)})
			}
			for i, id := range a.TagIDs {
				tags = append(tags, []any{a.ID, id, int64(i), ms(a.PublishedAt)})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"articles"}, []string{"id", "slug", "headline", "deck", "body", "body_html",
			"section_id", "status", "published_at", "created_at", "updated_at", "version", "search_key"}, pgx.CopyFromRows(arts)); err != nil {
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
		if err := db.rebuildPostgresSearch(ctx); err != nil {
			return err
		}
		stmts = []string{
			`DELETE FROM article_months`,
			`INSERT INTO article_months (month_start, articles, last_modified)
			SELECT (EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT,
				COUNT(*), MAX(updated_at)
			FROM articles WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1`,
			`SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT MAX(id) FROM articles))`,
			// Vacuumed, the tables' visibility maps let the sitemaps and
			// topic pages read their covering indexes alone.
			`VACUUM (ANALYZE) articles, article_tags, article_authors, article_search`,
			`ANALYZE`,
		}
	} else {
		stmts = []string{
			`INSERT INTO article_search (article_search) VALUES ('delete-all')`,
			`UPDATE articles SET search_key = (published_at << 20) | (id & 1048575)
				WHERE status = 'published' AND published_at IS NOT NULL AND search_key IS NULL`,
			`INSERT INTO article_search (rowid, headline, deck, body, people, tags)
			SELECT a.search_key, a.headline, a.deck, a.body,
				COALESCE((SELECT group_concat(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), ''),
				COALESCE((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')
			FROM articles a WHERE a.search_key IS NOT NULL ORDER BY a.search_key`,
			`INSERT INTO article_search (article_search) VALUES ('optimize')`,
			`CREATE VIRTUAL TABLE IF NOT EXISTS article_search_vocab USING fts5vocab(article_search, 'row')`,
			`INSERT OR IGNORE INTO search_words (word) SELECT term FROM article_search_vocab`,
			`DROP TABLE article_search_vocab`,
			`DELETE FROM article_months`,
			`INSERT INTO article_months (month_start, articles, last_modified)
			SELECT CAST(strftime('%s', published_at / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000,
				COUNT(*), MAX(updated_at)
			FROM articles WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1`,
			`ANALYZE`,
		}
	}
	// One connection for all: settings such as maintenance_work_mem hold
	// for the session that made them.
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: rebuild: %w", err)
	}
	defer func() { _ = conn.Close() }()
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("store: rebuild: %w", err)
		}
	}
	// After the search keys are set: the articles without one are the
	// drafts' index's.
	if err := db.rebuildDraftSearch(ctx); err != nil {
		return err
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

// rebuildPostgresSearch fills the search table from the articles. Making
// the vectors is the slow part and runs on two connections at once, each
// over half of the articles; the GIN indexes are built once after the rows
// are in (keeping them up to date row by row is many times slower), also
// side by side.
func (db *DB) rebuildPostgresSearch(ctx context.Context) error {
	for _, s := range []string{
		// Without statistics (a database just filled) the planner joins
		// every tag to every article.
		`ANALYZE articles, article_authors, article_tags, authors, tags`,
		`DROP INDEX IF EXISTS article_search_document`,
		`DROP INDEX IF EXISTS article_search_head`,
		`TRUNCATE article_search`,
		`UPDATE articles SET search_key = (published_at << 20) | (id & 1048575)
			WHERE status = 'published' AND published_at IS NOT NULL AND search_key IS NULL`,
	} {
		if _, err := db.sql.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("store: rebuild search: %w", err)
		}
	}
	fill := `INSERT INTO article_search (search_key, article_id, head, document)
		SELECT search_key, id, head,
			head || setweight(to_tsvector('simple', body), 'C')
				|| array_to_tsvector(ARRAY[
					'_d' || to_char(to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC', 'YYYYMMDD'),
					'_m' || to_char(to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC', 'YYYYMM'),
					'_y' || to_char(to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY')])
		FROM (SELECT a.search_key, a.id, a.body, a.published_at,
			setweight(to_tsvector('simple', a.headline), 'A') ||
			setweight(to_tsvector('simple', a.deck || ' ' ||
				COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') || ' ' ||
				COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')), 'B') AS head
		FROM articles a WHERE a.search_key IS NOT NULL AND a.id % 2 = $1 OFFSET 0) s`
	if err := db.sideBySide(ctx, []string{fill, fill}, []any{0, 1}); err != nil {
		return err
	}
	// The two halves share many words: each inserts them in the same
	// order, so that one waits for the other on a shared word instead of
	// each holding a word the other waits for (a deadlock).
	words := `INSERT INTO search_words (word)
		SELECT DISTINCT w FROM article_search, unnest(tsvector_to_array(document)) w
		WHERE search_key % 2 = $1 AND w NOT LIKE '\_%' ORDER BY w ON CONFLICT DO NOTHING`
	if err := db.sideBySide(ctx, []string{words, words}, []any{0, 1}); err != nil {
		return err
	}
	return db.sideBySide(ctx, []string{
		`CREATE INDEX article_search_document ON article_search USING GIN (document)`,
		`CREATE INDEX article_search_head ON article_search USING GIN (head)`,
	}, nil)
}

// sideBySide runs statements at once, each on a connection of its own
// with a large maintenance_work_mem (and no JIT, which only adds
// compilation to statements this long), and its argument if args has
// one.
func (db *DB) sideBySide(ctx context.Context, stmts []string, args []any) error {
	errs := make(chan error, len(stmts))
	for i, s := range stmts {
		go func() {
			errs <- func() error {
				conn, err := db.sql.Conn(ctx)
				if err != nil {
					return err
				}
				defer func() { _ = conn.Close() }()
				if _, err := conn.ExecContext(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
					return err
				}
				if _, err := conn.ExecContext(ctx, `SET jit = off`); err != nil {
					return err
				}
				var a []any
				if i < len(args) {
					a = append(a, args[i])
				}
				_, err = conn.ExecContext(ctx, s, a...)
				return err
			}()
		}()
	}
	var first error
	for range stmts {
		if err := <-errs; err != nil && first == nil {
			first = fmt.Errorf("store: rebuild search: %w", err)
		}
	}
	return first
}
