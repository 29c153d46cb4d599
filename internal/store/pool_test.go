package store_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestOpenWith_poolSize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		n := db.MaxConns()
		db.Close()
		cores := runtime.NumCPU()
		switch e.Name {
		case "sqlite":
			if n != max(4, 2*cores) {
				t.Errorf("default pool %d on %d cores, want %d", n, cores, max(4, 2*cores))
			}
		default:
			if n < 4 || n > max(4, 4*cores) {
				t.Errorf("default pool %d on %d cores, want 4 to %d", n, cores, max(4, 4*cores))
			}
		}
		db, err = store.OpenWith(ctx, dsn, store.Options{MaxConns: 3})
		if err != nil {
			t.Fatal(err)
		}
		if db.MaxConns() != 3 {
			t.Errorf("pool %d, want the 3 asked for", db.MaxConns())
		}
		db.Close()
		for _, bad := range []int{-1, store.MaxPoolSize + 1} {
			if _, err := store.OpenWith(ctx, dsn, store.Options{MaxConns: bad}); err == nil || !strings.Contains(err.Error(), "want 1 to 1000") {
				t.Errorf("a pool of %d: %v, want refused", bad, err)
			}
		}
	})
}
