package social

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// countingTransport counts the requests made through the site's
// HTTPClient, to show provider calls use it.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestLoginOAuth2_signsInProviderUser(t *testing.T) {
	tests := []struct {
		provider string
		fake     *fakeOAuth
		want     Identity
	}{
		{
			provider: "twitter",
			fake: &fakeOAuth{basicAuth: true, pkce: true, userJSON: `{"data":{"id":"2244994945","name":"X Developers",
				"username":"XDevelopers","profile_image_url":"https://pbs.twimg.example/a.jpg"}}`},
			want: Identity{Provider: "twitter", Subject: "2244994945", Name: "X Developers", AvatarURL: "https://pbs.twimg.example/a.jpg"},
		},
		{
			provider: "facebook",
			fake: &fakeOAuth{pkce: true, userJSON: `{"id":"10158","name":"Kim Min-ji",
				"picture":{"data":{"height":50,"is_silhouette":false,"url":"https://fb.example/p.jpg","width":50}}}`},
			want: Identity{Provider: "facebook", Subject: "10158", Name: "Kim Min-ji", AvatarURL: "https://fb.example/p.jpg"},
		},
		{
			provider: "github",
			fake: &fakeOAuth{pkce: true, userJSON: `{"login":"octocat","id":9007199254740993,"name":null,
				"avatar_url":"https://avatars.example/u/1","email":"octocat@github.example"}`},
			// The id is past float64's exact range; it must come through digit for digit.
			want: Identity{Provider: "github", Subject: "9007199254740993", Name: "octocat",
				AvatarURL: "https://avatars.example/u/1", Email: "octocat@github.example"},
		},
		{
			provider: "naver",
			fake: &fakeOAuth{stateOnExchange: true, userJSON: `{"resultcode":"00","message":"success",
				"response":{"id":"32742776","nickname":"독자","name":"이독자","profile_image":"https://phinf.example/p.png","email":"x@naver.example"}}`},
			want: Identity{Provider: "naver", Subject: "32742776", Name: "독자", AvatarURL: "https://phinf.example/p.png"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			fp := startFakeOAuth(t, tt.fake)
			counter := &countingTransport{}
			s := newSite(t, []ProviderConfig{fp.config(tt.provider)}, func(o *Options) {
				o.HTTPClient = &http.Client{Transport: counter}
			})
			fp.expectRedirect(s.srv.URL + "/auth/" + tt.provider + "/callback")

			a := s.finish(s.begin(tt.provider, "next=%2Fculture%2Fbooks"))
			if a.status != http.StatusSeeOther || a.location != "/culture/books" {
				t.Fatalf("callback: got %d to %q (%q), want 303 to /culture/books", a.status, a.location, a.body)
			}
			got := s.wantSignIn()
			if diff := cmp.Diff(tt.want, got.id); diff != "" {
				t.Errorf("Identity (-want +got):\n%s", diff)
			}
			if n := counter.n.Load(); n != 2 {
				t.Errorf("requests through Options.HTTPClient: got %d, want 2 (token and user)", n)
			}
		})
	}
}

func TestLoginOAuth2_refusesWrongVerifier(t *testing.T) {
	for _, provider := range []string{"twitter", "facebook"} {
		t.Run(provider, func(t *testing.T) {
			fp := startFakeOAuth(t, &fakeOAuth{basicAuth: provider == "twitter", pkce: true, userJSON: `{}`})
			s := newSite(t, []ProviderConfig{fp.config(provider)})
			fp.expectRedirect(s.srv.URL + "/auth/" + provider + "/callback")

			cb := s.begin(provider, "")
			s.flows.edit(t, queryParam(t, cb, "state"), func(f *Flow) { f.Verifier = "a-verifier-the-challenge-was-not-made-from-000000" })
			msg := s.wantRefused(s.finish(cb), http.StatusBadRequest)

			if fp.count("/token") != 1 || fp.count("/me") != 0 {
				t.Errorf("provider calls: token %d, me %d; want the token request refused and no user request", fp.count("/token"), fp.count("/me"))
			}
			if strings.Contains(msg, fakeSecret) {
				t.Errorf("Fail message %q holds the client secret", msg)
			}
			// A bad code is the reader's doing (or an attacker's): it must
			// not count against the provider.
			if st := s.logins.Status()[0]; st.Failures != 0 {
				t.Errorf("status after a refused code: %+v, want no failures", st)
			}
		})
	}
}

func TestLoginOAuth2_refusesUnusableUser(t *testing.T) {
	tests := []struct {
		name, userJSON string
	}{
		{"no id", `{"data":{"name":"nobody"}}`},
		{"not json", `<html>maintenance</html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp := startFakeOAuth(t, &fakeOAuth{basicAuth: true, pkce: true, userJSON: tt.userJSON})
			s := newSite(t, []ProviderConfig{fp.config("twitter")})
			fp.expectRedirect(s.srv.URL + "/auth/twitter/callback")
			s.wantRefused(s.finish(s.begin("twitter", "")), http.StatusBadGateway)
		})
	}
}

func TestLogin_cookieBindsFlowToBrowser(t *testing.T) {
	tests := []struct {
		baseURL    string
		wantSecure bool
	}{
		{"http://news.example", false},
		{"https://news.example/", true},
	}
	for _, tt := range tests {
		t.Run(tt.baseURL, func(t *testing.T) {
			flows := newMemFlows()
			l, err := New(Options{
				BaseURL:   tt.baseURL,
				Providers: []ProviderConfig{{Provider: "twitter", ClientID: "id", ClientSecret: "secret"}},
				Flows:     flows,
				SignIn:    func(http.ResponseWriter, *http.Request, Identity, string) {},
				Fail:      func(http.ResponseWriter, *http.Request, int, string) {},
			})
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			l.Register(mux)
			w := httptest.NewRecorder()
			started := time.Now()
			mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/auth/twitter/login?next=%2Fworld", nil))

			if w.Code != http.StatusFound || !strings.HasPrefix(w.Header().Get("Location"), "https://x.com/i/oauth2/authorize?") {
				t.Fatalf("got %d to %q, want 302 to X", w.Code, w.Header().Get("Location"))
			}
			f := flows.only(t)
			if got := queryParam(t, w.Header().Get("Location"), "redirect_uri"); got != strings.TrimSuffix(tt.baseURL, "/")+"/auth/twitter/callback" {
				t.Errorf("redirect_uri: got %q", got)
			}
			cs := w.Result().Cookies()
			if len(cs) != 1 {
				t.Fatalf("got cookies %v, want one", cs)
			}
			c := cs[0]
			want := http.Cookie{Name: loginCookie, Value: f.State, Path: "/auth/", MaxAge: 600, HttpOnly: true, Secure: tt.wantSecure, SameSite: http.SameSiteLaxMode}
			if c.Name != want.Name || c.Value != want.Value || c.Path != want.Path || c.MaxAge != want.MaxAge ||
				c.HttpOnly != want.HttpOnly || c.Secure != want.Secure || c.SameSite != want.SameSite {
				t.Errorf("cookie: got %+v, want %+v", *c, want)
			}
			if d := f.Expires.Sub(started); d < flowTTL || d > flowTTL+time.Minute {
				t.Errorf("flow expires %v after the login started, want 10 minutes", d)
			}
			if f.Next != "/world" || f.Verifier == "" || f.Nonce != "" {
				t.Errorf("flow %+v: want next /world, a verifier and no nonce", f)
			}
			if len(f.State) != 43 { // 32 bytes as unpadded base64url
				t.Errorf("state %q: got %d characters, want 43", f.State, len(f.State))
			}
		})
	}
}
