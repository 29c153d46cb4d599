package api

import (
	"net/http"

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

// PUT /api/v1/pages/{slug} creates or replaces a static page {title, title_ko, body};
// an absent title_ko keeps the page's Korean title.
func (h *handler) savePage(w http.ResponseWriter, r *http.Request) {
	var req pageRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	in := page.Input{Slug: r.PathValue("slug"), TitleKo: req.TitleKo}
	if req.Title != nil {
		in.Title = *req.Title
	}
	if req.Body != nil {
		in.Body = *req.Body
	}
	p, _, err := h.manage.Pages.Put(r.Context(), actor(r), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, pageOut(p))
}

// PUT /api/v1/top-stories sets the home page's top stories, in order.
func (h *handler) setTopStories(w http.ResponseWriter, r *http.Request) {
	var req topStoriesRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.ArticleIDs == nil {
		req.ArticleIDs = []int64{} // an absent or null list clears the picks
	}
	if err := h.manage.Front.SetTopStories(r.Context(), actor(r), req.ArticleIDs); err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, req)
}
