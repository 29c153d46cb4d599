package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/http/response"
	"broadsheet/internal/redirect"
)

// redirectRequest adds a redirect by hand.
type redirectRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// redirectDTO is one redirect: the old address, the new one, and where it
// came from ("wordpress", "ghost", or "" by hand).
type redirectDTO struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Source    string `json:"source"`
	CreatedAt string `json:"created_at"`
}

// redirectPageDTO is a page of redirects; Next is the "after" of the
// following page, "" on the last.
type redirectPageDTO struct {
	Redirects []redirectDTO `json:"redirects"`
	Next      string        `json:"next"`
}

// errNoRedirects answers a server built without the redirect service.
var errNoRedirects = &apiError{status: http.StatusNotFound, code: codeNotFound, message: "This server keeps no redirects."}

func redirectOut(r redirect.Redirect) redirectDTO {
	return redirectDTO{From: r.From, To: r.To, Source: r.Source, CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339)}
}

// redirectError is the API's answer to the redirect service's errors.
func redirectError(err error) error {
	var re *redirect.Error
	switch {
	case errors.As(err, &re):
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: "The redirect is not valid.",
			fields: map[string]string{re.Field: re.Error()}}
	case errors.Is(err, redirect.ErrForbidden):
		return &apiError{status: http.StatusForbidden, code: codeForbidden, message: "Only editors and admins manage redirects."}
	case errors.Is(err, redirect.ErrExists):
		return &apiError{status: http.StatusConflict, code: codeConflict, message: "That address already redirects; delete its redirect first."}
	case errors.Is(err, redirect.ErrNotFound):
		return &apiError{status: http.StatusNotFound, code: codeNotFound, message: "No redirect starts from that address."}
	}
	return err
}

// GET /api/v1/redirects?q=&after=&limit= lists redirects in order of
// their old address, searched by either address.
func (h *handler) listRedirects(w http.ResponseWriter, r *http.Request) {
	if h.manage.Redirects == nil {
		h.fail(w, r, errNoRedirects)
		return
	}
	q := r.URL.Query()
	limit := 50
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			h.fail(w, r, &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: "The query is not valid.",
				fields: map[string]string{"limit": "must be a whole number from 1 to 100"}})
			return
		}
		limit = n
	}
	list, err := h.manage.Redirects.List(r.Context(), actor(r), q.Get("q"), q.Get("after"), limit+1)
	if err != nil {
		h.fail(w, r, redirectError(err))
		return
	}
	out := redirectPageDTO{Redirects: make([]redirectDTO, 0, len(list))}
	if len(list) > limit {
		list = list[:limit]
		out.Next = list[limit-1].From
	}
	for _, rd := range list {
		out.Redirects = append(out.Redirects, redirectOut(rd))
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /api/v1/redirects adds a redirect by hand.
func (h *handler) createRedirect(w http.ResponseWriter, r *http.Request) {
	if h.manage.Redirects == nil {
		h.fail(w, r, errNoRedirects)
		return
	}
	var req redirectRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	rd, err := h.manage.Redirects.Add(r.Context(), actor(r), req.From, req.To)
	if err != nil {
		h.fail(w, r, redirectError(err))
		return
	}
	response.JSON(w, http.StatusCreated, redirectOut(rd))
}

// DELETE /api/v1/redirects?from=PATH removes the redirect from an old
// address (the table is keyed by it; there is no id).
func (h *handler) deleteRedirect(w http.ResponseWriter, r *http.Request) {
	if h.manage.Redirects == nil {
		h.fail(w, r, errNoRedirects)
		return
	}
	from := r.URL.Query().Get("from")
	if from == "" {
		h.fail(w, r, &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: "Say which redirect to delete.",
			fields: map[string]string{"from": "the old address is required, as ?from=/old/path"}})
		return
	}
	if err := h.manage.Redirects.Delete(r.Context(), actor(r), from); err != nil {
		h.fail(w, r, redirectError(err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
