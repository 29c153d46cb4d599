package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"broadsheet/internal/account"
)

// The admins' side of staff accounts: the list, roles, switching an
// account off, one-time password-reset links, the TOTP second factor, and
// failed logins counted in the database so that every instance of a
// scaled-out site sees the same lockout.

// ListStaff lists every staff account by name.
func (db *DB) ListStaff(ctx context.Context) ([]account.Member, error) {
	rows, err := db.query(ctx, `SELECT `+staffCols+`, totp_secret <> '', disabled FROM staff ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	defer rows.Close()
	var out []account.Member
	for rows.Next() {
		var m account.Member
		var disabled int64
		s, err := scanStaff(rows, &m.TOTP, &disabled)
		if err != nil {
			return nil, fmt.Errorf("store: list staff: %w", err)
		}
		m.Staff, m.Disabled = s, disabled != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// StaffSecurity reports whether an account is switched off and its TOTP
// secret ("" when it has none), for the login.
func (db *DB) StaffSecurity(ctx context.Context, id int64) (disabled bool, totpSecret string, err error) {
	var d int64
	err = db.queryRow(ctx, `SELECT disabled, totp_secret FROM staff WHERE id = ?`, id).Scan(&d, &totpSecret)
	if err != nil {
		return false, "", fmt.Errorf("store: staff %d: %w", id, notFound(err, account.ErrNoStaff))
	}
	return d != 0, totpSecret, nil
}

// SetStaffRole changes a staff member's role.
func (db *DB) SetStaffRole(ctx context.Context, id int64, role account.Role) error {
	return db.updateStaff(ctx, id, `UPDATE staff SET role = ? WHERE id = ?`, string(role), id)
}

// SetStaffDisabled switches an account off (and ends its sessions in the
// same transaction, so no browser keeps working) or on again.
func (db *DB) SetStaffDisabled(ctx context.Context, id int64, disabled bool) error {
	d := 0
	if disabled {
		d = 1
	}
	return db.tx(ctx, func(t *txn) error {
		res, err := t.exec(ctx, `UPDATE staff SET disabled = ? WHERE id = ?`, d, id)
		if err != nil {
			return fmt.Errorf("store: disable staff %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: disable staff %d: %w", id, account.ErrNoStaff)
		}
		if disabled {
			if _, err := t.exec(ctx, `DELETE FROM sessions WHERE staff_id = ?`, id); err != nil {
				return fmt.Errorf("store: disable staff %d: %w", id, err)
			}
		}
		return nil
	})
}

// SetStaffTOTP stores a TOTP secret with the time step of the code that
// proved it ("" and 0 turn the second factor off). The step is kept so
// that the code which turned the factor on cannot then sign in.
func (db *DB) SetStaffTOTP(ctx context.Context, id int64, secret string, step int64) error {
	return db.updateStaff(ctx, id, `UPDATE staff SET totp_secret = ?, totp_last_step = ? WHERE id = ?`, secret, step, id)
}

// UseTOTPStep records that a code of the time step was used with the
// account's secret, and reports false when a code of that step or a
// later one was used already (or the secret is no longer the account's).
// The check and the update are one statement, so of two requests that
// race with the same code, on one instance or two, only one is true.
func (db *DB) UseTOTPStep(ctx context.Context, id int64, secret string, step int64) (bool, error) {
	res, err := db.exec(ctx, `UPDATE staff SET totp_last_step = ?
		WHERE id = ? AND totp_secret = ? AND totp_secret <> '' AND totp_last_step < ?`, step, id, secret, step)
	if err != nil {
		return false, fmt.Errorf("store: use totp step of staff %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: use totp step of staff %d: %w", id, err)
	}
	return n == 1, nil
}

func (db *DB) updateStaff(ctx context.Context, id int64, query string, args ...any) error {
	res, err := db.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: update staff %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update staff %d: %w", id, account.ErrNoStaff)
	}
	return nil
}

// CreatePasswordReset stores the hash of a one-time reset token.
func (db *DB) CreatePasswordReset(ctx context.Context, tokenHash string, staffID, createdBy int64, now, expires time.Time) error {
	by := sql.NullInt64{Int64: createdBy, Valid: createdBy != 0}
	_, err := db.exec(ctx, `INSERT INTO password_resets (token_hash, staff_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, staffID, by, ms(now), ms(expires))
	if err != nil {
		return fmt.Errorf("store: create password reset: %w", err)
	}
	return nil
}

// PasswordReset finds the account a reset token is for, and when it
// expires; an unknown (or already used) token is account.ErrNoReset.
func (db *DB) PasswordReset(ctx context.Context, tokenHash string) (staffID int64, expires time.Time, err error) {
	var exp int64
	err = db.queryRow(ctx, `SELECT staff_id, expires_at FROM password_resets WHERE token_hash = ?`, tokenHash).Scan(&staffID, &exp)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: password reset: %w", notFound(err, account.ErrNoReset))
	}
	return staffID, fromMS(exp), nil
}

