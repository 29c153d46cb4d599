package store_test

import (
	"context"
	"database/sql"
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
			allowed, reserved := pgConnectionLimits(t, dsn)
			want := max(4, min(4*cores, (allowed-reserved)/5))
			if n != want {
				t.Errorf("default pool %d on %d cores with max_connections %d (%d reserved), want %d: four per core, at most a fifth of the server, at least 4",
					n, cores, allowed, reserved, want)
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

// pgConnectionLimits reads the server's max_connections and
// superuser_reserved_connections.
func pgConnectionLimits(t *testing.T, dsn string) (allowed, reserved int) {
	t.Helper()
	sdb, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	err = sdb.QueryRow(`SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int`).Scan(&allowed, &reserved)
	if err != nil {
		t.Fatal(err)
	}
	return allowed, reserved
}
