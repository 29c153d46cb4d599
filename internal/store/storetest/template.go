package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"broadsheet/internal/store"
)

// Templates: a package whose tests each start from the same content (the
// demo paper, say) builds it once per test binary and copies it for each
// test, which is much cheaper than migrating and loading it again: a
// SQLite file is copied; on PostgreSQL each copy is a new database made
// with CREATE DATABASE … TEMPLATE. A package that uses them calls
// RemoveTemplates after m.Run in its TestMain.

type template struct {
	once sync.Once
	dsn  string // the template: a SQLite file, or a PostgreSQL database
	err  error
}

var (
	buildMu     sync.Mutex
	templatesMu sync.Mutex
	templates   = map[string]*template{}
	tmplRoot    string   // folder of the SQLite templates
	tmplDBs     []string // PostgreSQL template databases, to drop
)

// FromTemplate returns the DSN of a new database of the engine whose
// content is a copy of what build wrote into a template built once per
// test binary under name (build runs on a migrated, empty database).
// Like DSN, the copy is the test's own and goes when it ends.
func (e Engine) FromTemplate(t testing.TB, name string, build func(ctx context.Context, db *store.DB) error) string {
	t.Helper()
	templatesMu.Lock()
	tp := templates[e.Name+"/"+name]
	if tp == nil {
		tp = &template{}
		templates[e.Name+"/"+name] = tp
	}
	templatesMu.Unlock()
	tp.once.Do(func() {
		// One build at a time: builds for both engines may share files
		// outside the database (the demo's images).
		buildMu.Lock()
		defer buildMu.Unlock()
		tp.dsn, tp.err = buildTemplate(e, name, build)
	})
	if tp.err != nil {
		t.Fatalf("build the %s template %q: %v", e.Name, name, tp.err)
	}
	if e.Name == "sqlite" {
		dsn := filepath.Join(t.TempDir(), "broadsheet.db")
		if err := copyFile(tp.dsn, dsn); err != nil {
			t.Fatal(err)
		}
		return dsn
	}
	return postgresCopy(t, tp.dsn)
}

func buildTemplate(e Engine, name string, build func(ctx context.Context, db *store.DB) error) (dsn string, err error) {
	ctx := context.Background()
	if e.Name == "sqlite" {
		templatesMu.Lock()
		if tmplRoot == "" {
			tmplRoot, err = os.MkdirTemp("", "broadsheet-templates-")
		}
		root := tmplRoot
		templatesMu.Unlock()
		if err != nil {
			return "", err
		}
		work := filepath.Join(root, name+".build.db")
		db, err := store.Open(ctx, work)
		if err != nil {
			return "", err
		}
		defer db.Close()
		if err := build(ctx, db); err != nil {
			return "", err
		}
		// One self-contained file, with nothing left in a -wal beside it.
		dsn = filepath.Join(root, name+".db")
		_, err = store.Backup(ctx, work, dsn, false)
		return dsn, err
	}
	server := os.Getenv(EnvDSN)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	dbname := "bstmpl_" + randomHex()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+dbname); err != nil {
		return "", fmt.Errorf("%w (the test user needs the CREATEDB privilege)", err)
	}
	templatesMu.Lock()
	tmplDBs = append(tmplDBs, dbname)
	templatesMu.Unlock()
	dsn = withDatabase(server, dbname)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	err = build(ctx, db)
	// CREATE DATABASE … TEMPLATE needs the template to have no sessions.
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return dsn, err
}

// postgresCopy makes a new database from the template database of tmpl.
func postgresCopy(t testing.TB, tmpl string) string {
	t.Helper()
	server := os.Getenv(EnvDSN)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	u, _ := url.Parse(tmpl)
	name := "bstest_" + randomHex()
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + strings.TrimPrefix(u.Path, "/")); err != nil {
		t.Fatalf("postgres: copy the template: %v", err)
	}
	t.Cleanup(func() { dropDatabase(server, name) })
	return withDatabase(server, name)
}

// RemoveTemplates deletes the templates this test binary built.
func RemoveTemplates() {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if tmplRoot != "" {
		_ = os.RemoveAll(tmplRoot)
		tmplRoot = ""
	}
	for _, name := range tmplDBs {
		dropDatabase(os.Getenv(EnvDSN), name)
	}
	tmplDBs = nil
}

func dropDatabase(server, name string) {
	a, err := sql.Open("pgx", server)
	if err != nil {
		return
	}
	defer a.Close()
	_, _ = a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
}

// withDatabase points a server's DSN at another database on it.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }() // read-only
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}
