// Package store keeps Broadsheet's data in SQLite or PostgreSQL. It is the
// only package that speaks SQL; the engine is chosen once, in Open.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// DB is an open database with its schema migrated.
type DB struct {
	sql *sql.DB
	d   *dialect

	prepared  sync.Map // shared SQL text → *sql.Stmt
	nPrepared atomic.Int32
	maxConns  int // the pool's size
	// pgConnector makes PostgreSQL sessions outside the pool; nil on SQLite.
	pgConnector driver.Connector
}

// IsPostgres reports whether dsn names a PostgreSQL server rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn — a postgres:// URL or a SQLite file path — and
// applies any pending migrations. The pool has its default size (pool.go).
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with settings for the connection pool.
func OpenWith(ctx context.Context, dsn string, o Options) (*DB, error) {
	db, err := openPool(ctx, dsn, o)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openNoMigrate(ctx context.Context, dsn string) (*DB, error) {
	return openPool(ctx, dsn, Options{})
}

func openPool(ctx context.Context, dsn string, o Options) (*DB, error) {
	if o.MaxConns < 0 || o.MaxConns > MaxPoolSize {
		return nil, fmt.Errorf("store: a pool of %d connections: want 1 to %d, or 0 for the default", o.MaxConns, MaxPoolSize)
	}
	d := &sqliteDialect
	var sdb *sql.DB
	var pgConnector driver.Connector
	var err error
	if IsPostgres(dsn) {
		d = &postgresDialect
		sdb, pgConnector, err = openPostgres(dsn)
	} else {
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create data folder: %w", err)
			}
		}
		sdb, err = sql.Open(d.driver, sqliteDSN(dsn))
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sdb.PingContext(pingCtx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", d.name, err)
	}
	n := o.MaxConns
	if n == 0 {
		if n, err = defaultPoolSize(pingCtx, sdb, d); err != nil {
			sdb.Close()
			return nil, err
		}
	}
	sdb.SetMaxOpenConns(n)
	sdb.SetMaxIdleConns(n)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{sql: sdb, d: d, maxConns: n, pgConnector: pgConnector}, nil
}

// sqliteDSN sets the pragmas every connection needs. WAL lets readers run
// beside the writer; synchronous=NORMAL in WAL mode still survives a killed
// process (only a power cut can lose the last commits); immediate
// transactions take the write lock up front, so two writers queue behind
// busy_timeout instead of failing to upgrade a read lock.
func sqliteDSN(path string) string {
	v := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
		v.Add("_pragma", p)
	}
	v.Set("_txlock", "immediate")
	return "file:" + path + "?" + v.Encode()
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Engine names the engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name }

// Ping checks that the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Reads go through prepared statements, kept per SQL text: preparing the
// same few queries again on every page was a fifth of a page's cost. The
// number of distinct texts is small (list queries vary only in how many
// sections they name), and bounded here all the same.
const maxPrepared = 512

// stmt returns the prepared statement for query; ok is false when the
// cache is full and the query should run unprepared.
func (db *DB) stmt(ctx context.Context, query string) (st *sql.Stmt, ok bool, err error) {
	if v, found := db.prepared.Load(query); found {
		return v.(*sql.Stmt), true, nil
	}
	if db.nPrepared.Load() >= maxPrepared {
		return nil, false, nil
	}
	st, err = db.sql.PrepareContext(ctx, db.d.q(query))
	if err != nil {
		return nil, false, err
	}
	if old, loaded := db.prepared.LoadOrStore(query, st); loaded {
		st.Close()
		return old.(*sql.Stmt), true, nil
	}
	db.nPrepared.Add(1)
	return st, true, nil
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if t := txFrom(ctx); t != nil {
		return t.queryRow(ctx, query, args...)
	}
	if st, ok, err := db.stmt(ctx, query); err == nil && ok {
		return st.QueryRowContext(ctx, args...)
	}
	// Unprepared: also how a failure to prepare reaches the caller's Scan.
	return db.sql.QueryRowContext(ctx, db.d.q(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t := txFrom(ctx); t != nil {
		return t.query(ctx, query, args...)
	}
	st, ok, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if !ok {
		return db.sql.QueryContext(ctx, db.d.q(query), args...)
	}
	return st.QueryContext(ctx, args...)
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t := txFrom(ctx); t != nil {
		return t.exec(ctx, query, args...)
	}
	return db.sql.ExecContext(ctx, db.d.q(query), args...)
}

// txKey is the context key of the transaction begun by InTx.
type txKey struct{}

func txFrom(ctx context.Context) *txn {
	t, _ := ctx.Value(txKey{}).(*txn)
	return t
}

// InTx runs fn in one transaction: every call fn makes to this store with
// the context it is given joins that transaction, and nothing fn wrote is
// kept unless fn returns nil. A change and its audit entry are written this
// way, so that a crash between them cannot keep one without the other.
// Called inside another InTx, it joins the outer transaction.
//
// An error inside fn spoils the whole transaction (PostgreSQL refuses
// every later statement), so fn returns the first error it meets.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if txFrom(ctx) != nil {
		return fn(ctx)
	}
	return db.tx(ctx, func(t *txn) error {
		return fn(context.WithValue(ctx, txKey{}, t))
	})
}

// tx runs fn in a transaction, committing if it returns nil. Inside InTx
// it runs fn in InTx's transaction, which commits or rolls back as a whole.
func (db *DB) tx(ctx context.Context, fn func(t *txn) error) error {
	if t := txFrom(ctx); t != nil {
		return fn(t)
	}
	stx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(&txn{tx: stx, d: db.d, db: db}); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// txn is a transaction that rebinds SQL like DB does and, like DB, runs
// the statements it has prepared before: parsing the same SQL again in
// every transaction was half the time SQLite's writer held its lock.
type txn struct {
	tx *sql.Tx
	d  *dialect
	db *DB
	// stmts are the transaction's copies of prepared statements, one per
	// SQL text: database/sql keeps every copy it makes until the
	// transaction ends, so a transaction running the same statement a
	// million times (an import) would otherwise hold a million copies.
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmt is the transaction's copy of the prepared statement for query, or
// nil when it should run unprepared. A statement not prepared yet is
// prepared in the background, outside the transaction: preparing it here
// would need a second connection while this one is held, and transactions
// waiting for each other's connections would deadlock a full pool.
func (t *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	if t.db == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if st, ok := t.stmts[query]; ok {
		return st
	}
	if v, ok := t.db.prepared.Load(query); ok {
		st := t.tx.StmtContext(ctx, v.(*sql.Stmt))
		if t.stmts == nil {
			t.stmts = map[string]*sql.Stmt{}
		}
		t.stmts[query] = st
		return st
	}
	go func() { _, _, _ = t.db.stmt(context.Background(), query) }()
	return nil
}

func (t *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.d.q(query), args...)
}

// prepare prepares a statement run many times in the transaction, such as
// one row of an import.
func (t *txn) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := t.tx.PrepareContext(ctx, t.d.q(query))
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	return st, nil
}

func (t *txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.d.q(query), args...)
}

func (t *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.d.q(query), args...)
}

// ms and fromMS convert between time.Time and the stored Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(t), Valid: true}
}

// isUniqueViolation reports a UNIQUE constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

var errNoRows = sql.ErrNoRows

func notFound(err error, sentinel error) error {
	if errors.Is(err, errNoRows) {
		return sentinel
	}
	return err
}
