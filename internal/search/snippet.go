package search

import (
	"html"
	"strings"
	"unicode"
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
	words := strings.FieldsFunc(text, unicode.IsSpace)
	match := make([]bool, len(words))
	first := -1
	for i, w := range words {
		if t.matches(w) {
			match[i] = true
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return ""
	}
	start := max(0, first-snippetWords/4)
	end := min(len(words), start+snippetWords)
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	for i := start; i < end; i++ {
		if i > start {
			b.WriteByte(' ')
		}
		if match[i] {
			b.WriteString("<mark>" + html.EscapeString(words[i]) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(words[i]))
		}
	}
	if end < len(words) {
		b.WriteString(" …")
	}
	return b.String()
}

// matches reports whether a word of the text, with its punctuation, is
// one the query looks for: whole or by its start, as the search does.
func (t Terms) matches(raw string) bool {
	for _, w := range splitWords(raw) {
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
	}
	return false
}
