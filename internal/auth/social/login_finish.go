package social

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
)

// GET /auth/{provider}/callback?code=…&state=…  (or ?error=…&state=…)
//
// finishLogin checks that the answer belongs to a flow this browser
// started, exchanges the code, learns who the reader is, and hands over
// to SignIn.
func (l *Logins) finishLogin(w http.ResponseWriter, r *http.Request) {
	// The URL holds the code: keep it out of Referer headers and caches.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "private, no-store")

	e, ok := l.byKey[r.PathValue("provider")]
	if !ok {
		l.refuse(w, r, nil, &loginError{
			status:  http.StatusNotFound,
			message: "There is no such way to sign in.",
			err:     errors.New("unknown provider"),
		})
		return
	}
	// Whatever happens next, this browser's flow is over; forgetting the
	// cookie also stops a refused flow from being finished later.
	bound, _ := r.Cookie(loginCookie)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Path: "/auth/", MaxAge: -1, Secure: l.secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})

	f, le := l.takeFlow(r, e, bound)
	if le != nil {
		l.refuse(w, r, e, le)
		return
	}
	id, err := l.completeLogin(r, e, f)
	if err != nil {
		l.refuse(w, r, e, classify(r.Context(), e.label, err))
		return
	}
	e.health.succeed()
	l.signIn(w, r, id, f.Next)
}

// takeFlow finds and uses up the flow the callback answers, refusing
// anything that does not prove it came back to the browser that started
// it.
func (l *Logins) takeFlow(r *http.Request, e *entry, bound *http.Cookie) (Flow, *loginError) {
	q := r.URL.Query()
	refused := func(why, message string) (Flow, *loginError) {
		return Flow{}, &loginError{status: http.StatusBadRequest, message: message, err: errors.New(why)}
	}
	const startAgain = "This sign-in link has expired or was already used. Please start again."

	if code := q.Get("error"); code != "" {
		// The provider's error_description is not shown: anyone can put
		// text in this URL.
		if code == "access_denied" {
			return refused("provider: access_denied", fmt.Sprintf("You cancelled signing in with %s. You can try again, or choose another way to sign in.", e.label))
		}
		return refused("provider: error", fmt.Sprintf("%s did not sign you in. You can try again, or choose another way to sign in.", e.label))
	}
	state := q.Get("state")
	if state == "" || q.Get("code") == "" {
		return refused("callback without state or code", startAgain)
	}
	// The state must also be in this browser's cookie. Without this an
	// attacker could start a login, stop before the callback, and get a
	// victim to open it, logging the victim in as the attacker.
	if bound == nil || subtle.ConstantTimeCompare([]byte(bound.Value), []byte(state)) != 1 {
		return refused("state does not match the browser's login cookie",
			"This sign-in was started in another browser or tab, or took too long. Please start again.")
	}
	f, err := l.flows.TakeLoginFlow(r.Context(), state)
	switch {
	case errors.Is(err, ErrUnknownState):
		return refused("unknown, expired or used state", startAgain)
	case err != nil:
		return Flow{}, &loginError{
			status:  http.StatusInternalServerError,
			message: "Signing in is not possible right now. Please try again in a moment.",
			err:     fmt.Errorf("take login flow: %w", err),
		}
	case !l.now().Before(f.Expires):
		// Checked here too, so an expired flow is refused even by a store
		// whose clock or clean-up lags.
		return refused("flow expired", startAgain)
	case f.Provider != e.key:
		return refused(fmt.Sprintf("flow is for %q", f.Provider), startAgain)
	}
	return f, nil
}

// completeLogin exchanges the code and learns who the reader is.
func (l *Logins) completeLogin(r *http.Request, e *entry, f Flow) (Identity, error) {
	ctx := l.providerContext(r)
	// Usually discovered when the flow started; after a restart this is
	// where it happens.
	oc, err := l.client(ctx, e)
	if err != nil {
		return Identity{}, err
	}
	tok, err := oc.conf.Exchange(ctx, r.URL.Query().Get("code"), oc.exchangeOptions(f)...)
	if err != nil {
		return Identity{}, err
	}
	return e.p.identity(ctx, l.hc, oc, tok, f)
}
