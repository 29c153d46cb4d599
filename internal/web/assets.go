package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded stylesheets, served under a checksum of their
// content so that they can be cached for a year and still change.
type assets struct {
	files map[string]asset
}

type asset struct {
	sum  string
	body []byte
	ct   []string
}

func loadAssets() (*assets, error) {
	as := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		as.files[name] = asset{sum: hex.EncodeToString(sum[:6]), body: b, ct: []string{ct}}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return as, nil
}

// url is the asset's cache-busting address; it panics on an unknown name so
// that a template naming a missing file fails at start-up, in tests.
func (as *assets) url(name string) string {
	a, ok := as.files[name]
	if !ok {
		panic("web: unknown asset " + name)
	}
	return "/static/" + a.sum + "/" + name
}

var immutable = []string{"public, max-age=31536000, immutable"}

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets.files[r.PathValue("name")]
	if !ok || a.sum != r.PathValue("sum") {
		h.notFound(w, r)
		return
	}
	w.Header()["Content-Type"] = a.ct
	w.Header()["Cache-Control"] = immutable
	_, _ = w.Write(a.body)
}

// mediaHandler serves uploaded and demo images from the media folder.
// http.Dir refuses paths that climb out of the folder, and directory
// listings are turned off. Uploads under /media/u/ never change once
// written (a new upload gets a new key), so browsers may keep them for a
// year; nosniff stops a browser from reading any file here as HTML or
// script whatever its bytes look like.
func (h *Handler) mediaHandler() http.Handler {
	if h.cfg.MediaDir == "" {
		return http.HandlerFunc(h.notFound)
	}
	fsrv := http.StripPrefix("/media/", http.FileServer(noListing{http.Dir(h.cfg.MediaDir)}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if strings.HasPrefix(r.URL.Path, "/media/u/") {
			// An error response (404) drops Cache-Control again: see
			// http.ServeContent.
			w.Header()["Cache-Control"] = immutable
		} else {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// noListing hides directories, so /media/ never lists its files.
type noListing struct{ fs http.FileSystem }

func (n noListing) Open(name string) (http.File, error) {
	f, err := n.fs.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}
