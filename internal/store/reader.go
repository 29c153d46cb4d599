package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/reader"
)

const readerCols = `id, provider, subject, display_name, avatar_url, created_at, policy_version,
	banned_until, COALESCE(ban_rule, 0), ban_reason`

func scanReader(row interface{ Scan(...any) error }) (reader.Reader, error) {
	var r reader.Reader
	var created int64
	var banned sql.NullInt64
	err := row.Scan(&r.ID, &r.Provider, &r.Subject, &r.DisplayName, &r.AvatarURL, &created, &r.PolicyVersion,
		&banned, &r.BanRule, &r.BanReason)
	r.CreatedAt, r.BannedUntil = fromMS(created), fromNullMS(banned)
	return r, err
}

// SignInReader finds the reader a provider vouched for, creating the
// account on the first login. An existing reader keeps the display name
// they chose; the avatar follows the provider.
func (db *DB) SignInReader(ctx context.Context, r reader.Reader) (reader.Reader, error) {
	if strings.HasPrefix(r.Provider, ImportedProviderPrefix) {
		return reader.Reader{}, fmt.Errorf("store: sign in reader: %w", ErrImportedReader)
	}
	now := time.Now()
	var id int64
	err := db.queryRow(ctx, `INSERT INTO readers (provider, subject, display_name, avatar_url, created_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (provider, subject) DO UPDATE SET avatar_url = excluded.avatar_url
		RETURNING id`, r.Provider, r.Subject, r.DisplayName, r.AvatarURL, ms(now)).Scan(&id)
	if err != nil {
		return reader.Reader{}, fmt.Errorf("store: sign in reader: %w", err)
	}
	return db.Reader(ctx, id)
}

// Reader loads a reader account.
func (db *DB) Reader(ctx context.Context, id int64) (reader.Reader, error) {
	r, err := scanReader(db.queryRow(ctx, `SELECT `+readerCols+` FROM readers WHERE id = ?`, id))
	if err != nil {
		return reader.Reader{}, fmt.Errorf("store: reader %d: %w", id, notFound(err, reader.ErrNotFound))
	}
	return r, nil
}

// SetReaderName changes a reader's display name.
func (db *DB) SetReaderName(ctx context.Context, id int64, name string) error {
	return db.updateReader(ctx, id, `UPDATE readers SET display_name = ? WHERE id = ?`, name, id)
}

// AcceptPolicy records the policy version a reader accepted.
func (db *DB) AcceptPolicy(ctx context.Context, id int64, version string) error {
	return db.updateReader(ctx, id, `UPDATE readers SET policy_version = ? WHERE id = ?`, version, id)
}

func (db *DB) updateReader(ctx context.Context, id int64, query string, args ...any) error {
	res, err := db.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: update reader %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return reader.ErrNotFound
	}
	return nil
}

// DeleteReader removes a reader's account, sessions, reactions, reports
// and comments. A comment others have replied to stays as a "deleted"
// placeholder without text or author, so the replies keep their place.
func (db *DB) DeleteReader(ctx context.Context, id int64) error {
	return db.tx(ctx, func(t *txn) error {
		// Undo the reader's reactions on other people's comments.
		if _, err := t.exec(ctx, `UPDATE comments SET
			likes = likes - (SELECT COUNT(*) FROM comment_reactions x WHERE x.comment_id = comments.id AND x.reader_id = ? AND x.value = 1),
			dislikes = dislikes - (SELECT COUNT(*) FROM comment_reactions x WHERE x.comment_id = comments.id AND x.reader_id = ? AND x.value = -1)
			WHERE id IN (SELECT comment_id FROM comment_reactions WHERE reader_id = ?)`, id, id, id); err != nil {
			return fmt.Errorf("store: delete reader %d reactions: %w", id, err)
		}
		// Replies by the reader no longer count on their parents.
		if _, err := t.exec(ctx, `UPDATE comments SET replies = replies - (SELECT COUNT(*) FROM comments c
			WHERE c.parent_id = comments.id AND c.reader_id = ? AND c.status = 'visible')
			WHERE id IN (SELECT parent_id FROM comments WHERE reader_id = ? AND parent_id IS NOT NULL)`, id, id); err != nil {
			return fmt.Errorf("store: delete reader %d replies: %w", id, err)
		}
		if _, err := t.exec(ctx, `UPDATE comments SET status = 'deleted', body = '', reader_id = NULL, body_hash = '', ip_hash = ''
			WHERE reader_id = ? AND replies > 0 AND parent_id IS NULL`, id); err != nil {
			return fmt.Errorf("store: delete reader %d comments: %w", id, err)
		}
		for _, q := range []string{
			`DELETE FROM comments WHERE reader_id = ?`,
			`DELETE FROM readers WHERE id = ?`,
		} {
			if _, err := t.exec(ctx, q, id); err != nil {
				return fmt.Errorf("store: delete reader %d: %w", id, err)
			}
		}
		return nil
	})
}

// CreateSession stores a new browser session. A reader an import made
// (provider "import:…") never gets one: ErrImportedReader.
func (db *DB) CreateSession(ctx context.Context, s reader.Session) error {
	res, err := db.exec(ctx, `INSERT INTO sessions (token_hash, reader_id, staff_id, csrf_token, created_at, expires_at)
		SELECT CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
		WHERE NOT EXISTS (SELECT 1 FROM readers WHERE id = CAST(? AS BIGINT) AND provider LIKE 'import:%')`,
		s.TokenHash, nullID(s.ReaderID), nullID(s.StaffID), s.CSRF, ms(s.CreatedAt), ms(s.ExpiresAt), s.ReaderID)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: create session for reader %d: %w", s.ReaderID, ErrImportedReader)
	}
	return nil
}

// ErrNoSession is a missing or expired session.
var ErrNoSession = errors.New("no such session")

// Session finds an unexpired session by the hash of its cookie.
func (db *DB) Session(ctx context.Context, tokenHash string) (reader.Session, error) {
	var s reader.Session
	var rid, sid sql.NullInt64
	var created, expires int64
	err := db.queryRow(ctx, `SELECT token_hash, reader_id, staff_id, csrf_token, created_at, expires_at
		FROM sessions WHERE token_hash = ? AND expires_at > ?`, tokenHash, ms(time.Now())).
		Scan(&s.TokenHash, &rid, &sid, &s.CSRF, &created, &expires)
	if err != nil {
		return reader.Session{}, notFound(err, ErrNoSession)
	}
	s.ReaderID, s.StaffID, s.CreatedAt, s.ExpiresAt = rid.Int64, sid.Int64, fromMS(created), fromMS(expires)
	return s, nil
}

// DeleteSession signs one browser out.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := db.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpired removes sessions and login flows that have expired.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) error {
	for _, q := range []string{`DELETE FROM sessions WHERE expires_at <= ?`, `DELETE FROM login_flows WHERE expires_at <= ?`} {
		if _, err := db.exec(ctx, q, ms(now)); err != nil {
			return fmt.Errorf("store: delete expired: %w", err)
		}
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
