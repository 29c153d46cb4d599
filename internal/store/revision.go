package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"broadsheet/internal/article"
)

// keepRevision stores the article's state after a save, in the save's
// own transaction: a save without its revision never happens.
func (t *txn) keepRevision(ctx context.Context, a *article.Article) error {
	snap, err := article.MarshalSnapshot(article.SnapshotOf(*a))
	if err != nil {
		return fmt.Errorf("store: article %d revision: %w", a.ID, err)
	}
	staff := sql.NullInt64{Int64: a.SavedBy, Valid: a.SavedBy != 0}
	if _, err := t.exec(ctx, `INSERT INTO article_revisions (article_id, version, staff_id, created_at, snapshot) VALUES (?, ?, ?, ?, ?)`,
		a.ID, a.Version, staff, ms(a.UpdatedAt), snap); err != nil {
		return fmt.Errorf("store: article %d revision: %w", a.ID, err)
	}
	return nil
}

const revisionCols = `r.id, r.article_id, r.version, COALESCE(r.staff_id, 0), COALESCE(s.name, ''), r.created_at, r.snapshot`

func scanRevision(row interface{ Scan(...any) error }) (article.Revision, error) {
	var rv article.Revision
	var at int64
	var snap string
	if err := row.Scan(&rv.ID, &rv.ArticleID, &rv.Version, &rv.StaffID, &rv.StaffName, &at, &snap); err != nil {
		return rv, err
	}
	rv.CreatedAt = fromMS(at)
	var err error
	rv.Snapshot, err = article.UnmarshalSnapshot(snap)
	return rv, err
}

// Revisions lists an article's revisions, newest first.
func (db *DB) Revisions(ctx context.Context, articleID int64) ([]article.Revision, error) {
	rows, err := db.query(ctx, `SELECT `+revisionCols+` FROM article_revisions r LEFT JOIN staff s ON s.id = r.staff_id
		WHERE r.article_id = ? ORDER BY r.version DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: revisions of %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []article.Revision
	for rows.Next() {
		rv, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("store: revisions of %d: %w", articleID, err)
		}
		out = append(out, rv)
	}
	return out, rows.Err()
}

// Revision loads the revision an article's save produced at version.
func (db *DB) Revision(ctx context.Context, articleID int64, version int) (article.Revision, error) {
	rv, err := scanRevision(db.queryRow(ctx, `SELECT `+revisionCols+` FROM article_revisions r LEFT JOIN staff s ON s.id = r.staff_id
		WHERE r.article_id = ? AND r.version = ?`, articleID, version))
	if err != nil {
		return article.Revision{}, fmt.Errorf("store: revision %d of %d: %w", version, articleID, notFound(err, article.ErrNotFound))
	}
	return rv, nil
}

// AddCorrection appends a correction to an article.
func (db *DB) AddCorrection(ctx context.Context, c *article.Correction, staffID int64) error {
	staff := sql.NullInt64{Int64: staffID, Valid: staffID != 0}
	err := db.queryRow(ctx, `INSERT INTO article_corrections (article_id, body, staff_id, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		c.ArticleID, c.Body, staff, ms(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("store: add correction to %d: %w", c.ArticleID, err)
	}
	return nil
}

// Corrections lists an article's corrections, oldest first.
func (db *DB) Corrections(ctx context.Context, articleID int64) ([]article.Correction, error) {
	rows, err := db.query(ctx, `SELECT id, article_id, body, created_at FROM article_corrections WHERE article_id = ? ORDER BY created_at, id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: corrections of %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []article.Correction
	for rows.Next() {
		var c article.Correction
		var at int64
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.Body, &at); err != nil {
			return nil, fmt.Errorf("store: corrections of %d: %w", articleID, err)
		}
		c.CreatedAt = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// DueArticles lists the scheduled articles whose time has come by now,
// oldest first; the scheduler publishes them.
func (db *DB) DueArticles(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := db.query(ctx, `SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= ?
		ORDER BY published_at, id LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due articles: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: due articles: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
