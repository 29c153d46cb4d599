// Package redirect describes the old addresses that answer 301 with a new
// one, so that links into an archive brought in from another system keep
// working: "/2019/03/budget-vote/" or WordPress's "/?p=123" answer with
// "/article/42/budget-vote".
package redirect

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxPath bounds an old or a new address, in bytes once normalised.
const MaxPath = 2000

// Redirect sends readers of From to To. Source is the system the
// redirect came from ("wordpress", "ghost"), "" for one made by hand.
type Redirect struct {
	From      string
	To        string
	Source    string
	CreatedAt time.Time
}

// ErrNotFound reports an address no redirect starts from.
var ErrNotFound = errors.New("no redirect from that address")

// Error names what is wrong with an address, in words an operator can
// act on.
type Error struct {
	Field  string // "from" or "to"
	Path   string
	Code   string // what is wrong, for a translation of Reason: "empty", "too_long", "not_path", …
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("redirect %s %q: %s", e.Field, e.Path, e.Reason)
}

// Normalize checks r and puts both addresses in the form they are stored
// and looked up in (see NormalizeFrom and NormalizeTo).
func (r *Redirect) Normalize() error {
	from, err := NormalizeFrom(r.From)
	if err != nil {
		return err
	}
	to, err := NormalizeTo(r.To)
	if err != nil {
		return err
	}
	if from == to {
		return &Error{Field: "to", Path: r.To, Code: "same", Reason: "is the same address as the one it redirects from"}
	}
	r.From, r.To = from, to
	return nil
}

// NormalizeFrom is the stored form of an old address: a path starting
// with "/" (no scheme or host), its percent-escapes made canonical
// (every byte that needs one escaped, in lower case, and no other), with
// no trailing slash but for "/" itself. The query is dropped unless it is
// WordPress's "p=ID" or "page_id=ID", which is kept as just that.
func NormalizeFrom(s string) (string, error) {
	p, q, err := split("from", s)
	if err != nil {
		return "", err
	}
	if k := wordpressQuery(q); k != "" {
		return "/?" + k, nil
	}
	if p == "/" && q != "" {
		return "", &Error{Field: "from", Path: s, Code: "home_query", Reason: "is the home page; only its ?p=ID and ?page_id=ID forms can redirect"}
	}
	if p == "/" {
		return "", &Error{Field: "from", Path: s, Code: "home", Reason: "is the home page, which cannot redirect"}
	}
	return p, nil
}

// NormalizeTo is the stored form of a new address: a local path starting
// with "/" (never "//", a scheme or a host), escaped as NormalizeFrom
// escapes, its query kept as given.
func NormalizeTo(s string) (string, error) {
	p, q, err := split("to", s)
	if err != nil {
		return "", err
	}
	if q != "" {
		p += "?" + q
	}
	return p, nil
}

// LookupKey is the address a request for path (escaped, as in
// url.URL.EscapedPath) with the query rawQuery looks its redirect up by;
// ok is false for a request no redirect can start from.
func LookupKey(path, rawQuery string) (string, bool) {
	if k := wordpressQuery(rawQuery); k != "" && (path == "/" || path == "/index.php") {
		return "/?" + k, true
	}
	key, err := NormalizeFrom(path)
	return key, err == nil
}

func split(field, s string) (path, query string, err error) {
	s = strings.TrimSpace(s)
	bad := func(code, reason string) error { return &Error{Field: field, Path: s, Code: code, Reason: reason} }
	switch {
	case s == "":
		return "", "", bad("empty", "must not be empty")
	case len(s) > MaxPath:
		return "", "", bad("too_long", fmt.Sprintf("is longer than %d bytes", MaxPath))
	case !strings.HasPrefix(s, "/"):
		return "", "", bad("not_path", `must be a path starting with "/", with no scheme or host`)
	case strings.HasPrefix(s, "//"):
		return "", "", bad("other_host", `must be a path on this site, not "//host/…"`)
	case !utf8.ValidString(s):
		return "", "", bad("not_utf8", "is not valid UTF-8 text")
	case strings.ContainsAny(s, "\\"):
		return "", "", bad("backslash", "must not contain a backslash")
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return "", "", bad("control", "must not contain control characters")
		}
	}
	s, _, _ = strings.Cut(s, "#")
	raw, query, _ := strings.Cut(s, "?")
	dec, err := url.PathUnescape(raw)
	if err != nil {
		return "", "", bad("bad_escape", "has a malformed percent-escape")
	}
	if !utf8.ValidString(dec) || strings.ContainsAny(dec, "\x00\\") || strings.HasPrefix(dec, "//") {
		return "", "", bad("not_local", "decodes to something that is not a path on this site")
	}
	for _, seg := range strings.Split(dec, "/") {
		if seg == ".." || seg == "." {
			return "", "", bad("dot_segment", `must not contain "." or ".." segments`)
		}
	}
	p := escape(dec)
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
		if p == "" {
			p = "/"
		}
	}
	if len(p)+len(query) > MaxPath {
		return "", "", bad("too_long", fmt.Sprintf("is longer than %d bytes once escaped", MaxPath))
	}
	return p, query, nil
}

// escape writes every byte of p that is not unreserved (RFC 3986), a "/"
// or one of a few sub-delimiters WordPress leaves bare, as a lower-case
// percent-escape.
func escape(p string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// wordpressQuery is "p=ID" or "page_id=ID" when the query names a
// WordPress post or page by number, else "".
func wordpressQuery(q string) string {
	if q == "" {
		return ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return ""
	}
	for _, k := range []string{"p", "page_id"} {
		id := v.Get(k)
		if id != "" && len(id) <= 20 && strings.Trim(id, "0123456789") == "" {
			if id = strings.TrimLeft(id, "0"); id != "" {
				return k + "=" + id
			}
		}
	}
	return ""
}
