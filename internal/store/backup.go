package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

// A backup of a SQLite site is one SQLite file made by VACUUM INTO: it
// reads one snapshot inside a read transaction, so in WAL mode writers go
// on while it runs, and every write committed before it began is in it.
// (The sqlite3 shell's .backup restarts whenever a write lands, and under
// one write a second never finished on a large database; copying the file
// while serving misses what is still in the -wal file.) A PostgreSQL
// backup is a pg_dump custom-format archive; see backup_pg.go.

// BackupResult says what a backup or a restore wrote.
type BackupResult struct {
	Engine        string // "sqlite" or "postgres"
	Path          string // the backup file, or the restored database
	Bytes         int64  // size of the file written
	SchemaVersion int64  // the newest migration the data has
	Took          time.Duration
}

// ErrExists is returned when a backup file or a restore target is there
// already and force was not given.
var ErrExists = errors.New("already exists")

// existsError is an ErrExists whose message says what to do.
type existsError string

func (e existsError) Error() string        { return string(e) }
func (e existsError) Is(target error) bool { return target == ErrExists }

func errExists(format string, args ...any) error { return existsError(fmt.Sprintf(format, args...)) }

// Backup writes a consistent copy of the database dsn to the file to,
// checks it, and only then gives it the name to: a failed or interrupted
// backup leaves at most a hidden partial file behind, never a file named
// to that is not whole. An existing file is replaced only with force.
func Backup(ctx context.Context, dsn, to string, force bool) (BackupResult, error) {
	start := time.Now()
	if to == "" {
		return BackupResult{}, errors.New("no backup file named: give --to FILE")
	}
	if err := checkTarget(to, force); err != nil {
		return BackupResult{}, err
	}
	var r BackupResult
	var err error
	if IsPostgres(dsn) {
		r, err = backupPostgres(ctx, dsn, to, force)
	} else {
		r, err = backupSQLite(ctx, dsn, to, force)
	}
	r.Took = time.Since(start)
	return r, err
}

// Restore replaces the database dsn with the backup in from. The database
// must not be in use: stop the server first. An existing SQLite file (or
// a PostgreSQL database that has tables) is replaced only with force.
func Restore(ctx context.Context, from, dsn string, force bool) (BackupResult, error) {
	start := time.Now()
	if from == "" {
		return BackupResult{}, errors.New("no backup file named: give --from FILE")
	}
	if st, err := os.Stat(from); err != nil {
		return BackupResult{}, fmt.Errorf("backup file %s: %w", from, err)
	} else if !st.Mode().IsRegular() {
		return BackupResult{}, fmt.Errorf("backup file %s is not a regular file", from)
	}
	var r BackupResult
	var err error
	if IsPostgres(dsn) {
		r, err = restorePostgres(ctx, from, dsn, force)
	} else {
		r, err = restoreSQLite(ctx, from, dsn, force)
	}
	r.Took = time.Since(start)
	return r, err
}

// checkTarget refuses early, before any work, when the file to exists and
// force is not set, or when its folder does not exist.
func checkTarget(to string, force bool) error {
	st, err := os.Stat(to)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("%s is a folder; name a file", to)
	case err == nil && !force:
		return errExists("%s already exists; give --force to replace it", to)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if st, err := os.Stat(filepath.Dir(to)); err != nil || !st.IsDir() {
		return fmt.Errorf("folder %s does not exist", filepath.Dir(to))
	}
	return nil
}

// partialName is a hidden name beside final for a file being written.
func partialName(final string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".partial-"+hex.EncodeToString(b)), nil
}

// publish gives the complete, checked file tmp the name final. Without
// force it links rather than renames, so that a file that appeared at
// final meanwhile is still never overwritten. The folder is synced so
// that the new name survives a power cut.
func publish(tmp, final string, force bool) error {
	if err := syncFile(tmp); err != nil {
		return err
	}
	if force {
		if err := os.Rename(tmp, final); err != nil {
			return err
		}
	} else {
		err := os.Link(tmp, final)
		if errors.Is(err, fs.ErrExist) {
			return errExists("%s already exists; give --force to replace it", final)
		}
		if err != nil {
			// A file system without hard links: check, then rename.
			if _, serr := os.Stat(final); serr == nil {
				return errExists("%s already exists; give --force to replace it", final)
			}
			if err := os.Rename(tmp, final); err != nil {
				return err
			}
		} else if err := os.Remove(tmp); err != nil {
			return err
		}
	}
	return syncDir(filepath.Dir(final))
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read-only
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // read-only
	// Some file systems cannot sync a folder; the rename has happened.
	_ = d.Sync()
	return nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// latestVersion is the newest migration this program knows for an engine.
func latestVersion(d *dialect) (int64, error) {
	sub, err := fs.Sub(migrations, d.migrations)
	if err != nil {
		return 0, err
	}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return 0, err
	}
	var v int64
	for _, e := range entries {
		if n, err := goose.NumericComponent(e.Name()); err == nil && n > v {
			v = n
		}
	}
	return v, nil
}

