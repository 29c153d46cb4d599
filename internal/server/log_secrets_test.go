package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
)

// logBuffer collects the site's log lines; the server writes from many
// goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func withAccessLog(c *config.Config) { c.AccessLog = true }

// No secret a request carries reaches the log, at any level: not a
// password-reset token (in the link, in a Referer), an OAuth callback's
// code and state, an API token (in the Authorization header or a query),
// a password, or a session cookie. The lines are there, with the secrets
// blanked out.
func TestLog_keepsRequestSecretsOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		var logs logBuffer
		ts := newLoggedTestServer(t, e, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			withAccessLog, withLocalOIDC(t))
		ts.setPassword(t, "admin@paper.example")
		var secrets []string

		// A reset link, opened, refused once and used.
		admin := ts.signIn(t, "admin@paper.example")
		secrets = append(secrets, admin.cookie)
		link := admin.resetLink(t, ts.newMember(t, "kim@paper.example", account.Reporter))
		secrets = append(secrets, strings.TrimPrefix(link, "/newsroom/reset/"))
		ts.get(t, link, "Referer", "http://paper.test"+link)
		ts.get(t, "/newsroom/login?next="+url.QueryEscape(link))
		const newPassword = "a new and secret password"
		secrets = append(secrets, newPassword)
		ts.postForm(t, link, url.Values{"password": {newPassword}, "password_again": {"something else entirely"}})
		if res, _ := ts.postForm(t, link, url.Values{"password": {newPassword}, "password_again": {newPassword}}); res.StatusCode != http.StatusOK {
			t.Fatalf("reset: %d", res.StatusCode)
		}
		ts.get(t, link) // used up: 404

		// A reader's login through the provider, and its callback replayed.
		b := newBrowser(t, ts)
		res, _ := b.do("GET", "/auth/oidc/login?next=%2F", nil)
		res, _ = b.do("GET", res.Header.Get("Location"), nil)
		callback, err := url.Parse(res.Header.Get("Location"))
		if err != nil || callback.Query().Get("code") == "" || callback.Query().Get("state") == "" {
			t.Fatalf("provider redirect: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		secrets = append(secrets, callback.Query().Get("code"), callback.Query().Get("state"))
		if res, _ := b.do("GET", callback.String(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("callback: %d", res.StatusCode)
		}
		newBrowser(t, ts).do("GET", callback.String(), nil) // refused, and the refusal logged

		// API calls with a token in the header, and in a query where it
		// does not belong.
		token := ts.tokens[account.Editor]
		secrets = append(secrets, token)
		if res, _ := ts.do(t, "GET", "/api/v1/articles", token, ""); res.StatusCode != http.StatusOK {
			t.Fatalf("API call: %d", res.StatusCode)
		}
		ts.do(t, "GET", "/api/v1/articles?access_token="+token, "", "")
		ts.do(t, "GET", "/api/v1/articles", token+"x", "") // refused

		// Access lines are written by the access log's own goroutine, a
		// few milliseconds after their requests: wait for the last ones.
		wants := []string{`"path":"/newsroom/reset/REDACTED"`, `"path":"/auth/oidc/callback","status":303`,
			`"query":"code=REDACTED&state=REDACTED"`, `"query":"access_token=REDACTED"`, `"msg":"reader login refused"`}
		out := logs.String()
		for deadline := time.Now().Add(5 * time.Second); !containsAll(out, wants) && time.Now().Before(deadline); out = logs.String() {
			time.Sleep(10 * time.Millisecond)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(out, s) {
				t.Errorf("the log has the secret %q", s)
			}
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("the log lacks %s", want)
			}
		}
		if t.Failed() {
			t.Logf("log:\n%s", out)
		}
	})
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
