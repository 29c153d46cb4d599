package web

import (
	"fmt"
	"net/http"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/section"
)

type sectionPage struct {
	listPage
	Section    section.Section
	Children   []section.Section
	Breadcrumb []crumb
}

// showSection is a section front: breadcrumb, child sections, and the
// articles of the section and everything below it, newest first.
func (h *Handler) showSection(r *http.Request, base layout) (result, error) {
	raw := r.PathValue("path")
	path := strings.Trim(raw, "/")
	if raw != path && path != "" {
		return result{redirect: sectionURL(path)}, nil // one URL per front
	}
	s, ok := base.tree.ByPath(path)
	if !ok {
		return result{}, fmt.Errorf("%w: section %q", errNotFound, path)
	}
	chain := base.tree.Chain(s.ID)
	base.Title, base.Description, base.Active = s.Name, s.Description, chain[0].Path
	base.JSONLD = []any{base.breadcrumbLD(chain)}
	base.Meta.Feeds = feedLinks(base.Site.BaseURL, s.Name+" | "+base.Site.Name, sectionURL(s.Path))
	lp, err := h.listArticles(r.Context(), r, base, article.ListQuery{SectionIDs: base.tree.Subtree(s.ID)})
	if err != nil {
		return result{}, err
	}
	p := sectionPage{listPage: lp, Section: s, Children: base.tree.Children(s.ID), Breadcrumb: base.breadcrumb(chain, false)}
	return result{name: "section", data: p, keys: []string{cache.SectionKey(s.ID)}}, nil
}
