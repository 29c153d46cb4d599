// Package middleware holds the handlers wrapped around every request:
// request ids, access logs, panic recovery and security headers.
package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"broadsheet/internal/http/request"
	"broadsheet/internal/logsafe"
)

// Chain applies middleware so that the first listed runs first.
func Chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

var (
	idPrefix  = strconv.FormatInt(time.Now().UnixNano()%1e9, 36) + "-"
	idCounter atomic.Uint64
)

// RequestID gives each request an id, taken from a well-formed incoming
// X-Request-ID (set by a trusted proxy) or made here, and echoes it back.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validID(id) {
			id = idPrefix + strconv.FormatUint(idCounter.Add(1), 36)
		}
		w.Header()["X-Request-Id"] = []string{id}
		next.ServeHTTP(w, r.WithContext(request.WithID(r.Context(), id)))
	})
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// recorder remembers the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Log writes one structured line per request, and recovers from a panic
// in a handler with a 500, logging it once here. The path and the query
// go through logsafe.String: a reset link's token, an OAuth callback's
// code and state, or a token in a query never reach the log. No header
// is logged, so neither is an Authorization or a Cookie.
func Log(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w}
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					logger.LogAttrs(r.Context(), slog.LevelError, "panic",
						slog.String("request_id", request.ID(r.Context())), slog.Any("panic", p))
					if rec.status == 0 {
						http.Error(rec, "Internal server error", http.StatusInternalServerError)
					}
				}
				level := slog.LevelInfo
				if rec.status >= 500 {
					level = slog.LevelError
				}
				attrs := []slog.Attr{
					slog.String("request_id", request.ID(r.Context())),
					slog.String("method", r.Method),
					slog.String("path", logsafe.String(r.URL.Path)),
					slog.Int("status", rec.status),
					slog.Int("bytes", rec.bytes),
					slog.Duration("duration", time.Since(start)),
				}
				if r.URL.RawQuery != "" {
					attrs = append(attrs, slog.String("query", logsafe.String(r.URL.RawQuery)))
				}
				logger.LogAttrs(context.Background(), level, "request", attrs...)
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// The security headers, built once: a strict CSP with no inline script or
// style and no third-party origins (its frame-ancestors replaces the older
// X-Frame-Options), no sniffing, and a referrer policy that sends only the
// origin to other sites. Every header costs on every cached page, so the
// set is kept to what protects readers.
var (
	cspValue      = []string{"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"}
	nosniffValue  = []string{"nosniff"}
	referrerValue = []string{"strict-origin-when-cross-origin"}
	hstsValue     = []string{"max-age=63072000; includeSubDomains"}
)

// CleanURL refuses addresses whose path or query decode to a NUL byte or
// to bytes that are not UTF-8: no page has such a name, and databases
// reject them in text (PostgreSQL with an error), so they end here as a
// clear 400 instead of reaching a query.
func CleanURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cleanText(r.URL.Path) || !cleanQuery(r.URL.RawQuery) {
			http.Error(w, "Bad request: the address contains characters that are not allowed (a NUL byte or bytes that are not UTF-8).", http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func cleanQuery(raw string) bool {
	if !strings.ContainsRune(raw, '%') {
		return cleanText(raw)
	}
	s, err := url.QueryUnescape(raw)
	return err != nil || cleanText(s) // a malformed escape is the handler's to report
}

func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// SecurityHeaders sets the headers every response carries; HSTS only when
// the site is served over TLS (directly or, per tls, behind a proxy).
func SecurityHeaders(tls bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h["Content-Security-Policy"] = cspValue
			h["X-Content-Type-Options"] = nosniffValue
			h["Referrer-Policy"] = referrerValue
			if tls || r.TLS != nil {
				h["Strict-Transport-Security"] = hstsValue
			}
			next.ServeHTTP(w, r)
		})
	}
}
