package cache

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// pageHeader holds a page's header values, built once when the page is
// made so that serving a cached page allocates almost nothing.
type pageHeader struct {
	contentType  []string
	etag         []string
	gzipETag     []string
	surrogate    []string
	length       []string
	gzipLength   []string
	lastModified []string
	vary         []string
}

var (
	gzipValue        = []string{"gzip"}
	varyValue        = []string{"Accept-Encoding, Accept-Language"}
	varyEncodingOnly = []string{"Accept-Encoding"}
)

func prebuilt(p *Page) pageHeader {
	h := pageHeader{
		contentType: []string{p.ContentType},
		etag:        []string{p.ETag},
		gzipETag:    []string{p.GzipETag},
		length:      []string{strconv.Itoa(len(p.Body))},
		vary:        varyValue,
	}
	if p.Language == "" {
		h.vary = varyEncodingOnly // the same bytes whatever language the reader asks for
	}
	if len(p.Keys) > 0 {
		h.surrogate = []string{strings.Join(p.Keys, " ")}
	}
	return h
}

// Serve writes the page, answering 304 when the client's validators match,
// and the gzipped bytes when the client accepts them. cacheControl is the
// Cache-Control value to send. A page without a stored gzip form (the
// cache is off) is compressed for this response only. It returns the
// status written: 304 for a copy the client still has.
func (p *Page) Serve(w http.ResponseWriter, r *http.Request, cacheControl []string) int {
	h := w.Header()
	ph := &p.header
	h["Content-Type"] = ph.contentType
	h["Vary"] = ph.vary
	if cacheControl != nil {
		h["Cache-Control"] = cacheControl
	}
	if ph.surrogate != nil {
		h["Surrogate-Key"] = ph.surrogate
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
	if ph.lastModified != nil {
		h["Last-Modified"] = ph.lastModified
	}
	if p.Status == http.StatusOK && (notModified(r, etag[0]) || unmodifiedSince(r, p)) {
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	h["Content-Length"] = length
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return p.Status
}

// acceptsGzip reports whether the client takes gzip; "gzip;q=0" refuses it.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header["Accept-Encoding"] {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.TrimSpace(coding) != "gzip" {
				continue
			}
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// notModified applies If-None-Match. HTML pages carry no Last-Modified: a
// page changes when a list, the related articles or the navigation on it
// changes, with no single time that moves, so only the content's ETag can
// say whether a copy is current. Feeds and sitemaps also carry one (see
// unmodifiedSince).
func notModified(r *http.Request, etag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimSpace(t)
		if t == etag || t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// unmodifiedSince applies If-Modified-Since to a page that has a
// Last-Modified time. As RFC 9110 (13.1.3) requires, it is ignored when the
// request also has If-None-Match: the ETag is the stronger validator, and
// the only one that sees an item leave a feed (which moves no item's time).
func unmodifiedSince(r *http.Request, p *Page) bool {
	if p.LastModified.IsZero() || r.Header.Get("If-None-Match") != "" {
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !p.LastModified.After(t)
}
