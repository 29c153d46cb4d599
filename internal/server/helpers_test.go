package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// testServer is the whole site on a real database, served over HTTP.
type testServer struct {
	*httptest.Server
	db     *store.DB
	site   *server.Server
	tokens map[account.Role]string
	// mediaDir is the folder served at /media/, where uploads land.
	mediaDir string
	// clock is the time the site runs on (config.Clock), or nil for the
	// wall clock.
	clock func() time.Time
	// dsn names the database, for tests that reach past the store.
	dsn string
}

// now is the time on the site's clock.
func (ts *testServer) now() time.Time {
	if ts.clock != nil {
		return ts.clock()
	}
	return time.Now()
}

type option func(*config.Config)

func withoutPageCache(c *config.Config) { c.PageCache = false }

// newTestServer starts the full handler on a new database of the engine,
// loaded with the demo content, with one API token per role. The demo
// content is loaded once per engine into a template (see demoDB) and
// copied for each test, which is most of what a test server costs.
func newTestServer(t *testing.T, e storetest.Engine, opts ...option) *testServer {
	t.Helper()
	return newLoggedTestServer(t, e, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
}

// newLoggedTestServer is newTestServer with the site's log going to
// logger.
func newLoggedTestServer(t *testing.T, e storetest.Engine, logger *slog.Logger, opts ...option) *testServer {
	t.Helper()
	ctx := context.Background()
	db, dsn := demoDB(t, e)
	dir := t.TempDir()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "unused", BaseURL: "http://paper.test",
		PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: filepath.Join(dir, "media")}
	for _, o := range opts {
		o(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.MediaS3 == nil { // a bucket starts empty
		if err := os.CopyFS(cfg.MediaDir, os.DirFS(demoMedia)); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := startServerLogging(t, cfg, db, logger)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(srv.Handler), db: db, site: srv, tokens: map[account.Role]string{}, mediaDir: cfg.MediaDir, clock: cfg.Clock, dsn: dsn}
	t.Cleanup(ts.Close)
	for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
		s, err := db.EnsureStaff(ctx, account.Staff{Email: string(r) + "@paper.example", Name: string(r), Role: r})
		if err != nil {
			t.Fatal(err)
		}
		plain, hash, _ := account.NewToken()
		if _, err := db.CreateToken(ctx, s.ID, hash); err != nil {
			t.Fatal(err)
		}
		ts.tokens[r] = plain
	}
	return ts
}

// startServer builds the site on db; its background work stops, and is
// waited for, when the test ends, before the database closes.
func startServer(t *testing.T, cfg *config.Config, db *store.DB) (*server.Server, error) {
	return startServerLogging(t, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startServerLogging is startServer with the site's log going to logger.
func startServerLogging(t *testing.T, cfg *config.Config, db *store.DB, logger *slog.Logger) (*server.Server, error) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, logger, db)
	if err != nil {
		cancel()
		return nil, err
	}
	t.Cleanup(func() {
		cancel()
		srv.Wait()
	})
	return srv, nil
}

// get fetches a path and returns the response with its body read.
func (ts *testServer) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return ts.do(t, "GET", path, "", "", header...)
}

// do sends a request; header is name, value pairs.
func (ts *testServer) do(t *testing.T, method, path, token, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, b := roundTrip(t, req, header...)
	return res, string(b)
}

// roundTrip sends req without following redirects and returns the
// response with its body read; header is name, value pairs set on req.
func roundTrip(t *testing.T, req *http.Request, header ...string) (*http.Response, []byte) {
	t.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// api sends a JSON request with the role's token and decodes the answer.
func (ts *testServer) api(t *testing.T, method, path string, role account.Role, body any, out any) *http.Response {
	t.Helper()
	var s string
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		s = string(b)
	}
	res, text := ts.do(t, method, path, ts.tokens[role], s)
	if out != nil {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, text)
		}
	}
	return res
}

// apiError is the JSON error body.
type apiError struct {
	Code   string            `json:"code"`
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields"`
}

// counts is how many rows a few tables hold, to prove nothing was stored.
func (ts *testServer) counts(t *testing.T) [3]int {
	t.Helper()
	ctx := context.Background()
	list, err := ts.db.ListArticles(ctx, articleQueryAll)
	if err != nil {
		t.Fatal(err)
	}
	authors, err := ts.db.Authors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := ts.db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{len(list), len(authors), len(secs)}
}
