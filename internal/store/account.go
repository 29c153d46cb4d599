package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"broadsheet/internal/account"
)

// EnsureStaff returns the staff member with s.Email, creating them with
// s's name and role if missing. An existing member keeps their role.
func (db *DB) EnsureStaff(ctx context.Context, s account.Staff) (account.Staff, error) {
	var out account.Staff
	err := db.tx(ctx, func(t *txn) error {
		var created int64
		err := t.queryRow(ctx, `SELECT id, email, name, role, created_at FROM staff WHERE email = ?`, s.Email).
			Scan(&out.ID, &out.Email, &out.Name, &out.Role, &created)
		if err == nil {
			out.CreatedAt = fromMS(created)
			return nil
		}
		if !errors.Is(err, errNoRows) {
			return fmt.Errorf("store: find staff %q: %w", s.Email, err)
		}
		out = s
		out.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
		err = t.queryRow(ctx, `INSERT INTO staff (email, name, role, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			s.Email, s.Name, string(s.Role), ms(out.CreatedAt)).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("store: create staff %q: %w", s.Email, err)
		}
		return nil
	})
	return out, err
}

// CreateToken stores the hash of a new API token for a staff member.
func (db *DB) CreateToken(ctx context.Context, staffID int64, hash string) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `INSERT INTO api_tokens (staff_id, token_hash, created_at) VALUES (?, ?, ?) RETURNING id`,
		staffID, hash, ms(time.Now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create token: %w", err)
	}
	return id, nil
}

// StaffByToken finds the staff member holding the unrevoked token with
// this hash; the tokens of a switched-off account do not work.
func (db *DB) StaffByToken(ctx context.Context, hash string) (account.Staff, error) {
	var s account.Staff
	var created int64
	err := db.queryRow(ctx, `SELECT s.id, s.email, s.name, s.role, s.created_at
		FROM api_tokens t JOIN staff s ON s.id = t.staff_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND s.disabled = 0`, hash).
		Scan(&s.ID, &s.Email, &s.Name, &s.Role, &created)
	if err != nil {
		return account.Staff{}, fmt.Errorf("store: token: %w", notFound(err, account.ErrBadToken))
	}
	s.CreatedAt = fromMS(created)
	return s, nil
}

// RevokeToken revokes a token by its hash; it reports whether one was
// revoked now.
func (db *DB) RevokeToken(ctx context.Context, hash string) (bool, error) {
	res, err := db.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL`,
		ms(time.Now()), hash)
	if err != nil {
		return false, fmt.Errorf("store: revoke token: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RevokeTokenByID revokes a token by id; it reports whether one was
// revoked now.
func (db *DB) RevokeTokenByID(ctx context.Context, id int64) (bool, error) {
	res, err := db.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
		ms(time.Now()), id)
	if err != nil {
		return false, fmt.Errorf("store: revoke token %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
