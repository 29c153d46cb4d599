package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// This file reads and writes whole tables, row by row, for moving a
// paper between databases (internal/export): the rows cross as plain
// values — nil, int64, float64 or string — chosen by each column's kind,
// so the same rows load into either engine.

// Kind is how a column's values cross between engines.
type Kind int

// The kinds of column.
const (
	KindText    Kind = iota // TEXT: a string
	KindInteger             // INTEGER, BIGINT: an int64
	KindReal                // REAL, DOUBLE PRECISION: a float64
)

// Column is one column of a table, in the schema's order.
type Column struct {
	Name    string
	Kind    Kind
	NotNull bool
}

// ErrNoTable is a table that this database's schema does not have.
var ErrNoTable = errors.New("store: no such table")

// validName keeps table and column names, which go into SQL text, to
// [a-z0-9_].
func validName(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func kindOf(typ string) Kind {
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
		return KindInteger
	case strings.Contains(t, "REAL"), strings.Contains(t, "DOUBLE"), strings.Contains(t, "FLOAT"), strings.Contains(t, "NUMERIC"):
		return KindReal
	}
	return KindText
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Columns lists table's columns; an error wrapping ErrNoTable if the
// schema has no such table.
func (db *DB) Columns(ctx context.Context, table string) ([]Column, error) {
	return db.columns(ctx, db.sql, table)
}

func (db *DB) columns(ctx context.Context, q querier, table string) ([]Column, error) {
	if !validName(table) {
		return nil, fmt.Errorf("store: table name %q: %w", table, ErrNoTable)
	}
	var rows *sql.Rows
	var err error
	if db.d.name == postgresDialect.name {
		rows, err = q.QueryContext(ctx, `SELECT column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	} else {
		// Virtual tables (the search index) are derived, never moved.
		rows, err = q.QueryContext(ctx, `SELECT p.name, p.type, p."notnull" <> 0 FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name = ? AND m.sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY p.cid`, table)
	}
	if err != nil {
		return nil, fmt.Errorf("store: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []Column
	for rows.Next() {
		var c Column
		var typ string
		if err := rows.Scan(&c.Name, &typ, &c.NotNull); err != nil {
			return nil, fmt.Errorf("store: columns of %s: %w", table, err)
		}
		c.Kind = kindOf(typ)
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("store: %s: %w", table, ErrNoTable)
	}
	return cols, nil
}

// Snapshot is a read-only view of the whole database as of one moment,
// for reading every table consistently.
type Snapshot struct {
	db *DB
	tx *sql.Tx
}

// ReadSnapshot runs fn with a snapshot of the database: every table fn
// reads shows the same moment, whatever the site writes meanwhile.
func (db *DB) ReadSnapshot(ctx context.Context, fn func(s *Snapshot) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.d.name == postgresDialect.name {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin snapshot: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(&Snapshot{db: db, tx: tx})
}

// Columns is DB.Columns as of the snapshot.
func (s *Snapshot) Columns(ctx context.Context, table string) ([]Column, error) {
	return s.db.columns(ctx, s.tx, table)
}

// Rows calls fn with each row of table, ordered by orderBy (column names,
// comma-separated), with only the rows where holds if it is not empty.
// The values are nil or of the columns' kinds (int64, float64, string);
// vals is reused between calls.
func (s *Snapshot) Rows(ctx context.Context, table string, cols []Column, where, orderBy string, fn func(vals []any) error) error {
	if !validName(table) {
		return fmt.Errorf("store: table name %q: %w", table, ErrNoTable)
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		if !validName(c.Name) {
			return fmt.Errorf("store: column name %q of %s is not allowed", c.Name, table)
		}
		names[i] = c.Name
	}
	q := "SELECT " + strings.Join(names, ", ") + " FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if orderBy != "" {
		q += " ORDER BY " + orderBy
	}
	rows, err := s.tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("store: read %s: %w", table, err)
	}
	defer rows.Close()
	holders := make([]any, len(cols))
	for i, c := range cols {
		switch c.Kind {
		case KindInteger:
			holders[i] = new(sql.NullInt64)
		case KindReal:
			holders[i] = new(sql.NullFloat64)
		default:
			holders[i] = new(sql.NullString)
		}
	}
	vals := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			return fmt.Errorf("store: read %s: %w", table, err)
		}
		for i, h := range holders {
			vals[i] = nil
			switch h := h.(type) {
			case *sql.NullInt64:
				if h.Valid {
					vals[i] = h.Int64
				}
			case *sql.NullFloat64:
				if h.Valid {
					vals[i] = h.Float64
				}
			case *sql.NullString:
				if h.Valid {
					vals[i] = h.String
				}
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read %s: %w", table, err)
	}
	return nil
}

// Loader writes whole tables in one transaction; see LoadTables.
type Loader struct {
	db      *DB
	tx      *sql.Tx
	stmts   map[string]*sql.Stmt
	touched []string // tables written, for their id sequences
}

// LoadTables runs fn in one transaction that it commits only if fn
// returns nil. Rows keep the ids they are given; on PostgreSQL the id
// sequences of the tables written are then moved past the largest id, so
// the next row made by the site gets a new one.
func (db *DB) LoadTables(ctx context.Context, fn func(l *Loader) error) error {
	return db.tx(ctx, func(t *txn) error {
		l := &Loader{db: db, tx: t.tx, stmts: map[string]*sql.Stmt{}}
		defer func() {
			for _, st := range l.stmts {
				_ = st.Close()
			}
		}()
		if err := fn(l); err != nil {
			return err
		}
		return l.fixSequences(ctx)
	})
}

// Columns is DB.Columns inside the transaction.
func (l *Loader) Columns(ctx context.Context, table string) ([]Column, error) {
	return l.db.columns(ctx, l.tx, table)
}

// Count is the number of rows in table.
func (l *Loader) Count(ctx context.Context, table string) (int64, error) {
	if !validName(table) {
		return 0, fmt.Errorf("store: table name %q: %w", table, ErrNoTable)
	}
	var n int64
	if err := l.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count %s: %w", table, err)
	}
	return n, nil
}

// Clear deletes every row of table.
func (l *Loader) Clear(ctx context.Context, table string) error {
	if !validName(table) {
		return fmt.Errorf("store: table name %q: %w", table, ErrNoTable)
	}
	if _, err := l.tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
		return fmt.Errorf("store: clear %s: %w", table, err)
	}
	return nil
}

// Insert adds one row to table: vals[i] is the value of cols[i].
func (l *Loader) Insert(ctx context.Context, table string, cols []string, vals []any) error {
	key := table + "(" + strings.Join(cols, ",") + ")"
	st, ok := l.stmts[key]
	if !ok {
		if !validName(table) {
			return fmt.Errorf("store: table name %q: %w", table, ErrNoTable)
		}
		for _, c := range cols {
			if !validName(c) {
				return fmt.Errorf("store: column name %q of %s is not allowed", c, table)
			}
		}
		var err error
		st, err = l.tx.PrepareContext(ctx, l.db.d.q("INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ("+placeholders(len(cols))+")"))
		if err != nil {
			return fmt.Errorf("store: insert into %s: %w", table, err)
		}
		l.stmts[key] = st
		l.touched = append(l.touched, table)
	}
	if _, err := st.ExecContext(ctx, vals...); err != nil {
		return fmt.Errorf("store: insert into %s: %w", table, err)
	}
	return nil
}

// SetColumn sets one integer column of the row of table whose id is id,
// for links to rows of the same table loaded after it.
func (l *Loader) SetColumn(ctx context.Context, table, col string, id int64, val any) error {
	if !validName(table) || !validName(col) {
		return fmt.Errorf("store: set %s.%s: name not allowed", table, col)
	}
	res, err := l.tx.ExecContext(ctx, l.db.d.q("UPDATE "+table+" SET "+col+" = ? WHERE id = ?"), val, id)
	if err != nil {
		return fmt.Errorf("store: set %s.%s of %d: %w", table, col, id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return fmt.Errorf("store: set %s.%s of %d: no such row", table, col, id)
	}
	return nil
}

func (l *Loader) fixSequences(ctx context.Context) error {
	if l.db.d.name != postgresDialect.name {
		return nil // SQLite's INTEGER PRIMARY KEY follows the largest id by itself
	}
	for _, t := range l.touched {
		var seq sql.NullString
		// Tables without an id column (links, settings) have no sequence.
		err := l.tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')
			WHERE EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id')`, t).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !seq.Valid) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: sequence of %s: %w", t, err)
		}
		if _, err := l.tx.ExecContext(ctx, `SELECT setval($1, COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`, seq.String); err != nil {
			return fmt.Errorf("store: sequence of %s: %w", t, err)
		}
	}
	return nil
}
