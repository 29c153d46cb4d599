package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"broadsheet/internal/config"
	"broadsheet/internal/store"
	"broadsheet/internal/wxr"
)

// hasFlag reports whether args name the flag (-name, --name, --name=…)
// before any "--": how "export" tells --wxr FILE from --to DIR.
func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == flag {
			return true
		}
	}
	return false
}

// exportWXR writes the paper as a WordPress eXtended RSS 1.2 file, for
// WordPress's importer. A file is written beside its final name and
// renamed into place when complete, so a failed export leaves nothing
// half-written; "-" writes to standard output.
func exportWXR(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var to string
	var force bool
	cfg, err := parse("export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "wxr", "", "write a WordPress (WXR 1.2) file to FILE, or - for standard output (required)")
		fs.BoolVar(&force, "force", false, "replace the file if it exists")
	})
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("--wxr needs a file name, or - for standard output")
	}
	base := cfg.BaseURL
	if base == "" {
		base = config.OriginFor(cfg.Addr)
		fmt.Fprintf(stderr, "no --base-url given: links in the file start with %s\n", base)
	}
	if to != "-" && !force {
		if _, err := os.Stat(to); err == nil {
			return fmt.Errorf("--wxr %s: the file exists; give --force to replace it", to)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--wxr %s: %w", to, err)
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	o := wxr.Options{BaseURL: base, Now: time.Now()}
	var n wxr.Counts
	report := stdout
	if to == "-" {
		report = stderr // standard output is the file
		w := bufio.NewWriterSize(stdout, 64<<10)
		if n, err = wxr.Write(ctx, w, db, o); err == nil {
			err = w.Flush()
		}
	} else {
		n, err = writeFileAtomic(to, func(w io.Writer) (wxr.Counts, error) { return wxr.Write(ctx, w, db, o) })
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(report, "WordPress file written to %s: %d posts, %d pages, %d images, %d comments, %d authors, %d categories, %d tags\n",
		to, n.Posts, n.Pages, n.Attachments, n.Comments, n.Authors, n.Categories, n.Tags)
	return nil
}

// writeFileAtomic writes a temporary file beside path with fn, syncs it
// and renames it to path; on any failure the temporary file is removed
// and path is untouched.
func writeFileAtomic(path string, fn func(io.Writer) (wxr.Counts, error)) (n wxr.Counts, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return n, fmt.Errorf("--wxr %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	if n, err = fn(w); err != nil {
		return n, err
	}
	if err = w.Flush(); err != nil {
		return n, fmt.Errorf("--wxr %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return n, fmt.Errorf("--wxr %s: %w", path, err)
	}
	// Readable by its owner only, as the temporary file was made: it holds
	// drafts and authors' email addresses.
	if err = f.Chmod(0o600); err != nil {
		return n, fmt.Errorf("--wxr %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return n, fmt.Errorf("--wxr %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return n, fmt.Errorf("--wxr %s: %w", path, err)
	}
	return n, nil
}
