package api

import (
	"errors"
	"net/http"

	"broadsheet/internal/front"
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
	var req pageRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	in := page.Input{Slug: r.PathValue("slug")}
	if req.Title != nil {
		in.Title = *req.Title
	}
	if req.Body != nil {
		in.Body = *req.Body
	}
	p, _, err := h.manage.Pages.Put(r.Context(), actor(r), in)
	if err != nil {
		h.fail(w, r, pageError(err))
		return
	}
	response.JSON(w, http.StatusOK, pageOut(p))
}

// pageError gives the page service's refusals their status.
func pageError(err error) error {
	var ve page.ValidationError
	switch {
	case errors.As(err, &ve):
		return invalidFields("page", ve)
	case errors.Is(err, page.ErrForbidden):
		return &apiError{status: http.StatusForbidden, code: codeForbidden, message: "Only editors and admins manage pages."}
	case errors.Is(err, page.ErrExists):
		return &apiError{status: http.StatusConflict, code: codeConflict, message: "Another page already has that slug."}
	}
	return err
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
		h.fail(w, r, frontError(err))
		return
	}
	response.JSON(w, http.StatusOK, req)
}

// frontError gives the front service's refusals their status.
func frontError(err error) error {
	var rf *front.Refusal
	switch {
	case errors.As(err, &rf):
		return invalid("article_ids", rf.Error())
	case errors.Is(err, front.ErrForbidden):
		return &apiError{status: http.StatusForbidden, code: codeForbidden, message: "Only editors and admins choose the top stories."}
	}
	return err
}
