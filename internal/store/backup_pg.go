package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// A PostgreSQL backup is PostgreSQL's own: pg_dump's custom format, which
// reads one snapshot while writers go on, and pg_restore. Broadsheet runs
// them when they are on PATH (they come with the server, or Debian's
// postgresql-client) rather than reimplementing either.

const pgToolsHelp = "install PostgreSQL's client tools (Debian: apt-get install postgresql-client) or run pg_dump -Fc / pg_restore yourself as README.md's Backups section shows"

func pgTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH: %s", name, pgToolsHelp)
	}
	return p, nil
}

// libpqTarget turns a pgx DSN into what the libpq tools take: the URL
// without the password (which goes in PGPASSWORD, so that it is not on
// the process list) and without the parameters only pgx knows, and the
// schema named by search_path, if any.
func libpqTarget(dsn string) (conn string, env []string, schema string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, "", errors.New("the PostgreSQL DSN is not a URL")
	}
	env = os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	schema = q.Get("search_path")
	for k := range q {
		// pgx's own settings and run-time parameters libpq's URL does not know.
		if k == "search_path" || strings.HasPrefix(k, "pool_") || k == "default_query_exec_mode" ||
			k == "statement_cache_capacity" || k == "description_cache_capacity" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, schema, nil
}

func runPG(ctx context.Context, env []string, tool string, args ...string) error {
	path, err := pgTool(tool)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + " …"
		}
		return fmt.Errorf("%s failed: %v: %s", tool, err, msg)
	}
	return nil
}

func backupPostgres(ctx context.Context, dsn, to string, force bool) (BackupResult, error) {
	r := BackupResult{Engine: "postgres"}
	if _, err := pgTool("pg_dump"); err != nil {
		return r, err
	}
	if _, err := pgTool("pg_restore"); err != nil {
		return r, err
	}
	conn, env, schema, err := libpqTarget(dsn)
	if err != nil {
		return r, err
	}
	// The schema version recorded is read before the dump starts; a
	// migration does not run beside a backup (only Open migrates).
	db, err := openNoMigrate(ctx, dsn)
	if err != nil {
		return r, err
	}
	v, err := db.SchemaVersion(ctx)
	db.Close()
	if err != nil {
		return r, err
	}
	tmp, err := partialName(to)
	if err != nil {
		return r, err
	}
	defer func() { _ = os.Remove(tmp) }()
	args := []string{"--format=custom", "--file=" + tmp, "--dbname=" + conn}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	if err := runPG(ctx, env, "pg_dump", args...); err != nil {
		return r, err
	}
	if err := checkPGArchive(ctx, tmp); err != nil {
		return r, fmt.Errorf("the backup did not pass its check, nothing was written to %s: %w", to, err)
	}
	if err := publish(tmp, to, force); err != nil {
		return r, err
	}
	r.Path, r.Bytes, r.SchemaVersion = to, fileSize(to), v
	return r, nil
}

// checkPGArchive reads the archive's table of contents, which pg_restore
// can only do for a whole custom-format file, and looks for Broadsheet's
// schema version table in it.
func checkPGArchive(ctx context.Context, path string) error {
	tool, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "--list", path)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_restore --list: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if !strings.Contains(out.String(), "TABLE DATA") || !strings.Contains(out.String(), "goose_db_version") {
		return errors.New("the archive holds no Broadsheet tables")
	}
	return nil
}

func restorePostgres(ctx context.Context, from, dsn string, force bool) (BackupResult, error) {
	r := BackupResult{Engine: "postgres"}
	if !isPGArchive(from) {
		return r, fmt.Errorf("%s is not a PostgreSQL backup (pg_dump -Fc); a SQLite backup restores with --db PATH", from)
	}
	if err := checkPGArchive(ctx, from); err != nil {
		return r, fmt.Errorf("%s is not a Broadsheet PostgreSQL backup (pg_dump -Fc), nothing was changed: %w", from, err)
	}
	conn, env, _, err := libpqTarget(dsn)
	if err != nil {
		return r, err
	}
	db, err := openNoMigrate(ctx, dsn)
	if err != nil {
		return r, err
	}
	var others, tables int
	err = db.sql.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()),
		(SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))`).Scan(&others, &tables)
	db.Close()
	if err != nil {
		return r, fmt.Errorf("store: inspect the target database: %w", err)
	}
	if others > 0 {
		return r, fmt.Errorf("the target database has %d other connections; stop the server before restoring", others)
	}
	args := []string{"--dbname=" + conn, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"}
	if tables > 0 {
		if !force {
			return r, errExists("the target database is not empty (%d tables): restore into an empty database (createdb NAME), or give --force to drop and replace what the backup holds", tables)
		}
		args = append(args, "--clean", "--if-exists")
	}
	if err := runPG(ctx, env, "pg_restore", append(args, from)...); err != nil {
		return r, err
	}
	db, err = openNoMigrate(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return r, fmt.Errorf("the restored database has no schema version: %w", err)
	}
	r.Path, r.Bytes, r.SchemaVersion = dsnWithoutPassword(dsn), fileSize(from), v
	return r, nil
}

func dsnWithoutPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return u.Redacted()
}
