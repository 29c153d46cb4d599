package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
)

var (
	tagRE       = regexp.MustCompile(`(?s)<[^>]*>`)
	scriptRE    = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)\s*>`)
	lineBreakRE = regexp.MustCompile(`(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</blockquote\s*>`)
)

// stripTags is the text of an HTML fragment: its markup, scripts and
// styles gone, entities decoded.
func stripTags(s string) string {
	s = scriptRE.ReplaceAllString(s, " ")
	s = lineBreakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// commentText is an imported comment's body as the paper keeps comments:
// plain text, never rendered as markup, its control characters dropped;
// "" when nothing is left.
func commentText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= 0xFFF9 && r <= 0xFFFB) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(stripTags(s), ""))
	body, err := comment.NormalizeBody(s, maxCommentLength)
	if err != nil {
		// Too long for even the import's limit: the first part, marked.
		if r := []rune(strings.TrimSpace(s)); len(r) > 0 {
			if len(r) > maxCommentLength-1 {
				r = r[:maxCommentLength-1]
			}
			if body, err = comment.NormalizeBody(string(r)+"…", maxCommentLength); err == nil {
				return body
			}
		}
		return ""
	}
	return body
}

// maxCommentLength bounds an imported comment, in characters: the old
// site may have allowed longer ones than the paper's own setting.
const maxCommentLength = 20000

// oneLine is s trimmed, with every run of white space one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip is s cut to at most n characters, at a character boundary.
func clip(s string, n int) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}

// clipBytes is s cut to at most n bytes, at a character boundary.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// firstWords is the first n words of s, for a post with no title.
func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		return strings.Join(w[:n], " ") + "…"
	}
	return strings.Join(w, " ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// decodeSlug undoes WordPress's percent-encoding of slugs in other
// scripts ("%ec%84%9c%ec%9a%b8" is "서울").
func decodeSlug(s string) string {
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return s
}

// asciiSlug is a slug of lower-case ASCII letters, digits and hyphens
// (what sections and pages allow) from the source's slug or, failing
// that, the name; fallback when neither has any.
func asciiSlug(slug, name, fallback string) string {
	for _, s := range []string{decodeSlug(slug), name} {
		var b strings.Builder
		for _, r := range article.Slugify(s) {
			switch {
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == '-':
				if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
					b.WriteByte('-')
				}
			}
		}
		out := strings.Trim(clipBytes(b.String(), 60), "-")
		if out != "" && out != "article" {
			return out
		}
	}
	return strings.Trim(clipBytes(asciiOnly(fallback), 60), "-")
}

func asciiOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '-'
	}, s)
}

// pageSlug is a page's address: a static page's slug has no "/", so the
// old hierarchy "about/team" becomes "about-team".
func pageSlug(path, title, id string) string {
	var parts []string
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if s := asciiSlug(seg, "", ""); s != "" {
			parts = append(parts, s)
		}
	}
	if s := strings.Trim(clipBytes(strings.Join(parts, "-"), 60), "-"); s != "" {
		return s
	}
	return asciiSlug("", title, "page-"+id)
}

// bylineOf is the byline of a source's author: matched to the paper's
// authors by email, or given an address of its own that no one can
// receive mail at when the source has none.
func bylineOf(source string, a *Author) article.Byline {
	name := clip(oneLine(a.Name), article.MaxNameLen)
	email, err := normalizeEmail(a.Email)
	if err != nil || email == "" {
		sum := sha256.Sum256([]byte(a.SourceID))
		email = "author-" + hex.EncodeToString(sum[:6]) + "@" + source + ".import.invalid"
	}
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	return article.Byline{Name: name, Email: email}
}

func authorOf(b article.Byline) author.Author { return author.Author{Name: b.Name, Email: b.Email} }

// readerSubject identifies an imported commenter among the source's: by
// email, or by a hash of the name for one who gave none.
func readerSubject(c Comment) string {
	if e := strings.ToLower(strings.TrimSpace(c.AuthorEmail)); e != "" {
		return "email:" + e
	}
	sum := sha256.Sum256([]byte(strings.ToLower(oneLine(c.AuthorName))))
	return "name:" + hex.EncodeToString(sum[:12])
}

func readerName(c Comment) string {
	if n := clip(oneLine(stripTags(c.AuthorName)), 60); n != "" {
		return n
	}
	return "Anonymous"
}

func normalizeEmail(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	return account.NormalizeEmail(s)
}
