package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
)

// TestStaff_createAndSetPassword creates a moderator with the CLI, sets
// their password from standard input, and checks what was stored.
func TestStaff_createAndSetPassword(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	ctx := context.Background()
	var out bytes.Buffer
	create := []string{"broadsheet", "staff", "create", "--email", "Mod@Paper.example", "--name", "Park Mod", "--role", "moderator"}
	if err := run(ctx, create, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created Park Mod <mod@paper.example>, role moderator") ||
		!strings.Contains(out.String(), "broadsheet staff password --email mod@paper.example") {
		t.Errorf("create printed %q", out.String())
	}
	if err := run(ctx, create, getenv, io.Discard, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "already has a staff account") {
		t.Errorf("second create: %v, want an error saying the account exists", err)
	}

	// A session from before the password change must end with it.
	db, err := store.Open(ctx, filepath.Join(dir, "broadsheet.db"))
	if err != nil {
		t.Fatal(err)
	}
	s, hash, err := db.StaffByEmail(ctx, "mod@paper.example")
	if err != nil || hash != "" || s.Role != account.Moderator {
		t.Fatalf("after create: %+v, hash %q, %v; want a moderator without a password", s, hash, err)
	}
	cookie, sess := reader.NewSession(time.Now())
	sess.StaffID = s.ID
	if err := db.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	db.Close()

	password := []string{"staff", "password", "--email", "mod@paper.example"}
	for _, bad := range []string{"", "short\n", strings.Repeat(" ", 14) + "\n", strings.Repeat("x", 1025) + "\n"} {
		if err := staff(ctx, password[1:], getenv, strings.NewReader(bad), io.Discard, io.Discard); err == nil {
			t.Errorf("password %.20q accepted", bad)
		}
	}
	out.Reset()
	var prompt bytes.Buffer
	if err := staff(ctx, password[1:], getenv, strings.NewReader("a long newsroom password\r\nignored second line\n"), &out, &prompt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "password set for Park Mod <mod@paper.example>; 1 browser session(s) signed out") {
		t.Errorf("password printed %q", out.String())
	}
	if !strings.Contains(prompt.String(), "New password for mod@paper.example") {
		t.Errorf("no prompt on stderr: %q", prompt.String())
	}
	if err := staff(ctx, []string{"password", "--email", "nobody@paper.example"}, getenv, strings.NewReader("a long newsroom password\n"), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "has no staff account") {
		t.Errorf("password of an unknown email: %v", err)
	}

	db, err = store.Open(ctx, filepath.Join(dir, "broadsheet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, hash, _ = db.StaffByEmail(ctx, "mod@paper.example")
	if ok, err := account.VerifyPassword(hash, "a long newsroom password"); !ok || err != nil {
		t.Errorf("stored hash %q does not verify the password (line ending must be stripped): %v", hash, err)
	}
	if _, err := db.Session(ctx, reader.HashToken(cookie)); err == nil {
		t.Error("the session opened before the password change survived it")
	}
}

func TestStaff_refusesBadArguments(t *testing.T) {
	tests := [][]string{
		{"broadsheet", "staff"},
		{"broadsheet", "staff", "fire"},
		{"broadsheet", "staff", "create", "--email", "not-an-email", "--name", "N", "--role", "editor"},
		{"broadsheet", "staff", "create", "--email", "a@paper.example", "--name", " ", "--role", "editor"},
		{"broadsheet", "staff", "create", "--email", "a@paper.example", "--name", "N", "--role", "king"},
		{"broadsheet", "staff", "password"},
		{"broadsheet", "staff", "password", "--email", "a@paper.example", "--password", "on-the-command-line"},
	}
	for _, args := range tests {
		if err := run(context.Background(), args, func(string) string { return "" }, io.Discard, io.Discard, nil); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
