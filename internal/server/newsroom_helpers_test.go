package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// staffPassword is the password the tests give staff members.
const staffPassword = "a long newsroom password"

// staffBrowser is a browser signed in to the newsroom pages.
type staffBrowser struct {
	ts     *testServer
	cookie string // the bs_staff session cookie
	csrf   string // the session's CSRF token, as the pages' forms carry it
}

// setPassword gives a staff member the test password.
func (ts *testServer) setPassword(t *testing.T, email string) {
	t.Helper()
	ctx := context.Background()
	s, _, err := ts.db.StaffByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := account.HashPassword(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.SetStaffPassword(ctx, s.ID, hash); err != nil {
		t.Fatal(err)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginForm opens the login page like a browser and returns the form's
// CSRF token and the double-submit cookie that goes with it.
func (ts *testServer) loginForm(t *testing.T) (token, cookie string) {
	t.Helper()
	res, body := ts.get(t, "/newsroom/login")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the login form has no CSRF field")
	}
	for _, c := range res.Cookies() {
		if c.Name == "bs_login_csrf" {
			return m[1], c.Value
		}
	}
	t.Fatal("the login page sets no CSRF cookie")
	return "", ""
}

// postForm sends a browser form; header is name, value pairs.
func (ts *testServer) postForm(t *testing.T, path string, values url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return res, readAll(t, res)
}

// login posts the login form with a fresh CSRF token.
func (ts *testServer) login(t *testing.T, email, password string, header ...string) (*http.Response, string) {
	t.Helper()
	token, cookie := ts.loginForm(t)
	cookies := "bs_login_csrf=" + cookie
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Cookie" {
			cookies += "; " + header[i+1]
		}
	}
	return ts.postForm(t, "/newsroom/login", url.Values{"email": {email}, "password": {password}, "csrf": {token}}, "Cookie", cookies)
}

// signIn logs a staff member in through the form and returns their browser.
func (ts *testServer) signIn(t *testing.T, email string) *staffBrowser {
	t.Helper()
	res, body := ts.login(t, email, staffPassword)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d\n%s", email, res.StatusCode, body)
	}
	b := &staffBrowser{ts: ts, cookie: sessionCookie(t, res).Value}
	_, home := b.get(t, "/newsroom/")
	m := csrfField.FindStringSubmatch(home)
	if m == nil {
		t.Fatal("the start page has no form with a CSRF token")
	}
	b.csrf = m[1]
	return b
}

func sessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == "bs_staff" {
			return c
		}
	}
	t.Fatalf("no bs_staff cookie in %v", res.Header["Set-Cookie"])
	return nil
}

func (b *staffBrowser) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	return b.ts.get(t, path, "Cookie", "bs_staff="+b.cookie)
}

// post sends a form with the session's CSRF token unless values has one.
func (b *staffBrowser) post(t *testing.T, path string, values url.Values) (*http.Response, string) {
	t.Helper()
	if values == nil {
		values = url.Values{}
	}
	if _, ok := values["csrf"]; !ok {
		values.Set("csrf", b.csrf)
	}
	return b.ts.postForm(t, path, values, "Cookie", "bs_staff="+b.cookie)
}

// staffTestServer is a test server whose four role accounts have the
// test password.
func staffTestServer(t *testing.T, e storetest.Engine, opts ...option) *testServer {
	t.Helper()
	ts := newTestServer(t, e, opts...)
	for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
		ts.setPassword(t, string(r)+"@paper.example")
	}
	return ts
}
