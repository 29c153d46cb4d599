// Package feed writes syndication feeds — RSS 2.0, Atom 1.0 and JSON Feed
// 1.1 — from one format-neutral description of a list of articles. It
// knows nothing of the database or HTTP; the reader site fills a Feed and
// asks for the bytes of the format the URL names.
package feed

import (
	"errors"
	"time"
)

// Feed is a list of items with what every format needs to describe it.
// All URLs are absolute.
type Feed struct {
	Title       string
	Description string
	Link        string // the HTML page the feed follows
	Self        string // the feed's own URL, also its Atom id
	Language    string // BCP 47, e.g. "en"
	Publisher   string // the site's name: the feed's author where items have none
	Updated     time.Time
	Items       []Item
}

// Item is one article in a feed.
type Item struct {
	ID         string // stable: the article's canonical URL
	Title      string
	Link       string
	Summary    string // plain text; may be empty
	Image      string // absolute URL of the lead image, or ""
	Published  time.Time
	Updated    time.Time
	Authors    []Person
	Categories []Category // the section first, then the tags
}

// Person is an item's author.
type Person struct {
	Name string
	URL  string // the author's page
}

// Category is a section or tag: Term is its slug or path, Label what
// readers see, Scheme the URL its Term continues (for Atom).
type Category struct {
	Term   string
	Label  string
	Scheme string
}

// Format is one of the feed formats.
type Format int

// The formats, each served under its own file extension.
const (
	RSS Format = iota
	Atom
	JSON
)

var formats = []struct {
	ext, contentType string
}{
	RSS:  {"xml", "application/rss+xml; charset=utf-8"},
	Atom: {"atom", "application/atom+xml; charset=utf-8"},
	JSON: {"json", "application/feed+json; charset=utf-8"},
}

// Formats lists every format, in the order pages advertise them.
var Formats = []Format{RSS, Atom, JSON}

// ErrUnknownFormat is returned for an extension that names no format.
var ErrUnknownFormat = errors.New("feed: unknown format")

// ParseFormat returns the format served under a file extension ("xml",
// "atom" or "json").
func ParseFormat(ext string) (Format, error) {
	for f, v := range formats {
		if v.ext == ext {
			return Format(f), nil
		}
	}
	return 0, ErrUnknownFormat
}

// Ext is the format's file extension, without the dot.
func (f Format) Ext() string { return formats[f].ext }

// ContentType is the format's media type.
func (f Format) ContentType() string { return formats[f].contentType }

// MediaType is ContentType without parameters, for <link type=…>.
func (f Format) MediaType() string {
	ct := formats[f].contentType
	for i := 0; i < len(ct); i++ {
		if ct[i] == ';' {
			return ct[:i]
		}
	}
	return ct
}

// Name is how readers know the format.
func (f Format) Name() string { return [...]string{"RSS", "Atom", "JSON Feed"}[f] }

// Render writes the feed in format f.
func Render(f Format, fd Feed) ([]byte, error) {
	switch f {
	case RSS:
		return renderRSS(fd)
	case Atom:
		return renderAtom(fd)
	case JSON:
		return renderJSON(fd)
	}
	return nil, ErrUnknownFormat
}
