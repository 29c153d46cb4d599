// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder always, and a fresh schema on the PostgreSQL server
// named by BROADSHEET_TEST_POSTGRES_DSN when it is set. In CI (CI=true) a
// missing DSN fails the test instead of skipping PostgreSQL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"broadsheet/internal/store"
)

// EnvDSN names the variable holding the PostgreSQL DSN for tests.
const EnvDSN = "BROADSHEET_TEST_POSTGRES_DSN"

// Engine is a database engine the tests run against.
type Engine struct {
	Name string
	open func(t testing.TB) string // returns a DSN for a new, empty database
}

var skipOnce sync.Once

// Engines lists SQLite and, when configured, PostgreSQL.
func Engines(t testing.TB) []Engine {
	engines := []Engine{{Name: "sqlite", open: sqliteDSN}}
	dsn := os.Getenv(EnvDSN)
	switch {
	case dsn != "":
		engines = append(engines, Engine{Name: "postgres", open: func(t testing.TB) string { return postgresSchema(t, dsn) }})
	case os.Getenv("CI") == "true":
		t.Fatalf("%s is not set: in CI the PostgreSQL suite must run", EnvDSN)
	default:
		skipOnce.Do(func() { t.Logf("PostgreSQL tests skipped: set %s to run them", EnvDSN) })
	}
	return engines
}

// DSN makes a new, empty database on the engine and returns its DSN.
func (e Engine) DSN(t testing.TB) string { return e.open(t) }

// Migrated makes Open start each SQLite database as a copy of one
// migrated once per test binary, rather than migrating every new one:
// under the race detector the migrations of a SQLite database take
// seconds, and a package that opens one for each test pays them hundreds
// of times. The copy is the same empty, migrated database (store.Open
// still checks its migrations). PostgreSQL runs its migrations in the
// server, so each test still gets a new schema. A package sets it in
// TestMain and calls RemoveTemplates after m.Run.
var Migrated bool

// Open makes a new, empty, migrated database on the engine.
func (e Engine) Open(t testing.TB) *store.DB {
	t.Helper()
	dsn := ""
	if Migrated && e.Name == "sqlite" {
		dsn = e.FromTemplate(t, "migrated", func(context.Context, *store.DB) error { return nil })
	} else {
		dsn = e.DSN(t)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Parallel makes the tests that use Each run beside one another, for a
// package whose tests share nothing but the database server (each gets a
// file or a schema of its own). A package sets it in TestMain.
var Parallel bool

// Each runs fn as a subtest on every engine.
func Each(t *testing.T, fn func(t *testing.T, e Engine)) {
	if Parallel {
		t.Parallel()
	}
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { fn(t, e) })
	}
}

func sqliteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "broadsheet.db")
}

// postgresSchema creates a schema of its own for one test and points the
// DSN's search_path at it, so tests never see each other's rows.
func postgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("postgres: bad DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
