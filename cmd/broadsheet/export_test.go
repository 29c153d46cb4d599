package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/demo"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// TestExportImport_demoIntoEachEngine runs "broadsheet export" on a
// demo site and "broadsheet import broadsheet" into a new database of
// each engine, then refuses a second import into the now full one.
func TestExportImport_demoIntoEachEngine(t *testing.T) {
	ctx := context.Background()
	noenv := func(string) string { return "" }
	dir := t.TempDir()
	src, srcMedia := filepath.Join(dir, "src.db"), filepath.Join(dir, "src-media")
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db, srcMedia, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := filepath.Join(dir, "export")
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"broadsheet", "export", "--to", out, "--db", src, "--media", srcMedia}, noenv, &stdout, &stderr, nil); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "exported to "+out) || !strings.Contains(stdout.String(), "set a new password") {
		t.Errorf("export said %q, want where it wrote and that passwords are not exported", stdout.String())
	}
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		dsn, media := e.DSN(t), t.TempDir()
		var stdout, stderr bytes.Buffer
		args := []string{"broadsheet", "import", "broadsheet", out, "--db", dsn, "--media", media}
		if err := run(ctx, args, noenv, &stdout, &stderr, nil); err != nil {
			t.Fatalf("import: %v\n%s", err, stderr.String())
		}
		if !strings.Contains(stdout.String(), "imported "+out+" into the "+e.Name+" database") {
			t.Errorf("import said %q", stdout.String())
		}
		if _, err := os.Stat(filepath.Join(media, "demo", "assembly.png")); err != nil {
			t.Errorf("the demo's image was not copied: %v", err)
		}
		err := run(ctx, args, noenv, &stdout, &stderr, nil)
		if err == nil || !strings.Contains(err.Error(), "the database is not empty") {
			t.Errorf("second import: got %v, want a refusal saying the database is not empty", err)
		}
	})
}

func TestExportImport_usageErrors(t *testing.T) {
	ctx := context.Background()
	noenv := func(string) string { return "" }
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--db", db}, "export needs --to DIR"},
		{[]string{"export", "--wxr", "x.xml", "--to", dir, "--db", db}, "not both"},
		{[]string{"export", "--to", dir, "--db", db, "--media", filepath.Join(dir, "m")}, "is not empty"},
		{[]string{"import"}, "import needs a source"},
		{[]string{"import", "joomla", "x"}, `unknown import source "joomla"`},
		{[]string{"import", "broadsheet", "--db", db}, "needs one folder"},
		{[]string{"import", "broadsheet", dir, "--db", db}, "it is not a Broadsheet export"},
	}
	if err := os.WriteFile(filepath.Join(dir, "something"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		err := run(ctx, append([]string{"broadsheet"}, c.args...), noenv, &stdout, &stderr, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("broadsheet %s: got %v, want an error containing %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}
