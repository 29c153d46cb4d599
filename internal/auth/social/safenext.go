package social

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNext bounds the after-login path; longer ones are refused rather
// than cut, since a cut path may mean something else.
const maxNext = 2000

// SafeNext returns next if it is a path on this site, and "/" otherwise.
//
// next arrives from a query string anyone can write, and the reader is
// redirected to it after logging in, so anything that a browser could
// read as another origin is refused: "//host" and "/\host" (browsers
// treat a backslash as a slash), any scheme, control characters (browsers
// drop tabs and newlines, turning "/\t/host" into "//host") and invalid
// UTF-8. A plain same-site path keeps its query and fragment.
func SafeNext(next string) string {
	if !isSafeNext(next) {
		return "/"
	}
	return next
}

func isSafeNext(next string) bool {
	if len(next) == 0 || len(next) > maxNext || next[0] != '/' {
		return false
	}
	if strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return false
	}
	if !utf8.ValidString(next) || strings.ContainsFunc(next, unicode.IsControl) {
		return false
	}
	u, err := url.Parse(next)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}
