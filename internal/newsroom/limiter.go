package newsroom

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Failed logins are limited twice: by email (lockout.go) and, loosely,
// since a whole newsroom may share one address, by network address. Both
// counts are kept in the database, so that every instance of a scaled-out
// site refuses the same guesser and a restart does not reset them. An
// address is stored only as a salted hash.

type limitRule struct {
	max     int
	window  time.Duration
	lockFor time.Duration
}

var (
	emailRule = limitRule{max: 10, window: 15 * time.Minute, lockFor: 15 * time.Minute}
	ipRule    = limitRule{max: 50, window: 15 * time.Minute, lockFor: 15 * time.Minute}
)

// netLocked reports how long logins from the network address ip must
// wait; 0 when they may go ahead. Like the email's, the lock lasts while
// ipRule.max failures fall within the window, and attempts refused by it
// are not counted.
func (h *handler) netLocked(ctx context.Context, ip string) (time.Duration, error) {
	if ip == "" {
		return 0, nil
	}
	hash, err := h.netHash(ctx, ip)
	if err != nil {
		return 0, err
	}
	now := h.now()
	nth, err := h.store.NthNetLoginFailure(ctx, hash, now.Add(-ipRule.window), ipRule.max)
	if err != nil || nth.IsZero() {
		return 0, err
	}
	if until := nth.Add(ipRule.lockFor); until.After(now) {
		return until.Sub(now), nil
	}
	return 0, nil
}

// netFailed counts a failed login from ip that was not counted when it
// began (a wrong second-factor code, a wrong current password). A
// success does not clear the count: a guesser who also knows one password
// must not be able to reset it.
func (h *handler) netFailed(ctx context.Context, ip string) error {
	if ip == "" {
		return nil
	}
	hash, err := h.netHash(ctx, ip)
	if err != nil {
		return err
	}
	return h.store.AddNetLoginFailure(ctx, hash, h.now(), ipRule.window)
}

// netAttempt is a password login from an address, counted as a failure
// from before its password is checked; zero when none was recorded.
type netAttempt struct {
	hash string
	at   time.Time
}

// startNetLogin counts a password login from ip as a failure before its
// password is checked, or reports how long the address must wait. Were
// the failure written only after the check, guesses sent at once to
// several instances would all pass the count before any was written;
// this way at most ipRule.max of them reach the (slow) check, which runs
// outside any lock. A login that succeeds is then forgotten
// (forgetNetLogin).
func (h *handler) startNetLogin(ctx context.Context, ip string) (netAttempt, time.Duration, error) {
	if ip == "" {
		return netAttempt{}, 0, nil
	}
	hash, err := h.netHash(ctx, ip)
	if err != nil {
		return netAttempt{}, 0, err
	}
	now := h.now()
	// Locked while ipRule.max failures fall within the window, until
	// lockFor after the max-th most recent: netLocked's rule.
	since := now.Add(-min(ipRule.window, ipRule.lockFor))
	nth, err := h.store.StartNetLogin(ctx, hash, now, since, ipRule.max, ipRule.window)
	if err != nil {
		return netAttempt{}, 0, err
	}
	if !nth.IsZero() {
		return netAttempt{}, nth.Add(ipRule.lockFor).Sub(now), nil
	}
	return netAttempt{hash: hash, at: now}, 0, nil
}

// forgetNetLogin drops the failure startNetLogin counted for a login
// whose password was right.
func (h *handler) forgetNetLogin(ctx context.Context, a netAttempt) error {
	if a.hash == "" {
		return nil
	}
	return h.store.ForgetNetLogin(ctx, a.hash, a.at)
}

// keyNetSalt is the setting holding the salt of hashed login addresses,
// made once for the site; every instance reads the same one.
const keyNetSalt = "login_ip_salt"

// netSalt is the salt, read once per process.
type netSalt struct {
	mu   sync.Mutex
	salt string
}

// netHash is ip as the database keeps it: salted, hashed and shortened,
// like a comment's ip_hash.
func (h *handler) netHash(ctx context.Context, ip string) (string, error) {
	h.salt.mu.Lock()
	defer h.salt.mu.Unlock()
	if h.salt.salt == "" {
		fresh := make([]byte, 16)
		_, _ = rand.Read(fresh) // crypto/rand.Read does not fail
		salt, err := h.store.SettingOrInit(ctx, keyNetSalt, hex.EncodeToString(fresh))
		if err != nil {
			return "", err
		}
		h.salt.salt = salt
	}
	sum := sha256.Sum256([]byte(h.salt.salt + "|" + ip))
	return hex.EncodeToString(sum[:12]), nil
}
