package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AddNetLoginFailure records a failed newsroom login from a network
// address, given as a salted hash, and drops failures older than keep,
// so the table holds one window's failures at most.
func (db *DB) AddNetLoginFailure(ctx context.Context, netHash string, at time.Time, keep time.Duration) error {
	if _, err := db.exec(ctx, `INSERT INTO staff_login_net_failures (net_hash, failed_at) VALUES (?, ?)`, netHash, ms(at)); err != nil {
		return fmt.Errorf("store: add network login failure: %w", err)
	}
	if _, err := db.exec(ctx, `DELETE FROM staff_login_net_failures WHERE failed_at < ?`, ms(at.Add(-keep))); err != nil {
		return fmt.Errorf("store: prune network login failures: %w", err)
	}
	return nil
}

// NthNetLoginFailure is the time of the nth most recent failed login from
// a network address (its hash) since a moment, or the zero time when
// there were fewer than n.
func (db *DB) NthNetLoginFailure(ctx context.Context, netHash string, since time.Time, n int) (time.Time, error) {
	var at int64
	err := db.queryRow(ctx, `SELECT failed_at FROM staff_login_net_failures WHERE net_hash = ? AND failed_at > ?
		ORDER BY failed_at DESC LIMIT 1 OFFSET ?`, netHash, ms(since), n-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: network login failures: %w", err)
	}
	return fromMS(at), nil
}

// SettingOrInit returns the site setting key, first storing fresh as its
// value if it has none. Two instances starting at once agree on one
// value: the first to store it wins, and both read what was stored.
func (db *DB) SettingOrInit(ctx context.Context, key, fresh string) (string, error) {
	if _, err := db.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, fresh); err != nil {
		return "", fmt.Errorf("store: set setting %q: %w", key, err)
	}
	var v string
	if err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v); err != nil {
		return "", fmt.Errorf("store: setting %q: %w", key, err)
	}
	return v, nil
}
