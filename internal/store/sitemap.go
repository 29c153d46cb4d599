package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"broadsheet/internal/article"
)

// The sitemaps read the archive by month of publication. Every query here
// is a range over the articles_publication_order index (status,
// published_at, id, updated_at).

// PublishedMonths lists the months (UTC) that have published articles,
// oldest first, with how many each has and their newest change. Empty
// months are skipped by seeking to the next publication, so a gap of years
// costs one look-up, and the counts read index entries only.
func (db *DB) PublishedMonths(ctx context.Context) ([]article.Month, error) {
	var out []article.Month
	from := int64(-1 << 62)
	for {
		var next int64
		err := db.queryRow(ctx, `SELECT published_at FROM articles
			WHERE status = 'published' AND published_at >= ? ORDER BY published_at LIMIT 1`, from).Scan(&next)
		if errors.Is(err, errNoRows) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("store: published months: %w", err)
		}
		t := fromMS(next)
		m := article.Month{Start: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)}
		var last int64
		err = db.queryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM articles
			WHERE status = 'published' AND published_at >= ? AND published_at < ?`,
			ms(m.Start), ms(m.End())).Scan(&m.Count, &last)
		if err != nil {
			return nil, fmt.Errorf("store: published months: %s: %w", m.Start.Format("2006-01"), err)
		}
		m.LastModified = fromMS(last)
		out = append(out, m)
		from = ms(m.End())
	}
}

// PublishedBetween lists published articles with from ≤ published_at < to
// in publication order, oldest first, continuing after the position after
// (zero: from the start), at most limit of them. Bylines and tags are not
// loaded.
func (db *DB) PublishedBetween(ctx context.Context, from, to time.Time, after article.Cursor, limit int) ([]article.Article, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("store: published between: limit %d", limit)
	}
	// Without a cursor, start before the first possible position.
	afterAt, afterID := ms(from), int64(-1)
	if !after.IsZero() {
		afterAt, afterID = ms(after.PublishedAt), after.ID
	}
	rows, err := db.query(ctx, `SELECT `+listCols+` FROM articles a
		WHERE a.status = 'published' AND a.published_at >= ? AND a.published_at < ?
		AND (a.published_at > ? OR (a.published_at = ? AND a.id > ?))
		ORDER BY a.published_at, a.id LIMIT ?`, ms(from), ms(to), afterAt, afterAt, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: published between: %w", err)
	}
	defer rows.Close()
	var out []article.Article
	for rows.Next() {
		a, err := scanListArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: published between: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: published between: %w", err)
	}
	return out, nil
}

// PublishedPosition is the position of the article n places (0-based)
// into those published with from ≤ published_at < to, oldest first: where
// a sitemap part that starts after n+1 articles continues. It skips index
// entries only. article.ErrNotFound means fewer than n+1 articles.
func (db *DB) PublishedPosition(ctx context.Context, from, to time.Time, n int) (article.Cursor, error) {
	var at, id int64
	err := db.queryRow(ctx, `SELECT published_at, id FROM articles
		WHERE status = 'published' AND published_at >= ? AND published_at < ?
		ORDER BY published_at, id LIMIT 1 OFFSET ?`, ms(from), ms(to), n).Scan(&at, &id)
	if err != nil {
		return article.Cursor{}, fmt.Errorf("store: published position %d: %w", n, notFound(err, article.ErrNotFound))
	}
	return article.Cursor{PublishedAt: fromMS(at), ID: id}, nil
}

// TaggedCount is how many tags have at least one published article.
func (db *DB) TaggedCount(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM tags t WHERE `+tagPublished).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count tags: %w", err)
	}
	return n, nil
}

// TaggedAfter lists tags that have at least one published article, by id,
// after the tag with id afterID, at most limit of them.
func (db *DB) TaggedAfter(ctx context.Context, afterID int64, limit int) ([]article.Tag, error) {
	rows, err := db.query(ctx, `SELECT t.id, t.slug, t.name FROM tags t
		WHERE t.id > ? AND `+tagPublished+` ORDER BY t.id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list tags: %w", err)
	}
	defer rows.Close()
	var out []article.Tag
	for rows.Next() {
		var t article.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return nil, fmt.Errorf("store: list tags: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list tags: %w", err)
	}
	return out, nil
}

// tagPublished holds for a tag t with a published article; a tag whose
// articles are all drafts has an empty page, which no sitemap should list.
const tagPublished = `EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
	WHERE at.tag_id = t.id AND a.status = 'published')`
