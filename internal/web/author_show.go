package web

import (
	"net/http"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
)

type authorPage struct {
	listPage
	Author author.Author
}

// showAuthor is an author's page: who they are and their articles, paged.
func (h *Handler) showAuthor(r *http.Request, base layout) (result, error) {
	au, err := h.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return result{}, err
	}
	base.Title, base.Description = au.Name, au.Title
	base.Meta.Feeds = feedLinks(base.Site.BaseURL, au.Name+" | "+base.Site.Name, "/author/"+au.Slug)
	lp, err := h.listArticles(r.Context(), r, base, article.ListQuery{AuthorID: au.ID})
	if err != nil {
		return result{}, err
	}
	return result{name: "author", data: authorPage{listPage: lp, Author: au},
		keys: []string{cache.AuthorKey(au.ID)}}, nil
}
