package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	broadcast "broadsheet/internal/cluster"
	"broadsheet/internal/importer"
	"broadsheet/internal/importer/ghost"
	"broadsheet/internal/importer/wordpress"
	"broadsheet/internal/media"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
)

// importCommand runs "broadsheet import SOURCE …".
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(`import needs a source: "wordpress", "ghost" or "broadsheet"`)
	}
	switch args[0] {
	case "wordpress":
		return importWordPress(ctx, args[1:], getenv, stdout, stderr)
	case "ghost":
		return importGhost(ctx, args[1:], getenv, stdout, stderr)
	case "broadsheet":
		return importBroadsheet(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf(`unknown import source %q: want "wordpress", "ghost" or "broadsheet"`, args[0])
}

// importWordPress loads a WordPress export into the paper, all of it or,
// when any record is malformed, none of it.
//
//	broadsheet import wordpress FILE.xml [--media-dir DIR] [--dry-run] [--db ...]
func importWordPress(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return importFile(ctx, "wordpress", "the .xml that WordPress's Tools → Export wrote", "the old site's wp-content/uploads folder, for the featured images",
		func(file, _ string) (importer.Source, error) { return wordpress.Open(file) }, args, getenv, stdout, stderr)
}

// importGhost loads a Ghost JSON export (Ghost 2 to 5) the same way.
//
//	broadsheet import ghost FILE.json [--media-dir DIR] [--dry-run] [--db ...]
func importGhost(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return importFile(ctx, "ghost", "the .json that Ghost's Settings → Labs → Export wrote", "the old site's content folder (with images/ in it), for the feature images",
		func(file, mediaDir string) (importer.Source, error) { return ghost.Open(file, mediaDir) }, args, getenv, stdout, stderr)
}

// importFile is an import from one export file of source, read by open;
// what the file and the media folder are is said in the command's help.
func importFile(ctx context.Context, source, fileHelp, mediaHelp string, open func(file, mediaDir string) (importer.Source, error),
	args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var mediaDir string
	var dryRun bool
	cfg, files, err := parseWithFiles("import "+source, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&mediaDir, "media-dir", "", mediaHelp)
		fs.BoolVar(&dryRun, "dry-run", false, "check the file and report what would be imported, writing nothing")
	})
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("import %s needs one file: %s", source, fileHelp)
	}
	if mediaDir != "" {
		if st, err := os.Stat(mediaDir); err != nil || !st.IsDir() {
			return fmt.Errorf("--media-dir %s is not a folder", mediaDir)
		}
	}
	src, err := open(files[0], mediaDir)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	opts := importer.Options{DryRun: dryRun, MediaDir: mediaDir, Actor: operator, Progress: func(done int) {
		if done%10000 == 0 {
			fmt.Fprintf(stderr, "import: %d records written\n", done)
		}
	}}
	if mediaDir != "" && !dryRun {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		files, err := server.OpenMedia(ctx, cfg, logger)
		if err != nil {
			return err
		}
		opts.Images = media.NewLibrary(db, files, media.Limits{MemoryBudget: int64(cfg.ImageMemoryMB) << 20, MaxWait: cfg.ImageWait})
	}
	// On PostgreSQL the running instances hear of the import as of any
	// change, and drop their cached pages; a SQLite site's server keeps
	// its copies until it restarts.
	var inv *broadcast.Broadcaster
	if store.IsPostgres(cfg.DB) && !dryRun {
		if inv, err = broadcast.New(broadcast.Options{DSN: cfg.DB}); err != nil {
			return err
		}
		opts.Cache = inv
	}
	rep, err := importer.Run(ctx, db, src, opts)
	if inv != nil {
		// Run with an ended context only sends what is queued, briefly.
		done, cancel := context.WithCancel(ctx)
		cancel()
		inv.Run(done)
	}
	if err != nil {
		var e *importer.Error
		if errors.As(err, &e) {
			return fmt.Errorf("%s refused, nothing imported: %w", files[0], err)
		}
		return err
	}
	rep.Write(stdout)
	return nil
}
