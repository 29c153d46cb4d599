// Command broadsheet runs a newspaper's website: the reader site, the JSON
// API and the tools to manage them.
//
//	broadsheet serve [--addr 127.0.0.1:8080] [--db PATH | postgres://DSN] [--demo]
//	broadsheet migrate [--db ...]
//	broadsheet token create --email E --name N --role admin|editor|reporter [--db ...]
//	broadsheet token revoke (--token T | --id N) [--db ...]
//	broadsheet staff create --email E --name N --role admin|editor|moderator|reporter [--db ...]
//	broadsheet staff password --email E [--db ...]   (the password is read from stdin)
//	broadsheet glossary import [--lang ko] FILE.csv | FILE.index [--db ...]
//	broadsheet glossary export [--out FILE] [--db ...]
//	broadsheet import wordpress FILE.xml [--media-dir DIR] [--dry-run] [--db ...]
//	broadsheet backup --to FILE [--force] [--db ...]
//	broadsheet restore --from FILE [--force] [--db ...]
//	broadsheet export --to DIR [--db ...]
//	broadsheet import broadsheet DIR [--db ...]
package main

import (
	"broadsheet/internal/audit"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/demo"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr, nil)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "broadsheet:", err)
		}
		os.Exit(2)
	}
}

const usage = `Usage: broadsheet COMMAND [flags]

Commands:
  serve          run the site (reader pages, JSON API, health checks)
  migrate        apply database migrations and exit
  token create   create a staff member if missing and print a new API token
  token revoke   revoke an API token
  staff create   create a staff member who logs in at /newsroom/login
  staff password set a staff member's password, read from standard input
  glossary import FILE
                 load a glossary CSV or a dictd/FreeDict .index (+ .dict[.dz])
  glossary export
                 write the glossary as CSV
  import wordpress FILE.xml [--media-dir DIR] [--dry-run]
                 bring in a WordPress export: articles, pages, sections, tags,
                 authors, comments, and 301s from the old addresses
  import ghost FILE.json [--media-dir DIR] [--dry-run]
                 bring in a Ghost export (Ghost 2 to 5) the same way
  backup --to FILE
                 write a checked copy of the database while the site serves
  restore --from FILE
                 replace a stopped site's database with a backup
  export --to DIR
                 write the whole paper as JSON files and media (docs/export.md)
  export --wxr FILE
                 write the paper as a WordPress (WXR 1.2) file
  import broadsheet DIR
                 load an export into a new, empty database

Run "broadsheet COMMAND -h" for the flags of a command.
`

