package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
)

// Options are the settings of the connection pool.
type Options struct {
	// MaxConns bounds the open connections; 0 picks defaultPoolSize.
	MaxConns int
}

// MaxPoolSize bounds Options.MaxConns (--db-max-conns).
const MaxPoolSize = 1000

// defaultPoolSize is the pool's size when none is set.
//
// SQLite in WAL mode runs readers in parallel and one writer at a time
// (the others queue behind busy_timeout): reading is the work of this
// process's cores, so twice as many connections as cores keeps them busy
// while some wait on the disk, and more would only queue.
//
// A PostgreSQL server does the reading on its own cores and a request
// waits for the network as well, so the pool is larger: four per core
// here. It is bounded by half of the connections the server accepts
// beyond those reserved for its superusers, leaving the rest to other
// instances of the site and to tools, and is never under 4.
func defaultPoolSize(ctx context.Context, sdb *sql.DB, d *dialect) (int, error) {
	cores := runtime.NumCPU()
	if d != &postgresDialect {
		return max(4, 2*cores), nil
	}
	allowed, err := pgSetting(ctx, sdb, "max_connections")
	if err != nil {
		return 0, err
	}
	reserved, err := pgSetting(ctx, sdb, "superuser_reserved_connections")
	if err != nil {
		return 0, err
	}
	return max(4, min(4*cores, (allowed-reserved)/2)), nil
}

func pgSetting(ctx context.Context, sdb *sql.DB, name string) (int, error) {
	var v string
	if err := sdb.QueryRowContext(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read the server's %s: %w", name, err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("store: the server's %s is %q: %w", name, v, err)
	}
	return n, nil
}

// MaxConns reports the size of the connection pool.
func (db *DB) MaxConns() int { return db.maxConns }
