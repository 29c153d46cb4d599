package social

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauth2-proxy/mockoidc"
)

func TestLoginOIDC_signsInProviderUser(t *testing.T) {
	tests := []struct {
		name, key     string
		emailVerified bool
		wantEmail     string
	}{
		{"generic", "oidc", true, "reader@example.org"},
		{"google", "google", true, "reader@example.org"},
		{"unverified email is dropped", "oidc", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := tt.key
			op := startMockOIDC(t)
			op.QueueUser(&mockoidc.MockUser{
				Subject:           "reader-42",
				Email:             "reader@example.org",
				EmailVerified:     tt.emailVerified,
				PreferredUsername: "Reader Forty-Two",
			})
			s := newSite(t, []ProviderConfig{op.config(key)})
			const next = "/article/3/slug?x=1#c5"

			start := s.get(s.browser, s.loginURL(key, "next="+url.QueryEscape(next)))
			if start.status != http.StatusFound {
				t.Fatalf("login start: got %d %q, want 302", start.status, start.body)
			}
			auth := start.location
			if !strings.HasPrefix(auth, op.AuthorizationEndpoint()+"?") {
				t.Fatalf("login start redirected to %q, want the provider's authorize endpoint", auth)
			}
			f := s.flows.only(t)
			for param, want := range map[string]string{
				"state":                 f.State,
				"nonce":                 f.Nonce,
				"code_challenge_method": "S256",
				"redirect_uri":          s.srv.URL + "/auth/" + key + "/callback",
				"client_id":             op.ClientID,
			} {
				if got := queryParam(t, auth, param); got != want || want == "" {
					t.Errorf("authorize %s: got %q, want %q", param, got, want)
				}
			}
			if f.Next != next || f.Provider != key || f.Verifier == "" {
				t.Errorf("saved flow %+v: want next %q, provider %q and a verifier", f, next, key)
			}

			cb := s.get(s.browser, auth).location
			done := s.finish(cb)
			if done.status != http.StatusSeeOther || done.location != next {
				t.Fatalf("callback: got %d to %q (%q), want 303 to %q", done.status, done.location, done.body, next)
			}
			got := s.wantSignIn()
			want := signIn{
				id:   Identity{Provider: key, Subject: "reader-42", Name: "Reader Forty-Two", Email: tt.wantEmail},
				next: next,
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(signIn{})); diff != "" {
				t.Errorf("SignIn (-want +got):\n%s", diff)
			}
			if !cookieCleared(done.cookies) {
				t.Errorf("callback cookies %v: want bs_login cleared", done.cookies)
			}
		})
	}
}

func cookieCleared(cs []*http.Cookie) bool {
	for _, c := range cs {
		if c.Name == loginCookie && c.MaxAge < 0 {
			return true
		}
	}
	return false
}

