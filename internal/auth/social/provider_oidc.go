package social

import (
	"cmp"
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// oidcProvider speaks OpenID Connect: its endpoints come from discovery
// and the reader comes from the signed ID token.
type oidcProvider struct {
	cfg         ProviderConfig
	redirectURL string
	scopes      []string
	now         func() time.Time

	// mu guards the discovery result. Holding it through the discovery
	// request lets one login discover while others for the same provider
	// wait for its answer instead of asking too.
	mu sync.Mutex
	oc *oauthClient // nil until discovery succeeds
}

// client discovers the provider on first use and keeps the result. A
// failed discovery is not kept, so the next login asks again.
func (p *oidcProvider) client(ctx context.Context) (*oauthClient, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oc != nil {
		return p.oc, false, nil
	}
	// ctx carries the HTTP client under oauth2.HTTPClient; go-oidc keeps
	// it for fetching the signing keys later as well.
	d, err := oidc.NewProvider(ctx, p.cfg.Issuer)
	if err != nil {
		return nil, false, &discoveryError{err: err}
	}
	var meta struct {
		CodeChallengeMethods []string `json:"code_challenge_methods_supported"`
		TokenAuthMethods     []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := d.Claims(&meta); err != nil {
		return nil, false, &discoveryError{err: err}
	}
	endpoint := d.Endpoint()
	endpoint.AuthStyle = authStyle(meta.TokenAuthMethods)
	p.oc = &oauthClient{
		conf: &oauth2.Config{
			ClientID:     p.cfg.ClientID,
			ClientSecret: p.cfg.ClientSecret,
			Endpoint:     endpoint,
			RedirectURL:  p.redirectURL,
			Scopes:       p.scopes,
		},
		// PKCE only where the provider says it takes S256: sending a
		// verifier to a server that never saw a challenge can fail the
		// exchange. The nonce protects the ID token either way.
		pkce:     slices.Contains(meta.CodeChallengeMethods, "S256"),
		verifier: d.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.now}),
	}
	return p.oc, true, nil
}

// authStyle picks how the client authenticates at the token endpoint
// from the methods discovery lists. Form fields when only those are
// offered (Kakao), so no code is ever sent the wrong way first.
// Otherwise x/oauth2 detects it: HTTP Basic first, as the standard
// default, then form fields, remembering what worked in the Config,
// which is why the Config is kept. Detection also copes with providers
// that list Basic but do not take it.
func authStyle(methods []string) oauth2.AuthStyle {
	if slices.Contains(methods, "client_secret_post") && !slices.Contains(methods, "client_secret_basic") {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleAutoDetect
}

// idClaims are the ID token claims the site uses.
type idClaims struct {
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
	Nickname          string `json:"nickname"`
	Picture           string `json:"picture"`
	Email             string `json:"email"`
	EmailVerified     any    `json:"email_verified"` // a boolean, or "true" from some providers
}

func (p *oidcProvider) identity(ctx context.Context, _ *http.Client, oc *oauthClient, tok *oauth2.Token, f Flow) (Identity, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fmt.Errorf("%w: token response has no id_token", errUnreadable)
	}
	idt, err := oc.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", errUnverified, err)
	}
	// The nonce ties the ID token to the flow this browser started, so a
	// token issued for another login cannot be injected here.
	if f.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return Identity{}, fmt.Errorf("%w: nonce does not match the flow", errUnverified)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		return Identity{}, fmt.Errorf("%w: id token claims: %w", errUnreadable, err)
	}
	id := Identity{
		Provider:  p.cfg.Provider,
		Subject:   idt.Subject,
		Name:      cmp.Or(c.Name, c.PreferredUsername, c.Nickname),
		AvatarURL: c.Picture,
	}
	if c.EmailVerified == true || c.EmailVerified == "true" {
		id.Email = c.Email
	}
	if id.Subject == "" {
		return Identity{}, fmt.Errorf("%w: id token has no sub", errUnreadable)
	}
	return id, nil
}
