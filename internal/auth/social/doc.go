// Package social logs readers in through OAuth 2.0 and OpenID Connect
// providers: X, Facebook, Google, Kakao, Naver, GitHub and one generic
// OpenID Connect issuer. Readers have no passwords on the site; a login
// here ends in an Identity (provider and subject) handed to Options.SignIn,
// which owns accounts and sessions.
//
// The protocols are golang.org/x/oauth2 and github.com/coreos/go-oidc;
// this package only decides what to send, what to check and what to tell
// the reader.
//
// # Flows are server-side, single-use and bound to the browser
//
// GET /auth/{provider}/login stores a Flow (random state, PKCE verifier,
// OIDC nonce, where to go afterwards) in a FlowStore and sends the reader
// to the provider. Keeping the flow on the server rather than in a cookie
// means the verifier and nonce never reach the browser, and lets the
// callback delete the flow as it reads it: a callback URL that leaks (a
// log, a Referer, the back button) cannot be used a second time.
//
// The state alone would not say which browser started the login. An
// attacker could start one, stop before the callback, and get a victim to
// open the callback URL, logging the victim in as the attacker. So the
// state is also put in a short-lived cookie, bs_login (HttpOnly,
// SameSite=Lax, Path=/auth/), and the callback refuses a state that is not
// in the browser's cookie.
//
// The after-login path comes from a query string anyone can write; it
// goes through SafeNext when the flow is saved, so only same-site paths
// are ever redirected to.
//
// # Discovery is lazy
//
// OpenID Connect providers (Google, Kakao, the generic one) publish their
// endpoints and keys at a discovery URL. New makes no network calls:
// discovery happens on the first login that needs it, is kept once it
// succeeds, and is tried again on a later login if it failed. A provider
// that is down when the site starts therefore never stops the site from
// starting, and it comes back without a restart.
//
// # Health
//
// A provider call can fail because of the reader (a cancelled, stale or
// replayed code: a 4xx) or because of the provider (a network error, a
// timeout, a 5xx, a failed discovery). Only the second kind counts: after
// Options.FailureThreshold (3) of them in a row the provider is
// unavailable for Options.Cooldown (60 s). Its button then says so, and
// its login answers at once with a 503 page asking the reader to pick
// another provider, rather than sending them off to wait on a timeout.
// After the cooldown the next login tries again; a completed login (or a
// successful discovery) resets the count. Logins.Status reports this for
// /readyz and the moderators' pages. Reader-caused failures never count,
// so nobody can switch a provider off for everyone by sending bad codes.
package social
