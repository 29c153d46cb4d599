package search

import (
	"html"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Text is the text a reader reads in an article's body HTML: tags
// dropped (each as a space, so words in neighbouring elements stay
// apart) and entities decoded. The HTML is the site's own rendering of an
// article, in which every < of the text is escaped, so skipping from < to
// > drops exactly the tags; the result is escaped again wherever it is
// shown. Cutting tags here rather than with an HTML sanitizer makes the
// passages of a page of results cost microseconds, not milliseconds.
func Text(bodyHTML string) string {
	var b strings.Builder
	b.Grow(len(bodyHTML))
	inTag := false
	for i := 0; i < len(bodyHTML); i++ {
		c := bodyHTML[i]
		switch {
		case c == '<':
			inTag = true
			b.WriteByte(' ')
		case c == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteByte(c)
		}
	}
	return html.UnescapeString(b.String())
}

// IndexWords lists the distinct words of texts as SQLite's full-text
// index stores them (unicode61 with remove_diacritics 2): lower case,
// accents dropped, split at anything but letters and digits. The store
// keeps them to turn a prefix into the words it stands for.
func IndexWords(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		folded, _, err := transform.String(newFold(), t)
		if err != nil {
			folded = t
		}
		for _, w := range strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			w = strings.ToLower(w)
			if !seen[w] && len(w) <= 4*MaxWordRunes {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// Fold drops a word's accents as IndexWords does ("café" → "cafe").
func Fold(w string) string {
	folded, _, err := transform.String(newFold(), w)
	if err != nil {
		return w
	}
	return folded
}

// newFold decomposes, drops combining marks and composes again (which
// puts Hangul syllables back together). A chain keeps state while it
// runs, so each use gets its own.
func newFold() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}
