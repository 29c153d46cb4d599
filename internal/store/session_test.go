package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

func TestSessionsAndLoginFlows_expireAndAreUsedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		rd, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "s1", DisplayName: "One"})
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "s1", DisplayName: "Changed", AvatarURL: "https://a.example/p.png"})
		if err != nil || again.ID != rd.ID || again.DisplayName != "One" || again.AvatarURL != "https://a.example/p.png" {
			t.Errorf("second login: %+v, %v; want the same reader keeping their name, with the new avatar", again, err)
		}
		now := time.Now()
		cookie, s := reader.NewSession(now.Add(-reader.SessionTTL - time.Minute))
		s.ReaderID = rd.ID
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, reader.HashToken(cookie)); !errors.Is(err, store.ErrNoSession) {
			t.Errorf("expired session: %v, want ErrNoSession", err)
		}
		f := social.Flow{State: "st", Provider: "oidc", Verifier: "v", Nonce: "n", Next: "/", Expires: now.Add(time.Minute)}
		if err := db.SaveLoginFlow(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, err := db.TakeLoginFlow(ctx, "st"); err != nil || got.Nonce != "n" {
			t.Fatalf("take: %+v, %v", got, err)
		}
		if _, err := db.TakeLoginFlow(ctx, "st"); !errors.Is(err, social.ErrUnknownState) {
			t.Errorf("second take: %v, want ErrUnknownState", err)
		}
		old := social.Flow{State: "old", Provider: "oidc", Expires: now.Add(-time.Second)}
		if err := db.SaveLoginFlow(ctx, old); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteExpired(ctx, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TakeLoginFlow(ctx, "old"); !errors.Is(err, social.ErrUnknownState) {
			t.Errorf("expired flow: %v, want ErrUnknownState", err)
		}
	})
}
