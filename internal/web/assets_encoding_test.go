package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"sort"
	"strconv"
	"testing"

	"github.com/andybalholm/brotli"

	"broadsheet/internal/http/precompressed"
)

// Every file under static/, whatever its name, is served by its address
// in each encoding the browser takes, and each decodes to the file. With
// -v the test lists the sizes.
func TestServeAsset_everyFileInEveryEncoding(t *testing.T) {
	h, _, _ := newHotSite(t)
	names := make([]string, 0, len(h.assets.files))
	for n := range h.assets.files {
		names = append(names, n)
	}
	sort.Strings(names)
	var total [3]int
	for _, name := range names {
		a := h.assets.files[name]
		plain, err := staticFS.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sizes := map[string]int{}
		for _, ae := range []string{"", "gzip", "br", "gzip, deflate, br, zstd", "br;q=0, gzip", "gzip;q=0, br;q=0"} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", h.assets.url(name), nil)
			if ae != "" {
				r.Header.Set("Accept-Encoding", ae)
			}
			h.ServeHTTP(w, r)
			enc := w.Header().Get("Content-Encoding")
			if w.Code != 200 || w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
				t.Errorf("%s, Accept-Encoding %q: %d, Content-Length %q for %d bytes", name, ae, w.Code, w.Header().Get("Content-Length"), w.Body.Len())
			}
			var rd io.Reader = bytes.NewReader(w.Body.Bytes())
			switch enc {
			case "gzip":
				if rd, err = gzip.NewReader(rd); err != nil {
					t.Fatal(err)
				}
			case "br":
				rd = brotli.NewReader(rd)
			}
			got, err := io.ReadAll(rd)
			if err != nil || !bytes.Equal(got, plain) {
				t.Errorf("%s in %q does not decode to the file (%v)", name, enc, err)
			}
			if (ae == "gzip;q=0, br;q=0" || ae == "") && enc != "" {
				t.Errorf("%s: Accept-Encoding %q answered in %s", name, ae, enc)
			}
			if ae == "br;q=0, gzip" && enc == "br" {
				t.Errorf("%s: br;q=0 answered in br", name)
			}
			sizes[enc] = w.Body.Len()
		}
		if a.file.Bytes(precompressed.Brotli) != nil && sizes["br"] == 0 {
			t.Errorf("%s: a browser taking br never got it", name)
		}
		t.Logf("%-16s %7d bytes, gzip %6d, brotli %6d", name, sizes[""], sizes["gzip"], sizes["br"])
		total[0] += sizes[""]
		total[1] += sizes["gzip"]
		total[2] += sizes["br"]
	}
	t.Logf("%-16s %7d bytes, gzip %6d, brotli %6d (0: not kept in that encoding)", "all", total[0], total[1], total[2])
}
