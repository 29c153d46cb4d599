package server_test

import (
	"os"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestMain runs this package's tests side by side: each builds its own
// site on its own SQLite file or PostgreSQL schema, and together they are
// the longest part of the test run.
func TestMain(m *testing.M) {
	storetest.Parallel = true
	os.Exit(m.Run())
}
