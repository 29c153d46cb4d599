package social

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// fakeOAuth is a plain OAuth 2.0 provider that checks what X, Facebook,
// Naver and GitHub check: the client, the redirect URI at both ends, the
// PKCE verifier against the challenge, single-use codes, and the bearer
// token at the user endpoint, which answers with the provider's JSON.
type fakeOAuth struct {
	t   *testing.T
	srv *httptest.Server

	clientID, clientSecret string
	basicAuth              bool   // client authenticates with HTTP Basic (X), else form fields
	pkce                   bool   // the authorize request must carry an S256 challenge
	stateOnExchange        bool   // the token request must repeat the state (Naver)
	userJSON               string // the user endpoint's answer

	mu          sync.Mutex
	redirectURI string // what the site must send; set once the site exists
	grants      map[string]grant
	tokens      map[string]bool
	tokenStatus int // when set, the token endpoint answers only this status
	hits        map[string]int
}

type grant struct {
	challenge, redirectURI, state string
}

const fakeSecret = "s3cret-never-shown"

func startFakeOAuth(t *testing.T, f *fakeOAuth) *fakeOAuth {
	t.Helper()
	f.t = t
	f.clientID, f.clientSecret = "client-123", fakeSecret
	f.grants, f.tokens, f.hits = map[string]grant{}, map[string]bool{}, map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /me", f.me)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits[r.URL.Path]++
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOAuth) config(provider string) ProviderConfig {
	return ProviderConfig{
		Provider:     provider,
		ClientID:     f.clientID,
		ClientSecret: f.clientSecret,
		AuthURL:      f.srv.URL + "/authorize",
		TokenURL:     f.srv.URL + "/token",
		UserInfoURL:  f.srv.URL + "/me?fields=id",
	}
}

func (f *fakeOAuth) expectRedirect(u string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.redirectURI = u
}

func (f *fakeOAuth) setTokenStatus(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenStatus = code
}

func (f *fakeOAuth) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (f *fakeOAuth) authorize(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	switch {
	case q.Get("client_id") != f.clientID:
		oauthError(w, http.StatusBadRequest, "invalid_client")
		return
	case q.Get("redirect_uri") != f.redirectURI:
		oauthError(w, http.StatusBadRequest, "invalid_request: redirect_uri")
		return
	case q.Get("response_type") != "code" || q.Get("state") == "":
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	case f.pkce && (q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == ""):
		oauthError(w, http.StatusBadRequest, "invalid_request: pkce")
		return
	}
	code := randomToken()
	f.grants[code] = grant{challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri"), state: q.Get("state")}
	back, _ := url.Parse(f.redirectURI)
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *fakeOAuth) token(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tokenStatus != 0 {
		// An outage page that happens to echo the client's secret: the
		// site must never pass it on.
		w.WriteHeader(f.tokenStatus)
		_, _ = fmt.Fprintf(w, "upstream broke while handling client_secret=%s", f.clientSecret)
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !f.basicAuth {
		id, secret, basic = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), false
	}
	if basic != f.basicAuth || id != f.clientID || secret != f.clientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	code := r.PostForm.Get("code")
	g, ok := f.grants[code]
	delete(f.grants, code) // single use, whatever happens next
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || !ok:
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		oauthError(w, http.StatusBadRequest, "invalid_grant: redirect_uri")
		return
	case f.pkce && !pkceMatches(r.PostForm.Get("code_verifier"), g.challenge):
		oauthError(w, http.StatusBadRequest, "invalid_grant: code_verifier")
		return
	case f.stateOnExchange && r.PostForm.Get("state") != g.state:
		oauthError(w, http.StatusBadRequest, "invalid_request: state")
		return
	}
	tok := randomToken()
	f.tokens[tok] = true
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 7200})
}

func pkceMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return verifier != "" && subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (f *fakeOAuth) me(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix || !f.tokens[h[len(prefix):]] {
		oauthError(w, http.StatusUnauthorized, "invalid_token")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(f.userJSON))
}
