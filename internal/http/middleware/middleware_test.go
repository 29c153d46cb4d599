package middleware

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"broadsheet/internal/http/request"
	"broadsheet/internal/logsafe"
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

// The access log blanks out secrets in the path and the query, and logs
// no header.
func TestLog_redactsSecretsInPathAndQuery(t *testing.T) {
	const token = "q3Vx0kP_7bZ2yH-Lm9TfWc4nRs8eJd1aGu6oIiYtBvE"
	var buf bytes.Buffer
	h := Log(slog.New(slog.NewJSONHandler(&buf, nil)))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/newsroom/reset/"+token+"?code=c0de&state=st4te&page=2", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Referer", "https://paper.example/newsroom/reset/"+token)
	h.ServeHTTP(httptest.NewRecorder(), r)
	out := buf.String()
	for _, secret := range []string{token, "c0de", "st4te"} {
		if strings.Contains(out, secret) {
			t.Errorf("the access log has %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, `"path":"/newsroom/reset/REDACTED"`) || !strings.Contains(out, `"query":"code=REDACTED&state=REDACTED&page=2"`) {
		t.Errorf("the access log lacks the redacted path or query:\n%s", out)
	}
}

// BenchmarkLog is one access-log line as the site writes it, through
// logsafe's handler, for a page without and with secrets to hide.
func BenchmarkLog(b *testing.B) {
	for _, target := range []string{"/article/1234/the-budget-vote-passes-after-a-long-night",
		"/auth/github/callback?code=4f1c2d9e0a1b2c3d4e5f&state=q3Vx0kP_7bZ2yH-Lm9TfWc4nRs8eJd1aGu6oIiYtBvE"} {
		b.Run(target[:12], func(b *testing.B) {
			h := Log(slog.New(logsafe.NewHandler(slog.NewJSONHandler(io.Discard, nil))))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			r := httptest.NewRequest("GET", target, nil)
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}
