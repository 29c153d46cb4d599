package newsroom

import (
	"context"
	"time"

	"broadsheet/internal/account"
)

// staffStore is what the staff account pages read and write: the admins'
// list, roles and switched-off accounts, reset links, the second factor,
// and failed logins (lockout.go, limiter.go).
type staffStore interface {
	ListStaff(ctx context.Context) ([]account.Member, error)
	CreateStaff(ctx context.Context, s account.Staff) (account.Staff, error)
	StaffSecurity(ctx context.Context, id int64) (disabled bool, totpSecret string, err error)
	SetStaffRole(ctx context.Context, id int64, role account.Role) error
	SetStaffDisabled(ctx context.Context, id int64, disabled bool) error
	SetStaffTOTP(ctx context.Context, id int64, secret string, step int64) error
	UseTOTPStep(ctx context.Context, id int64, secret string, step int64) (bool, error)
	CreatePasswordReset(ctx context.Context, tokenHash string, staffID, createdBy int64, now, expires time.Time) error
	PasswordReset(ctx context.Context, tokenHash string) (staffID int64, expires time.Time, err error)
	UsePasswordReset(ctx context.Context, tokenHash, passwordHash string, now time.Time) (staffID int64, err error)
	AddLoginFailure(ctx context.Context, email string, at time.Time, keep time.Duration) error
	NthLoginFailure(ctx context.Context, email string, since time.Time, n int) (time.Time, error)
	ClearLoginFailures(ctx context.Context, email string) error
	AddNetLoginFailure(ctx context.Context, netHash string, at time.Time, keep time.Duration) error
	NthNetLoginFailure(ctx context.Context, netHash string, since time.Time, n int) (time.Time, error)
	StartNetLogin(ctx context.Context, netHash string, at, since time.Time, n int, keep time.Duration) (locked time.Time, err error)
	ForgetNetLogin(ctx context.Context, netHash string, at time.Time) error
	SettingOrInit(ctx context.Context, key, fresh string) (string, error)
}
