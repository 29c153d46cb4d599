package social

import (
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// loginCookie binds a flow to the browser that started it.
const loginCookie = "bs_login"

// GET /auth/{provider}/login?next=PATH
//
// startLogin saves a new flow and sends the reader to the provider.
func (l *Logins) startLogin(w http.ResponseWriter, r *http.Request) {
	e, ok := l.byKey[r.PathValue("provider")]
	if !ok {
		l.refuse(w, r, nil, &loginError{
			status:  http.StatusNotFound,
			message: "There is no such way to sign in.",
			err:     errors.New("unknown provider"),
		})
		return
	}
	now := l.now()
	if !e.health.available(now) {
		// Fail here rather than send the reader to a provider that has
		// just failed several times; no new failure is counted.
		l.fail(w, r, http.StatusServiceUnavailable, unavailableMessage(e.label))
		return
	}
	ctx := l.providerContext(r)
	oc, err := l.client(ctx, e)
	if err != nil {
		l.refuse(w, r, e, classify(ctx, e.label, err))
		return
	}
	f := Flow{
		State:    randomToken(),
		Provider: e.key,
		Next:     SafeNext(r.URL.Query().Get("next")),
		Expires:  now.Add(flowTTL),
	}
	if oc.pkce {
		f.Verifier = oauth2.GenerateVerifier()
	}
	if oc.verifier != nil {
		f.Nonce = randomToken()
	}
	if err := l.flows.SaveLoginFlow(r.Context(), f); err != nil {
		l.refuse(w, r, nil, &loginError{
			status:  http.StatusInternalServerError,
			message: "Signing in is not possible right now. Please try again in a moment.",
			err:     err,
		})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     loginCookie,
		Value:    f.State,
		Path:     "/auth/",
		MaxAge:   int(flowTTL.Seconds()),
		Secure:   l.secure,
		HttpOnly: true,
		// Lax, not Strict: the callback is a top-level GET navigation
		// from the provider's site, which Lax cookies are sent with.
		SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "private, no-store")
	http.Redirect(w, r, oc.conf.AuthCodeURL(f.State, oc.authOptions(f)...), http.StatusFound)
}
