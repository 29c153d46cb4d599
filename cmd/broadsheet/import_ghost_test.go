package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"broadsheet/internal/store/storetest"
)

// TestImportGhostCLI is what an operator does with a Ghost export: a dry
// run, the import with the content folder, a second run that changes
// nothing, and malformed files refused with nothing written.
func TestImportGhostCLI(t *testing.T) {
	storetest.Each(t, testImportGhostCLI)
}

func testImportGhostCLI(t *testing.T, e storetest.Engine) {
	dir := t.TempDir()
	dsn := e.DSN(t)
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	// Ghost's content folder, holding the one lead image of the export
	// that is Ghost's own and there.
	content := filepath.Join(dir, "content")
	market := filepath.Join(content, "images", "2023", "08", "market.png")
	if err := os.MkdirAll(filepath.Dir(market), 0o750); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(market)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(out, image.NewGray(image.Rect(0, 0, 640, 480))); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	file := "../../internal/importer/ghost/testdata/ghost-5.json"
	ctx := context.Background()
	importIt := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"broadsheet", "import", "ghost", "--db", dsn}, args...), getenv, &out, io.Discard, nil)
		return out.String(), err
	}
	got, err := importIt(file, "--dry-run", "--media-dir", content)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "dry run (nothing written)") || !strings.Contains(got, "from ghost") ||
		!strings.Contains(got, "articles:  2 added, 0 updated, 0 unchanged") || !strings.Contains(got, "images:    1 stored, 1 missing") {
		t.Errorf("dry run said:\n%s", got)
	}
	got, err = importIt(file, "--media-dir", content)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"articles:  2 added", "pages:     1 added", "sections:  1 added", "redirects: 3, 0 old addresses unusable",
		"images:    1 stored, 1 missing", "missing: /content/images/2023/08/missing.jpg"} {
		if !strings.Contains(got, want) {
			t.Errorf("import did not say %q:\n%s", want, got)
		}
	}
	if entries, err := os.ReadDir(filepath.Join(dir, "media")); err != nil || len(entries) == 0 {
		t.Errorf("the lead image was not stored in the paper's media folder (%v)", err)
	}
	got, err = importIt(file, "--media-dir", content)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "articles:  0 added, 0 updated, 2 unchanged") || !strings.Contains(got, "images:    0 stored") {
		t.Errorf("second run said:\n%s", got)
	}
	for bad, want := range map[string]string{
		"bad-date.json":  "record ",
		"truncated.json": "record 1: the file ends in the middle",
		"not-ghost.json": "not a Ghost export",
	} {
		_, err := importIt("../../internal/importer/ghost/testdata/malformed/" + bad)
		if err == nil || !strings.Contains(err.Error(), "nothing imported") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want it refused saying %q", bad, err, want)
		}
	}
	got, err = importIt(file)
	if err != nil || !strings.Contains(got, "2 unchanged") {
		t.Errorf("after refused files: %v\n%s", err, got)
	}
	for _, args := range [][]string{{}, {file, file}, {file, "--media-dir", filepath.Join(dir, "nope")}, {filepath.Join(dir, "missing.json")}, {dir}} {
		if _, err := importIt(args...); err == nil {
			t.Errorf("import ghost %q: no error", args)
		}
	}
}
