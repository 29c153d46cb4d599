package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/demo"
	"broadsheet/internal/store"
	"broadsheet/internal/wxr"
)

// TestExportWXR_writesAFileWordPressReads is what an operator leaving for
// WordPress does: export the paper to a file, then to standard output.
func TestExportWXR_writesAFileWordPressReads(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "paper.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db, filepath.Join(dir, "media"), time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	getenv := func(string) string { return "" }
	file := filepath.Join(dir, "paper.xml")
	args := []string{"broadsheet", "export", "--db", dbPath, "--base-url", "https://paper.example", "--wxr", file}

	var out bytes.Buffer
	if err := run(ctx, args, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "WordPress file written to "+file) || !strings.Contains(out.String(), " posts, ") {
		t.Errorf("the command said %q", out.String())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Channel struct {
			Version string `xml:"http://wordpress.org/export/1.2/ wxr_version"`
			Items   []struct {
				Link string `xml:"link"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("the file does not parse: %v", err)
	}
	if ch := f.Channel; ch.Version != "1.2" || len(ch.Items) < 40 || !strings.HasPrefix(ch.Items[0].Link, "https://paper.example/") {
		t.Fatalf("file: version %q, %d items", ch.Version, len(ch.Items))
	}

	// The file is there: refused without --force, replaced with it.
	if err := run(ctx, args, getenv, io.Discard, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("writing over the file: got %v, want a refusal naming --force", err)
	}
	if err := run(ctx, append(args, "--force"), getenv, io.Discard, io.Discard, nil); err != nil {
		t.Errorf("with --force: %v", err)
	}

	// To standard output, with the report on standard error.
	var stdout, stderr bytes.Buffer
	args[len(args)-1] = "-"
	if err := run(ctx, args, getenv, &stdout, &stderr, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes()[:200], data[:200]) || !strings.Contains(stderr.String(), "WordPress file written to -") {
		t.Errorf("to stdout: %q…, stderr %q", stdout.Bytes()[:200], stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestExportWXR_rejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	getenv := func(string) string { return "" }
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--wxr", ""}, "--wxr needs a file name"},
		{[]string{"--wxr", filepath.Join(dir, "no-such-folder", "x.xml")}, "no-such-folder"},
		{[]string{"--wxr", filepath.Join(dir, "x.xml"), "extra"}, `unexpected argument "extra"`},
	} {
		args := append([]string{"broadsheet", "export", "--db", filepath.Join(dir, "paper.db")}, tc.args...)
		err := run(ctx, args, getenv, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error saying %q", tc.args, err, tc.want)
		}
	}
	// Nothing was left behind by the refusals.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasSuffix(e.Name(), ".xml") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestHasFlag(t *testing.T) {
	for args, want := range map[string]bool{
		"--wxr f": true, "-wxr f": true, "--wxr=f": true, "--db x --wxr -": true,
		"--to d": false, "--db wxr": false, "-- --wxr": false, "": false,
	} {
		if got := hasFlag(strings.Fields(args), "wxr"); got != want {
			t.Errorf("hasFlag(%q, wxr) = %v, want %v", args, got, want)
		}
	}
}

// TestWriteFileAtomic_leavesNothingOnFailure: an export that fails half
// way (a database error, a full disk) leaves neither a partial file nor
// its temporary one, and an older file of that name as it was.
func TestWriteFileAtomic_leavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "paper.xml")
	boom := errors.New("database went away")
	for _, existing := range []bool{false, true} {
		if existing {
			writeFile(t, path, "old")
		}
		_, err := writeFileAtomic(path, func(w io.Writer) (wxr.Counts, error) {
			_, _ = io.WriteString(w, strings.Repeat("<item/>", 100000))
			return wxr.Counts{}, boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("got %v, want %v", err, boom)
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		want := 0
		if existing {
			want = 1
			if b, _ := os.ReadFile(path); string(b) != "old" {
				t.Errorf("the older file now holds %q", b[:min(len(b), 20)])
			}
		}
		if len(names) != want {
			t.Errorf("existing file %v: the folder holds %v", existing, names)
		}
	}
}
