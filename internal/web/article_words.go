package web

import (
	"context"
	"hash/maphash"
	"html"
	"html/template"
	"net/url"
	"strings"
	"sync"

	"broadsheet/internal/article"
	"broadsheet/internal/dictionary"
)

// articleWordCount is how many words "Words in this article" lists.
const articleWordCount = 10

// articleWords renders "Words in this article": the less common words of
// the article, with their dictionary forms and each one's definition in
// the sense of the sentence it is first used in, at the end of its page
// (and of the printed page); empty if the article has none.
//
// It runs when the page is rendered, which the page cache makes rare; the
// words of a body are chosen once (about 0.2 ms for a long article) and
// kept in wordLists. The list is written here rather
// than in the template: ten entries of five template actions each cost
// about 900 allocations, twice what choosing the words does. Every text
// is escaped with html.EscapeString, which is safe in element text and in
// quoted attribute values alike. If the dictionary could not load, the
// page goes without the list rather than fail.
func (h *Handler) articleWords(ctx context.Context, l locale, a article.Article) template.HTML {
	d, err := dictionary.Default()
	if err != nil {
		h.logger.WarnContext(ctx, "article words skipped", "article", a.ID, "err", err)
		return ""
	}
	words := wordLists.get(d, a.BodyHTML)
	if len(words) == 0 {
		return ""
	}
	esc := html.EscapeString
	var b strings.Builder
	b.Grow(256 * len(words))
	b.WriteString(`<dl lang="en">`)
	for _, w := range words {
		b.WriteString("\n<div><dt><a href=\"")
		b.WriteString(esc(l.URL("/dictionary?q=" + url.QueryEscape(w.Lemma))))
		b.WriteString(`" data-word="`)
		b.WriteString(esc(w.Lemma))
		if w.Form != w.Lemma {
			// The pop-up finds the word's sentence by the form it has there.
			b.WriteString(`" data-form="`)
			b.WriteString(esc(w.Form))
		}
		b.WriteString(`">`)
		b.WriteString(esc(w.Lemma))
		b.WriteString(`</a>`)
		if w.Form != w.Lemma {
			b.WriteString(` <span class="word-form">(`)
			b.WriteString(esc(w.Form))
			b.WriteString(`)</span>`)
		}
		b.WriteString(` <span class="pos" lang="`)
		b.WriteString(esc(l.Lang))
		b.WriteString(`">`)
		b.WriteString(esc(l.T("pos_" + w.POS)))
		b.WriteString(`</span></dt><dd>`)
		b.WriteString(esc(w.Definition))
		b.WriteString(`</dd></div>`)
	}
	b.WriteString("\n</dl>")
	return template.HTML(b.String()) // every part escaped above
}

// wordLists keeps the list of each article body it has chosen: choosing
// costs about 0.2 ms (each word's sense is chosen for its sentence), and a
// page is rendered again for reasons that leave its body alone (a comment
// count, a correction, a section renamed). The key is a hash of the body,
// not the article's version, because the newsroom's preview renders
// unsaved text under the saved version. When full it starts again.
var wordLists = wordListCache{seed: maphash.MakeSeed(), m: make(map[uint64][]dictionary.Word)}

// maxWordLists bounds the cache: ten words of about 300 bytes each per
// article, about 12 MB for all of them.
const maxWordLists = 4096

type wordListCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64][]dictionary.Word
}

func (c *wordListCache) get(d *dictionary.Dictionary, bodyHTML string) []dictionary.Word {
	key := maphash.String(c.seed, bodyHTML)
	c.mu.Lock()
	words, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return words
	}
	words = d.LessCommonWords(plainText(bodyHTML), articleWordCount)
	c.mu.Lock()
	if len(c.m) >= maxWordLists {
		clear(c.m)
	}
	c.m[key] = words
	c.mu.Unlock()
	return words
}

// plainText is the text of sanitised article HTML: block tags become line
// breaks, other tags spaces, and entities are decoded. The HTML was sanitised when the article was saved,
// so a tag never holds a '>' of its own inside an attribute that matters
// here: at worst a word of an attribute value would be read as text.
func plainText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:lt])
		// A block ends a sentence for the dictionary (a heading has no
		// full stop): it becomes a line break, any other tag a space.
		if isBlockTag(s[lt+1:]) {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			break
		}
		s = s[lt+gt+1:]
	}
	if !strings.Contains(b.String(), "&") {
		return b.String()
	}
	return html.UnescapeString(b.String())
}

// isBlockTag reports whether the tag starting at s (just after its '<')
// opens or closes a block: a paragraph, heading, list item, quotation,
// caption, table cell or line break.
func isBlockTag(s string) bool {
	s = strings.TrimPrefix(s, "/")
	end := strings.IndexAny(s, " \t\n/>")
	if end < 0 {
		return false
	}
	switch strings.ToLower(s[:end]) {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "td", "th", "br", "div", "ul", "ol", "figure", "table", "tr":
		return true
	}
	return false
}
