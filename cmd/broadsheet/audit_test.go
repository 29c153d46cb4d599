package main

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"broadsheet/internal/audit"
	"broadsheet/internal/store"
)

// The command line's changes are staff actions like any other: each is in
// the audit log, written with the change, as the operator.
func TestCLI_changesAreAudited(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	ctx := context.Background()
	steps := [][]string{
		{"broadsheet", "staff", "create", "--email", "desk@paper.example", "--name", "Desk", "--role", "editor"},
		{"broadsheet", "token", "create", "--email", "desk@paper.example", "--name", "Desk", "--role", "editor"},
		{"broadsheet", "token", "revoke", "--id", "1"},
		{"broadsheet", "glossary", "import", filepath.Join(dir, "words.csv")},
	}
	writeFile(t, filepath.Join(dir, "words.csv"), "headword,lang,translation,note\nsanction,ko,제재,\n")
	for _, args := range steps {
		if err := run(ctx, args, getenv, io.Discard, io.Discard, nil); err != nil {
			t.Fatalf("%s: %v", strings.Join(args[1:], " "), err)
		}
	}
	if err := staff(ctx, []string{"password", "--email", "desk@paper.example"}, getenv,
		strings.NewReader("a long newsroom password\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// A refused change writes nothing.
	if err := run(ctx, []string{"broadsheet", "token", "revoke", "--id", "1"}, getenv, io.Discard, io.Discard, nil); err == nil {
		t.Error("revoking a revoked token again succeeded")
	}

	db, err := store.Open(ctx, filepath.Join(dir, "broadsheet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := audit.New(db, nil, nil).Entries(ctx, audit.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.StaffName != operator.Name {
			t.Errorf("%s by %q, want %q", e.Action, e.StaffName, operator.Name)
		}
		got = append(got, e.Action)
	}
	slices.Reverse(got)
	want := []string{"staff.create", "token.create", "token.revoke", "glossary.import", "staff.password"}
	if !slices.Equal(got, want) {
		t.Errorf("audit log %v, want %v", got, want)
	}
}
