package newsroom

import (
	"context"
	"time"
)

// The lock of an email after too many failed logins is kept in the
// database, not in memory, so that every instance of a scaled-out site
// refuses the same email and a restart does not reset the count. Unknown
// emails are counted like known ones, so a lockout says nothing about
// whether an account exists. While an email is locked, attempts are
// refused without being counted: the lock ends emailRule.lockFor after
// the failure that caused it, whatever a guesser keeps sending.

// emailLocked reports how long logins for the email must wait; 0 when
// they may go ahead.
func (h *handler) emailLocked(ctx context.Context, email string) (time.Duration, error) {
	now := h.now()
	// The lock lasts while emailRule.max failures fall within the window:
	// until the max-th most recent one leaves it.
	nth, err := h.store.NthLoginFailure(ctx, email, now.Add(-emailRule.window), emailRule.max)
	if err != nil || nth.IsZero() {
		return 0, err
	}
	if until := nth.Add(emailRule.lockFor); until.After(now) {
		return until.Sub(now), nil
	}
	return 0, nil
}

// loginFailed counts a failed login (a wrong password or a wrong second
// factor code) against the email and the network address, and reports
// the lock it caused, if any, and whether it is the email's. netCounted
// says the address already counts it (startNetLogin). A failure counts
// against the address even when it locks the email.
func (h *handler) loginFailed(ctx context.Context, email, ip string, netCounted bool) (wait time.Duration, byEmail bool, err error) {
	if err := h.store.AddLoginFailure(ctx, email, h.now(), emailRule.window); err != nil {
		return 0, false, err
	}
	if !netCounted {
		if err := h.netFailed(ctx, ip); err != nil {
			return 0, false, err
		}
	}
	wait, err = h.emailLocked(ctx, email)
	if err != nil || wait > 0 {
		return wait, true, err
	}
	wait, err = h.netLocked(ctx, ip)
	return wait, false, err
}
