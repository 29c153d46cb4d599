package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/reader"
	"broadsheet/internal/store/storetest"
)

func TestStaffAdmin_loginFailuresAreCountedAndPruned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			if err := db.AddLoginFailure(ctx, "ed@paper.example", start.Add(time.Duration(i)*time.Minute), 15*time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if at, err := db.NthLoginFailure(ctx, "ed@paper.example", start.Add(-time.Minute), 3); err != nil || !at.Equal(start) {
			t.Errorf("3rd most recent failure: %v, %v; want %v", at, err, start)
		}
		if at, _ := db.NthLoginFailure(ctx, "ed@paper.example", start.Add(-time.Minute), 4); !at.IsZero() {
			t.Errorf("4th of 3 failures: %v, want none", at)
		}
		if at, _ := db.NthLoginFailure(ctx, "ed@paper.example", start, 3); !at.IsZero() {
			t.Errorf("failures since the first are 2, yet the 3rd is %v", at)
		}
		// A failure 20 minutes on prunes the ones older than 15 minutes.
		if err := db.AddLoginFailure(ctx, "ad@paper.example", start.Add(20*time.Minute), 15*time.Minute); err != nil {
			t.Fatal(err)
		}
		if at, _ := db.NthLoginFailure(ctx, "ed@paper.example", time.Time{}, 1); !at.IsZero() {
			t.Errorf("old failures were not pruned: %v", at)
		}
		if err := db.ClearLoginFailures(ctx, "ad@paper.example"); err != nil {
			t.Fatal(err)
		}
		if at, _ := db.NthLoginFailure(ctx, "ad@paper.example", time.Time{}, 1); !at.IsZero() {
			t.Errorf("cleared failures remain: %v", at)
		}
	})
}

func TestStaffAdmin_resetsRolesAndSwitchingOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		st, err := db.CreateStaff(ctx, account.Staff{Email: "kim@paper.example", Name: "Kim", Role: account.Reporter})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		_, s := reader.NewSession(now)
		s.StaffID, s.ExpiresAt = st.ID, now.Add(time.Hour)
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePasswordReset(ctx, "hash-1", st.ID, 0, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if id, exp, err := db.PasswordReset(ctx, "hash-1"); err != nil || id != st.ID || !exp.Equal(now.Add(time.Hour).Truncate(time.Millisecond)) {
			t.Errorf("PasswordReset = %d, %v, %v", id, exp, err)
		}
		if id, err := db.UsePasswordReset(ctx, "hash-1", "new-hash", now); err != nil || id != st.ID {
			t.Fatalf("UsePasswordReset = %d, %v", id, err)
		}
		if _, hash, _ := db.StaffByEmail(ctx, "kim@paper.example"); hash != "new-hash" {
			t.Errorf("password hash after the reset: %q", hash)
		}
		if _, err := db.Session(ctx, s.TokenHash); err == nil {
			t.Error("the reset left a session")
		}
		if _, err := db.UsePasswordReset(ctx, "hash-1", "other", now); !errors.Is(err, account.ErrNoReset) {
			t.Errorf("second use: %v, want ErrNoReset", err)
		}
		if err := db.CreatePasswordReset(ctx, "hash-2", st.ID, 0, now.Add(-2*time.Hour), now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UsePasswordReset(ctx, "hash-2", "other", now); !errors.Is(err, account.ErrNoReset) {
			t.Errorf("expired use: %v, want ErrNoReset", err)
		}
		if _, hash, _ := db.StaffByEmail(ctx, "kim@paper.example"); hash != "new-hash" {
			t.Errorf("an expired reset changed the password: %q", hash)
		}

		if err := db.SetStaffRole(ctx, st.ID, account.Editor); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStaffRole(ctx, 99999, account.Editor); !errors.Is(err, account.ErrNoStaff) {
			t.Errorf("role of nobody: %v", err)
		}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStaffDisabled(ctx, st.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, s.TokenHash); err == nil {
			t.Error("switching off left a session")
		}
		if err := db.SetStaffTOTP(ctx, st.ID, "SECRET", 100); err != nil {
			t.Fatal(err)
		}
		disabled, secret, err := db.StaffSecurity(ctx, st.ID)
		if err != nil || !disabled || secret != "SECRET" {
			t.Errorf("StaffSecurity = %v, %q, %v", disabled, secret, err)
		}
		members, err := db.ListStaff(ctx)
		if err != nil || len(members) != 1 || !members[0].Disabled || !members[0].TOTP || members[0].Role != account.Editor {
			t.Errorf("ListStaff = %+v, %v", members, err)
		}
		if err := db.SetStaffDisabled(ctx, st.ID, false); err != nil {
			t.Fatal(err)
		}
		if disabled, _, _ := db.StaffSecurity(ctx, st.ID); disabled {
			t.Error("still switched off")
		}

		// A time step is used once, and only newer ones after it; the step
		// that turned the factor on counts as used.
		for _, c := range []struct {
			secret string
			step   int64
			want   bool
		}{
			{"SECRET", 100, false}, {"SECRET", 101, true}, {"SECRET", 101, false}, {"SECRET", 99, false},
			{"OTHER", 105, false}, {"SECRET", 103, true},
		} {
			if got, err := db.UseTOTPStep(ctx, st.ID, c.secret, c.step); err != nil || got != c.want {
				t.Errorf("UseTOTPStep(%s, %d) = %v, %v; want %v", c.secret, c.step, got, err, c.want)
			}
		}
		if err := db.SetStaffTOTP(ctx, st.ID, "", 0); err != nil {
			t.Fatal(err)
		}
		if got, err := db.UseTOTPStep(ctx, st.ID, "", 200); err != nil || got {
			t.Errorf("UseTOTPStep with the factor off = %v, %v; want false", got, err)
		}
	})
}
