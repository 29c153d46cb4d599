package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"broadsheet/internal/export"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
)

// exportCmd writes the whole paper to a folder that `broadsheet import
// broadsheet` loads into a new database of either engine.
//
//	broadsheet export --to DIR [--db ...] [--media ...]
func exportCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var to string
	cfg, err := parse("export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "folder to write the export to; it must not exist or be empty (--wxr FILE writes a WordPress file instead)")
	})
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("export needs --to DIR, the folder to write the export to, or --wxr FILE for a WordPress file")
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
	s, err := export.Write(ctx, db, files, to, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported to %s: %d tables, %d rows, %d media files (%d bytes), schema version %d, in %s\n",
		s.Dir, s.Tables, s.Rows, s.MediaFiles, s.MediaBytes, s.SchemaVersion, time.Since(start).Round(time.Millisecond))
	for _, sk := range s.Skipped {
		fmt.Fprintf(stdout, "skipped table %s: %s\n", sk.Table, sk.Reason)
	}
	if s.Missing > 0 {
		fmt.Fprintf(stdout, "warning: %d media files named by the paper were not in the media storage; manifest.json lists them\n", s.Missing)
	}
	fmt.Fprintln(stdout, "not exported: passwords, second factors, sessions, API tokens and webhook secrets; staff set a new password after an import")
	return nil
}
