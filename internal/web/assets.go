package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"broadsheet/internal/http/precompressed"
	"broadsheet/internal/media"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded stylesheets, scripts and icons, served under a
// checksum of their content so that they can be cached for a year and
// still change, each compressed once (brotli and gzip) when first loaded.
type assets struct {
	files map[string]asset
}

type asset struct {
	sum  string // the first 12 hex digits of the content's SHA-256
	file *precompressed.File
}

// loadAssets reads and compresses every file under static/, whatever its
// name, once per process: the files are part of the binary, and
// compressing them at their best settings takes a moment.
var loadAssets = sync.OnceValues(func() (*assets, error) {
	as := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := precompressed.New(b, ct, immutable[0])
		as.files[name] = asset{sum: f.Sum()[:12], file: f}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return as, nil
})

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

// serveAsset answers GET and HEAD of /static/{sum}/{name} in the best
// encoding the browser accepts (see precompressed.File.Serve).
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets.files[r.PathValue("name")]
	if !ok || a.sum != r.PathValue("sum") {
		h.notFound(w, r)
		return
	}
	a.file.Serve(w, r)
}

// mediaServeTime bounds the serving of one image: the gateway's answer,
// then the copy to the client. Past it a slow client's download is cut.
const mediaServeTime = 50 * time.Second

// mediaHandler serves uploaded and demo images from the media storage, a
// folder or an S3 bucket, by the same path: /media/<key>. Uploads under
// /media/u/ never change once written (a new upload gets a new key), so
// browsers and caches in front may keep them for a year; nosniff stops a
// browser from reading any file here as HTML or script whatever its
// bytes look like.
//
// Images in S3 are proxied through the instance rather than answered
// with a redirect to a presigned URL. A presigned URL expires (a week at
// most), but article pages are cached for long by a CDN or Varnish in
// front, and readers' browsers keep the images: a page pointing at, or
// an image redirecting to, an expired URL would show a broken image.
// Proxied, an image keeps one stable address, which a cache in front
// keeps for a year (so the instance serves each image about once per
// cache), and the bucket stays private, its keys on the server alone.
//
// Conditional GETs (ETag, Last-Modified), HEAD and Range are answered
// by http.ServeContent. A missing file is 404; a storage that does not
// answer in time is 503 with Retry-After, never 500.
func (h *Handler) mediaHandler() http.Handler {
	files := h.cfg.Media
	if files == nil {
		if h.cfg.MediaDir == "" {
			return http.HandlerFunc(h.notFound)
		}
		files = media.NewLocalDisk(h.cfg.MediaDir)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		key := strings.TrimPrefix(r.URL.Path, media.URLPrefix)
		if media.CheckKey(key) != nil { // no such file can exist: the storage is not asked
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		// The request's own deadline is the database's (outage.Deadline),
		// far too short for a slow reader's download: this one bounds the
		// gateway and the copy instead, and a reader who leaves ends the
		// copy by failing its writes.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), mediaServeTime)
		defer cancel()
		f, mod, err := files.Open(ctx, key)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		case errors.Is(err, media.ErrUnavailable):
			h.logger.WarnContext(r.Context(), "media storage not answering", "path", r.URL.Path, "err", err)
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Retry-After", strconv.Itoa(int(mediaRetryAfter/time.Second)))
			http.Error(w, "The image store is not answering; try again in a moment.", http.StatusServiceUnavailable)
			return
		case err != nil:
			h.logger.ErrorContext(r.Context(), "media storage failed", "path", r.URL.Path, "err", err)
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "500 internal server error", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		if tagged, ok := f.(interface{ ETag() string }); ok && tagged.ETag() != "" {
			w.Header().Set("ETag", `"`+strings.Trim(tagged.ETag(), `"`)+`"`)
		}
		if strings.HasPrefix(key, "u/") {
			// An error response (a 416, say) drops Cache-Control again:
			// see http.ServeContent.
			w.Header()["Cache-Control"] = immutable
		} else {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		http.ServeContent(w, r, path.Base(key), mod, f)
	})
}

// mediaRetryAfter is what a 503 for an image asks the client to wait: a
// gateway restart takes seconds.
const mediaRetryAfter = 5 * time.Second
