package store_test

import (
	"os"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestMain lets the test binary double as the other process that
// TestRestore_sqliteRefusesDatabaseInUse needs to hold a database open.
// The tests' SQLite databases are copies of one migrated once (see
// storetest.Migrated); the migrations themselves are tested from an
// empty file by the tests that open a DSN of their own.
func TestMain(m *testing.M) {
	if path := os.Getenv("BROADSHEET_HOLD_DB"); path != "" {
		os.Exit(holdDatabase(path))
	}
	storetest.Migrated = true
	code := m.Run()
	storetest.RemoveTemplates()
	os.Exit(code)
}
