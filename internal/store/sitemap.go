package store

import (
	"context"
	"fmt"
	"time"

	"broadsheet/internal/article"
)

// The sitemaps read the archive by month of publication: the months and
// their counts from article_months, each month's articles by a keyset
// range over the articles_sitemap index (status, published_at, id, and
// the columns shown), which holds all a sitemap reads, so a month is one
// range of the index and no article row is visited.

// PublishedMonths lists the months (UTC) that have published articles,
// oldest first, with how many each has and their newest change: one row
// per month, however many articles there are.
func (db *DB) PublishedMonths(ctx context.Context) ([]article.Month, error) {
	rows, err := db.query(ctx, `SELECT month_start, articles, last_modified FROM article_months
		WHERE articles > 0 ORDER BY month_start`)
	if err != nil {
		return nil, fmt.Errorf("store: published months: %w", err)
	}
	defer rows.Close()
	var out []article.Month
	for rows.Next() {
		var start, last int64
		var m article.Month
		if err := rows.Scan(&start, &m.Count, &last); err != nil {
			return nil, fmt.Errorf("store: published months: %w", err)
		}
		m.Start, m.LastModified = fromMS(start), fromMS(last)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: published months: %w", err)
	}
	return out, nil
}

// monthStart is the first instant of t's month in UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// countInMonth adds delta (+1 or -1) to the articles of the month of
// published, and moves its last change up to changed.
func (t *txn) countInMonth(ctx context.Context, published time.Time, delta int, changed time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO article_months (month_start, articles, last_modified) VALUES (?, ?, ?)
		ON CONFLICT (month_start) DO UPDATE SET articles = article_months.articles + excluded.articles,
		last_modified = CASE WHEN excluded.last_modified > article_months.last_modified
			THEN excluded.last_modified ELSE article_months.last_modified END`,
		ms(monthStart(published)), delta, ms(changed))
	if err != nil {
		return fmt.Errorf("store: count article in %s: %w", published.UTC().Format("2006-01"), err)
	}
	return nil
}

// PublishedBetween lists published articles with from ≤ published_at < to
// in publication order, oldest first, continuing after the position after
// (zero: from the start), at most limit of them. Only what a sitemap
// shows is read — id, slug, headline and the two times — which makes a
// month of articles about twice as quick to read as full list rows.
func (db *DB) PublishedBetween(ctx context.Context, from, to time.Time, after article.Cursor, limit int) ([]article.Article, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("store: published between: limit %d", limit)
	}
	// Without a cursor, start before the first possible position.
	afterAt, afterID := ms(from), int64(-1)
	if !after.IsZero() {
		afterAt, afterID = ms(after.PublishedAt), after.ID
	}
	rows, err := db.query(ctx, `SELECT id, slug, headline, published_at, updated_at FROM articles
		WHERE status = 'published' AND published_at >= ? AND published_at < ?
		AND (published_at > ? OR (published_at = ? AND id > ?))
		ORDER BY published_at, id LIMIT ?`, ms(from), ms(to), afterAt, afterAt, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: published between: %w", err)
	}
	defer rows.Close()
	out := make([]article.Article, 0, min(limit, 256))
	for rows.Next() {
		var a article.Article
		var pub, upd int64
		if err := rows.Scan(&a.ID, &a.Slug, &a.Headline, &pub, &upd); err != nil {
			return nil, fmt.Errorf("store: published between: %w", err)
		}
		a.Status, a.PublishedAt, a.UpdatedAt = article.Published, fromMS(pub), fromMS(upd)
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
// A link's published_at is set only while its article is published, so
// this is one probe of the article_tags_published index for each tag:
// joined to articles instead, it read an article's row for every tag.
const tagPublished = `EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id AND at.published_at IS NOT NULL)`
