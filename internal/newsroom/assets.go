package newsroom

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
)

//go:embed static/newsroom.css static/editor.js
var staticFS embed.FS

// asset is the newsroom's own stylesheet (tables and forms the reader
// site does not have), served under a checksum of its content so that it
// can be cached for a year and still change.
type asset struct {
	name string
	sum  string
	body []byte
}

func loadStylesheet() (asset, error) { return loadAsset("newsroom.css") }

// loadAsset reads one embedded file and its checksum.
func loadAsset(name string) (asset, error) {
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		return asset{}, fmt.Errorf("newsroom: asset %s: %w", name, err)
	}
	sum := sha256.Sum256(b)
	return asset{name: name, sum: hex.EncodeToString(sum[:6]), body: b}, nil
}

func (a asset) url() string { return "/newsroom/static/" + a.sum + "/" + a.name }

// GET /newsroom/static/{sum}/{name} — public: the login page needs the
// stylesheet. The editor's script is the only other file.
func (h *handler) serveStylesheet(w http.ResponseWriter, r *http.Request) {
	var a asset
	switch r.PathValue("name") {
	case h.css.name:
		a = h.css
	case h.editorJS.name:
		a = h.editorJS
	}
	if a.name == "" || r.PathValue("sum") != a.sum {
		h.notFound(w, r)
		return
	}
	ctype := "text/css; charset=utf-8"
	if a.name == "editor.js" {
		ctype = "text/javascript; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(a.body)
}
