package glossary

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ListQuery selects entries in headword order, then language.
type ListQuery struct {
	Prefix string // Key form: only headwords that start with it
	Lang   string // canonical tag, or "" for every language
	After  Cursor // the last entry of the previous page, or zero
	Limit  int
}

// ParsePrefix turns a search for headwords into Key form, refusing what
// no headword can start with: control characters, invalid UTF-8 or more
// than MaxHeadwordLen characters.
func ParsePrefix(s string) (string, error) {
	if msg := badText(s); msg != "" {
		return "", errors.New("q " + msg)
	}
	if utf8.RuneCountInString(s) > MaxHeadwordLen {
		return "", fmt.Errorf("q must be at most %d characters", MaxHeadwordLen)
	}
	return Key(s), nil
}

// Cursor is where a page of entries ends: keyset paging stays fast and
// stable however large the glossary is and however it changes meanwhile.
type Cursor struct {
	Headword string
	Lang     string
}

// IsZero reports the cursor of the first page.
func (c Cursor) IsZero() bool { return c == Cursor{} }

// CursorOf is the cursor just after e.
func CursorOf(e Entry) Cursor { return Cursor{Headword: e.Headword, Lang: e.Lang} }

// String encodes the cursor for a URL. No field may hold a control
// character, so a tab separates them unambiguously.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(c.Headword + "\t" + c.Lang))
}

// ErrBadCursor reports an ?after= value that no page produced.
var ErrBadCursor = errors.New("not a glossary page cursor")

// ParseCursor decodes a cursor made by String.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 4*(MaxHeadwordLen+MaxLangLen) {
		return Cursor{}, ErrBadCursor
	}
	h, l, ok := strings.Cut(string(b), "\t")
	if !ok || h == "" || l == "" || badText(h) != "" || badText(l) != "" {
		return Cursor{}, ErrBadCursor
	}
	return Cursor{Headword: h, Lang: l}, nil
}