// run is the whole program; ready, if not nil, learns the address the
// server listens on (tests use it with --addr 127.0.0.1:0).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(string)) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch cmd, rest := args[1], args[2:]; cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr, ready, isTerminal(stdout))
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "token":
		if len(rest) == 0 {
			return errors.New(`token needs a subcommand: "create" or "revoke"`)
		}
		switch rest[0] {
		case "create":
			return tokenCreate(ctx, rest[1:], getenv, stdout, stderr)
		case "revoke":
			return tokenRevoke(ctx, rest[1:], getenv, stdout, stderr)
		}
		return fmt.Errorf("unknown token subcommand %q: want create or revoke", rest[0])
	case "staff":
		// run's signature has no stdin; only "staff password" reads it.
		return staff(ctx, rest, getenv, os.Stdin, stdout, stderr)
	case "glossary":
		if len(rest) == 0 {
			return errors.New(`glossary needs a subcommand: "import" or "export"`)
		}
		switch rest[0] {
		case "import":
			return glossaryImport(ctx, rest[1:], getenv, stdout, stderr)
		case "export":
			return glossaryExport(ctx, rest[1:], getenv, stdout, stderr)
		}
		return fmt.Errorf("unknown glossary subcommand %q: want import or export", rest[0])
	case "import":
		return importCommand(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return restore(ctx, rest, getenv, stdout, stderr)
	case "export":
		if hasFlag(rest, "wxr") {
			if hasFlag(rest, "to") {
				return errors.New("export takes --to DIR or --wxr FILE, not both")
			}
			return exportWXR(ctx, rest, getenv, stdout, stderr)
		}
		return exportCmd(ctx, rest, getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func parse(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*config.Config, error) {
	fs := flag.NewFlagSet("broadsheet "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Register(fs, getenv)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cfg, cfg.Validate()
}

// newLogger writes lines in the given format ("json" or "text"), with
// every secret a line might quote (a token, an OAuth code, a credential)
// blanked out.
func newLogger(cfg *config.Config, format string, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(logsafe.NewHandler(h))
}

// serve runs the site until ctx ends. terminal says whether stdout is a
// terminal a person is reading: then, unless the operator chose a log
// format, the log is text, and a line on stdout says where the site is.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(string), terminal bool) error {
	var flags *flag.FlagSet
	cfg, err := parse("serve", args, getenv, stderr, func(fs *flag.FlagSet) { flags = fs })
	if err != nil {
		return err
	}
	format := logFormat(cfg.LogFormat, flagGiven(flags, "log-format") || getenv("BROADSHEET_LOG_FORMAT") != "", terminal)
	// Logs are buffered and flushed every few milliseconds, so that an
	// access line does not cost a write system call per request.
	tuneGC(getenv)
	logw := newFlushWriter(stderr, 50*time.Millisecond)
	defer logw.Close()
	logger := newLogger(cfg, format, logw)
	start := time.Now()
	db, err := store.OpenWith(ctx, cfg.DB, store.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Demo {
		files, err := server.OpenMedia(ctx, cfg, logger)
		if err != nil {
			return err
		}
		// One instance loads at a time; those started beside it wait, then
		// find the load recorded and skip it (demo.Load is idempotent).
		var loaded bool
		err = db.WithLock(ctx, store.LockDemo, func(ctx context.Context) (err error) {
			loaded, err = demo.LoadInto(ctx, db, files, time.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		logger.Info("demo content", "loaded_now", loaded)
	}
	ln, err := server.Listen(cfg)
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(ctx) // ends the background work however serving ends
	defer stop()
	srv, err := server.New(ctx, cfg, logger, db)
	if err != nil {
		ln.Close()
		return err
	}
	if format == "json" {
		srv.AccessLogJSON(logw) // the logger's JSON handler writes to logw too
	}
	logger.Info("started", "engine", db.Engine(), "db_max_conns", db.MaxConns(), "startup", time.Since(start).String(),
		"page_cache", cfg.PageCache, "base_url", cfg.BaseURL)
	announce := func(addr string) {
		if terminal {
			fmt.Fprintln(stdout, servingLine(addr, cfg.Demo))
		}
		if ready != nil {
			ready(addr)
		}
	}
	err = server.Serve(ctx, ln, logger, srv.Handler, announce)
	stop()
	srv.Wait() // the last batch of article views is written before the database closes
	return err
}

// tuneGC trades memory for CPU unless the operator set GOGC or
// GOMEMLIMIT: the live heap of a serving process is small (a few MB plus
// the page cache), so the default GOGC=100 collects many times a second
// under load. A soft limit keeps the heap bounded however GOGC is set.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parse("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s schema at version %d\n", db.Engine(), v)
	return nil
}

func tokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var email, name, role string
	cfg, err := parse("token create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "staff member's email (required)")
		fs.StringVar(&name, "name", "", "staff member's name (required when creating them)")
		fs.StringVar(&role, "role", "", "admin, editor or reporter (required when creating them)")
	})
	if err != nil {
		return err
	}
	email, err = account.NormalizeEmail(email)
	if err != nil {
		return fmt.Errorf("--email: %w", err)
	}
	r, err := account.ParseRole(role)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	if name == "" {
		return errors.New("--name is required")
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.EnsureStaff(ctx, account.Staff{Email: email, Name: name, Role: r})
	if err != nil {
		return err
	}
	plain, hash, err := account.NewToken()
	if err != nil {
		return err
	}
	var id int64
	err = db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if id, err = db.CreateToken(ctx, s.ID, hash); err != nil {
			return err
		}
		return audit.New(db, nil, nil).Write(ctx, operator, "token.create", "staff", s.ID, s.Name+" <"+s.Email+">",
			nil, map[string]any{"token_id": id, "role": s.Role})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "token %d for %s <%s>, role %s; it is shown once:\n%s\n", id, s.Name, s.Email, s.Role, plain)
	return nil
}

func tokenRevoke(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var token string
	var id int64
	cfg, err := parse("token revoke", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&token, "token", "", "the token to revoke")
		fs.Int64Var(&id, "id", 0, "the id of the token to revoke")
	})
	if err != nil {
		return err
	}
	if (token == "") == (id == 0) {
		return errors.New("give exactly one of --token or --id")
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	errNone := errors.New("no active token matches; it may be revoked already")
	err = db.InTx(ctx, func(ctx context.Context) error {
		var revoked bool
		var err error
		if token != "" {
			revoked, err = db.RevokeToken(ctx, account.HashToken(token))
		} else {
			revoked, err = db.RevokeTokenByID(ctx, id)
		}
		if err == nil && !revoked {
			err = errNone
		}
		if err != nil {
			return err
		}
		// The entry names the token by its id, never by the token itself.
		return audit.New(db, nil, nil).Write(ctx, operator, "token.revoke", "token", id, "", nil, nil)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "token revoked")
	return nil
}
