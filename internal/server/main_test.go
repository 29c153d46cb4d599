package server_test

import (
	"os"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// TestMain runs this package's tests side by side: each builds its own
// site on its own SQLite file or PostgreSQL database, and together they
// are the longest part of the test run. The demo content they start from
// is built once (demoDB) and removed at the end.
//
// Passwords are hashed with a small argon2id cost here: these tests log
// staff in hundreds of times to check the flows, and at the production
// cost (19 MiB, two passes) the hashing was a tenth of the package's CPU
// under the race detector. The production parameters and their checks
// are internal/account's tests.
func TestMain(m *testing.M) {
	storetest.Parallel = true
	account.PasswordParams.Memory = 64
	account.PasswordParams.Time = 1
	demoMedia = mustTempDir("broadsheet-demo-media-")
	code := m.Run()
	storetest.RemoveTemplates()
	os.RemoveAll(demoMedia)
	os.Exit(code)
}
