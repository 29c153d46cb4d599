package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
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
