package newsroom

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
)

//go:embed static/newsroom.css
var staticFS embed.FS

// asset is the newsroom's own stylesheet (tables and forms the reader
// site does not have), served under a checksum of its content so that it
// can be cached for a year and still change.
type asset struct {
	sum  string
	body []byte
}

func loadStylesheet() (asset, error) {
	b, err := staticFS.ReadFile("static/newsroom.css")
	if err != nil {
		return asset{}, fmt.Errorf("newsroom: stylesheet: %w", err)
	}
	sum := sha256.Sum256(b)
	return asset{sum: hex.EncodeToString(sum[:6]), body: b}, nil
}

func (a asset) url() string { return "/newsroom/static/" + a.sum + "/newsroom.css" }

// GET /newsroom/static/{sum}/newsroom.css — public: the login page needs it.
func (h *handler) serveStylesheet(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("name") != "newsroom.css" || r.PathValue("sum") != h.css.sum {
		h.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(h.css.body)
}
