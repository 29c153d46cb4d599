package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"broadsheet/internal/store"
)

// backup writes a consistent copy of the database while the site serves;
// the work and its checks are store.Backup's.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var to string
	var force bool
	cfg, err := parse("backup", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the backup to (required)")
		fs.BoolVar(&force, "force", false, "replace the file if it exists")
	})
	if err != nil {
		return err
	}
	r, err := store.Backup(ctx, cfg.DB, to, force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s backup written to %s: %d bytes, schema version %d, checked, in %s\n",
		r.Engine, r.Path, r.Bytes, r.SchemaVersion, r.Took.Round(time.Millisecond))
	if b := cfg.MediaS3; b != nil {
		fmt.Fprintf(stdout, "copy the media bucket too, after this: s3://%s/%s at %s, with your S3 tools\n", b.Bucket, b.Prefix, b.Endpoint)
	} else {
		fmt.Fprintf(stdout, "copy the media folder too, after this: rsync -a %s/ BACKUP-MEDIA/\n", cfg.MediaDir)
	}
	return nil
}

// restore replaces a database that is not in use with a backup.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var from string
	var force bool
	cfg, err := parse("restore", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "backup file to restore (required)")
		fs.BoolVar(&force, "force", false, "replace an existing database (SQLite) or what the backup holds in a database that has tables (PostgreSQL)")
	})
	if err != nil {
		return err
	}
	r, err := store.Restore(ctx, from, cfg.DB, force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s database %s restored from %s: schema version %d, checked, in %s\n",
		r.Engine, r.Path, from, r.SchemaVersion, r.Took.Round(time.Millisecond))
	if b := cfg.MediaS3; b != nil {
		fmt.Fprintf(stdout, "put the media bucket back too: s3://%s/%s at %s, with your S3 tools\n", b.Bucket, b.Prefix, b.Endpoint)
	} else {
		fmt.Fprintf(stdout, "put the media folder back too: rsync -a BACKUP-MEDIA/ %s/\n", cfg.MediaDir)
	}
	return nil
}
