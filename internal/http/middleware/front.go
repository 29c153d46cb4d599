package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/http/request"
)

// Front is what every request meets before any route, in one handler: its
// id (RequestID), the security headers (SecurityHeaders), its access line
// and recovery from a panic (Log, with the line written by AccessLog).
// Then Hot, when set, may answer at once, a cached page without routing,
// the request's id only in its header and log line; otherwise Next
// handles it, with the id in its context. One handler instead of a chain
// of them, because on a cached page the chain cost more than the page.
type Front struct {
	Access *AccessLog   // nil: no access lines
	Panics *slog.Logger // where a handler's panic is reported
	TLS    bool         // send HSTS (the site is served over TLS, maybe behind a proxy)
	Hot    func(http.ResponseWriter, *http.Request) bool
	Next   http.Handler
}

// frontWriter remembers the status and size of the response for the log
// line, and holds the id's header value, in one allocation.
type frontWriter struct {
	recorder // the status and size, as Log notes them
	id       [1]string
}

func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	fw := &frontWriter{recorder: recorder{ResponseWriter: w}}
	if in := r.Header["X-Request-Id"]; len(in) > 0 && validID(in[0]) { // net/http canonicalises the name
		fw.id[0] = in[0]
	} else {
		fw.id[0] = idPrefix + strconv.FormatUint(idCounter.Add(1), 36)
	}
	h := w.Header()
	h["X-Request-Id"] = fw.id[:]
	h["Content-Security-Policy"] = cspValue
	h["X-Content-Type-Options"] = nosniffValue
	h["Referrer-Policy"] = referrerValue
	if f.TLS || r.TLS != nil {
		h["Strict-Transport-Security"] = hstsValue
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			if f.Panics != nil {
				f.Panics.LogAttrs(context.Background(), slog.LevelError, "panic",
					slog.String("request_id", fw.id[0]), slog.Any("panic", p))
			}
			if fw.status == 0 {
				http.Error(fw, "Internal server error", http.StatusInternalServerError)
			}
		}
		end := time.Now()
		f.Access.record(accessEntry{id: fw.id[0], method: r.Method, path: r.URL.Path, query: r.URL.RawQuery,
			status: fw.status, bytes: fw.bytes, end: end, took: end.Sub(start)})
	}()
	if f.Hot != nil && f.Hot(fw, r) {
		return
	}
	f.Next.ServeHTTP(fw, r.WithContext(request.WithID(r.Context(), fw.id[0])))
}
