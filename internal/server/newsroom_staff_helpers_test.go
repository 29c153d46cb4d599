package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
)

// secondInstance is another instance of the site on the same database,
// as a scaled-out site runs: it shares nothing in memory with ts.
func (ts *testServer) secondInstance(t *testing.T, opts ...option) *testServer {
	t.Helper()
	dir := t.TempDir()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "unused", BaseURL: "http://paper.test",
		PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: filepath.Join(dir, "media")}
	for _, o := range opts {
		o(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := startServer(t, cfg, ts.db)
	if err != nil {
		t.Fatal(err)
	}
	other := &testServer{Server: httptest.NewServer(srv.Handler), db: ts.db, site: srv, tokens: ts.tokens, clock: cfg.Clock}
	t.Cleanup(other.Close)
	return other
}

// codeLogin is a login waiting for its second factor's code.
type codeLogin struct {
	ts      *testServer
	csrf    string // the login form's token
	cookies string // the login's CSRF cookie and the pending login
}

// startLogin posts the email and password and returns the answer and,
// when it asks for a code, the login that waits for it.
func (ts *testServer) startLogin(t *testing.T, email, password string) (*http.Response, string, *codeLogin) {
	t.Helper()
	token, cookie := ts.loginForm(t)
	res, body := ts.postForm(t, "/newsroom/login", url.Values{"email": {email}, "password": {password}, "csrf": {token}},
		"Cookie", "bs_login_csrf="+cookie)
	for _, c := range res.Cookies() {
		if c.Name == "bs_login_pending" && c.Value != "" {
			return res, body, &codeLogin{ts: ts, csrf: token, cookies: "bs_login_csrf=" + cookie + "; bs_login_pending=" + c.Value}
		}
	}
	return res, body, nil
}

// send posts a code.
func (c *codeLogin) send(t *testing.T, code string) (*http.Response, string) {
	t.Helper()
	return c.ts.postForm(t, "/newsroom/login/code", url.Values{"code": {code}, "csrf": {c.csrf}}, "Cookie", c.cookies)
}

// totpCode is the right code for a secret at a time.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a six-digit code that is not right at a time (nor a
// period either side).
func wrongCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	right := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, _ := totp.GenerateCode(secret, at.Add(d))
		right[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !right[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

var secretField = regexp.MustCompile(`name="secret" value="([A-Z2-7]{32})"`)

// turnOnTOTP sets up the second factor through the account page, with
// the code of the site's clock's time, and returns its secret.
func (b *staffBrowser) turnOnTOTP(t *testing.T) string {
	t.Helper()
	res, body := b.get(t, "/newsroom/account")
	m := secretField.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("account page: %d, no secret to set up\n%s", res.StatusCode, body)
	}
	if res, body := b.post(t, "/newsroom/account/totp", url.Values{"secret": {m[1]}, "code": {totpCode(t, m[1], b.ts.now())}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turning the second factor on: %d\n%s", res.StatusCode, body)
	}
	return m[1]
}

// staffID is the id of the account with the email.
func (ts *testServer) staffID(t *testing.T, email string) int64 {
	t.Helper()
	s, _, err := ts.db.StaffByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

var resetLinkPattern = regexp.MustCompile(`/newsroom/reset/([A-Za-z0-9_-]{43})`)

// resetLink makes a password-reset link as the admin and returns its path.
func (b *staffBrowser) resetLink(t *testing.T, staffID int64) string {
	t.Helper()
	res, body := b.post(t, "/newsroom/staff/"+itoa(staffID)+"/reset-link", nil)
	m := resetLinkPattern.FindString(body)
	if res.StatusCode != http.StatusOK || m == "" {
		t.Fatalf("reset link: %d\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, "http://paper.test"+m) {
		t.Error("the link is not on the site's public address")
	}
	if !strings.Contains(body, "No mail server is set up") {
		t.Error("the page does not say the link was not mailed")
	}
	return m
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// newMember adds an account with the role and the test password.
func (ts *testServer) newMember(t *testing.T, email string, role account.Role) int64 {
	t.Helper()
	s, err := ts.db.CreateStaff(context.Background(), account.Staff{Email: email, Name: "Member " + email, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	ts.setPassword(t, email)
	return s.ID
}
