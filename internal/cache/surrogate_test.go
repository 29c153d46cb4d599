package cache

import (
	"net/http/httptest"
	"testing"
)

func TestPage_surrogateKeyOnlyWhenKept(t *testing.T) {
	p := NewPage(200, "text/html; charset=utf-8", []byte("<p>page</p>"), []string{"a1", "nav"}, "en")
	w := httptest.NewRecorder()
	p.Serve(w, httptest.NewRequest("GET", "/", nil), nil)
	if got := w.Header().Get("Surrogate-Key"); got != "a1 nav" {
		t.Errorf("Surrogate-Key %q, want the page's keys", got)
	}
	p.DropSurrogateKey()
	w = httptest.NewRecorder()
	p.Serve(w, httptest.NewRequest("GET", "/", nil), nil)
	if _, ok := w.Header()["Surrogate-Key"]; ok || w.Header().Get("Etag") == "" || w.Header().Get("Content-Length") != "11" {
		t.Errorf("after DropSurrogateKey: %v", w.Header())
	}
}
