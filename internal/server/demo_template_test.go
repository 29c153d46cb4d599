package server_test

import (
	"context"
	"os"
	"testing"
	"time"

	"broadsheet/internal/demo"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// demoMedia is the demo's images, written once by the first template
// build and copied into each test server's own media folder (tests
// upload into theirs). TestMain makes and removes it.
var demoMedia string

// demoDB opens, for t alone, and names (its DSN) a copy of a database of the engine that
// holds the demo content. The content is loaded once per engine per test
// binary, at the first test that asks, so article times count back from
// that moment: at most the package's run time earlier than a fresh load.
func demoDB(t *testing.T, e storetest.Engine) (*store.DB, string) {
	t.Helper()
	dsn := e.FromTemplate(t, "demo", func(ctx context.Context, db *store.DB) error {
		_, err := demo.Load(ctx, db, demoMedia, time.Now())
		return err
	})
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

func mustTempDir(prefix string) string {
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		panic(err)
	}
	return d
}
