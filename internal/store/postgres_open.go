package store

import (
	"database/sql"
	"database/sql/driver"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgConnectTimeout bounds making one connection, TCP and start-up
// together, when the DSN sets no connect_timeout of its own: a server
// that accepts connections but never answers would otherwise hold every
// call that needs a new connection, the background work's among them.
const pgConnectTimeout = 5 * time.Second

// pgCancelGrace is how long a statement whose context ended (the
// request's database deadline, see --db-timeout) may take to stop. The
// server is asked to cancel it at once, so a slow query stops running
// there as it would at a statement_timeout; if no answer comes within
// the grace, the connection is dropped.
const pgCancelGrace = 500 * time.Millisecond

// openPostgres opens a pool on the PostgreSQL server named by dsn, and
// returns its connector too, for the sessions kept outside the pool (see
// WithLock).
//
// No statement_timeout is set on the server: the same pool runs the
// migrations and the command-line imports, which may rightly run for
// minutes. Served requests get their bound from their context instead,
// and pgCancelGrace makes it hold on the server too. A statement_timeout
// in the DSN is passed on and applies to everything.
func openPostgres(dsn string) (*sql.DB, driver.Connector, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, err // wrapped by openNoMigrate
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = pgConnectTimeout
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: pgCancelGrace}
	}
	connector := stdlib.GetConnector(*cfg)
	return sql.OpenDB(connector), connector, nil
}
