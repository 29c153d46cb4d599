package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"broadsheet/internal/auth/social"
)

// SaveLoginFlow stores an OAuth login in progress.
func (db *DB) SaveLoginFlow(ctx context.Context, f social.Flow) error {
	_, err := db.exec(ctx, `INSERT INTO login_flows (state, provider, verifier, nonce, next_path, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, f.State, f.Provider, f.Verifier, f.Nonce, f.Next, ms(f.Expires))
	if err != nil {
		return fmt.Errorf("store: save login flow: %w", err)
	}
	return nil
}

// TakeLoginFlow returns and deletes a login flow: DELETE … RETURNING
// makes the second use of a state, even a concurrent one, find nothing.
func (db *DB) TakeLoginFlow(ctx context.Context, state string) (social.Flow, error) {
	var f social.Flow
	var expires int64
	err := db.queryRow(ctx, `DELETE FROM login_flows WHERE state = ?
		RETURNING state, provider, verifier, nonce, next_path, expires_at`, state).
		Scan(&f.State, &f.Provider, &f.Verifier, &f.Nonce, &f.Next, &expires)
	if err != nil {
		if errors.Is(err, errNoRows) {
			return social.Flow{}, social.ErrUnknownState
		}
		return social.Flow{}, fmt.Errorf("store: take login flow: %w", err)
	}
	f.Expires = fromMS(expires)
	if !time.Now().Before(f.Expires) {
		return social.Flow{}, social.ErrUnknownState
	}
	return f, nil
}
