package server_test

import (
	"os"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestMain runs this package's tests side by side: each builds its own
// site on its own SQLite file or PostgreSQL database, and together they
// are the longest part of the test run. The demo content they start from
// is built once (demoDB) and removed at the end.
func TestMain(m *testing.M) {
	storetest.Parallel = true
	demoMedia = mustTempDir("broadsheet-demo-media-")
	code := m.Run()
	storetest.RemoveTemplates()
	os.RemoveAll(demoMedia)
	os.Exit(code)
}
