package web

import (
	"net/http"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/section"
)

const (
	topStories     = 5
	perSectionHome = 4
)

type homePage struct {
	layout
	Top      []article.Article
	Fronts   []front
	MostRead []article.Article // today's, counted on this site
}

// mostReadHome is how many of today's most read the home page lists.
const mostReadHome = 5

// front is one section's latest articles on the home page.
type front struct {
	L        locale
	Section  section.Section
	Articles []article.Article
}

// showHome shows the editors' top stories (the newest when none are
// picked), then the latest articles of each top-level section.
func (h *Handler) showHome(r *http.Request, base layout) (result, error) {
	ctx := r.Context()
	top, err := h.store.TopStories(ctx, topStories)
	if err != nil {
		return result{}, err
	}
	if len(top) == 0 {
		if top, err = h.store.ListArticles(ctx, article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: topStories}); err != nil {
			return result{}, err
		}
	}
	base.Description = base.L.T("feed_site", "Site", base.Site.Name)
	base.JSONLD = []any{h.webSiteLD(base)}
	base.Meta.Feeds = feedLinks(base.Site.BaseURL, base.Site.Name, "/")
	p := homePage{layout: base, Top: top}
	p.Active = "home"
	all := top
	topIDs := make([]int64, len(top)) // a top story is not repeated below
	for i, a := range top {
		topIDs[i] = a.ID
	}
	for _, s := range base.tree.Top() {
		list, err := h.store.ListArticles(ctx, article.ListQuery{Scope: article.PublicScope(),
			SectionIDs: base.tree.Subtree(s.ID), Status: article.Published, ExcludeIDs: topIDs, Limit: perSectionHome})
		if err != nil {
			return result{}, err
		}
		if len(list) > 0 {
			p.Fronts = append(p.Fronts, front{L: base.L, Section: s, Articles: list})
			all = append(all, list...)
		}
	}
	res := result{name: "home", data: &p, keys: []string{cache.KeyHome}}
	if h.views != nil {
		if p.MostRead, _, err = h.store.MostRead(ctx, h.now().Add(-mostReadPeriods["today"]), mostReadHome); err != nil {
			return result{}, err
		}
		res.expires = h.now().Add(mostReadFresh) // the counts move without any change to content
	}
	return res, nil
}
