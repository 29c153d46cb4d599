package social

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func validOptions() Options {
	return Options{
		BaseURL:   "https://news.example",
		Providers: []ProviderConfig{{Provider: "github", ClientID: "id", ClientSecret: "secret"}},
		Flows:     newMemFlows(),
		SignIn:    func(http.ResponseWriter, *http.Request, Identity, string) {},
		Fail:      func(http.ResponseWriter, *http.Request, int, string) {},
	}
}

func TestNew_refusesBadOptions(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"no base URL", func(o *Options) { o.BaseURL = "" }, "BaseURL"},
		{"base URL with a path", func(o *Options) { o.BaseURL = "https://news.example/paper" }, "origin only"},
		{"base URL without scheme", func(o *Options) { o.BaseURL = "news.example" }, "BaseURL"},
		{"no flow store", func(o *Options) { o.Flows = nil }, "Flows"},
		{"no SignIn", func(o *Options) { o.SignIn = nil }, "SignIn"},
		{"no Fail", func(o *Options) { o.Fail = nil }, "Fail"},
		{"negative threshold", func(o *Options) { o.FailureThreshold = -1 }, "FailureThreshold"},
		{"negative cooldown", func(o *Options) { o.Cooldown = -time.Second }, "Cooldown"},
		{"unknown provider", func(o *Options) { o.Providers[0].Provider = "myspace" }, "unknown"},
		{"no secret", func(o *Options) { o.Providers[0].ClientSecret = "" }, "ClientSecret"},
		{"bad endpoint", func(o *Options) { o.Providers[0].TokenURL = "/token" }, "TokenURL"},
		{"OIDC without issuer", func(o *Options) { o.Providers[0] = ProviderConfig{Provider: "oidc", ClientID: "a", ClientSecret: "b"} }, "Issuer"},
		{"provider twice", func(o *Options) { o.Providers = append(o.Providers, o.Providers[0]) }, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOptions()
			tt.change(&o)
			_, err := New(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: got error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := New(validOptions()); err != nil {
		t.Errorf("New with valid options: %v", err)
	}
}

func TestButtons(t *testing.T) {
	o := validOptions()
	o.Providers = []ProviderConfig{
		{Provider: "naver", ClientID: "n", ClientSecret: "ns"},
		{Provider: "oidc", Label: "Paper Members", ClientID: "o", ClientSecret: "os", Issuer: "https://sso.paper.example"},
		{Provider: "twitter", ClientID: "t", ClientSecret: "ts"},
	}
	l, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	want := []Button{
		{Provider: "naver", Label: "Naver", URL: "/auth/naver/login?next=%2Farticle%2F3%3Fx%3D1", Available: true},
		{Provider: "oidc", Label: "Paper Members", URL: "/auth/oidc/login?next=%2Farticle%2F3%3Fx%3D1", Available: true},
		{Provider: "twitter", Label: "X", URL: "/auth/twitter/login?next=%2Farticle%2F3%3Fx%3D1", Available: true},
	}
	if diff := cmp.Diff(want, l.Buttons("/article/3?x=1")); diff != "" {
		t.Errorf("Buttons (-want +got):\n%s", diff)
	}
	if got := l.Buttons("//evil.example")[0].URL; got != "/auth/naver/login?next=%2F" {
		t.Errorf("Buttons(//evil.example) URL = %q, want next=/", got)
	}
	var keys []string
	for _, s := range l.Status() {
		keys = append(keys, s.Provider+":"+s.Label)
	}
	if diff := cmp.Diff([]string{"naver:Naver", "oidc:Paper Members", "twitter:X"}, keys); diff != "" {
		t.Errorf("Status order (-want +got):\n%s", diff)
	}
}

func TestLogin_unknownProvider(t *testing.T) {
	s := newSite(t, nil)
	for _, path := range []string{"/auth/myspace/login", "/auth/myspace/callback?state=x&code=y"} {
		s.wantRefused(s.get(s.browser, s.srv.URL+path), http.StatusNotFound)
	}
}
