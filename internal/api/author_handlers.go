package api

import (
	"net/http"
	"strconv"

	"broadsheet/internal/author"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
)

// GET /api/v1/authors lists every author.
func (h *handler) listAuthors(w http.ResponseWriter, r *http.Request) {
	all, err := h.store.Authors(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Authors []authorDTO `json:"authors"`
	}{Authors: []authorDTO{}}
	for _, a := range all {
		out.Authors = append(out.Authors, authorOut(a))
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /api/v1/authors creates an author {name, email, title, bio}.
func (h *handler) createAuthor(w http.ResponseWriter, r *http.Request) {
	h.saveAuthor(w, r, 0)
}

// PATCH /api/v1/authors/{id} changes an author's name, email, title or bio.
func (h *handler) updateAuthor(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, author.ErrNotFound)
		return
	}
	h.saveAuthor(w, r, id)
}

func (h *handler) saveAuthor(w http.ResponseWriter, r *http.Request, id int64) {
	var req authorRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var in author.Input
	if id != 0 {
		cur, err := h.store.AuthorByID(r.Context(), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		in = author.InputOf(cur)
	}
	for _, f := range []struct{ dst, src *string }{
		{&in.Name, req.Name}, {&in.Title, req.Title}, {&in.Bio, req.Bio}, {&in.Email, req.Email},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	var a author.Author
	var err error
	if id == 0 {
		a, err = h.manage.Authors.Create(r.Context(), actor(r), in)
	} else {
		a, err = h.manage.Authors.Update(r.Context(), actor(r), id, in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
		w.Header().Set("Location", prefix+"/authors/"+strconv.FormatInt(a.ID, 10))
	}
	response.JSON(w, status, authorOut(a))
}
