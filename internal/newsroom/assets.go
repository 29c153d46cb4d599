package newsroom

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"broadsheet/internal/http/precompressed"
)

//go:embed static
var staticFS embed.FS

// asset is one of the newsroom's own files, served under a checksum of
// its content so that it can be cached for a year and still change.
type asset struct {
	name string
	sum  string
	file *precompressed.File // the bytes, also in brotli and gzip
}

func (a asset) url() string { return "/newsroom/static/" + a.sum + "/" + a.name }

// assets are the newsroom's stylesheet and scripts. Every .css file in
// static/ is joined, in name order, into the one stylesheet newsroom.css
// (one request for every page); each .js file is served on its own for
// the pages that name it.
type assets struct {
	css     asset
	scripts map[string]asset
}

// loadAssets reads and compresses the files once per process: they are
// part of the binary, and compressing them at the best settings takes a
// moment.
var loadAssets = sync.OnceValues(readAssets)

func readAssets() (assets, error) {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return assets{}, fmt.Errorf("newsroom: assets: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool {
		// newsroom.css is the base every other stylesheet builds on.
		a, b := entries[i].Name(), entries[j].Name()
		if (a == "newsroom.css") != (b == "newsroom.css") {
			return a == "newsroom.css"
		}
		return a < b
	})
	out := assets{scripts: map[string]asset{}}
	var css bytes.Buffer
	for _, e := range entries {
		b, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			return assets{}, fmt.Errorf("newsroom: asset %s: %w", e.Name(), err)
		}
		switch path.Ext(e.Name()) {
		case ".css":
			fmt.Fprintf(&css, "/* %s */\n", e.Name())
			css.Write(b)
			css.WriteByte('\n')
		case ".js":
			out.scripts[e.Name()] = newAsset(e.Name(), b)
		}
	}
	out.css = newAsset("newsroom.css", css.Bytes())
	return out, nil
}

func newAsset(name string, b []byte) asset {
	ctype := "text/javascript; charset=utf-8"
	if path.Ext(name) == ".css" {
		ctype = "text/css; charset=utf-8"
	}
	f := precompressed.New(b, ctype, "public, max-age=31536000, immutable")
	return asset{name: name, sum: f.Sum()[:12], file: f}
}

// scriptURLs are the addresses of the named scripts, for a page's
// Scripts. A name that is not a file in static/ is a programming error
// caught by the tests of that page.
func (h *handler) scriptURLs(names ...string) []string {
	var out []string
	for _, n := range names {
		if a, ok := h.assets.scripts[n]; ok {
			out = append(out, a.url())
		}
	}
	return out
}

// GET /newsroom/static/{sum}/{name} — public: the login page needs the
// stylesheet.
func (h *handler) serveStylesheet(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	a, ok := h.assets.scripts[name]
	if name == h.assets.css.name {
		a, ok = h.assets.css, true
	}
	if !ok || r.PathValue("sum") != a.sum || strings.Contains(name, "/") {
		h.notFound(w, r)
		return
	}
	a.file.Serve(w, r) // in the best encoding the browser accepts
}