func TestLoginOIDC_refusals(t *testing.T) {
	op := startMockOIDC(t)
	tests := []struct {
		name string
		// tamper changes the callback (or the world) before the browser
		// visits it, and returns the URL to visit with which browser.
		tamper func(t *testing.T, s *site, cb string) (*http.Client, string)
		// exchanged says the refusal comes after the code exchange.
		exchanged bool
		message   string
	}{
		{
			name: "state changed in the URL",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				return s.browser, withQuery(t, cb, "state", randomToken())
			},
			message: "another browser",
		},
		{
			name: "state changed in the URL and the cookie",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				st := randomToken()
				s.setLoginCookie(st)
				return s.browser, withQuery(t, cb, "state", st)
			},
			message: "expired or was already used",
		},
		{
			name: "no login cookie (another browser)",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				return newBrowser(t), cb
			},
			message: "another browser",
		},
		{
			name: "different login cookie",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				s.setLoginCookie(randomToken())
				return s.browser, cb
			},
			message: "another browser",
		},
		{
			name: "wrong nonce",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				s.flows.edit(t, queryParam(t, cb, "state"), func(f *Flow) { f.Nonce = randomToken() })
				return s.browser, cb
			},
			exchanged: true,
			message:   "could not verify",
		},
		{
			name: "expired flow",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				// The store still has it (it uses the real clock), so only
				// the package's own expiry check can refuse.
				s.clock.advance(flowTTL + time.Second)
				return s.browser, cb
			},
			message: "expired or was already used",
		},
		{
			name: "flow started for another provider",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				s.flows.edit(t, queryParam(t, cb, "state"), func(f *Flow) { f.Provider = "google" })
				return s.browser, cb
			},
			message: "expired or was already used",
		},
		{
			name: "reader cancelled at the provider",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				u := s.srv.URL + "/auth/oidc/callback?error=access_denied&error_description=%3Cb%3Eboo&state=" + queryParam(t, cb, "state")
				return s.browser, u
			},
			message: "cancelled",
		},
		{
			name: "no code",
			tamper: func(t *testing.T, s *site, cb string) (*http.Client, string) {
				return s.browser, withQuery(t, cb, "code", "")
			},
			message: "expired or was already used",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, []ProviderConfig{op.config("oidc")})
			cb := s.begin("oidc", "next=%2Fsports")
			tokenCalls := op.count(mockoidc.TokenEndpoint)

			browser, target := tt.tamper(t, s, cb)
			msg := s.wantRefused(s.get(browser, target), http.StatusBadRequest)
			if !strings.Contains(msg, tt.message) {
				t.Errorf("Fail message %q: want it to contain %q", msg, tt.message)
			}
			if exchanged := op.count(mockoidc.TokenEndpoint) > tokenCalls; exchanged != tt.exchanged {
				t.Errorf("code exchanged: got %v, want %v", exchanged, tt.exchanged)
			}
			if st := s.logins.Status()[0]; st.Failures != 0 || !st.Available {
				t.Errorf("status %+v: a refused login must not count against the provider", st)
			}
		})
	}
}

func TestLoginOIDC_refusesIDTokenForAnotherClient(t *testing.T) {
	op := startMockOIDC(t)
	op.setAlias("broadsheet-site")
	c := op.config("oidc")
	c.ClientID = "broadsheet-site"
	s := newSite(t, []ProviderConfig{c})

	msg := s.wantRefused(s.finish(s.begin("oidc", "")), http.StatusBadRequest)
	if !strings.Contains(msg, "could not verify") {
		t.Errorf("Fail message %q: want the ID token refused", msg)
	}
	if op.count(mockoidc.TokenEndpoint) == 0 {
		t.Errorf("no code exchange: the refusal must come from checking the ID token's audience")
	}
}

func TestLoginOIDC_refusesReplayedCallback(t *testing.T) {
	op := startMockOIDC(t)
	s := newSite(t, []ProviderConfig{op.config("oidc")})
	cb := s.begin("oidc", "next=%2Fopinion")
	if a := s.finish(cb); a.status != http.StatusSeeOther {
		t.Fatalf("first callback: got %d %q, want 303", a.status, a.body)
	}
	tokenCalls := op.count(mockoidc.TokenEndpoint)

	// Replay the same state and code with the cookie put back, as an
	// attacker who copied both would.
	s.setLoginCookie(queryParam(t, cb, "state"))
	a := s.finish(cb)

	ins, fails := s.recorded()
	if len(ins) != 1 || len(fails) != 1 || fails[0].status != http.StatusBadRequest || a.status != http.StatusBadRequest {
		t.Fatalf("after replay: got %d sign-ins, failures %+v, answer %d; want 1 sign-in and one 400", len(ins), fails, a.status)
	}
	if got := op.count(mockoidc.TokenEndpoint); got != tokenCalls {
		t.Errorf("replay reached the token endpoint (%d calls, was %d); want it refused on the used flow", got, tokenCalls)
	}
}

func TestLoginOIDC_discoversLazilyAndRetries(t *testing.T) {
	op := startMockOIDC(t)
	s := newSite(t, []ProviderConfig{op.config("oidc")})
	if n := op.count(mockoidc.DiscoveryEndpoint); n != 0 {
		t.Fatalf("New made %d discovery requests, want none", n)
	}

	op.QueueError(&mockoidc.ServerError{Code: http.StatusInternalServerError, Error: "server_error", Description: "down"})
	a := s.get(s.browser, s.loginURL("oidc", ""))
	s.wantRefused(a, http.StatusServiceUnavailable)
	if st := s.logins.Status()[0]; st.Failures != 1 || !st.Available || st.LastError == "" {
		t.Errorf("after a failed discovery: got %+v, want 1 failure, still available, with LastError", st)
	}

	for i := range 2 {
		if a := s.get(s.browser, s.loginURL("oidc", "")); a.status != http.StatusFound {
			t.Fatalf("login %d after the failure: got %d %q, want 302", i+2, a.status, a.body)
		}
	}
	if n := op.count(mockoidc.DiscoveryEndpoint); n != 2 {
		t.Errorf("discovery requests: got %d, want 2 (the failed one retried once, then kept)", n)
	}
	if st := s.logins.Status()[0]; st.Failures != 0 {
		t.Errorf("after a good discovery: got %d failures, want 0", st.Failures)
	}
}

