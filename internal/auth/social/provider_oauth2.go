package social

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"golang.org/x/oauth2"
)

// plainProvider speaks plain OAuth 2.0: fixed endpoints, and a user
// endpoint with the provider's own JSON instead of an ID token.
type plainProvider struct {
	key         string
	userInfoURL string
	parseUser   func(body []byte) (Identity, error)
	oc          *oauthClient
}

func (p *plainProvider) client(context.Context) (*oauthClient, bool, error) { return p.oc, false, nil }

func (p *plainProvider) identity(ctx context.Context, hc *http.Client, _ *oauthClient, tok *oauth2.Token, _ Flow) (Identity, error) {
	body, err := fetchUser(ctx, hc, p.userInfoURL, tok)
	if err != nil {
		return Identity{}, err
	}
	id, err := p.parseUser(body)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: user endpoint: %w", errUnreadable, err)
	}
	if id.Subject == "" {
		return Identity{}, fmt.Errorf("%w: user endpoint gave no id", errUnreadable)
	}
	id.Provider = p.key
	return id, nil
}

// maxUserBody bounds what is read from a user endpoint; real answers are
// a few hundred bytes.
const maxUserBody = 1 << 20

// fetchUser GETs the user endpoint with the access token.
//
// It calls hc directly rather than through oauth2.Config.Client, because
// that client copies only hc's Transport and would drop its Timeout.
func fetchUser(ctx context.Context, hc *http.Client, userInfoURL string, tok *oauth2.Token) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, userInfoURL, nil)
	if err != nil {
		return nil, fmt.Errorf("user endpoint: %w", err)
	}
	tok.SetAuthHeader(req)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("user endpoint: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &statusError{step: "user endpoint", code: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUserBody))
	if err != nil {
		return nil, fmt.Errorf("user endpoint: read: %w", err)
	}
	return body, nil
}
