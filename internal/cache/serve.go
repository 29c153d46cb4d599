package cache

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// pageHeader holds a page's header values, built once when the page is
// made so that serving a cached page allocates almost nothing.
type pageHeader struct {
	contentType  []string
	etag         []string
	gzipETag     []string
	lastModified []string
	surrogate    []string
	length       []string
	gzipLength   []string
}

var (
	gzipValue = []string{"gzip"}
	varyValue = []string{"Accept-Encoding, Accept-Language"}
)

func prebuilt(p *Page) pageHeader {
	h := pageHeader{
		contentType: []string{p.ContentType},
		etag:        []string{p.ETag},
		gzipETag:    []string{p.GzipETag},
		length:      []string{strconv.Itoa(len(p.Body))},
	}
	if !p.LastModified.IsZero() {
		h.lastModified = []string{p.LastModified.Format(http.TimeFormat)}
	}
	if len(p.Keys) > 0 {
		h.surrogate = []string{strings.Join(p.Keys, " ")}
	}
	return h
}

// Serve writes the page, answering 304 when the client's validators match,
// and the gzipped bytes when the client accepts them. cacheControl is the
// Cache-Control value to send. A page without a stored gzip form (the
// cache is off) is compressed for this response only.
func (p *Page) Serve(w http.ResponseWriter, r *http.Request, cacheControl []string) {
	h := w.Header()
	ph := &p.header
	h["Content-Type"] = ph.contentType
	h["Vary"] = varyValue
	if cacheControl != nil {
		h["Cache-Control"] = cacheControl
	}
	if ph.surrogate != nil {
		h["Surrogate-Key"] = ph.surrogate
	}
	if ph.lastModified != nil {
		h["Last-Modified"] = ph.lastModified
	}
	body, etag, length := p.Body, ph.etag, ph.length
	if len(p.Body) >= minGzip && acceptsGzip(r) {
		if p.Gzip != nil {
			body, length = p.Gzip, ph.gzipLength
		} else {
			body = gzipBytes(p.Body, gzip.BestSpeed)
			length = []string{strconv.Itoa(len(body))}
		}
		etag = ph.gzipETag
		h["Content-Encoding"] = gzipValue
	}
	h["Etag"] = etag
	if p.Status == http.StatusOK && notModified(r, etag[0], p.LastModified) {
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = length
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header["Accept-Encoding"] {
		if strings.Contains(v, "gzip") {
			return true
		}
	}
	return false
}

// notModified applies If-None-Match, or If-Modified-Since when the client
// sent no entity tag (RFC 9110 section 13.2.2).
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == etag || t == "*" || strings.TrimPrefix(t, "W/") == etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.After(t)
	}
	return false
}
