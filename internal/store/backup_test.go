package store_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/author"
	"broadsheet/internal/store"
)

// sqliteWithArticles makes a SQLite database at path holding n articles.
func sqliteWithArticles(t *testing.T, path string, n int) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, politics, _ := seedSections(t, db)
	for i := range n {
		a := newArticle(politics.ID, fmt.Sprintf("Article number %d", i), time.Now().UTC(), author.Author{Name: "Kim Min-ji", Email: "kim@paper.example"})
		if err := db.CreateArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func countArticles(t *testing.T, path string) int {
	t.Helper()
	sdb, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var n int
	if err := sdb.QueryRow(`SELECT count(*) FROM articles`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var ok string
	if err := sdb.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity check of %s: %q %v", path, ok, err)
	}
	return n
}

func TestBackup_sqliteRefusesToOverwriteWithoutForce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "site.db")
	sqliteWithArticles(t, src, 3)
	to := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(to, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Backup(ctx, src, to, false)
	if !errors.Is(err, store.ErrExists) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("backup over an existing file: err = %v; want ErrExists naming --force", err)
	}
	if b, _ := os.ReadFile(to); string(b) != "precious" {
		t.Fatal("the existing file was changed")
	}
	r, err := store.Backup(ctx, src, to, true)
	if err != nil {
		t.Fatal(err)
	}
	if n := countArticles(t, to); n != 3 || r.SchemaVersion < 1 {
		t.Fatalf("forced backup: %d articles, schema %d; want 3 and ≥ 1", n, r.SchemaVersion)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*partial*"))
	if len(leftovers) > 0 {
		t.Fatalf("partial files left behind: %v", leftovers)
	}
}

func TestBackup_sqliteMissingDatabaseIsNotCreated(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "nothing.db")
	_, err := store.Backup(context.Background(), src, filepath.Join(dir, "b.db"), false)
	if err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("err = %v; want one saying there is no database", err)
	}
	if _, err := os.Stat(src); err == nil {
		t.Fatal("backup created an empty database where none was")
	}
}

func TestRestore_sqliteRefusesWhatIsNotABackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "site.db")
	sqliteWithArticles(t, target, 2).Close()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db") // a SQLite file, but not Broadsheet's
	if sdb, err := sql.Open("sqlite", other); err != nil {
		t.Fatal(err)
	} else if _, err := sdb.Exec(`CREATE TABLE x (a)`); err != nil {
		t.Fatal(err)
	} else {
		sdb.Close()
	}
	for _, from := range []string{junk, other, filepath.Join(dir, "missing.db")} {
		if _, err := store.Restore(ctx, from, target, true); err == nil {
			t.Errorf("restore from %s succeeded", filepath.Base(from))
		}
	}
	if n := countArticles(t, target); n != 2 {
		t.Fatalf("target has %d articles after refused restores; want its 2", n)
	}
	if _, err := store.Restore(ctx, junk, target, false); !errors.Is(err, store.ErrExists) {
		t.Fatalf("restore onto an existing database without force: %v; want ErrExists", err)
	}
}

// TestRestore_sqliteDropsStaleWAL restores over a database whose -wal and
// -shm files are left from another database: replayed onto the restored
// file, that WAL would change or corrupt it.
func TestRestore_sqliteDropsStaleWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	sqliteWithArticles(t, src, 4).Close()
	backup := filepath.Join(dir, "backup.db")
	if _, err := store.Backup(ctx, src, backup, false); err != nil {
		t.Fatal(err)
	}
	// A live database with uncheckpointed writes in its WAL, whose files
	// are copied beside the target as a crashed server would leave them.
	busy := filepath.Join(dir, "busy.db")
	bdb := sqliteWithArticles(t, busy, 9)
	target := filepath.Join(dir, "target.db")
	for _, f := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(busy + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target+f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bdb.Close()
	if _, err := store.Restore(ctx, backup, target, true); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if n := countArticles(t, target); n != 4 {
		t.Fatalf("restored database has %d articles; want the backup's 4", n)
	}
}

// TestRestore_sqliteRefusesDatabaseInUse holds the target open in another
// process, as a running server would, and expects the restore to refuse
// until that process has closed it.
func TestRestore_sqliteRefusesDatabaseInUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	sqliteWithArticles(t, src, 1).Close()
	backup := filepath.Join(dir, "backup.db")
	if _, err := store.Backup(ctx, src, backup, false); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target.db")
	sqliteWithArticles(t, target, 2).Close()

	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "BROADSHEET_HOLD_DB="+target)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if !strings.Contains(line, "holding") {
		stdin.Close()
		_ = cmd.Wait()
		t.Fatalf("helper did not open the database: %q", line)
	}
	_, err := store.Restore(ctx, backup, target, true)
	stdin.Close()
	if werr := cmd.Wait(); werr != nil {
		t.Fatalf("helper: %v", werr)
	}
	if err == nil || !strings.Contains(err.Error(), "stop the server") {
		t.Fatalf("restore while the database is open elsewhere: err = %v; want a refusal", err)
	}
	if n := countArticles(t, target); n != 2 {
		t.Fatalf("target has %d articles after the refused restore; want its 2", n)
	}
	if _, err := store.Restore(ctx, backup, target, true); err != nil {
		t.Fatalf("restore once the other process closed it: %v", err)
	}
	if n := countArticles(t, target); n != 1 {
		t.Fatalf("restored database has %d articles; want 1", n)
	}
}

// holdDatabase, run as a child process by TestMain, keeps the database at
// path open until stdin closes, as a running server would.
func holdDatabase(path string) int {
	db, err := store.Open(context.Background(), path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	if err := db.Ping(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("holding")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	return 0
}

func TestBackup_postgresWithoutPgDumpSaysWhatToDo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := store.Backup(context.Background(), "postgres://nobody@127.0.0.1:1/none", filepath.Join(t.TempDir(), "b.dump"), false)
	if err == nil || !strings.Contains(err.Error(), "pg_dump is not on PATH") || !strings.Contains(err.Error(), "postgresql-client") {
		t.Fatalf("err = %v; want one naming pg_dump and how to get it", err)
	}
}
