// Package author describes the staff whose names appear in bylines.
package author

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"broadsheet/internal/account"
)

// Author is a byline: a staff writer with a public page and a contact email.
type Author struct {
	ID    int64
	Slug  string
	Name  string
	Title string
	Email string
	Bio   string
	// PhotoURL is the byline photo's address, "" for none.
	PhotoURL string
}

// ErrNotFound reports an author that does not exist.
var ErrNotFound = errors.New("author not found")

// ErrEmailTaken reports an email address already used by another author.
var ErrEmailTaken = errors.New("another author already uses that email")

// Normalize trims the author's fields, lower-cases the email and names
// each field that breaks a rule; the result is empty when all is well.
func (a *Author) Normalize() map[string]string {
	fields := map[string]string{}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"name", &a.Name, 120}, {"title", &a.Title, 120}, {"bio", &a.Bio, 2000}} {
		*f.v = strings.TrimSpace(*f.v)
		if utf8.RuneCountInString(*f.v) > f.max {
			fields[f.name] = "must be at most " + strconv.Itoa(f.max) + " characters"
		}
	}
	if a.Name == "" {
		fields["name"] = "must not be empty"
	}
	email, err := account.NormalizeEmail(a.Email)
	if err != nil {
		fields["email"] = "must be a valid email address"
	}
	a.Email = email
	if msg := checkPhotoURL(&a.PhotoURL); msg != "" {
		fields["photo_url"] = msg
	}
	return fields
}

// MaxPhotoURL bounds a photo's address.
const MaxPhotoURL = 500

// checkPhotoURL trims the photo's address and explains what is wrong
// with it: it must be an https address or a path on this site (or
// nothing), because pages show it in an <img> and the reader site's
// content security policy loads images from nowhere else.
func checkPhotoURL(u *string) string {
	*u = strings.TrimSpace(*u)
	if *u == "" {
		return ""
	}
	p, err := url.Parse(*u)
	sitePath := err == nil && p.Scheme == "" && p.Host == "" && strings.HasPrefix(*u, "/") && !strings.HasPrefix(*u, "//")
	remote := err == nil && p.Scheme == "https" && p.Host != ""
	if len(*u) > MaxPhotoURL || !(sitePath || remote) || strings.ContainsAny(*u, " \t\r\n\"'<>\\") {
		return "must be an https address or a path on this site, of at most " + strconv.Itoa(MaxPhotoURL) + " characters"
	}
	return ""
}
