package outage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestIs_tellsTheDatabaseNotAnsweringFromFaults(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, refused := net.Dial("tcp", closed)
	_, provider := http.Get("http://" + closed + "/")
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"a deadline, wrapped", fmt.Errorf("store: comments: %w", ctx.Err()), true},
		{"a refused connection", fmt.Errorf("store: connect: %w", refused), true},
		{"a statement cancelled", &pgconn.PgError{Code: "57014"}, true},
		{"the server shutting down", &pgconn.PgError{Code: "57P01"}, true},
		{"a connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"a unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"a login provider not answering", provider, false},
		{"a plain fault", errors.New("template: no such field"), false},
		{"nothing", nil, false},
	} {
		if got := Is(tc.err); got != tc.want {
			t.Errorf("%s (%v): Is = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

type valueKey struct{}

func TestDeadline_boundsTheRequestAndExtendLiftsItForUploads(t *testing.T) {
	const d, long = 50 * time.Millisecond, 2 * time.Second
	var short, extended time.Duration
	var kept any
	h := Deadline(d, long)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), valueKey{}, "staff"))
		dl, ok := r.Context().Deadline()
		if !ok {
			t.Fatal("no deadline on the request's context")
		}
		short = time.Until(dl)
		r, cancel := Extend(r)
		defer cancel()
		dl, _ = r.Context().Deadline()
		extended, kept = time.Until(dl), r.Context().Value(valueKey{})
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if short <= 0 || short > d {
		t.Errorf("deadline %s away, want within %s", short, d)
	}
	if extended <= d || extended > long {
		t.Errorf("extended deadline %s away, want between %s and %s", extended, d, long)
	}
	if kept != "staff" {
		t.Errorf("Extend lost the request's values: %v", kept)
	}
}