func TestLogin_nextIsSafe(t *testing.T) {
	op := startMockOIDC(t)
	tests := []struct {
		rawQuery string
		want     string
	}{
		{"next=" + url.QueryEscape("//evil.example"), "/"},
		{"next=" + url.QueryEscape("https://evil.example/"), "/"},
		{"next=" + url.QueryEscape(`/\evil.example`), "/"},
		{"next=" + url.QueryEscape("javascript:alert(1)"), "/"},
		{"next=%2F%2Fevil.example", "/"},                         // decodes to //evil.example
		{"next=" + url.QueryEscape("%2F%2Fevil.example"), "/"},   // arrives still encoded
		{"next=" + url.QueryEscape("/\t/evil.example"), "/"},     // browsers drop the tab
		{"next=" + url.QueryEscape("/\r\nSet-Cookie: x=1"), "/"}, // header injection
		{"next=" + url.QueryEscape("/article/3/slug?x=1#c5"), "/article/3/slug?x=1#c5"},
		{"", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.rawQuery, func(t *testing.T) {
			s := newSite(t, []ProviderConfig{op.config("oidc")})
			a := s.finish(s.begin("oidc", tt.rawQuery))
			if a.location != tt.want {
				t.Errorf("redirected to %q after login, want %q", a.location, tt.want)
			}
			if got := s.wantSignIn().next; got != tt.want {
				t.Errorf("SignIn next: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoginOIDC_clientAuthFollowsDiscovery(t *testing.T) {
	tests := []struct {
		name    string
		methods []string
		// wantCalls are the token requests of two logins in a row.
		wantCalls [2]int
	}{
		// mockoidc lists Basic but only reads form fields: the first
		// exchange tries Basic, falls back, and the Config remembers.
		{"basic and post listed", []string{"client_secret_basic", "client_secret_post"}, [2]int{2, 1}},
		{"post only", []string{"client_secret_post"}, [2]int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// mockoidc serves this package variable; no test runs in
			// parallel, and the restore runs after the server stops.
			saved := mockoidc.TokenEndpointAuthMethodsSupported
			t.Cleanup(func() { mockoidc.TokenEndpointAuthMethodsSupported = saved })
			mockoidc.TokenEndpointAuthMethodsSupported = tt.methods
			op := startMockOIDC(t)
			s := newSite(t, []ProviderConfig{op.config("oidc")})

			for i, want := range tt.wantCalls {
				before := op.count(mockoidc.TokenEndpoint)
				if a := s.finish(s.begin("oidc", "")); a.status != http.StatusSeeOther {
					t.Fatalf("login %d: got %d %q, want 303", i+1, a.status, a.body)
				}
				if got := op.count(mockoidc.TokenEndpoint) - before; got != want {
					t.Errorf("login %d: %d token requests, want %d", i+1, got, want)
				}
			}
		})
	}
}

func TestLoginOIDC_concurrentFirstLoginsDiscoverOnce(t *testing.T) {
	op := startMockOIDC(t)
	s := newSite(t, []ProviderConfig{op.config("oidc")})

	const n = 8
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		browser := newBrowser(t)
		wg.Go(func() {
			resp, err := browser.Get(s.loginURL("oidc", ""))
			if err != nil {
				t.Errorf("login start: %v", err)
				statuses <- 0
				return
			}
			_ = resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusFound {
			t.Errorf("a concurrent login start answered %d, want 302", st)
		}
	}
	if got := op.count(mockoidc.DiscoveryEndpoint); got != 1 {
		t.Errorf("discovery requests: got %d, want 1 shared by all logins", got)
	}
}
