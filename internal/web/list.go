package web

import (
	"context"
	"fmt"
	"net/http"

	"broadsheet/internal/article"
)

const pageSize = 20

// listPage is a paged, newest-first list of articles.
type listPage struct {
	layout
	Articles []article.Article
	Next     string // cursor of the next (older) page, "" on the last
	HasPrev  bool
}

// listArticles reads the ?after= cursor and one page of q, asking for one
// row more than shown to learn whether an older page exists.
func (h *Handler) listArticles(ctx context.Context, r *http.Request, base layout, q article.ListQuery) (listPage, error) {
	lp := listPage{layout: base}
	if after := r.URL.Query().Get("after"); after != "" {
		c, err := article.ParseCursor(after)
		if err != nil {
			return lp, fmt.Errorf("%w: %q is not a page cursor", errBadRequest, after)
		}
		q.After, lp.HasPrev = c, true
		lp.Canonical += "?after=" + c.String()
	}
	q.Status, q.Limit, q.Scope = article.Published, pageSize+1, article.PublicScope()
	list, err := h.store.ListArticles(ctx, q)
	if err != nil {
		return lp, err
	}
	if len(list) > pageSize {
		list = list[:pageSize]
		last := list[len(list)-1]
		lp.Next = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}.String()
	}
	lp.Articles = list
	return lp, nil
}
