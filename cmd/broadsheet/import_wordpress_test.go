package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestImportWordPressCLI is what an operator does: a dry run, the import
// with the uploads folder, a second run that changes nothing, and a
// malformed file refused.
func TestImportWordPressCLI(t *testing.T) {
	storetest.Each(t, testImportWordPressCLI)
}

func testImportWordPressCLI(t *testing.T, e storetest.Engine) {
	dir := t.TempDir()
	dsn := e.DSN(t)
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	uploads := filepath.Join(dir, "uploads")
	if err := os.MkdirAll(uploads, 0o750); err != nil {
		t.Fatal(err)
	}
	file := "../../internal/importer/wordpress/testdata/paper.xml"
	ctx := context.Background()
	importIt := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"broadsheet", "import", "wordpress", "--db", dsn}, args...), getenv, &out, io.Discard, nil)
		return out.String(), err
	}
	out, err := importIt(file, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "dry run (nothing written)") || !strings.Contains(out, "articles:  8 added, 0 updated, 0 unchanged") {
		t.Errorf("dry run said:\n%s", out)
	}
	out, err = importIt(file, "--media-dir", uploads)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "articles:  8 added") || !strings.Contains(out, "pages:     2 added") || !strings.Contains(out, "images:    0 stored, 2 missing") {
		t.Errorf("import said:\n%s", out)
	}
	out, err = importIt(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "articles:  0 added, 0 updated, 8 unchanged") {
		t.Errorf("second run said:\n%s", out)
	}
	_, err = importIt("../../internal/importer/wordpress/testdata/baddate.xml")
	if err == nil || !strings.Contains(err.Error(), "nothing imported") || !strings.Contains(err.Error(), "record 4 (id 2)") {
		t.Errorf("a malformed file: got %v", err)
	}
	for _, args := range [][]string{{}, {file, file}, {file, "--media-dir", filepath.Join(dir, "nope")}, {filepath.Join(dir, "missing.xml")}} {
		if _, err := importIt(args...); err == nil {
			t.Errorf("import wordpress %q: no error", args)
		}
	}
	var errOut bytes.Buffer
	if err := run(ctx, []string{"broadsheet", "import", "drupal", file}, getenv, io.Discard, &errOut, nil); err == nil || !strings.Contains(err.Error(), `want "wordpress", "ghost" or "broadsheet"`) {
		t.Errorf("an unknown source: got %v", err)
	}
}
