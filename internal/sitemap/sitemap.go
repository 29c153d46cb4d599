// Package sitemap writes the documents of the Sitemaps protocol
// (https://www.sitemaps.org/protocol.html) — sitemap indexes and URL sets —
// and Google News sitemaps. It refuses to write a file over the
// protocol's limits rather than send one that crawlers would reject.
package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"time"
)

// The protocol's limits on one file, index or URL set, and Google's on a
// news sitemap.
const (
	MaxURLs     = 50_000
	MaxBytes    = 50 * 1024 * 1024 // uncompressed
	MaxNewsURLs = 1_000
	NewsWindow  = 48 * time.Hour // news sitemaps list articles published this recently
)

// ErrTooLarge is returned for a file that would break a limit.
var ErrTooLarge = errors.New("sitemap: over the protocol's limits")

// URL is one page of a URL set, or one sitemap of an index. Loc is an
// absolute URL, already percent-encoded; LastMod may be zero.
type URL struct {
	Loc     string
	LastMod time.Time
}

// NewsURL is one article of a news sitemap.
type NewsURL struct {
	Loc       string
	Title     string
	Published time.Time
}

// Publication names the paper in a news sitemap: its name as Google News
// knows it and its language (ISO 639, e.g. "en").
type Publication struct {
	Name     string
	Language string
}

const (
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// Index writes a sitemap index listing the sitemaps.
func Index(sitemaps []URL) ([]byte, error) {
	return urlList("sitemapindex", "sitemap", sitemaps)
}

// URLSet writes a sitemap of pages.
func URLSet(urls []URL) ([]byte, error) {
	return urlList("urlset", "url", urls)
}

func urlList(root, elem string, urls []URL) ([]byte, error) {
	if len(urls) > MaxURLs {
		return nil, fmt.Errorf("%w: %d URLs", ErrTooLarge, len(urls))
	}
	w := newWriter(len(urls))
	w.raw(xml.Header + "<" + root + ` xmlns="` + nsSitemap + `">` + "\n")
	for _, u := range urls {
		w.raw("<" + elem + ">")
		w.elem("loc", u.Loc)
		if !u.LastMod.IsZero() {
			w.raw("<lastmod>" + date(u.LastMod) + "</lastmod>")
		}
		w.raw("</" + elem + ">\n")
	}
	w.raw("</" + root + ">\n")
	return w.bytes()
}

// News writes a Google News sitemap of articles.
func News(pub Publication, urls []NewsURL) ([]byte, error) {
	if len(urls) > MaxNewsURLs {
		return nil, fmt.Errorf("%w: %d news URLs", ErrTooLarge, len(urls))
	}
	w := newWriter(len(urls))
	w.raw(xml.Header + `<urlset xmlns="` + nsSitemap + `" xmlns:news="` + nsNews + `">` + "\n")
	for _, u := range urls {
		w.raw("<url>")
		w.elem("loc", u.Loc)
		w.raw("<news:news><news:publication>")
		w.elem("news:name", pub.Name)
		w.elem("news:language", pub.Language)
		w.raw("</news:publication><news:publication_date>" + date(u.Published) + "</news:publication_date>")
		w.elem("news:title", u.Title)
		w.raw("</news:news></url>\n")
	}
	w.raw("</urlset>\n")
	return w.bytes()
}

// date is the W3C datetime the protocol asks for, in UTC to the second.
func date(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writer builds a document by hand: a month's sitemap can hold 50,000
// URLs, and escaping text directly is several times faster than
// encoding/xml's reflection.
type writer struct {
	buf bytes.Buffer
	err error
}

func newWriter(n int) *writer {
	w := &writer{}
	w.buf.Grow(256 + n*160)
	return w
}

func (w *writer) raw(s string) { w.buf.WriteString(s) }

// elem writes <name>text</name> with the text escaped for XML; characters
// XML cannot carry become U+FFFD.
func (w *writer) elem(name, text string) {
	w.buf.WriteString("<" + name + ">")
	if err := xml.EscapeText(&w.buf, []byte(text)); err != nil && w.err == nil {
		w.err = err
	}
	w.buf.WriteString("</" + name + ">")
}

func (w *writer) bytes() ([]byte, error) {
	if w.err != nil {
		return nil, fmt.Errorf("sitemap: %w", w.err)
	}
	if w.buf.Len() > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, w.buf.Len())
	}
	return w.buf.Bytes(), nil
}
