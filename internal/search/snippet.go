package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetWords is how many words a snippet shows.
const snippetWords = 32

// Snippet is the passage of text around the first words the query
// matched, as HTML: the text escaped and the matched words in <mark>. It
// is made here rather than by the database so that both engines show the
// same passage, and at a cost that does not depend on the engine's
// highlighter (which read the whole text again for every result). ""
// when the text matches none of the words (the match was in the headline
// or the tags).
func (t Terms) Snippet(text string) string {
	// Walk the words only up to the first match, remembering where the
	// last few began: the passage starts a few words before it.
	const before = snippetWords / 4
	var recent [before + 1]int
	n, first := 0, -1
	for pos := 0; pos < len(text); {
		start, end := nextWord(text, pos)
		if start == end {
			break
		}
		recent[n%len(recent)] = start
		n++
		if t.matches(text[start:end]) {
			first = start
			break
		}
		pos = end
	}
	if first < 0 {
		return ""
	}
	from := recent[max(0, n-len(recent))%len(recent)]
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos, shown := from, 0
	for ; shown < snippetWords; shown++ {
		start, end := nextWord(text, pos)
		if start == end {
			break
		}
		if shown > 0 {
			b.WriteByte(' ')
		}
		if w := text[start:end]; t.matches(w) {
			b.WriteString("<mark>" + html.EscapeString(w) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(w))
		}
		pos = end
	}
	if start, end := nextWord(text, pos); start != end {
		b.WriteString(" …")
	}
	return b.String()
}

// nextWord finds the next run of non-space characters at or after pos:
// its start and end, equal when there is none.
func nextWord(text string, pos int) (int, int) {
	start := pos
	for start < len(text) {
		r, size := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	end := start
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if unicode.IsSpace(r) {
			break
		}
		end += size
	}
	return start, end
}

// matches reports whether a word of the text, with its punctuation, is
// one the query looks for: whole or by its start, as the search does.
func (t Terms) matches(raw string) bool {
	// Most words are lower-case ASCII letters with punctuation around
	// them: compare those without building new strings.
	if w := strings.TrimFunc(raw, func(r rune) bool { return !isWordRune(r) }); plainASCII(w) {
		return w != "" && t.matchesWord(w)
	}
	for _, w := range splitWords(raw) {
		if t.matchesWord(w) {
			return true
		}
	}
	return false
}

// plainASCII reports whether w is lower-case ASCII letters and digits
// only, which splitWords would return unchanged.
func plainASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return len(w) <= MaxWordRunes
}

// matchesWord reports whether one word, as splitWords gives it, is one
// the query looks for.
func (t Terms) matchesWord(w string) bool {
	for _, q := range t.Words {
		if w == q || korean(q) && strings.HasPrefix(w, q) {
			return true
		}
	}
	for _, q := range t.Prefixes {
		if strings.HasPrefix(w, q) {
			return true
		}
	}
	for _, p := range t.Phrases {
		for _, q := range p {
			if w == q {
				return true
			}
		}
	}
	return false
}
