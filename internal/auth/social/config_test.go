package social

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnv(t *testing.T) {
	const p = "BROADSHEET_AUTH_"
	tests := []struct {
		name string
		env  map[string]string
		want []ProviderConfig
	}{
		{name: "nothing set", env: nil, want: nil},
		{
			name: "google on, with defaults",
			env:  map[string]string{p + "GOOGLE_CLIENT_ID": "gid", p + "GOOGLE_CLIENT_SECRET": "gsecret"},
			want: []ProviderConfig{{Provider: "google", Label: "Google", ClientID: "gid", ClientSecret: "gsecret", Issuer: "https://accounts.google.com"}},
		},
		{
			name: "every provider, in button order",
			env: map[string]string{
				p + "OIDC_CLIENT_ID": "o", p + "OIDC_CLIENT_SECRET": "os", p + "OIDC_ISSUER": "https://id.paper.example/realms/readers",
				p + "GITHUB_CLIENT_ID": "gh", p + "GITHUB_CLIENT_SECRET": "ghs",
				p + "NAVER_CLIENT_ID": "n", p + "NAVER_CLIENT_SECRET": "ns",
				p + "KAKAO_CLIENT_ID": "k", p + "KAKAO_CLIENT_SECRET": "ks",
				p + "GOOGLE_CLIENT_ID": "g", p + "GOOGLE_CLIENT_SECRET": "gs",
				p + "FACEBOOK_CLIENT_ID": "f", p + "FACEBOOK_CLIENT_SECRET": "fs",
				p + "TWITTER_CLIENT_ID": "t", p + "TWITTER_CLIENT_SECRET": "ts",
			},
			want: []ProviderConfig{
				{Provider: "twitter", Label: "X", ClientID: "t", ClientSecret: "ts", AuthURL: "https://x.com/i/oauth2/authorize",
					TokenURL: "https://api.x.com/2/oauth2/token", UserInfoURL: "https://api.x.com/2/users/me?user.fields=profile_image_url"},
				{Provider: "facebook", Label: "Facebook", ClientID: "f", ClientSecret: "fs", AuthURL: "https://www.facebook.com/v19.0/dialog/oauth",
					TokenURL: "https://graph.facebook.com/v19.0/oauth/access_token", UserInfoURL: "https://graph.facebook.com/me?fields=id,name,picture"},
				{Provider: "google", Label: "Google", ClientID: "g", ClientSecret: "gs", Issuer: "https://accounts.google.com"},
				{Provider: "kakao", Label: "Kakao", ClientID: "k", ClientSecret: "ks", Issuer: "https://kauth.kakao.com"},
				{Provider: "naver", Label: "Naver", ClientID: "n", ClientSecret: "ns", AuthURL: "https://nid.naver.com/oauth2.0/authorize",
					TokenURL: "https://nid.naver.com/oauth2.0/token", UserInfoURL: "https://openapi.naver.com/v1/nid/me"},
				{Provider: "github", Label: "GitHub", ClientID: "gh", ClientSecret: "ghs", AuthURL: "https://github.com/login/oauth/authorize",
					TokenURL: "https://github.com/login/oauth/access_token", UserInfoURL: "https://api.github.com/user"},
				{Provider: "oidc", Label: "OpenID Connect", ClientID: "o", ClientSecret: "os", Issuer: "https://id.paper.example/realms/readers"},
			},
		},
		{
			name: "generic OIDC with a name",
			env: map[string]string{p + "OIDC_CLIENT_ID": "o", p + "OIDC_CLIENT_SECRET": "os",
				p + "OIDC_ISSUER": "https://sso.paper.example", p + "OIDC_NAME": "Paper Members"},
			want: []ProviderConfig{{Provider: "oidc", Label: "Paper Members", ClientID: "o", ClientSecret: "os", Issuer: "https://sso.paper.example"}},
		},
		{
			name: "endpoint and issuer overrides",
			env: map[string]string{
				p + "TWITTER_CLIENT_ID": "t", p + "TWITTER_CLIENT_SECRET": "ts",
				p + "TWITTER_AUTH_URL": "http://127.0.0.1:9000/authorize", p + "TWITTER_TOKEN_URL": "http://127.0.0.1:9000/token",
				p + "TWITTER_USERINFO_URL": "http://127.0.0.1:9000/me",
				p + "KAKAO_CLIENT_ID":      "k", p + "KAKAO_CLIENT_SECRET": "ks", p + "KAKAO_ISSUER": "http://127.0.0.1:9001/oidc",
			},
			want: []ProviderConfig{
				{Provider: "twitter", Label: "X", ClientID: "t", ClientSecret: "ts", AuthURL: "http://127.0.0.1:9000/authorize",
					TokenURL: "http://127.0.0.1:9000/token", UserInfoURL: "http://127.0.0.1:9000/me"},
				{Provider: "kakao", Label: "Kakao", ClientID: "k", ClientSecret: "ks", Issuer: "http://127.0.0.1:9001/oidc"},
			},
		},
		{
			name: "values are trimmed",
			env:  map[string]string{p + "NAVER_CLIENT_ID": " n\n", p + "NAVER_CLIENT_SECRET": "ns\n"},
			want: []ProviderConfig{{Provider: "naver", Label: "Naver", ClientID: "n", ClientSecret: "ns", AuthURL: "https://nid.naver.com/oauth2.0/authorize",
				TokenURL: "https://nid.naver.com/oauth2.0/token", UserInfoURL: "https://openapi.naver.com/v1/nid/me"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromEnv(envFrom(tt.env))
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FromEnv (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromEnv_errors(t *testing.T) {
	const p = "BROADSHEET_AUTH_"
	tests := []struct {
		name string
		env  map[string]string
		want []string // each must appear in the error
	}{
		{
			name: "secret missing",
			env:  map[string]string{p + "GITHUB_CLIENT_ID": "gh"},
			want: []string{p + "GITHUB_CLIENT_SECRET is not set"},
		},
		{
			name: "client id missing",
			env:  map[string]string{p + "FACEBOOK_CLIENT_SECRET": "fs"},
			want: []string{p + "FACEBOOK_CLIENT_ID is not set"},
		},
		{
			name: "OIDC issuer missing",
			env:  map[string]string{p + "OIDC_CLIENT_ID": "o", p + "OIDC_CLIENT_SECRET": "os"},
			want: []string{p + "OIDC_ISSUER is not set"},
		},
		{
			name: "override is not a URL",
			env:  map[string]string{p + "TWITTER_CLIENT_ID": "t", p + "TWITTER_CLIENT_SECRET": "ts", p + "TWITTER_TOKEN_URL": "api.x.com/token"},
			want: []string{p + "TWITTER_TOKEN_URL"},
		},
		{
			name: "endpoint override on a discovered provider",
			env:  map[string]string{p + "GOOGLE_CLIENT_ID": "g", p + "GOOGLE_CLIENT_SECRET": "gs", p + "GOOGLE_TOKEN_URL": "https://example.org/token"},
			want: []string{p + "GOOGLE_TOKEN_URL has no effect"},
		},
		{
			name: "issuer on a plain OAuth 2.0 provider",
			env:  map[string]string{p + "NAVER_CLIENT_ID": "n", p + "NAVER_CLIENT_SECRET": "ns", p + "NAVER_ISSUER": "https://nid.naver.com"},
			want: []string{p + "NAVER_ISSUER has no effect"},
		},
		{
			name: "every mistake at once",
			env: map[string]string{p + "KAKAO_CLIENT_ID": "k", p + "OIDC_CLIENT_ID": "o", p + "OIDC_CLIENT_SECRET": "os",
				p + "GOOGLE_CLIENT_ID": "g", p + "GOOGLE_CLIENT_SECRET": "gs"},
			want: []string{p + "KAKAO_CLIENT_SECRET", p + "OIDC_ISSUER"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromEnv(envFrom(tt.env))
			if err == nil {
				t.Fatalf("FromEnv: got %v and no error, want an error", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q: want it to mention %q", err, w)
				}
			}
			if got != nil {
				t.Errorf("got providers %v with the error, want none", got)
			}
		})
	}
}

func TestProviderConfig_hidesSecret(t *testing.T) {
	c := ProviderConfig{Provider: "github", ClientID: "gh", ClientSecret: "ghs-very-secret"}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "provider", c)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "provider", c)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), logged.String()} {
		if strings.Contains(s, c.ClientSecret) {
			t.Errorf("%q shows the client secret", s)
		}
	}
}
