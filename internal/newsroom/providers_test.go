package newsroom_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/auth/social"
	"broadsheet/internal/comment"
	"broadsheet/internal/i18n"
	"broadsheet/internal/newsroom"
	"broadsheet/internal/reader"
	"broadsheet/internal/store/storetest"
)

// A login provider that keeps failing is reported on the moderators'
// settings page, with how long and why.
func TestSettingsPage_reportsFailingLoginProviders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		catalog, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		since := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
		status := func() []social.ProviderStatus {
			return []social.ProviderStatus{
				{Provider: "google", Label: "Google", Available: true},
				{Provider: "kakao", Label: "Kakao", Available: false, Failures: 4, LastError: "token endpoint answered 503", Since: since},
			}
		}
		h, err := newsroom.NewHandler(newsroom.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), db,
			comment.NewService(db, nil), catalog, status)
		if err != nil {
			t.Fatal(err)
		}
		mod, err := db.CreateStaff(ctx, account.Staff{Email: "mod@paper.example", Name: "Mod", Role: account.Moderator})
		if err != nil {
			t.Fatal(err)
		}
		cookie, s := reader.NewSession(time.Now())
		s.StaffID = mod.ID
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/newsroom/moderation/settings", nil)
		req.AddCookie(&http.Cookie{Name: newsroom.CookieName, Value: cookie})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("settings page: %d", rec.Code)
		}
		for _, want := range []string{"Google", "available", "Kakao", "unavailable", "4 since November 26, 2026, 10:00 AM KST", "token endpoint answered 503"} {
			if !strings.Contains(body, want) {
				t.Errorf("the providers' health lacks %q", want)
			}
		}
	})
}
