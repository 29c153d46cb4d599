// Package reader holds the accounts of readers who comment. Readers sign
// in only through social login (internal/auth/social), so an account
// keeps the provider's subject, a display name and an avatar address,
// never a password.
package reader

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Reader is a commenter's account.
type Reader struct {
	ID            int64
	Provider      string // "google", "twitter", ...
	Subject       string // the provider's stable id for the person
	DisplayName   string
	AvatarURL     string
	CreatedAt     time.Time
	PolicyVersion string    // the version of the Standards Board Policy accepted; "" none
	BannedUntil   time.Time // zero: not banned; Forever: banned for good
	BanRule       int
	BanReason     string
}

// Forever is the end of a permanent ban.
var Forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Banned reports whether the reader may not comment or react at now.
func (r Reader) Banned(now time.Time) bool {
	return !r.BannedUntil.IsZero() && now.Before(r.BannedUntil)
}

// ErrNotFound is a missing reader.
var ErrNotFound = errors.New("no such reader")

// MaxNameLength bounds display names, in user-perceived characters.
const MaxNameLength = 50

// NormalizeName checks a display name a reader chose or a provider gave.
func NormalizeName(s string) (string, error) {
	s = norm.NFC.String(strings.Join(strings.Fields(s), " "))
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("the name is not valid text")
	}
	if s == "" {
		return "", fmt.Errorf("the name is empty")
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u200B' || r == '\u202E' }) >= 0 {
		return "", fmt.Errorf("the name contains invisible or control characters")
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", fmt.Errorf("the name is longer than %d characters", MaxNameLength)
	}
	return s, nil
}

// NameFromProvider makes a usable display name from what a provider sent,
// falling back to a neutral one.
func NameFromProvider(name string) string {
	if n, err := NormalizeName(name); err == nil {
		return n
	}
	if n, err := NormalizeName(truncate(name, MaxNameLength)); err == nil {
		return n
	}
	return "Reader"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// SafeAvatar keeps an avatar address only if it is an absolute https URL
// of reasonable length; anything else is dropped rather than rendered.
func SafeAvatar(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(s) > 1000 || u.User != nil {
		return ""
	}
	return u.String()
}
