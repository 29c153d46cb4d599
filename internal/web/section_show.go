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
	Picks      *cards // the editors' order, on the first page only
	// Lead is the story drawn large at the top of the first page: the
	// editors' first pick, or else the newest article. It is not repeated
	// in the lists below.
	Lead *article.Article
}

// cards is a list of articles for the article_list template.
type cards struct {
	L        locale
	Articles []article.Article
}

// maxSectionPicks is how many stories editors may put at the top of a
// section front.
const maxSectionPicks = 5

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
	// The editors' picks lead the first page; no page lists them twice.
	picks, err := h.store.SectionPicks(r.Context(), s.ID, maxSectionPicks)
	if err != nil {
		return result{}, err
	}
	q := article.ListQuery{SectionIDs: base.tree.Subtree(s.ID)}
	for _, a := range picks {
		q.ExcludeIDs = append(q.ExcludeIDs, a.ID)
	}
	lp, err := h.listArticles(r.Context(), r, base, q)
	if err != nil {
		return result{}, err
	}
	p := sectionPage{listPage: lp, Section: s, Children: base.tree.Children(s.ID), Breadcrumb: base.breadcrumb(chain, false)}
	if !lp.HasPrev {
		switch {
		case len(picks) > 0:
			p.Lead = &picks[0]
			p.Picks = &cards{L: base.L, Articles: picks[1:]}
		case len(p.Articles) > 0:
			p.Lead, p.Articles = &p.Articles[0], p.Articles[1:]
		}
	}
	return result{name: "section", data: p, keys: []string{cache.SectionKey(s.ID)}}, nil
}
