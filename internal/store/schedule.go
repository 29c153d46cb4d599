package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// NextScheduled is the publication time of the scheduled article due
// first, which may already be past; ok is false when none is scheduled.
// The scheduler sleeps until then. The (status, published_at) index
// answers it without reading the articles.
func (db *DB) NextScheduled(ctx context.Context) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	err = db.queryRow(ctx, `SELECT MIN(published_at) FROM articles WHERE status = 'scheduled'`).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next scheduled article: %w", err)
	}
	return fromNullMS(v), v.Valid, nil
}
