package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"broadsheet/internal/article"
)

// AddViews adds a batch of view counts to the hour's rows.
func (db *DB) AddViews(ctx context.Context, hour time.Time, views map[int64]int64) error {
	ids := make([]int64, 0, len(views))
	for id := range views {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) // one lock order for every writer
	return db.tx(ctx, func(t *txn) error {
		for _, id := range ids {
			// An article deleted since its view was counted is skipped.
			_, err := t.exec(ctx, `INSERT INTO article_views (article_id, hour, views)
				SELECT id, CAST(? AS BIGINT), CAST(? AS BIGINT) FROM articles WHERE id = ?
				ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views.views + excluded.views`,
				ms(hour), views[id], id)
			if err != nil {
				return fmt.Errorf("store: add views: %w", err)
			}
		}
		return nil
	})
}

// PruneViews deletes the hourly rows before a time.
func (db *DB) PruneViews(ctx context.Context, before time.Time) error {
	if _, err := db.exec(ctx, `DELETE FROM article_views WHERE hour < ?`, ms(before)); err != nil {
		return fmt.Errorf("store: prune views: %w", err)
	}
	return nil
}

// MostRead lists the published articles read most since a time, most
// first, with their view counts.
func (db *DB) MostRead(ctx context.Context, since time.Time, limit int) ([]article.Article, []int64, error) {
	rows, err := db.query(ctx, `SELECT `+listCols+`, v.total FROM (
			SELECT article_id, SUM(views) AS total FROM article_views WHERE hour >= ? GROUP BY article_id
		) v JOIN articles a ON a.id = v.article_id
		WHERE a.status = 'published' ORDER BY v.total DESC, a.id DESC LIMIT ?`, ms(since), limit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: most read: %w", err)
	}
	defer rows.Close()
	var list []article.Article
	var counts []int64
	for rows.Next() {
		var a article.Article
		var n int64
		if err := scanArticleInto(rows, &a, &n); err != nil {
			return nil, nil, fmt.Errorf("store: most read: %w", err)
		}
		list, counts = append(list, a), append(counts, n)
	}
	return list, counts, rows.Err()
}
