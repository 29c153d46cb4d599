// Package author describes the staff whose names appear in bylines.
package author

import "errors"

// Author is a byline: a staff writer with a public page and a contact email.
type Author struct {
	ID    int64
	Slug  string
	Name  string
	Title string
	Email string
	Bio   string
}

// ErrNotFound reports an author that does not exist.
var ErrNotFound = errors.New("author not found")

// ErrEmailTaken reports an email address already used by another author.
var ErrEmailTaken = errors.New("another author already uses that email")
