package web

import (
	"net/http"

	"broadsheet/internal/article"
	"broadsheet/internal/i18n"
)

// ArticlePreview draws the reader's page of a, an article as the
// newsroom would save it but not stored: the published page's own code
// and template (headline, deck, lead image, byline, body, corrections,
// related articles, the reader stylesheet), with a banner saying it is a
// preview. It is never cached or counted, tells crawlers to keep out,
// and has no comments: they belong to a published page. Links open
// outside the page that shows the preview. lang is the interface
// language; r is the newsroom's request, for the context and the site's
// navigation.
func (h *Handler) ArticlePreview(r *http.Request, lang string, a article.Article) ([]byte, error) {
	if !i18n.IsSupported(lang) {
		lang = i18n.Supported[0]
	}
	base, err := h.layout(r, lang)
	if err != nil {
		return nil, err
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = base.Now // as if published now
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.PublishedAt
	}
	// The address it has, or would have, on the site, so that the page's
	// canonical link and share links are those of the published page.
	base.Canonical = h.cfg.BaseURL + a.URL()
	base.SwitchURL = a.URL() + "?lang=" + otherLang(lang)
	base.Preview = true
	p, _ := h.newArticlePage(base, a)
	if _, err := h.completeArticlePage(r.Context(), &p); err != nil {
		return nil, err
	}
	return h.tmpl.render("article", p)
}

func otherLang(lang string) string {
	if lang == "ko" {
		return "en"
	}
	return "ko"
}
