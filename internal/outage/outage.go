// Package outage tells a database that does not answer from every other
// failure, so that readers get "try again in a moment" (503 with
// Retry-After) instead of a server error, and bounds how long a request
// waits for the database.
package outage

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Message is the answer to a request the database could not serve.
const Message = "The database is not answering; try again in a moment."

// Code is the API's stable error code for Message.
const Code = "database_unavailable"

// RetryAfter is how long clients are told to wait before trying again: a
// restarting database is usually back within seconds.
const RetryAfter = 5 * time.Second

// Is reports whether err means the database could not be reached or did
// not answer in time: a deadline passed (the request's, or the
// connection's), the connection broke or was refused, or the database
// said it is shutting down, starting up or too busy. These are worth
// retrying; every other error is a fault to log and fix.
func Is(err error) bool {
	if err == nil {
		return false
	}
	// A call to another site (a login provider) fails in the same words,
	// but it is not the database, and its callers explain it themselves.
	var ue *url.Error
	if errors.As(err, &ue) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	// PostgreSQL, by SQLSTATE (pgconn.PgError has this method): class 08
	// is a connection failure; 57014 a statement cancelled at its
	// deadline; 57P01-57P03 shutdown, crash or start-up; 53300 too many
	// connections.
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		s := pg.SQLState()
		return len(s) == 5 && (s[:2] == "08" || s == "57014" || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300")
	}
	// SQLite (modernc.org/sqlite's *Error has this method): the database
	// stayed busy or locked through busy_timeout.
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		c := lite.Code() & 0xff
		return c == 5 || c == 6 // SQLITE_BUSY, SQLITE_LOCKED
	}
	return false
}

// SetRetryAfter adds the Retry-After header of a 503 for an outage.
func SetRetryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter/time.Second)))
}

// Deadline bounds the database work of every request to d: the request's
// context ends d after it starts, and every query run with it returns by
// then. Without it a database that accepts connections but never answers
// holds each request until the client gives up. long is the bound that
// Extend gives instead; both must stay below the HTTP server's write
// timeout, so that the 503 still reaches the client.
func Deadline(d, long time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			ctx = context.WithValue(ctx, longKey{}, start.Add(max(d, long)))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

type longKey struct{}

// Extend lifts r's deadline to the long one of Deadline, for the few
// handlers that first read a large upload (an image, a glossary file):
// the reading counts against the deadline, and a slow connection would
// otherwise leave no time for the database work after it. The client
// going away no longer cancels the work; the long deadline still ends it.
func Extend(r *http.Request) (*http.Request, context.CancelFunc) {
	end, ok := r.Context().Value(longKey{}).(time.Time)
	if !ok {
		return r, func() {}
	}
	ctx, cancel := context.WithDeadline(context.WithoutCancel(r.Context()), end)
	return r.WithContext(ctx), cancel
}