// --- SQLite -----------------------------------------------------------------

func backupSQLite(ctx context.Context, path, to string, force bool) (BackupResult, error) {
	r := BackupResult{Engine: "sqlite"}
	if _, err := os.Stat(path); err != nil {
		return r, fmt.Errorf("no database at %s: %w", path, err)
	}
	if same(path, to) {
		return r, errors.New("the backup file would be the database itself; name another file")
	}
	db, err := openNoMigrate(ctx, path)
	if err != nil {
		return r, err
	}
	defer db.Close()
	tmp, err := partialName(to)
	if err != nil {
		return r, err
	}
	defer func() { _ = os.Remove(tmp) }() // gone already once published
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return r, fmt.Errorf("store: back up: %w", err)
	}
	v, err := checkSQLiteFile(ctx, tmp)
	if err != nil {
		return r, fmt.Errorf("the backup did not pass its check, nothing was written to %s: %w", to, err)
	}
	if err := publish(tmp, to, force); err != nil {
		return r, err
	}
	r.Path, r.Bytes, r.SchemaVersion = to, fileSize(to), v
	return r, nil
}

func restoreSQLite(ctx context.Context, from, path string, force bool) (BackupResult, error) {
	r := BackupResult{Engine: "sqlite"}
	if same(from, path) {
		return r, errors.New("the backup file is the database itself")
	}
	if _, err := os.Stat(path); err == nil {
		if !force {
			return r, errExists("database %s already exists; stop the server and give --force to replace it", path)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return r, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return r, fmt.Errorf("create data folder: %w", err)
	}
	if inUse, err := sqliteInUse(path); err != nil {
		return r, err
	} else if inUse {
		return r, fmt.Errorf("database %s is open in another process; stop the server before restoring", path)
	}
	tmp, err := partialName(path)
	if err != nil {
		return r, err
	}
	defer func() { _ = os.Remove(tmp) }()
	if isPGArchive(from) {
		return r, fmt.Errorf("%s is a PostgreSQL backup; restore it with --db postgres://…", from)
	}
	if err := copyFile(from, tmp); err != nil {
		return r, err
	}
	v, err := checkSQLiteFile(ctx, tmp)
	if err != nil {
		return r, fmt.Errorf("%s is not a good Broadsheet backup, nothing was changed: %w", from, err)
	}
	latest, err := latestVersion(&sqliteDialect)
	if err != nil {
		return r, err
	}
	if v > latest {
		return r, fmt.Errorf("%s is from a newer Broadsheet (schema %d; this program knows up to %d): restore it with that version", from, v, latest)
	}
	// A -wal file left by the old database would be replayed onto the new
	// file and corrupt it; its -shm describes that -wal. Both go before the
	// new file takes the name. (With force the old data is being replaced;
	// a crash between the two steps loses only the old file's last writes.)
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return r, err
		}
	}
	if err := publish(tmp, path, true); err != nil {
		return r, err
	}
	r.Path, r.Bytes, r.SchemaVersion = path, fileSize(path), v
	return r, nil
}

// checkSQLiteFile opens a finished backup read-only, without locks or a
// WAL (immutable), runs SQLite's quick_check and reads the schema
// version, and returns it. quick_check reads every page and record but
// does not match each index against its table, which integrity_check
// does at three to four times the cost (on an 809 MB file with two
// indexes: 2.4–3.4 s against 10 s); VACUUM INTO has just built the
// indexes from the tables.
func checkSQLiteFile(ctx context.Context, path string) (int64, error) {
	sdb, err := sql.Open("sqlite", "file:"+uriPath(path)+"?mode=ro&immutable=1")
	if err != nil {
		return 0, err
	}
	defer sdb.Close()
	rows, err := sdb.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return 0, fmt.Errorf("integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, err
		}
		if s != "ok" && len(problems) < 5 {
			problems = append(problems, s)
		}
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return 0, fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	var v sql.NullInt64
	if err := sdb.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		return 0, fmt.Errorf("no Broadsheet schema version in it: %w", err)
	}
	if !v.Valid || v.Int64 <= 0 {
		return 0, errors.New("no Broadsheet schema version in it")
	}
	return v.Int64, nil
}

// uriPath escapes the characters that end or escape the path in a SQLite
// file: URI.
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }() // read-only
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// isPGArchive reports whether path starts as pg_dump's custom format does.
func isPGArchive(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }() // read-only
	b := make([]byte, 5)
	_, err = io.ReadFull(f, b)
	return err == nil && string(b) == "PGDMP"
}

// same reports whether two paths name the same file.
func same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(sa, sb)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}
