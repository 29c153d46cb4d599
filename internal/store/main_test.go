package store_test

import (
	"os"
	"testing"
)

// TestMain lets the test binary double as the other process that
// TestRestore_sqliteRefusesDatabaseInUse needs to hold a database open.
func TestMain(m *testing.M) {
	if path := os.Getenv("BROADSHEET_HOLD_DB"); path != "" {
		os.Exit(holdDatabase(path))
	}
	os.Exit(m.Run())
}
