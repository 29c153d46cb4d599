package social

import (
	"context"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/github"
)

// builtin is what the site knows about a provider before any configuration.
type builtin struct {
	label string
	oidc  bool

	// OpenID Connect providers.
	issuer string

	// Plain OAuth 2.0 providers. endpoint.AuthStyle says how the client
	// authenticates at the token endpoint; overriding the URLs keeps it.
	endpoint    oauth2.Endpoint
	userInfoURL string
	parseUser   func(body []byte) (Identity, error)
	// pkce is set where the provider takes a code challenge. OpenID
	// Connect providers say so in their discovery document instead.
	pkce bool
	// stateOnExchange is for Naver, which wants the state again at the
	// token endpoint.
	stateOnExchange bool

	scopes []string
}

// builtinOrder is the order FromEnv lists providers in, for error messages.
var builtinOrder = []string{"twitter", "facebook", "google", "kakao", "naver", "github", "oidc"}

var builtins = map[string]builtin{
	"twitter": {
		label: "X",
		endpoint: oauth2.Endpoint{
			AuthURL:   "https://x.com/i/oauth2/authorize",
			TokenURL:  "https://api.x.com/2/oauth2/token",
			AuthStyle: oauth2.AuthStyleInHeader, // X's confidential clients use HTTP Basic
		},
		userInfoURL: "https://api.x.com/2/users/me?user.fields=profile_image_url",
		parseUser:   parseTwitterUser,
		pkce:        true, // X requires it
		scopes:      []string{"users.read", "tweet.read"},
	},
	"facebook": {
		label: "Facebook",
		endpoint: oauth2.Endpoint{
			AuthURL:   "https://www.facebook.com/v19.0/dialog/oauth",
			TokenURL:  "https://graph.facebook.com/v19.0/oauth/access_token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		userInfoURL: "https://graph.facebook.com/me?fields=id,name,picture",
		parseUser:   parseFacebookUser,
		pkce:        true,
		scopes:      []string{"public_profile"},
	},
	"google": {
		label:  "Google",
		oidc:   true,
		issuer: "https://accounts.google.com",
		scopes: []string{"openid", "profile", "email"},
	},
	"kakao": {
		label:  "Kakao",
		oidc:   true,
		issuer: "https://kauth.kakao.com",
		scopes: []string{"openid", "profile_nickname", "profile_image"},
	},
	"naver": {
		label: "Naver",
		endpoint: oauth2.Endpoint{
			AuthURL:   "https://nid.naver.com/oauth2.0/authorize",
			TokenURL:  "https://nid.naver.com/oauth2.0/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		userInfoURL:     "https://openapi.naver.com/v1/nid/me",
		parseUser:       parseNaverUser,
		stateOnExchange: true,
	},
	"github": {
		label:       "GitHub",
		endpoint:    githubEndpoint(),
		userInfoURL: "https://api.github.com/user",
		parseUser:   parseGitHubUser,
		pkce:        true, // GitHub has taken PKCE since 2025; older servers ignore it
		scopes:      []string{"read:user"},
	},
	"oidc": {
		label:  "OpenID Connect",
		oidc:   true,
		scopes: []string{"openid", "profile", "email"},
	},
}

// provider is one configured login provider, whatever protocol it speaks.
// The handlers only see this, so adding a provider touches no handler.
type provider interface {
	// client returns how to talk to the provider, discovering it first
	// where the protocol has discovery. asked reports that this call
	// reached the provider and got a good answer.
	client(ctx context.Context) (oc *oauthClient, asked bool, err error)
	// identity turns a token response, got with oc, into the reader,
	// checking it against the flow where the protocol allows (the OIDC
	// nonce).
	identity(ctx context.Context, hc *http.Client, oc *oauthClient, tok *oauth2.Token, f Flow) (Identity, error)
}

// oauthClient is what one login needs to know about its provider.
type oauthClient struct {
	conf            *oauth2.Config
	pkce            bool // send an S256 code challenge, then the verifier
	stateOnExchange bool
	// verifier checks ID tokens; set for OpenID Connect providers only,
	// whose flows also carry a nonce.
	verifier *oidc.IDTokenVerifier
}

// authOptions are the extra parameters of the authorize redirect for f.
func (c *oauthClient) authOptions(f Flow) []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	if f.Verifier != "" {
		opts = append(opts, oauth2.S256ChallengeOption(f.Verifier))
	}
	if f.Nonce != "" {
		opts = append(opts, oauth2.SetAuthURLParam("nonce", f.Nonce))
	}
	return opts
}

// exchangeOptions are the extra parameters of the token request for f.
// They follow the flow, not the provider's current setup, so a flow
// started before a restart is finished the way it was begun.
func (c *oauthClient) exchangeOptions(f Flow) []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	if f.Verifier != "" {
		opts = append(opts, oauth2.VerifierOption(f.Verifier))
	}
	if c.stateOnExchange {
		opts = append(opts, oauth2.SetAuthURLParam("state", f.State))
	}
	return opts
}

// newProvider builds the provider for a validated configuration.
func newProvider(c ProviderConfig, redirectURL string, now func() time.Time) provider {
	b := builtins[c.Provider]
	if b.oidc {
		return &oidcProvider{cfg: c, redirectURL: redirectURL, scopes: b.scopes, now: now}
	}
	endpoint := b.endpoint
	endpoint.AuthURL = c.AuthURL
	endpoint.TokenURL = c.TokenURL
	return &plainProvider{
		key:         c.Provider,
		userInfoURL: c.UserInfoURL,
		parseUser:   b.parseUser,
		oc: &oauthClient{
			conf: &oauth2.Config{
				ClientID:     c.ClientID,
				ClientSecret: c.ClientSecret,
				Endpoint:     endpoint,
				RedirectURL:  redirectURL,
				Scopes:       b.scopes,
			},
			pkce:            b.pkce,
			stateOnExchange: b.stateOnExchange,
		},
	}
}

// githubEndpoint is x/oauth2's GitHub endpoint with the client sent as
// form fields, as GitHub documents. Left to auto-detect, every bad code
// would be sent twice, since GitHub refuses it with HTTP 200.
func githubEndpoint() oauth2.Endpoint {
	e := github.Endpoint
	e.AuthStyle = oauth2.AuthStyleInParams
	return e
}
