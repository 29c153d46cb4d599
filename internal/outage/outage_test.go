package outage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
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
