package social

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"broadsheet/internal/logsafe"
)

var (
	// errUnverified: the provider's answer failed a check that protects
	// the reader (ID token signature, audience, expiry, nonce).
	errUnverified = errors.New("answer not verified")
	// errUnreadable: the provider answered, but not with what we need.
	errUnreadable = errors.New("answer not usable")
)

// statusError is a non-2xx answer to one of our own provider requests.
type statusError struct {
	step string
	code int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d", e.step, e.code)
}

// discoveryError wraps any failed OpenID Connect discovery. It always
// counts against the provider: a reader cannot cause it.
type discoveryError struct{ err error }

func (e *discoveryError) Error() string { return "discovery: " + e.err.Error() }
func (e *discoveryError) Unwrap() error { return e.err }

// loginError is why a login did not go ahead: the status and sentence
// the reader sees, the cause for the log, and whether it counts against
// the provider's health.
type loginError struct {
	status  int
	message string
	outage  bool
	err     error
}

func (e *loginError) Error() string { return e.err.Error() }
func (e *loginError) Unwrap() error { return e.err }

func unavailableMessage(label string) string {
	return fmt.Sprintf("Signing in with %s is unavailable right now. Please choose another way to sign in, or try again in a few minutes.", label)
}

// classify turns an error from a provider call into what the reader sees.
//
// Only the provider being unreachable, answering 5xx or failing discovery
// is an outage. A 4xx from the token endpoint is a bad or reused code,
// which a reader (or an attacker) can cause at will, so it must never
// take a provider offline for everyone.
func classify(ctx context.Context, label string, err error) *loginError {
	var (
		le  *loginError
		re  *oauth2.RetrieveError
		se  *statusError
		de  *discoveryError
		out = &loginError{err: err}
	)
	switch {
	case errors.As(err, &le):
		return le
	case ctx.Err() != nil:
		// The reader went away mid-request; nothing to say about the provider.
		out.status, out.message = http.StatusBadRequest, "The sign-in was interrupted. Please start again."
	case errors.As(err, &de):
		out.status, out.message, out.outage = http.StatusServiceUnavailable, unavailableMessage(label), true
	case errors.As(err, &re):
		if re.Response != nil && re.Response.StatusCode >= 500 {
			out.status, out.message, out.outage = http.StatusServiceUnavailable, unavailableMessage(label), true
		} else {
			out.status, out.message = http.StatusBadRequest, fmt.Sprintf("%s did not accept this sign-in. Please start again.", label)
		}
	case errors.As(err, &se):
		if se.code >= 500 {
			out.status, out.message, out.outage = http.StatusServiceUnavailable, unavailableMessage(label), true
		} else {
			out.status, out.message = http.StatusBadGateway, fmt.Sprintf("%s sent an answer we could not use. Please try again later, or choose another way to sign in.", label)
		}
	case errors.Is(err, errUnverified):
		out.status, out.message = http.StatusBadRequest, fmt.Sprintf("We could not verify the answer from %s. Please start again.", label)
	case errors.Is(err, errUnreadable):
		out.status, out.message = http.StatusBadGateway, fmt.Sprintf("%s sent an answer we could not use. Please try again later, or choose another way to sign in.", label)
	default:
		// Network errors, timeouts, and token responses that are not
		// OAuth at all: the provider is not working.
		out.status, out.message, out.outage = http.StatusServiceUnavailable, unavailableMessage(label), true
	}
	return out
}

// maxDescribed bounds an error's text in logs and Status.
const maxDescribed = 300

// describe is err as text safe to log and show to moderators. Token
// endpoint errors are reduced to their status and OAuth error code,
// because x/oauth2 otherwise includes the response body, whose content a
// provider controls; anything else goes through logsafe.String, because
// a network error quotes the address it failed on, query and all.
func describe(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		s := "token endpoint refused the code"
		if re.Response != nil {
			s = fmt.Sprintf("token endpoint answered HTTP %d", re.Response.StatusCode)
		}
		if re.ErrorCode != "" && len(re.ErrorCode) <= 64 {
			s += fmt.Sprintf(" (%q)", re.ErrorCode)
		}
		return s
	}
	s := logsafe.String(err.Error())
	if len(s) > maxDescribed {
		s = s[:maxDescribed]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
