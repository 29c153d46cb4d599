// Package page describes the static pages whose text lives in the
// database: the Standards Board Policy, About, Privacy.
package page

import (
	"errors"
	"time"
)

// Page is a static page written in Markdown and shown at /page/{slug}.
type Page struct {
	ID        int64
	Slug      string
	Title     string
	Body      string // Markdown
	BodyHTML  string // sanitized HTML rendered from Body
	UpdatedAt time.Time
}

// ErrNotFound reports a page that does not exist.
var ErrNotFound = errors.New("page not found")
