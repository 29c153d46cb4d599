package store

import (
	"context"
	"fmt"
	"time"

	"broadsheet/internal/account"
)

// Staff log in to the newsroom pages with an email and a password; their
// browser sessions share the sessions table with readers' (staff_id set
// instead of reader_id), so CreateSession, Session and DeleteSession in
// reader.go serve both.

const staffCols = `id, email, name, role, created_at`

func scanStaff(row interface{ Scan(...any) error }, extra ...any) (account.Staff, error) {
	var s account.Staff
	var created int64
	err := row.Scan(append([]any{&s.ID, &s.Email, &s.Name, &s.Role, &created}, extra...)...)
	s.CreatedAt = fromMS(created)
	return s, err
}

// CreateStaff adds a staff member without a password; an email already
// in use is account.ErrStaffExists.
func (db *DB) CreateStaff(ctx context.Context, s account.Staff) (account.Staff, error) {
	s.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	err := db.queryRow(ctx, `INSERT INTO staff (email, name, role, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		s.Email, s.Name, string(s.Role), ms(s.CreatedAt)).Scan(&s.ID)
	if isUniqueViolation(err) {
		return account.Staff{}, fmt.Errorf("store: create staff %q: %w", s.Email, account.ErrStaffExists)
	}
	if err != nil {
		return account.Staff{}, fmt.Errorf("store: create staff %q: %w", s.Email, err)
	}
	return s, nil
}

// StaffByEmail finds a staff member by their (normalised) email, with
// their password hash: "" when no password has been set.
func (db *DB) StaffByEmail(ctx context.Context, email string) (account.Staff, string, error) {
	var hash string
	s, err := scanStaff(db.queryRow(ctx, `SELECT `+staffCols+`, password_hash FROM staff WHERE email = ?`, email), &hash)
	if err != nil {
		return account.Staff{}, "", fmt.Errorf("store: staff %q: %w", email, notFound(err, account.ErrNoStaff))
	}
	return s, hash, nil
}

// StaffCredentials finds a staff member by their (normalised) email with
// everything a login checks, in one read.
func (db *DB) StaffCredentials(ctx context.Context, email string) (account.Staff, account.Credentials, error) {
	var c account.Credentials
	var disabled int64
	s, err := scanStaff(db.queryRow(ctx, `SELECT `+staffCols+`, password_hash, disabled, totp_secret FROM staff WHERE email = ?`, email),
		&c.PasswordHash, &disabled, &c.TOTPSecret)
	if err != nil {
		return account.Staff{}, account.Credentials{}, fmt.Errorf("store: staff %q: %w", email, notFound(err, account.ErrNoStaff))
	}
	c.Disabled = disabled != 0
	return s, c, nil
}

// StaffByID loads a staff member, for the session of a signed-in browser.
func (db *DB) StaffByID(ctx context.Context, id int64) (account.Staff, error) {
	s, err := scanStaff(db.queryRow(ctx, `SELECT `+staffCols+` FROM staff WHERE id = ?`, id))
	if err != nil {
		return account.Staff{}, fmt.Errorf("store: staff %d: %w", id, notFound(err, account.ErrNoStaff))
	}
	return s, nil
}

// SetStaffPassword stores a new password hash for a staff member.
func (db *DB) SetStaffPassword(ctx context.Context, staffID int64, hash string) error {
	res, err := db.exec(ctx, `UPDATE staff SET password_hash = ? WHERE id = ?`, hash, staffID)
	if err != nil {
		return fmt.Errorf("store: set password of staff %d: %w", staffID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: set password of staff %d: %w", staffID, account.ErrNoStaff)
	}
	return nil
}

// DeleteStaffSessions signs a staff member out in every browser and
// reports how many sessions ended.
func (db *DB) DeleteStaffSessions(ctx context.Context, staffID int64) (int, error) {
	res, err := db.exec(ctx, `DELETE FROM sessions WHERE staff_id = ?`, staffID)
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions of staff %d: %w", staffID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
