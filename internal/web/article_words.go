package web

import (
	"context"
	"html"
	"html/template"
	"net/url"
	"strings"

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
// It runs when the page is rendered, which the page cache makes rare, and
// costs about 0.1 ms for a long article. The list is written here rather
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
	words := d.LessCommonWords(plainText(a.BodyHTML), articleWordCount)
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

// plainText is the text of sanitised article HTML: tags become spaces and
// entities are decoded. The HTML was sanitised when the article was saved,
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
		b.WriteByte(' ')
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
