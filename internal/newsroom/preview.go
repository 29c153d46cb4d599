package newsroom

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"broadsheet/internal/article"
)

// Previewer draws the reader's article page for an article as the editor
// has it, not stored: the reader site's own template and stylesheet
// (web.Handler.ArticlePreview), so the preview cannot drift from the
// published page.
type Previewer interface {
	ArticlePreview(r *http.Request, lang string, a article.Article) ([]byte, error)
}

// POST /newsroom/preview — the editor's whole form (article_id names the
// article; 0 or none for a new one) drawn as the reader's article page,
// saving nothing. The article service checks it as it would a save: a
// form that could not be saved as it is gets 422 and the reasons as
// plain text, one a line, in the editor's language; an article the
// staff member may not edit is 403 or 404, as it would be.
func (h *handler) previewArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := strconv.ParseInt(r.PostForm.Get("article_id"), 10, 64)
	if r.PostForm.Get("article_id") == "" {
		id, err = 0, nil
	}
	if err != nil || id < 0 {
		h.previewRefused(w, v.L.T("newsroom_not_found"))
		return
	}
	a := article.Article{Status: article.Draft}
	if id != 0 {
		if a, err = h.articles.Get(r.Context(), v.Staff, id); err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	in, errs := articleInput(r, a)
	if len(errs) > 0 {
		h.previewRefused(w, formErrorLines(v.L, errs)...)
		return
	}
	previewed, err := h.articles.Preview(r.Context(), v.Staff, id, in)
	var ve article.ValidationError
	switch {
	case errors.As(err, &ve):
		h.previewRefused(w, formErrorLines(v.L, fieldErrors(v.L, ve))...)
		return
	case errors.Is(err, article.ErrBusy):
		w.Header().Set("Retry-After", "5")
		http.Error(w, v.L.T("newsroom_busy"), http.StatusServiceUnavailable)
		return
	case err != nil:
		h.fail(w, r, v, err)
		return
	}
	page, err := h.cfg.Preview.ArticlePreview(r, v.L.Lang, previewed)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Robots-Tag", "noindex")
	_, _ = w.Write(page)
}

// previewRefused answers a preview of a form that could not be saved as
// it is: the reasons, as plain text the editor's script shows.
func (h *handler) previewRefused(w http.ResponseWriter, lines ...string) {
	http.Error(w, strings.Join(lines, "\n"), http.StatusUnprocessableEntity)
}

// formErrorLines are a form's errors as lines, in a stable order; those
// articleInput finds carry no field name yet, and get it here.
func formErrorLines(l locale, errs map[string]string) []string {
	lines := make([]string, 0, len(errs))
	for k, msg := range errs {
		if label := "newsroom_field_" + k; k != "" && !strings.HasPrefix(msg, l.T(label)) {
			msg = l.T(label) + " " + msg
		}
		lines = append(lines, msg)
	}
	slices.Sort(lines)
	return lines
}
