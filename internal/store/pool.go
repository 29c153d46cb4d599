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
// (pgPoolSize says how it is bounded).
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
	return pgPoolSize(allowed, reserved, cores), nil
}

// pgSharePerInstance is how many instances' pools the default leaves room
// for on one PostgreSQL server.
const pgSharePerInstance = 5

// pgPoolSize is the default pool on a PostgreSQL server accepting allowed
// connections, reserved of them for its superusers: four per core, but at
// most a fifth of the rest, and never under 4.
//
// Several instances of a site share the server, and each holds two
// sessions beyond its pool (the cluster's listener and notifier), so a
// fifth leaves room for about four instances with their extra sessions,
// and for tools. For N instances, set --db-max-conns to at most
// (max_connections − superuser_reserved_connections − 2·N − a few for
// tools) / N.
func pgPoolSize(allowed, reserved, cores int) int {
	return max(4, min(4*cores, (allowed-reserved)/pgSharePerInstance))
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
