package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// Two instances with a pool of one connection each start together on an
// empty PostgreSQL database with the demo: the demo's lock is held on a
// session outside the pool, so loading it does not wait for itself, and
// the second instance waits for the first, then serves.
func TestPostgres_demoStartsWithAPoolOfOneConnection(t *testing.T) {
	bin := buildBinary(t)
	dsn := emptyPostgresDatabase(t)
	dir := t.TempDir()
	ins := startInstances(t, bin, 2, nil, "--db", dsn, "--db-max-conns", "1", "--demo", "--data", dir,
		"--media", filepath.Join(dir, "media"), "--access-log=false")
	loads := 0
	for i, in := range ins {
		loads += strings.Count(in.Logs(), `"loaded_now":true`)
		res, err := http.Get(in.URL + "/")
		if err != nil {
			t.Fatalf("instance %d: %v", i+1, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("instance %d: front page %d, want 200", i+1, res.StatusCode)
		}
	}
	if loads != 1 {
		t.Errorf("the demo was loaded %d times, want once", loads)
	}
}
