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

// StartNetLogin records a login attempt from a network address (its
// hash) at at, before its password is checked, unless the address is
// locked: when n failures fall after since, it records nothing and returns
// the nth most recent. The count and the record share one transaction,
// which PostgreSQL runs under a transaction-level advisory lock of the
// address and SQLite under its write lock, taken at the start: attempts
// sent at once to any instances are counted one after the other, so no
// more than n are let through to the password check. The attempt counts
// as a failure until ForgetNetLogin drops it; failures older than keep
// are pruned.
func (db *DB) StartNetLogin(ctx context.Context, netHash string, at, since time.Time, n int, keep time.Duration) (locked time.Time, err error) {
	err = db.tx(ctx, func(t *txn) error {
		if db.d.name == postgresDialect.name {
			if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(
				current_database() || '/' || coalesce(current_schema(), '') || '/login-net/' || CAST(? AS TEXT), 0))`, netHash); err != nil {
				return fmt.Errorf("store: lock network login attempts: %w", err)
			}
		}
		var nth int64
		err := t.queryRow(ctx, `SELECT failed_at FROM staff_login_net_failures WHERE net_hash = ? AND failed_at > ?
			ORDER BY failed_at DESC LIMIT 1 OFFSET ?`, netHash, ms(since), n-1).Scan(&nth)
		switch {
		case err == nil:
			locked = fromMS(nth)
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("store: network login failures: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO staff_login_net_failures (net_hash, failed_at) VALUES (?, ?)`, netHash, ms(at)); err != nil {
			return fmt.Errorf("store: add network login attempt: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM staff_login_net_failures WHERE failed_at < ?`, ms(at.Add(-keep))); err != nil {
			return fmt.Errorf("store: prune network login failures: %w", err)
		}
		return nil
	})
	return locked, err
}

// ForgetNetLogin drops the attempt StartNetLogin recorded for netHash at
// at, once it turned out not to be a failure. Attempts at the same moment
// from the same address are alike, so any one of them goes.
func (db *DB) ForgetNetLogin(ctx context.Context, netHash string, at time.Time) error {
	row := "ctid" // PostgreSQL's row address; SQLite's is rowid
	if db.d.name != postgresDialect.name {
		row = "rowid"
	}
	_, err := db.exec(ctx, `DELETE FROM staff_login_net_failures WHERE `+row+` IN (
		SELECT `+row+` FROM staff_login_net_failures WHERE net_hash = ? AND failed_at = ? LIMIT 1)`, netHash, ms(at))
	if err != nil {
		return fmt.Errorf("store: forget network login attempt: %w", err)
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
