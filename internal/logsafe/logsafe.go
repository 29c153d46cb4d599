// Package logsafe keeps secrets out of logs. String blanks out what looks
// like a secret in an address, a query or any text: the segment after a
// path that carries one (a password-reset link), the value of a query
// parameter with a secret's name (OAuth code and state, tokens,
// passwords, keys), and any long random-looking word. NewHandler applies
// it to every line a slog logger writes, so a logger that is handed a
// URL, a Referer or an error quoting an address cannot leak either.
//
// It errs on the side of hiding: a search for a long word of mixed-case
// letters and digits is logged as REDACTED too.
package logsafe

import (
	"cmp"
	"slices"
	"strings"
)

// Redacted replaces a secret.
const Redacted = "REDACTED"

// secretPaths are the addresses whose next path segment is a secret, in
// one place so that no logger of a path has to know them. Add a prefix
// here with any new route that carries a token in its path.
var secretPaths = withEscaped(
	"/newsroom/reset/", // GET and POST /newsroom/reset/{token}: the link sets a password
)

// withEscaped adds each path as it reads when escaped in a query value
// (?next=%2Fnewsroom%2Freset%2F…), in either case of hex digit.
func withEscaped(paths ...string) []string {
	out := paths
	for _, p := range paths {
		out = append(out, strings.ReplaceAll(p, "/", "%2F"), strings.ReplaceAll(p, "/", "%2f"))
	}
	return out
}

// minTokenRun is the shortest word taken for a random token when it mixes
// upper- and lower-case letters and digits (base64url: the site's own
// tokens are 43 characters, API tokens 47). Slugs, ids and dates are lower
// case or digits only, so they stay readable.
const minTokenRun = 20

// minHexRun is the shortest run of hex digits taken for a token or a
// hash: longer than the site's 24-digit media ids and 12-digit asset
// checksums, shorter than a 128-bit token in hex.
const minHexRun = 32

// String returns s with every secret in it replaced by Redacted. It
// reads s once and allocates only when it replaces something, so it is
// cheap enough for every request's access-log line.
func String(s string) string {
	r, _ := redact(s)
	return r
}

// redact is String, and whether it replaced anything.
func redact(s string) (string, bool) {
	var spans []span
	spans = pathSecrets(s, spans)
	spans = paramSecrets(s, spans)
	spans = tokenRuns(s, spans)
	if len(spans) == 0 {
		return s, false
	}
	return replace(s, spans), true
}

// span is a part of a string to replace: s[from:to].
type span struct{ from, to int }

// pathSecrets finds the segment after every secret path prefix.
func pathSecrets(s string, spans []span) []span {
	for _, p := range secretPaths {
		for i := 0; ; {
			j := strings.Index(s[i:], p)
			if j < 0 {
				break
			}
			from := i + j + len(p)
			ends := endsSegment
			if strings.HasPrefix(p, "%") { // escaped: the segment ends at the next %2F
				ends = endsEscapedSegment
			}
			to := from + strings.IndexFunc(s[from:], ends)
			if to < from { // no end: the segment runs to the end of s
				to = len(s)
			}
			if to > from {
				spans = append(spans, span{from, to})
			}
			i = to
		}
	}
	return spans
}

func endsSegment(r rune) bool {
	return r == '/' || r == '?' || r == '#' || r == '&' || endsValue(r)
}

func endsEscapedSegment(r rune) bool { return r == '%' || endsSegment(r) }

// endsValue is where a query value ends in a log line: at the next
// parameter, the fragment, or the quote or space around an address
// quoted in an error message.
func endsValue(r rune) bool {
	switch r {
	case '&', '#', ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '\\', '`':
		return true
	}
	return false
}

// paramSecrets finds the value of every name=value whose name is a
// secret's, in a query or anywhere in a text.
func paramSecrets(s string, spans []span) []span {
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			continue
		}
		k := i
		for k > 0 && isNameByte(s[k-1]) {
			k--
		}
		if k == i || !SecretName(s[k:i]) {
			continue
		}
		from := i + 1
		to := from + strings.IndexFunc(s[from:], endsValue)
		if to < from {
			to = len(s)
		}
		if to > from {
			spans = append(spans, span{from, to})
		}
		i = to - 1
	}
	return spans
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '%'
}

// SecretName reports whether a query parameter, header or log attribute
// of this name holds a secret. It matches without regard to case.
func SecretName(name string) bool {
	var buf [64]byte
	if len(name) > len(buf) {
		return false // no secret parameter has so long a name
	}
	n := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '-' || c == '.' {
			c = '_'
		}
		n[i] = c
	}
	lower := string(n) // does not escape: the compiler keeps it on the stack
	switch lower {
	case "code", "state", "nonce", "otp", "totp", "pin", "auth", "authorization", "proxy_authorization",
		"cookie", "set_cookie", "sig", "signature", "key", "session", "sid", "csrf", "pass", "pwd",
		"jwt", "assertion", "ticket":
		return true
	}
	for _, part := range []string{"token", "secret", "passw", "credential", "api_key", "apikey", "private"} {
		if strings.Contains(lower, part) {
			return true
		}
	}
	return strings.HasSuffix(lower, "_key") || strings.HasSuffix(lower, "_code") || strings.HasSuffix(lower, "_session")
}

// tokenRuns finds words of URL-safe characters that look random: long,
// with upper- and lower-case letters and digits, or long runs of hex.
func tokenRuns(s string, spans []span) []span {
	for i := 0; i < len(s); {
		if !isTokenByte(s[i]) {
			i++
			continue
		}
		j := i
		var upper, lower, digit, nonHex bool
		for ; j < len(s) && isTokenByte(s[j]); j++ {
			c := s[j]
			switch {
			case c >= 'A' && c <= 'Z':
				upper = true
				nonHex = nonHex || c > 'F'
			case c >= 'a' && c <= 'z':
				lower = true
				nonHex = nonHex || c > 'f'
			case c >= '0' && c <= '9':
				digit = true
			default:
				nonHex = true
			}
		}
		if n := j - i; n >= minTokenRun && upper && lower && digit || n >= minHexRun && !nonHex {
			spans = append(spans, span{i, j})
		}
		i = j
	}
	return spans
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// replace writes s with the spans, which may overlap, replaced.
func replace(s string, spans []span) string {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		if sp.to <= last {
			continue // inside one already replaced
		}
		if sp.from < last {
			sp.from = last
		} else {
			b.WriteString(s[last:sp.from])
			b.WriteString(Redacted)
		}
		last = sp.to
	}
	b.WriteString(s[last:])
	return b.String()
}
