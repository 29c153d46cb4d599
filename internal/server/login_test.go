package server_test

import (
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
)

// withLocalOIDC starts a real OpenID Connect provider (mockoidc) on
// 127.0.0.1 and configures it as the site's generic provider.
func withLocalOIDC(t *testing.T) option {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return func(c *config.Config) {
		c.Logins = []social.ProviderConfig{{Provider: "oidc", Label: "Local ID", ClientID: m.ClientID,
			ClientSecret: m.ClientSecret, Issuer: m.Issuer()}}
	}
}

// browser is a cookie-keeping client that stops at every redirect, so the
// test sees each step; requests for the site's public origin go to the
// test server.
type browser struct {
	t      *testing.T
	ts     *testServer
	client *http.Client
}

func newBrowser(t *testing.T, ts *testServer) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, ts: ts, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, target string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	target = strings.Replace(target, "http://paper.test", b.ts.URL, 1)
	if strings.HasPrefix(target, "/") {
		target = b.ts.URL + target
	}
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	return res, readAll(b.t, res)
}

var (
	hrefOf  = regexp.MustCompile(`<a class="login-button login-oidc" href="([^"]+)">`)
	inputOf = func(name string) *regexp.Regexp { return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`) }
)

func TestLogin_fullFlowThroughLocalOIDCProviderThenComment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e, withLocalOIDC(t))
		a := ts.publishedArticle(t, 0)
		b := newBrowser(t, ts)

		_, page := b.do("GET", a.URL()+"/comments", nil)
		m := hrefOf.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, "Log in with Local ID") {
			t.Fatalf("no login button for the local provider on the comments page")
		}
		res, _ := b.do("GET", strings.ReplaceAll(m[1], "&amp;", "&"), nil)
		if res.StatusCode != 302 {
			t.Fatalf("login start: %d", res.StatusCode)
		}
		authorize, _ := url.Parse(res.Header.Get("Location"))
		q := authorize.Query()
		if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
			t.Errorf("authorization request lacks state, nonce or PKCE: %v", q)
		}
		res, _ = b.do("GET", authorize.String(), nil) // the provider signs the user in and sends them back
		callback := res.Header.Get("Location")
		if !strings.HasPrefix(callback, "http://paper.test/auth/oidc/callback?") {
			t.Fatalf("provider redirect: %d %q", res.StatusCode, callback)
		}
		res, _ = b.do("GET", callback, nil)
		next := res.Header.Get("Location")
		if res.StatusCode != 303 || !strings.HasPrefix(next, "/account/policy?next=") {
			t.Fatalf("callback: %d %q, want 303 to the policy", res.StatusCode, next)
		}
		// The same callback again is a replay and must not sign anyone in.
		fresh := newBrowser(t, ts)
		if res, _ := fresh.do("GET", callback, nil); res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("replayed callback: %d, want a 4xx", res.StatusCode)
		}

		_, page = b.do("GET", next, nil)
		version, csrf := inputOf("version").FindStringSubmatch(page), inputOf("csrf").FindStringSubmatch(page)
		if version == nil || csrf == nil || !strings.Contains(page, "Respect others.") {
			t.Fatalf("the policy page has no accept form with the rules")
		}
		res, _ = b.do("POST", "/account/policy", url.Values{"csrf": {csrf[1]}, "version": {version[1]}, "next": {a.URL() + "/comments"}})
		if res.StatusCode != 303 || res.Header.Get("Location") != a.URL()+"/comments" {
			t.Fatalf("accept policy: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, page = b.do("GET", a.URL()+"/comments", nil)
		if !strings.Contains(page, `class="comment-form"`) {
			t.Fatal("after login and policy, no comment box")
		}
		res, _ = b.do("POST", a.URL()+"/comments", url.Values{"csrf": {csrf[1]}, "body": {"Signed in through the provider"}})
		if res.StatusCode != 303 {
			t.Fatalf("post: %d", res.StatusCode)
		}
		_, page = b.do("GET", a.URL()+"/comments", nil)
		if !strings.Contains(page, "Signed in through the provider") {
			t.Error("the comment is not shown")
		}
		_, ready := b.do("GET", "/readyz", nil)
		if !strings.Contains(ready, "login oidc: available") {
			t.Errorf("/readyz does not report the provider: %q", ready)
		}
		// Logging out ends the session on the server, not just the cookie.
		res, _ = b.do("POST", "/auth/logout", url.Values{"csrf": {csrf[1]}})
		if res.StatusCode != 303 {
			t.Errorf("logout: %d", res.StatusCode)
		}
		if _, page = b.do("GET", a.URL()+"/comments", nil); strings.Contains(page, `class="comment-form"`) {
			t.Error("still signed in after logging out")
		}
	})
}
