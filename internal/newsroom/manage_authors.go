package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"broadsheet/internal/author"
	"broadsheet/internal/http/request"
)

type authorsPage struct {
	page
	Authors []author.Author
	Form    form
}

type authorEditPage struct {
	page
	Author author.Author
	Form   form
}

func authorPath(id int64) string {
	if id == 0 {
		return "/newsroom/authors"
	}
	return fmt.Sprintf("/newsroom/authors/%d", id)
}

// authorFieldErrors are the messages for the fields the service refuses.
var authorFieldErrors = map[string]string{
	"name":      "newsroom_author_err_name",
	"title":     "newsroom_author_err_title",
	"email":     "newsroom_author_err_email",
	"bio":       "newsroom_author_err_bio",
	"photo_url": "newsroom_author_err_photo_url",
}

// GET /newsroom/authors — every author, with the form to add one.
func (h *handler) showAuthors(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderAuthors(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderAuthors(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	all, err := h.cfg.Manage.Authors(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.render(w, r, status, "authors", authorsPage{
		page:    h.managePage(r, v, v.L.T("newsroom_authors_title"), "authors", authorPath(0)),
		Authors: all, Form: f})
}

// saveAuthorForm saves the form through the service, as the API does,
// and names each field in error; err is a failure no form shows. id is 0
// for a new author.
func (h *handler) saveAuthorForm(r *http.Request, v *visit, f url.Values, id int64) (map[string]string, error) {
	in := author.Input{Name: f.Get("name"), Title: f.Get("title"), Email: f.Get("email"), Bio: f.Get("bio"), PhotoURL: f.Get("photo_url")}
	var err error
	if id == 0 {
		_, err = h.cfg.Services.Authors.Create(r.Context(), v.Staff, in)
	} else {
		_, err = h.cfg.Services.Authors.Update(r.Context(), v.Staff, id, in)
	}
	var ve author.ValidationError
	switch {
	case errors.As(err, &ve):
		errs := map[string]string{}
		for field, msg := range ve {
			if key, ok := authorFieldErrors[field]; ok {
				errs[field] = v.L.T(key)
			} else {
				errs["form"] = msg
			}
		}
		return errs, nil
	case errors.Is(err, author.ErrEmailTaken):
		return map[string]string{"email": v.L.T("newsroom_author_err_email_taken")}, nil
	}
	return nil, err
}

// POST /newsroom/authors — add an author.
func (h *handler) addAuthor(w http.ResponseWriter, r *http.Request, v *visit) {
	errs, err := h.saveAuthorForm(r, v, r.PostForm, 0)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		h.renderAuthors(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: r.PostForm, Errors: errs})
		return
	}
	redirect(w, r, v.L, authorPath(0))
}

// GET /newsroom/authors/{id} — one author, with the form to change them.
func (h *handler) showAuthor(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderAuthor(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderAuthor(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	a, err := h.cfg.Manage.AuthorByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, status, "author", authorEditPage{
		page:   h.managePage(r, v, v.L.T("newsroom_author_edit_title", "Name", a.Name), "authors", authorPath(id)),
		Author: a, Form: f})
}

// POST /newsroom/authors/{id} — change an author.
func (h *handler) saveAuthor(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	errs, err := h.saveAuthorForm(r, v, r.PostForm, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		h.renderAuthor(w, r, v, http.StatusUnprocessableEntity, form{Name: "edit", Values: r.PostForm, Errors: errs})
		return
	}
	redirect(w, r, v.L, authorPath(0))
}
