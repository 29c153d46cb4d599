package middleware

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"broadsheet/internal/http/request"
)

// lockedBuffer is a log destination written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		if line == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		out = append(out, v)
	}
	return out
}

// Both ways through Front, the hot answer and the routed one, carry the
// request id and the security headers and leave one access line; only
// the routed request sees its id in its context.
func TestFront_hotAndRoutedAnswersAreAlikeOnTheWire(t *testing.T) {
	var buf lockedBuffer
	var seenID string
	f := &Front{
		Access: NewAccessLog(slog.New(slog.NewJSONHandler(&buf, nil))),
		Hot: func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/hot" {
				return false
			}
			_, _ = w.Write([]byte("hot"))
			return true
		},
		Next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seenID = request.ID(r.Context())
			w.WriteHeader(http.StatusTeapot)
		}),
	}
	for _, c := range [][2]string{{"/hot", "given-hot"}, {"/routed?q=1", "given-routed"}} {
		path, id := c[0], c[1]
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("X-Request-ID", id)
		f.ServeHTTP(w, r)
		for _, k := range []string{"X-Request-Id", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if w.Header().Get(k) == "" {
				t.Errorf("%s: no %s", path, k)
			}
		}
		if w.Header().Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS without TLS", path)
		}
	}
	if seenID != "given-routed" {
		t.Errorf("the routed request's context has id %q", seenID)
	}
	lines := buf.lines(t)
	if len(lines) != 2 {
		t.Fatalf("%d access lines, want 2: %v", len(lines), lines)
	}
	if lines[0]["path"] != "/hot" || lines[0]["status"] != 200.0 || lines[0]["bytes"] != 3.0 || lines[0]["request_id"] != "given-hot" {
		t.Errorf("hot line: %v", lines[0])
	}
	if lines[1]["path"] != "/routed" || lines[1]["status"] != 418.0 || lines[1]["query"] != "q=1" || lines[1]["msg"] != "request" {
		t.Errorf("routed line: %v", lines[1])
	}
}

func TestFront_recoversFromPanicWithA500(t *testing.T) {
	var access, panics lockedBuffer
	f := &Front{
		Access: NewAccessLog(slog.New(slog.NewJSONHandler(&access, nil))),
		Panics: slog.New(slog.NewJSONHandler(&panics, nil)),
		Next:   http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
	}
	w := httptest.NewRecorder()
	f.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	if l := panics.lines(t); len(l) != 1 || l[0]["panic"] != "boom" {
		t.Errorf("panic lines: %v", l)
	}
	if l := access.lines(t); len(l) != 1 || l[0]["status"] != 500.0 || l[0]["level"] != "ERROR" {
		t.Errorf("access lines: %v", l)
	}
}

// While Run runs, lines are written in batches on its goroutine; none is
// lost, neither those waiting when it stops nor those that come after.
func TestAccessLog_noLineIsLostAroundRun(t *testing.T) {
	var buf lockedBuffer
	a := NewAccessLog(slog.New(slog.NewJSONHandler(&buf, nil)))
	f := &Front{Access: a, Next: http.NotFoundHandler()}
	serve := func(n int) {
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Go(func() {
				for i := 0; i < n; i++ {
					f.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/p", nil))
				}
			})
		}
		wg.Wait()
	}
	serve(5) // before Run: each request writes its own
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	for { // Run has started once a request's line waits for it
		serve(1)
		a.mu.Lock()
		waiting := a.running
		a.mu.Unlock()
		if waiting {
			break
		}
	}
	serve(1000)
	cancel()
	<-done
	serve(5) // after Run
	lines := buf.lines(t)
	ids := map[any]bool{}
	for _, l := range lines {
		ids[l["request_id"]] = true
	}
	if len(ids) != len(lines) {
		t.Errorf("%d lines but %d ids: a line was written twice", len(lines), len(ids))
	}
	if len(lines) < 4*(5+1000+5) {
		t.Errorf("%d lines, want at least %d", len(lines), 4*(5+1000+5))
	}
}

func TestAccessLog_nilLogsNothing(t *testing.T) {
	f := &Front{Access: NewAccessLog(nil), Next: http.NotFoundHandler()}
	f.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)) // no panic, no line
}
