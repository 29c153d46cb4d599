package web

import (
	"html/template"
	"net/http"

	"broadsheet/internal/cache"
	"broadsheet/internal/page"
)

type staticPage struct {
	layout
	Page page.Page
	Body template.HTML // sanitized when the page was saved
}

// showPage is a static page such as the Standards Board Policy.
func (h *Handler) showPage(r *http.Request, base layout) (result, error) {
	p, err := h.store.PageBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return result{}, err
	}
	// The footer names the page in the reader's language; its own
	// heading and title say the same.
	p.Title = p.TitleIn(base.L.Lang)
	base.Title = p.Title
	return result{name: "page", data: staticPage{layout: base, Page: p, Body: template.HTML(p.BodyHTML)},
		keys: []string{cache.PageKey(p.Slug)}}, nil
}
