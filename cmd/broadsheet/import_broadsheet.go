package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"broadsheet/internal/export"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
)

// importBroadsheet loads a folder written by `broadsheet export --to` into
// a new, empty database, keeping every id.
//
//	broadsheet import broadsheet DIR [--db ...] [--media ...]
func importBroadsheet(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, dirs, err := parseWithFiles("import broadsheet", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(dirs) != 1 {
		return errors.New("import broadsheet needs one folder: the one `broadsheet export --to` wrote")
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	files, err := server.OpenMedia(ctx, cfg, newLogger(cfg, "text", stderr))
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := export.Load(ctx, db, files, dirs[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s into the %s database: %d tables, %d rows, %d media files (%d bytes), in %s (rows and files %s, search index %s)\n",
		s.Dir, db.Engine(), s.Tables, s.Rows, s.MediaFiles, s.MediaBytes, time.Since(start).Round(time.Millisecond),
		s.LoadTook.Round(time.Millisecond), s.RebuildTook.Round(time.Millisecond))
	fmt.Fprintln(stdout, "staff have no passwords yet: set each with `broadsheet staff password --email E`; webhooks are paused, register them again to get secrets")
	return nil
}