// UsePasswordReset sets the new password with a reset token, once: the
// token is deleted in the same transaction, with every other session of
// the account, and a second use of it is account.ErrNoReset. Expired tokens are
// account.ErrNoReset too.
func (db *DB) UsePasswordReset(ctx context.Context, tokenHash, passwordHash string, now time.Time) (staffID int64, err error) {
	err = db.tx(ctx, func(t *txn) error {
		var exp int64
		err := t.queryRow(ctx, `DELETE FROM password_resets WHERE token_hash = ? RETURNING staff_id, expires_at`, tokenHash).Scan(&staffID, &exp)
		if err != nil {
			return fmt.Errorf("store: use password reset: %w", notFound(err, account.ErrNoReset))
		}
		if !now.Before(fromMS(exp)) {
			return fmt.Errorf("store: use password reset: expired: %w", account.ErrNoReset)
		}
		if _, err := t.exec(ctx, `UPDATE staff SET password_hash = ? WHERE id = ?`, passwordHash, staffID); err != nil {
			return fmt.Errorf("store: use password reset: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE staff_id = ?`, staffID); err != nil {
			return fmt.Errorf("store: use password reset: %w", err)
		}
		_, err = t.exec(ctx, `DELETE FROM password_resets WHERE expires_at <= ?`, ms(now))
		return err
	})
	return staffID, err
}

// AddLoginFailure records a failed login for an email and drops failures
// older than keep, so the table stays small.
func (db *DB) AddLoginFailure(ctx context.Context, email string, at time.Time, keep time.Duration) error {
	if _, err := db.exec(ctx, `INSERT INTO staff_login_failures (email, failed_at) VALUES (?, ?)`, email, ms(at)); err != nil {
		return fmt.Errorf("store: add login failure: %w", err)
	}
	if _, err := db.exec(ctx, `DELETE FROM staff_login_failures WHERE failed_at < ?`, ms(at.Add(-keep))); err != nil {
		return fmt.Errorf("store: prune login failures: %w", err)
	}
	return nil
}

// NthLoginFailure is the time of the email's nth most recent failed login
// since a moment, or the zero time when there were fewer than n.
func (db *DB) NthLoginFailure(ctx context.Context, email string, since time.Time, n int) (time.Time, error) {
	var at int64
	err := db.queryRow(ctx, `SELECT failed_at FROM staff_login_failures WHERE email = ? AND failed_at > ?
		ORDER BY failed_at DESC LIMIT 1 OFFSET ?`, email, ms(since), n-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: login failures: %w", err)
	}
	return fromMS(at), nil
}

// ClearLoginFailures forgets an email's failed logins after a correct one.
func (db *DB) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := db.exec(ctx, `DELETE FROM staff_login_failures WHERE email = ?`, email); err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}
