package middleware

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"broadsheet/internal/http/request"
)

func TestLog_recoversFromPanicWithA500AndOneLine(t *testing.T) {
	var buf bytes.Buffer
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		RequestID, Log(slog.New(slog.NewJSONHandler(&buf, nil))))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	if !strings.Contains(buf.String(), `"panic":"boom"`) || !strings.Contains(buf.String(), `"status":500`) {
		t.Errorf("log lacks the panic or the status:\n%s", buf.String())
	}
}

func TestRequestID_keepsWellFormedIDsOnly(t *testing.T) {
	var seen string
	h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = request.ID(r.Context()) }))
	for in, keep := range map[string]bool{"abc-123": true, "": false, "bad id with spaces": false, strings.Repeat("a", 65): false, "<script>": false} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Request-ID", in)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if (seen == in) != keep || seen == "" || w.Header().Get("X-Request-Id") != seen {
			t.Errorf("incoming %q: id %q (echoed %q), keep = %v", in, seen, w.Header().Get("X-Request-Id"), keep)
		}
	}
}

func TestSecurityHeaders_hstsOnlyBehindTLS(t *testing.T) {
	for _, tls := range []bool{false, true} {
		w := httptest.NewRecorder()
		SecurityHeaders(tls)(http.NotFoundHandler()).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if got := w.Header().Get("Strict-Transport-Security") != ""; got != tls {
			t.Errorf("tls=%v: HSTS sent = %v", tls, got)
		}
		if w.Header().Get("Content-Security-Policy") == "" {
			t.Error("no CSP")
		}
	}
}
