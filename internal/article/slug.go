package article

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const maxSlugLen = 80

// Slugify makes a URL slug from a headline: lower-case letters and digits
// of any script joined by hyphens, accents dropped ("Café" → "cafe").
// Korean headlines keep their Hangul; a headline with no letters at all
// becomes "article".
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent split off by NFKD
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= maxSlugLen {
			break
		}
	}
	out := b.String()
	if len(out) >= maxSlugLen {
		if i := strings.LastIndexByte(out, '-'); i > 0 {
			out = out[:i] // cut at a word boundary, not mid-word
		}
	}
	out = norm.NFC.String(strings.TrimRight(out, "-"))
	if out == "" {
		return "article"
	}
	return out
}
