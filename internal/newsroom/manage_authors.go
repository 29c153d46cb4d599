package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"broadsheet/internal/author"
	"broadsheet/internal/cache"
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

// authorFieldErrors are the messages for the fields Normalize refuses.
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

// readAndSaveAuthor copies the form onto a, checks it as the API does, saves it
// and names each field in error; err is a failure no form shows.
func (h *handler) readAndSaveAuthor(r *http.Request, l locale, f url.Values, a *author.Author) (map[string]string, error) {
	a.Name, a.Title, a.Email, a.Bio, a.PhotoURL = f.Get("name"), f.Get("title"), f.Get("email"), f.Get("bio"), f.Get("photo_url")
	errs := map[string]string{}
	for field, msg := range a.Normalize() {
		if id, ok := authorFieldErrors[field]; ok {
			errs[field] = l.T(id)
		} else {
			errs["form"] = msg
		}
	}
	if len(errs) > 0 {
		return errs, nil
	}
	err := h.cfg.Manage.SaveAuthor(r.Context(), a)
	if errors.Is(err, author.ErrEmailTaken) {
		return map[string]string{"email": l.T("newsroom_author_err_email_taken")}, nil
	}
	return nil, err
}

// POST /newsroom/authors — add an author.
func (h *handler) addAuthor(w http.ResponseWriter, r *http.Request, v *visit) {
	var a author.Author
	errs, err := h.readAndSaveAuthor(r, v.L, r.PostForm, &a)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if len(errs) > 0 {
		h.renderAuthors(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: r.PostForm, Errors: errs})
		return
	}
	h.audit.Record(r.Context(), v.Staff, "author.create", "author", a.ID, a.Name, nil, a)
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
	before, err := h.cfg.Manage.AuthorByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	a := before
	errs, err := h.readAndSaveAuthor(r, v.L, r.PostForm, &a)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		h.renderAuthor(w, r, v, http.StatusUnprocessableEntity, form{Name: "edit", Values: r.PostForm, Errors: errs})
		return
	}
	h.invalidate(cache.AuthorKey(id))
	h.audit.Record(r.Context(), v.Staff, "author.update", "author", id, a.Name, before, a)
	redirect(w, r, v.L, authorPath(0))
}
