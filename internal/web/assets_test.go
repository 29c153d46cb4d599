package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/media"
)

func TestMediaHandler_uploadsAreImmutable(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"u/abc123/320.jpg", "demo/photo.jpg"} {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("\xff\xd8\xff not really a jpeg"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := &Handler{cfg: Config{MediaDir: dir}}
	tests := []struct {
		path      string
		wantCode  int
		wantCache string
	}{
		{"/media/u/abc123/320.jpg", http.StatusOK, "public, max-age=31536000, immutable"},
		{"/media/demo/photo.jpg", http.StatusOK, "public, max-age=86400"},
		{"/media/u/abc123/640.jpg", http.StatusNotFound, ""},
		{"/media/u/abc123/", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.mediaHandler().ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
		if w.Code != tt.wantCode {
			t.Errorf("GET %s: got %d, want %d", tt.path, w.Code, tt.wantCode)
		}
		if got := w.Header().Get("Cache-Control"); got != tt.wantCache {
			t.Errorf("GET %s: Cache-Control got %q, want %q", tt.path, got, tt.wantCache)
		}
		if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options got %q, want nosniff", tt.path, got)
		}
	}
}

// downStorage is media storage whose gateway does not answer.
type downStorage struct{ media.Storage }

func (downStorage) Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error) {
	return nil, time.Time{}, fmt.Errorf("media: open %s: %w: dial tcp: connection refused", key, media.ErrUnavailable)
}

// A storage that does not answer is a 503 with Retry-After that no cache
// keeps, not a server error; a key that cannot exist is a 404 without
// asking the storage.
func TestMediaHandler_storageDownIs503(t *testing.T) {
	h := &Handler{cfg: Config{Media: downStorage{}}, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := httptest.NewRecorder()
	h.mediaHandler().ServeHTTP(w, httptest.NewRequest("GET", "/media/u/abc123/320.jpg", nil))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("got %d, Retry-After %q, Cache-Control %q; want 503, a Retry-After, no-store", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Cache-Control"))
	}
	if !strings.Contains(w.Body.String(), "not answering") {
		t.Errorf("body %q does not say the image store is not answering", w.Body.String())
	}
	w = httptest.NewRecorder()
	h.mediaHandler().ServeHTTP(w, httptest.NewRequest("GET", "/media/u/../../etc/passwd", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("a climbing key: got %d, want 404", w.Code)
	}
}

// Conditional GETs, HEAD and ranges are answered from the folder too.
func TestMediaHandler_conditionalHeadAndRange(t *testing.T) {
	dir := t.TempDir()
	if err := media.NewLocalDisk(dir).Put(context.Background(), "u/abc123/320.jpg", strings.NewReader("0123456789")); err != nil {
		t.Fatal(err)
	}
	h := &Handler{cfg: Config{MediaDir: dir}}
	get := func(method string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "/media/u/abc123/320.jpg", nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.mediaHandler().ServeHTTP(w, r)
		return w
	}
	full := get("GET")
	lm := full.Header().Get("Last-Modified")
	if full.Code != 200 || full.Body.String() != "0123456789" || lm == "" || full.Header().Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET: %d %q, Last-Modified %q, Content-Type %q", full.Code, full.Body.String(), lm, full.Header().Get("Content-Type"))
	}
	if w := get("GET", "If-Modified-Since", lm); w.Code != http.StatusNotModified {
		t.Errorf("If-Modified-Since: got %d, want 304", w.Code)
	}
	if w := get("GET", "Range", "bytes=2-4"); w.Code != http.StatusPartialContent || w.Body.String() != "234" {
		t.Errorf("Range: got %d %q, want 206 %q", w.Code, w.Body.String(), "234")
	}
	if w := get("HEAD"); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "10" {
		t.Errorf("HEAD: got %d, %d bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
}
