package main

import (
	"broadsheet/internal/audit"
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"broadsheet/internal/account"
	"broadsheet/internal/store"
)

// staff dispatches "broadsheet staff create|password".
func staff(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(`staff needs a subcommand: "create" or "password"`)
	}
	switch args[0] {
	case "create":
		return staffCreate(ctx, args[1:], getenv, stdout, stderr)
	case "password":
		return staffPassword(ctx, args[1:], getenv, stdin, stdout, stderr)
	}
	return fmt.Errorf("unknown staff subcommand %q: want create or password", args[0])
}

func staffCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var email, name, role string
	cfg, err := parse("staff create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "staff member's email, used to log in (required)")
		fs.StringVar(&name, "name", "", "staff member's name (required)")
		fs.StringVar(&role, "role", "", "admin, editor, moderator or reporter (required)")
	})
	if err != nil {
		return err
	}
	email, err = account.NormalizeEmail(email)
	if err != nil {
		return fmt.Errorf("--email: %w", err)
	}
	r, err := account.ParseRole(role)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	if name = strings.TrimSpace(name); name == "" {
		return errors.New("--name is required")
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	var s account.Staff
	err = db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if s, err = db.CreateStaff(ctx, account.Staff{Email: email, Name: name, Role: r}); err != nil {
			return err
		}
		return audit.New(db, nil, nil).Write(ctx, operator, "staff.create", "staff", s.ID, s.Name+" <"+s.Email+">",
			nil, map[string]any{"email": s.Email, "name": s.Name, "role": s.Role})
	})
	if errors.Is(err, account.ErrStaffExists) {
		return fmt.Errorf("%s already has a staff account; nothing changed", email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s <%s>, role %s (id %d)\nset a password with: broadsheet staff password --email %s\n",
		s.Name, s.Email, s.Role, s.ID, s.Email)
	return nil
}

// staffPassword sets a staff member's password, read as one line from
// stdin: a flag would leave it in the shell's history and in the process
// list. Setting it signs the member out everywhere, so a password changed
// because it leaked also ends the sessions opened with it.
func staffPassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email string
	cfg, err := parse("staff password", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "staff member's email (required)")
	})
	if err != nil {
		return err
	}
	email, err = account.NormalizeEmail(email)
	if err != nil {
		return fmt.Errorf("--email: %w", err)
	}
	fmt.Fprintf(stderr, "New password for %s (one line, at least %d characters; input is not hidden, so pipe it in from a password manager if others can see your screen):\n",
		email, account.MinPasswordChars)
	pw, err := readLine(stdin, account.MaxPasswordBytes)
	if err != nil {
		return err
	}
	if err := account.CheckPassword(pw); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	s, _, err := db.StaffByEmail(ctx, email)
	if errors.Is(err, account.ErrNoStaff) {
		return fmt.Errorf("%s has no staff account; create it first with: broadsheet staff create", email)
	}
	if err != nil {
		return err
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := db.InTx(ctx, func(ctx context.Context) error {
		if err := db.SetStaffPassword(ctx, s.ID, hash); err != nil {
			return err
		}
		return audit.New(db, nil, nil).Write(ctx, operator, "staff.password", "staff", s.ID, s.Name+" <"+s.Email+">", nil, nil)
	}); err != nil {
		return err
	}
	n, err := db.DeleteStaffSessions(ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "password set for %s <%s>; %d browser session(s) signed out\nlog in at /newsroom/login\n", s.Name, s.Email, n)
	return nil
}

// readLine reads the first line of r without its line ending; a line
// longer than max bytes is refused rather than cut, so that a password is
// never silently shortened.
func readLine(r io.Reader, max int) (string, error) {
	br := bufio.NewReaderSize(r, max+2)
	line, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("the password is longer than %d bytes", max)
	case errors.Is(err, io.EOF) && len(line) == 0:
		return "", errors.New("no password given on standard input")
	case err != nil && !errors.Is(err, io.EOF):
		return "", fmt.Errorf("read password: %w", err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
	if len(s) > max {
		return "", fmt.Errorf("the password is longer than %d bytes", max)
	}
	return s, nil
}
