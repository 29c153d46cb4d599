package store

import (
	"context"
	"fmt"

	"broadsheet/internal/redirect"
)

// SaveRedirect stores r, replacing the redirect from the same address.
// r must be normalised (redirect.Redirect.Normalize). Called with a
// context from InTx, it joins that transaction.
func (db *DB) SaveRedirect(ctx context.Context, r redirect.Redirect) error {
	_, err := db.exec(ctx, `INSERT INTO redirects (from_path, to_path, source, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, source = excluded.source`,
		r.From, r.To, r.Source, ms(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: save redirect %q: %w", r.From, err)
	}
	return nil
}

// DeleteRedirect removes the redirect from the address from.
func (db *DB) DeleteRedirect(ctx context.Context, from string) error {
	res, err := db.exec(ctx, `DELETE FROM redirects WHERE from_path = ?`, from)
	if err != nil {
		return fmt.Errorf("store: delete redirect %q: %w", from, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete redirect %q: %w", from, redirect.ErrNotFound)
	}
	return nil
}

// Redirects lists up to limit redirects in order of their old address,
// those after the address after ("" from the start).
func (db *DB) Redirects(ctx context.Context, after string, limit int) ([]redirect.Redirect, error) {
	rows, err := db.query(ctx, `SELECT from_path, to_path, source, created_at FROM redirects WHERE from_path > ?
		ORDER BY from_path LIMIT ?`, after, listLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: redirects: %w", err)
	}
	defer rows.Close()
	var out []redirect.Redirect
	for rows.Next() {
		var r redirect.Redirect
		var at int64
		if err := rows.Scan(&r.From, &r.To, &r.Source, &at); err != nil {
			return nil, fmt.Errorf("store: redirects: %w", err)
		}
		r.CreatedAt = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RedirectTarget is the new address of the old address from (in
// redirect.LookupKey's form): one look-up by primary key, so that a 404
// costs little more for asking. redirect.ErrNotFound if there is none.
func (db *DB) RedirectTarget(ctx context.Context, from string) (string, error) {
	var to string
	err := db.queryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = ?`, from).Scan(&to)
	if err != nil {
		return "", notFound(err, redirect.ErrNotFound)
	}
	return to, nil
}

// CountRedirects counts the redirects, for reports.
func (db *DB) CountRedirects(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM redirects`).Scan(&n)
	return n, err
}

// FindRedirects lists up to limit redirects in order of their old
// address, those after the address after ("" from the start) whose old or
// new address contains contains, in any case ("" for all).
func (db *DB) FindRedirects(ctx context.Context, contains, after string, limit int) ([]redirect.Redirect, error) {
	if contains == "" {
		return db.Redirects(ctx, after, limit)
	}
	like, _ := likePattern(contains)
	rows, err := db.query(ctx, `SELECT from_path, to_path, source, created_at FROM redirects
		WHERE from_path > ? AND (LOWER(from_path) LIKE ? ESCAPE '!' OR LOWER(to_path) LIKE ? ESCAPE '!')
		ORDER BY from_path LIMIT ?`, after, like, like, listLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: find redirects: %w", err)
	}
	defer rows.Close()
	var out []redirect.Redirect
	for rows.Next() {
		var r redirect.Redirect
		var at int64
		if err := rows.Scan(&r.From, &r.To, &r.Source, &at); err != nil {
			return nil, fmt.Errorf("store: find redirects: %w", err)
		}
		r.CreatedAt = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
