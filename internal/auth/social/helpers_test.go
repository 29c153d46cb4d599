package social

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// memFlows is an in-memory FlowStore. It checks expiry against the real
// clock, so tests that move Options.Now forward test the package's own
// expiry check, not this store's.
type memFlows struct {
	mu    sync.Mutex
	flows map[string]Flow
}

func newMemFlows() *memFlows { return &memFlows{flows: map[string]Flow{}} }

func (m *memFlows) SaveLoginFlow(_ context.Context, f Flow) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.flows[f.State] = f
	return nil
}

func (m *memFlows) TakeLoginFlow(_ context.Context, state string) (Flow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.flows[state]
	delete(m.flows, state)
	if !ok || time.Now().After(f.Expires) {
		return Flow{}, ErrUnknownState
	}
	return f, nil
}

// edit changes the flow saved under state, as an attacker with a hand in
// the store (or a confused provider) might.
func (m *memFlows) edit(t *testing.T, state string, change func(*Flow)) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.flows[state]
	if !ok {
		t.Fatalf("no flow saved under state %q", state)
	}
	change(&f)
	m.flows[state] = f
}

func (m *memFlows) only(t *testing.T) Flow {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.flows) != 1 {
		t.Fatalf("got %d saved flows, want 1", len(m.flows))
	}
	for _, f := range m.flows {
		return f
	}
	panic("unreachable")
}

// clock is the site's Now: real time plus an offset the test moves.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

type signIn struct {
	id   Identity
	next string
}

type failure struct {
	status  int
	message string
}

// site is the reader site in miniature: Logins on a real HTTP server,
// with SignIn and Fail recording what they were given, and a browser.
type site struct {
	t       *testing.T
	srv     *httptest.Server
	logins  *Logins
	flows   *memFlows
	clock   *clock
	browser *http.Client

	mu       sync.Mutex
	signIns  []signIn
	failures []failure
}

func newSite(t *testing.T, providers []ProviderConfig, tweak ...func(*Options)) *site {
	t.Helper()
	mux := http.NewServeMux()
	s := &site{t: t, srv: httptest.NewServer(mux), flows: newMemFlows(), clock: &clock{}}
	t.Cleanup(s.srv.Close)
	o := Options{
		BaseURL:   s.srv.URL,
		Providers: providers,
		Flows:     s.flows,
		SignIn: func(w http.ResponseWriter, r *http.Request, id Identity, next string) {
			s.mu.Lock()
			s.signIns = append(s.signIns, signIn{id, next})
			s.mu.Unlock()
			http.Redirect(w, r, next, http.StatusSeeOther)
		},
		Fail: func(w http.ResponseWriter, r *http.Request, status int, message string) {
			s.mu.Lock()
			s.failures = append(s.failures, failure{status, message})
			s.mu.Unlock()
			http.Error(w, message, status)
		},
		Now: s.clock.now,
	}
	for _, f := range tweak {
		f(&o)
	}
	l, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	l.Register(mux)
	s.logins = l
	s.browser = newBrowser(t)
	return s
}

// newBrowser is a client with cookies that stops at every redirect, so a
// test can look at (and tamper with) each step.
func newBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

type answer struct {
	status   int
	location string
	body     string
	cookies  []*http.Cookie
}

func (s *site) get(c *http.Client, rawURL string) answer {
	s.t.Helper()
	resp, err := c.Get(rawURL)
	if err != nil {
		s.t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("GET %s: read body: %v", rawURL, err)
	}
	return answer{resp.StatusCode, resp.Header.Get("Location"), string(body), resp.Cookies()}
}

// loginURL is the login start URL with the raw query given.
func (s *site) loginURL(provider, rawQuery string) string {
	return s.srv.URL + "/auth/" + provider + "/login?" + rawQuery
}

// begin starts a login in the browser and lets the provider answer,
// returning the callback URL the provider sent the browser to, not yet
// visited.
func (s *site) begin(provider, rawQuery string) string {
	s.t.Helper()
	a := s.get(s.browser, s.loginURL(provider, rawQuery))
	if a.status != http.StatusFound || a.location == "" {
		s.t.Fatalf("login start: got %d %q, want a 302 to the provider", a.status, a.body)
	}
	a = s.get(s.browser, a.location)
	if a.status != http.StatusFound || !strings.HasPrefix(a.location, s.srv.URL+"/auth/"+provider+"/callback?") {
		s.t.Fatalf("provider authorize: got %d %q to %q, want a 302 to our callback", a.status, a.body, a.location)
	}
	return a.location
}

// finish visits the callback in the browser.
func (s *site) finish(callbackURL string) answer {
	s.t.Helper()
	return s.get(s.browser, callbackURL)
}

func (s *site) recorded() ([]signIn, []failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]signIn(nil), s.signIns...), append([]failure(nil), s.failures...)
}

// forget clears what SignIn and Fail recorded.
func (s *site) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signIns, s.failures = nil, nil
}

// wantSignIn asserts that exactly one login succeeded and returns it.
func (s *site) wantSignIn() signIn {
	s.t.Helper()
	ins, fails := s.recorded()
	if len(ins) != 1 || len(fails) != 0 {
		s.t.Fatalf("got sign-ins %+v and failures %+v, want one sign-in and no failure", ins, fails)
	}
	return ins[0]
}

// wantRefused asserts that nobody was signed in and the last answer was
// a Fail page with status; it returns the message.
func (s *site) wantRefused(a answer, status int) string {
	s.t.Helper()
	ins, fails := s.recorded()
	if len(ins) != 0 {
		s.t.Fatalf("got sign-ins %+v, want none", ins)
	}
	if len(fails) == 0 {
		s.t.Fatalf("got no Fail call (answer %d %q), want one with %d", a.status, a.body, status)
	}
	last := fails[len(fails)-1]
	if last.status != status || a.status != status {
		s.t.Fatalf("got Fail status %d (answer %d, %q), want %d", last.status, a.status, last.message, status)
	}
	if a.location != "" {
		s.t.Fatalf("refusal redirected to %q, want no redirect", a.location)
	}
	return last.message
}

// setLoginCookie replaces the browser's bs_login cookie for the site.
func (s *site) setLoginCookie(value string) {
	u, err := url.Parse(s.srv.URL + "/auth/")
	if err != nil {
		s.t.Fatal(err)
	}
	s.browser.Jar.SetCookies(u, []*http.Cookie{{Name: loginCookie, Value: value, Path: "/auth/"}})
}

// withQuery returns rawURL with one query parameter set to value.
func withQuery(t *testing.T, rawURL, key, value string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func queryParam(t *testing.T, rawURL, key string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get(key)
}
