package web

import (
	"net/http"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
)

type tagPage struct {
	listPage
	Tag article.Tag
}

// showTag lists the articles with a tag, newest first.
func (h *Handler) showTag(r *http.Request, base layout) (result, error) {
	t, err := h.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return result{}, err
	}
	base.Title = t.Name
	base.Meta.Feeds = feedLinks(base.Site.BaseURL, t.Name+" | "+base.Site.Name, "/tag/"+t.Slug)
	lp, err := h.listArticles(r.Context(), r, base, article.ListQuery{TagID: t.ID})
	if err != nil {
		return result{}, err
	}
	return result{name: "tag", data: tagPage{listPage: lp, Tag: t},
		keys: []string{cache.TagKey(t.ID)}}, nil
}
