package social

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"
)

// flowTTL is how long a reader has at the provider before the flow lapses.
const flowTTL = 10 * time.Minute

// Identity is who a provider says the reader is.
//
// Email is set only when the provider vouches that the address is
// verified (an OpenID Connect email_verified claim, or GitHub's public
// email); it is never a safe key for merging accounts across providers.
type Identity struct {
	Provider  string // provider key, such as "google"
	Subject   string // the provider's stable id for the reader
	Name      string
	AvatarURL string
	Email     string
}

// Flow is one login in progress, stored server-side and used at most once.
type Flow struct {
	State    string // the OAuth state: random, and the key the flow is stored under
	Provider string
	Verifier string // PKCE code verifier; empty where the provider takes no PKCE
	Nonce    string // OpenID Connect nonce; empty for plain OAuth 2.0
	Next     string // where to send the reader afterwards, already passed through SafeNext
	Expires  time.Time
}

// ErrUnknownState is what a FlowStore returns when no unexpired flow has
// the state: it never existed, it expired, or it was already used.
var ErrUnknownState = errors.New("social: unknown or expired login state")

// FlowStore keeps login flows between the redirect to the provider and
// the callback. Flows must be shared by every instance of the site, since
// the callback may reach a different one; the store should also delete
// expired flows now and then, as each login start adds one.
type FlowStore interface {
	SaveLoginFlow(ctx context.Context, f Flow) error
	// TakeLoginFlow returns and deletes the flow; ErrUnknownState when there is none or it expired.
	TakeLoginFlow(ctx context.Context, state string) (Flow, error)
}

// randomToken is 32 random bytes as unpadded base64url: 256 bits, so
// states and nonces cannot be guessed, and safe in URLs and cookies.
func randomToken() string {
	b := make([]byte, 32)
	// crypto/rand.Read never returns an error (since Go 1.24 it crashes
	// the program instead), so there is nothing to handle.
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
