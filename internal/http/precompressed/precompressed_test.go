package precompressed

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

var css = []byte(strings.Repeat("body { margin: 0 auto; max-width: 40rem; font-family: Georgia, serif; }\n", 60))

func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	case "":
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return out
}

func serve(f *File, method, acceptEncoding, ifNoneMatch string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/static/x/main.css", nil)
	if acceptEncoding != "" {
		r.Header.Set("Accept-Encoding", acceptEncoding)
	}
	if ifNoneMatch != "" {
		r.Header.Set("If-None-Match", ifNoneMatch)
	}
	w := httptest.NewRecorder()
	f.Serve(w, r)
	return w
}

func TestServe_eachEncodingIsTheFileWithItsOwnHeaders(t *testing.T) {
	f := New(css, "text/css; charset=utf-8", "public, max-age=31536000, immutable")
	etags := map[string]bool{}
	for ae, want := range map[string]string{"": "", "gzip": "gzip", "br": "br", "gzip, deflate, br, zstd": "br", "identity": ""} {
		w := serve(f, "GET", ae, "")
		if w.Code != 200 || w.Header().Get("Content-Encoding") != want {
			t.Errorf("Accept-Encoding %q: %d, Content-Encoding %q, want %q", ae, w.Code, w.Header().Get("Content-Encoding"), want)
		}
		if got := decode(t, want, w.Body.Bytes()); !bytes.Equal(got, css) {
			t.Errorf("Accept-Encoding %q: the body does not decode to the file", ae)
		}
		if w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) || w.Header().Get("Vary") != "Accept-Encoding" ||
			w.Header().Get("Content-Type") != "text/css; charset=utf-8" || w.Header().Get("Cache-Control") == "" {
			t.Errorf("Accept-Encoding %q: headers %v for %d bytes", ae, w.Header(), w.Body.Len())
		}
		etags[want+" "+w.Header().Get("Etag")] = true
		if want != "" && w.Body.Len() >= len(css) {
			t.Errorf("%s is %d bytes, the file %d", want, w.Body.Len(), len(css))
		}
	}
	seen := map[string]bool{}
	for k := range etags {
		tag := strings.SplitN(k, " ", 2)[1]
		if seen[tag] {
			t.Errorf("two encodings share the ETag %s", tag)
		}
		seen[tag] = true
	}
	if len(seen) != 3 {
		t.Errorf("ETags %v, want one per encoding", etags)
	}
}

func TestServe_headAndNotModified(t *testing.T) {
	f := New(css, "text/css; charset=utf-8", "public, max-age=60")
	get := serve(f, "GET", "br", "")
	head := serve(f, "HEAD", "br", "")
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != get.Header().Get("Content-Length") ||
		head.Header().Get("Content-Encoding") != "br" {
		t.Errorf("HEAD: %d, %d bytes, headers %v", head.Code, head.Body.Len(), head.Header())
	}
	if w := serve(f, "GET", "br", get.Header().Get("Etag")); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match with the br ETag: %d", w.Code)
	}
	if w := serve(f, "GET", "gzip", get.Header().Get("Etag")); w.Code != 200 {
		t.Errorf("the br ETag answered for the gzip form: %d", w.Code)
	}
}

func TestNegotiate_prefersBrotliAndHonoursQZero(t *testing.T) {
	tests := []struct {
		ae   string
		want Encoding
	}{
		{"", Identity},
		{"gzip", Gzip},
		{"br", Brotli},
		{"gzip, br", Brotli},
		{"br;q=0, gzip", Gzip},
		{"br;q=0.0, gzip;q=0", Identity},
		{"gzip;q=0", Identity},
		{"gzip;q=1, br;q=0.5", Gzip},
		{"gzip;q=0.5, br;q=0.5", Brotli},
		{"*", Brotli},
		{"*;q=0.1, br;q=0", Gzip},
		{"deflate, zstd", Identity},
		{"GZIP", Gzip},
		{"br;q=nonsense, gzip", Gzip},
		{"x-gzip", Gzip},
	}
	for _, tt := range tests {
		var ae []string
		if tt.ae != "" {
			ae = []string{tt.ae}
		}
		if got := Negotiate(ae, true, true); got != tt.want {
			t.Errorf("Negotiate(%q) = %v, want %v", tt.ae, got, tt.want)
		}
	}
	if got := Negotiate([]string{"br, gzip"}, false, true); got != Gzip {
		t.Errorf("without a br form: %v, want gzip", got)
	}
	if got := Negotiate([]string{"br"}, false, true); got != Identity {
		t.Errorf("br only, no br form: %v, want identity", got)
	}
}

// A file that compression would not make smaller (an image) is kept and
// sent as it is, without Vary.
func TestNew_keepsIncompressibleFilesPlain(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x00\x01", 10))
	f := New(png, "image/png", "public, max-age=60")
	if f.Bytes(Gzip) != nil || f.Bytes(Brotli) != nil {
		t.Error("an image was compressed")
	}
	w := serve(f, "GET", "gzip, br", "")
	if w.Header().Get("Content-Encoding") != "" || w.Header().Get("Vary") != "" || !bytes.Equal(w.Body.Bytes(), png) {
		t.Errorf("image: headers %v", w.Header())
	}
}
