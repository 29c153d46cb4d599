package api

import (
	"errors"
	"net/http"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/http/response"
	"broadsheet/internal/page"
)

// GET /api/v1/pages lists the static pages, without bodies.
func (h *handler) listPages(w http.ResponseWriter, r *http.Request) {
	all, err := h.store.Pages(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Pages []pageDTO `json:"pages"`
	}{Pages: []pageDTO{}}
	for _, p := range all {
		out.Pages = append(out.Pages, pageOut(p))
	}
	response.JSON(w, http.StatusOK, out)
}

// GET /api/v1/pages/{slug} returns one static page with its Markdown.
func (h *handler) getPage(w http.ResponseWriter, r *http.Request) {
	p, err := h.store.PageBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, pageOut(p))
}

// PUT /api/v1/pages/{slug} creates or replaces a static page {title, body}.
func (h *handler) savePage(w http.ResponseWriter, r *http.Request) {
	if err := requireManager(r); err != nil {
		h.fail(w, r, err)
		return
	}
	slug := r.PathValue("slug")
	var req pageRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	p := page.Page{Slug: slug, UpdatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if req.Title != nil {
		p.Title = *req.Title
	}
	if req.Body != nil {
		p.Body = *req.Body
	}
	fields := p.Normalize()
	if len(fields) == 0 {
		html, err := article.RenderMarkdown(p.Body)
		var ve article.ValidationError
		switch {
		case errors.As(err, &ve):
			fields["body"] = ve["body"]
		case err != nil:
			fields["body"] = "could not be read as Markdown"
		}
		p.BodyHTML = html
	}
	if err := invalidFields("page", fields); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.store.SavePage(r.Context(), &p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cache.Invalidate(cache.PageKey(slug), cache.KeyNav)
	response.JSON(w, http.StatusOK, pageOut(p))
}

// PUT /api/v1/top-stories sets the home page's top stories, in order.
func (h *handler) setTopStories(w http.ResponseWriter, r *http.Request) {
	if err := requireManager(r); err != nil {
		h.fail(w, r, err)
		return
	}
	var req topStoriesRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(req.ArticleIDs) > 20 {
		h.fail(w, r, invalid("article_ids", "may list at most 20 articles"))
		return
	}
	if req.ArticleIDs == nil {
		req.ArticleIDs = []int64{} // an absent or null list clears the picks
	}
	seen := map[int64]bool{}
	for _, id := range req.ArticleIDs {
		a, err := h.store.Article(r.Context(), id)
		if err != nil && !errors.Is(err, article.ErrNotFound) {
			h.fail(w, r, err)
			return
		}
		if err != nil || a.Status != article.Published || seen[id] {
			h.fail(w, r, invalid("article_ids", "must list distinct published articles; check id "+itoa(id)))
			return
		}
		seen[id] = true
	}
	if err := h.store.SetTopStories(r.Context(), req.ArticleIDs); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cache.Invalidate(cache.KeyHome)
	response.JSON(w, http.StatusOK, req)
}
