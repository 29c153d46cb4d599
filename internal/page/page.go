// Package page describes the static pages whose text lives in the
// database: the Standards Board Policy, About, Privacy.
package page

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/slug"
)

// Page is a static page written in Markdown and shown at /page/{slug}.
type Page struct {
	ID    int64
	Slug  string
	Title string
	// TitleKo is the title Korean pages give in their links (the
	// footer's); "" when editors gave none, and they give Title.
	TitleKo   string
	Body      string // Markdown
	BodyHTML  string // sanitized HTML rendered from Body
	UpdatedAt time.Time
}

// TitleIn is the page's title for readers of lang: the Korean one on
// Korean pages when editors gave one, else Title.
func (p Page) TitleIn(lang string) string {
	if lang == "ko" && p.TitleKo != "" {
		return p.TitleKo
	}
	return p.Title
}

// ErrNotFound reports a page that does not exist.
var ErrNotFound = errors.New("page not found")

// MaxBody bounds a page's Markdown.
const MaxBody = 256 << 10

// Normalize trims the page's title and names each field that breaks a
// rule; the result is empty when the page is valid.
func (p *Page) Normalize() map[string]string {
	fields := map[string]string{}
	if !slug.Valid(p.Slug) {
		fields["slug"] = "must be 1 to 60 lower-case letters, digits and hyphens"
	}
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" || utf8.RuneCountInString(p.Title) > 200 || strings.ContainsAny(p.Title, "\r\n") {
		fields["title"] = "must be 1 to 200 characters on one line"
	}
	p.TitleKo = strings.TrimSpace(p.TitleKo)
	if utf8.RuneCountInString(p.TitleKo) > 200 || strings.ContainsAny(p.TitleKo, "\r\n") {
		fields["title_ko"] = "must be at most 200 characters on one line"
	}
	if strings.TrimSpace(p.Body) == "" || len(p.Body) > MaxBody || !utf8.ValidString(p.Body) {
		fields["body"] = "must be non-empty Markdown of at most 256 KiB"
	}
	return fields
}

// ErrExists reports a slug another page already has.
var ErrExists = errors.New("another page already has that slug")
