package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"time"
)

// Several instances may start at the same moment on one PostgreSQL
// database (a deployment rolls them out together). Whatever only one of
// them may do at a time — migrating, loading the demo — runs under a
// PostgreSQL advisory lock, which the server releases by itself when the
// session holding it ends, however its process ended.
//
// Advisory locks are database-wide, while a site lives in one schema of
// it (the tests run many sites side by side, each in a schema of its
// own): a lock's id is derived from its purpose, the database's name and
// the schema in use, so that two sites never wait for each other.

// Lock purposes.
const (
	LockMigrate = "migrate"
	LockDemo    = "demo"
)

// unlockWait bounds giving a lock back; a session that does not answer
// by then is closed, which gives the lock back too.
const unlockWait = 10 * time.Second

// WithLock runs fn while holding the lock named purpose for this site, and
// waits for it as long as ctx allows when another instance holds it. On
// SQLite it runs fn at once: a SQLite site is served by one instance, and
// its writers are already serialised by the file's own lock.
//
// The lock is held on a session of its own, opened for it outside the
// pool: fn uses the pool, which may be a single connection
// (--db-max-conns 1), and must not wait for the one holding the lock.
// Closing that session at the end gives the lock back on every path, even
// when the server could not be told.
func (db *DB) WithLock(ctx context.Context, purpose string, fn func(ctx context.Context) error) (err error) {
	if db.d.name != postgresDialect.name {
		return fn(ctx)
	}
	session := sql.OpenDB(db.pgConnector)
	session.SetMaxOpenConns(1)
	conn, err := session.Conn(ctx)
	if err != nil {
		return errors.Join(fmt.Errorf("store: lock %s: %w", purpose, err), session.Close())
	}
	l := advisoryLock{purpose: purpose}
	if err := l.SessionLock(ctx, conn); err != nil {
		return errors.Join(err, conn.Close(), session.Close())
	}
	defer func() {
		err = errors.Join(err, l.SessionUnlock(context.WithoutCancel(ctx), conn), conn.Close(), session.Close())
	}()
	return fn(ctx)
}

// advisoryLock is a PostgreSQL session-level advisory lock. It is also
// goose's lock.SessionLocker, so that migrations take the same kind of
// lock. Unlike goose's own locker, which tries again every few seconds for
// at most five minutes, it waits in the server's queue: the next instance
// goes on the moment the lock is free, and a long migration does not make
// the others give up.
type advisoryLock struct {
	purpose string
	id      int64 // set by SessionLock
}

// SessionLock waits for the lock on conn's session.
func (l *advisoryLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	id, err := lockID(ctx, conn, l.purpose)
	if err != nil {
		return err
	}
	l.id = id
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, id); err != nil {
		return fmt.Errorf("store: wait for the %s lock: %w", l.purpose, err)
	}
	return nil
}

// SessionUnlock gives the lock back. If the server cannot be told, the
// connection is closed instead of going back to the pool: its session
// ending frees the lock.
func (l *advisoryLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, unlockWait)
	defer cancel()
	var released bool
	err := conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock($1)`, l.id).Scan(&released)
	if err == nil && released {
		return nil
	}
	// ErrBadConn from Raw closes the connection rather than returning
	// it to the pool.
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	if err != nil {
		return fmt.Errorf("store: give back the %s lock: %w", l.purpose, err)
	}
	return fmt.Errorf("store: give back the %s lock: it was not held", l.purpose)
}

// lockID names purpose for the database and schema conn is in.
func lockID(ctx context.Context, conn *sql.Conn, purpose string) (int64, error) {
	var scope string
	if err := conn.QueryRowContext(ctx, scopeQuery).Scan(&scope); err != nil {
		return 0, fmt.Errorf("store: lock %s: read the database's name: %w", purpose, err)
	}
	return lockKey(scope, purpose), nil
}

// scopeQuery names the database and the schema a session works in. A
// search_path naming a schema not created yet has no current_schema();
// the path itself names it then.
const scopeQuery = `SELECT current_database() || '/' || coalesce(current_schema(), current_setting('search_path'))`

// lockKey is the advisory lock id of purpose for a site in scope (a
// database and schema, as scopeQuery names them).
func lockKey(scope, purpose string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("broadsheet\x00" + purpose + "\x00" + scope))
	return int64(h.Sum64())
}
