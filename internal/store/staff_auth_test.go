package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestStaffAuth_passwordsAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		mod, err := db.CreateStaff(ctx, account.Staff{Email: "mod@paper.example", Name: "Mod", Role: account.Moderator})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateStaff(ctx, account.Staff{Email: "mod@paper.example", Name: "Again", Role: account.Admin}); !errors.Is(err, account.ErrStaffExists) {
			t.Errorf("second create with the same email: %v, want ErrStaffExists", err)
		}
		got, hash, err := db.StaffByEmail(ctx, "mod@paper.example")
		if err != nil || got.ID != mod.ID || got.Role != account.Moderator || hash != "" {
			t.Fatalf("StaffByEmail = %+v, %q, %v; want the moderator without a password", got, hash, err)
		}
		if _, _, err := db.StaffByEmail(ctx, "nobody@paper.example"); !errors.Is(err, account.ErrNoStaff) {
			t.Errorf("unknown email: %v, want ErrStaffNotFound", err)
		}
		if err := db.SetStaffPassword(ctx, mod.ID, "$argon2id$stored"); err != nil {
			t.Fatal(err)
		}
		if _, hash, _ := db.StaffByEmail(ctx, "mod@paper.example"); hash != "$argon2id$stored" {
			t.Errorf("hash after SetStaffPassword = %q", hash)
		}
		if err := db.SetStaffPassword(ctx, mod.ID+1000, "x"); !errors.Is(err, account.ErrNoStaff) {
			t.Errorf("password of a missing staff member: %v, want ErrStaffNotFound", err)
		}
		if s, err := db.StaffByID(ctx, mod.ID); err != nil || s.Email != "mod@paper.example" || !s.CreatedAt.Equal(mod.CreatedAt) {
			t.Errorf("StaffByID = %+v, %v", s, err)
		}
		if _, err := db.StaffByID(ctx, mod.ID+1000); !errors.Is(err, account.ErrNoStaff) {
			t.Errorf("StaffByID(missing) = %v, want ErrStaffNotFound", err)
		}

		// Two browsers of the moderator, one of another member and one reader.
		other, err := db.CreateStaff(ctx, account.Staff{Email: "ed@paper.example", Name: "Ed", Role: account.Editor})
		if err != nil {
			t.Fatal(err)
		}
		rd, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "r", DisplayName: "Reader"})
		if err != nil {
			t.Fatal(err)
		}
		newSession := func(staffID, readerID int64) string {
			cookie, s := reader.NewSession(time.Now())
			s.StaffID, s.ReaderID = staffID, readerID
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			return reader.HashToken(cookie)
		}
		laptop, phone, eds, readers := newSession(mod.ID, 0), newSession(mod.ID, 0), newSession(other.ID, 0), newSession(0, rd.ID)
		if s, err := db.Session(ctx, laptop); err != nil || s.StaffID != mod.ID || s.ReaderID != 0 {
			t.Errorf("staff session = %+v, %v", s, err)
		}
		if n, err := db.DeleteStaffSessions(ctx, mod.ID); err != nil || n != 2 {
			t.Errorf("DeleteStaffSessions = %d, %v; want 2", n, err)
		}
		for _, h := range []string{laptop, phone} {
			if _, err := db.Session(ctx, h); !errors.Is(err, store.ErrNoSession) {
				t.Errorf("a session survived logging out everywhere: %v", err)
			}
		}
		for _, h := range []string{eds, readers} {
			if _, err := db.Session(ctx, h); err != nil {
				t.Errorf("logging one member out everywhere ended someone else's session: %v", err)
			}
		}
	})
}
