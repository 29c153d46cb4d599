package api

import (
	"broadsheet/internal/audit"
	"context"
	"errors"
	"net/http"

	"broadsheet/internal/reader"
)

// Comments is what the reader-comment and moderation routes need. It is
// nil in the few tests that build the API without a database.
type Comments struct {
	Service  commentService
	Sessions *reader.Sessions
	Readers  readerStore
	// Audit and Tx write the staff audit entry of a moderator's change in
	// the change's transaction, as the newsroom's forms do; a nil Audit
	// records nothing.
	Audit *audit.Log
	Tx    audit.Transactor
}

type readerKey struct{}

type signedIn struct {
	reader  reader.Reader
	session reader.Session
}

// asReader requires a signed-in reader (the session cookie) and, on every
// request that changes something, the session's CSRF token in the
// X-CSRF-Token header: a cookie alone, which another site can make the
// browser send, is never enough.
func (h *handler) asReader(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rd, s, err := h.comments.Sessions.Current(r)
		if err != nil && !errors.Is(err, reader.ErrSignedOut) {
			h.fail(w, r, err) // the database did not answer: 503
			return
		}
		if err != nil {
			h.fail(w, r, &apiError{status: http.StatusUnauthorized, code: codeUnauthorized, readerLogin: true,
				message: "Log in with one of the accounts offered on the page to do this."})
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !s.CheckCSRF(r.Header.Get("X-CSRF-Token")) {
			h.fail(w, r, &apiError{status: http.StatusForbidden, code: "csrf_failed",
				message: "The request did not carry this page's security token (X-CSRF-Token). Reload the page and try again."})
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), readerKey{}, signedIn{rd, s})))
	}
}

func currentReader(r *http.Request) reader.Reader {
	s, _ := r.Context().Value(readerKey{}).(signedIn)
	return s.reader
}

// optionalReader is the signed-in reader on a public route, if any.
func (h *handler) optionalReader(r *http.Request) reader.Reader {
	if h.comments == nil {
		return reader.Reader{}
	}
	rd, _, err := h.comments.Sessions.Current(r)
	if err != nil {
		return reader.Reader{}
	}
	return rd
}
