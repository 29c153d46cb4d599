package account

import "errors"

// Member is a staff account as the admins' list shows it: the account,
// whether it has a second factor, and whether it is switched off.
type Member struct {
	Staff
	TOTP     bool
	Disabled bool
}

// ErrNoReset is a password-reset link that is unknown, already used or
// expired: the reset page says the same for all three.
var ErrNoReset = errors.New("no such password reset")
