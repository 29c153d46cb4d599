package newsroom

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/article"
)

// scheduleLayout is the format of an <input type="datetime-local">.
const scheduleLayout = "2006-01-02T15:04"

// version is the version the form was drawn from, for the service's
// check against saves made in between.
func formVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostForm.Get("version"))
	return n
}

// POST /newsroom/articles/{id}/submit — a reporter sends a draft to the
// editors.
func (h *handler) submitArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	_, err := h.articles.Submit(r.Context(), v.Staff, a.ID, formVersion(r))
	h.afterStep(w, r, v, a, err, "submit")
}

// POST /newsroom/articles/{id}/schedule — an editor sets the publication
// time, given in the site's time zone.
func (h *handler) scheduleArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	at, err := time.ParseInLocation(scheduleLayout, strings.TrimSpace(r.PostForm.Get("publish_at")), v.L.tz)
	if err != nil {
		h.renderEditor(w, r, v, http.StatusUnprocessableEntity, editorPage{Article: a, Form: form{Name: "schedule",
			Values: r.PostForm, Errors: map[string]string{"publish_at": v.L.T("newsroom_article_bad_time")}}})
		return
	}
	_, err = h.articles.Schedule(r.Context(), v.Staff, a.ID, at, formVersion(r))
	h.afterStep(w, r, v, a, err, "schedule")
}

// POST /newsroom/articles/{id}/publish — publish now.
func (h *handler) publishArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.setStatus(w, r, v, article.Published, "publish")
}

// POST /newsroom/articles/{id}/unpublish — take a published or scheduled
// article back to draft.
func (h *handler) unpublishArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.setStatus(w, r, v, article.Draft, "unpublish")
}

func (h *handler) setStatus(w http.ResponseWriter, r *http.Request, v *visit, st article.Status, step string) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	if n := formVersion(r); n != 0 && n != a.Version {
		h.fail(w, r, v, article.ErrVersionClash)
		return
	}
	_, err := h.articles.SetStatus(r.Context(), v.Staff, a.ID, st)
	h.afterStep(w, r, v, a, err, step)
}

// POST /newsroom/articles/{id}/corrections — append a correction.
func (h *handler) correctArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	_, err := h.articles.AddCorrection(r.Context(), v.Staff, a.ID, r.PostForm.Get("correction"))
	var ve article.ValidationError
	if asValidation(err, &ve) {
		h.renderEditor(w, r, v, http.StatusUnprocessableEntity, editorPage{Article: a, Form: form{Name: "correction",
			Values: r.PostForm, Errors: fieldErrors(v.L, ve)}})
		return
	}
	h.afterStep(w, r, v, a, err, "correct")
}

// afterStep answers a workflow step: back to the editor saying what
// happened, or the reason it was refused.
func (h *handler) afterStep(w http.ResponseWriter, r *http.Request, v *visit, a article.Article, err error, step string) {
	var ve article.ValidationError
	switch {
	case asValidation(err, &ve):
		h.renderEditor(w, r, v, http.StatusUnprocessableEntity, editorPage{Article: a, Form: form{Name: step,
			Values: r.PostForm, Errors: fieldErrors(v.L, ve)}})
	case err != nil:
		h.fail(w, r, v, err)
	default:
		http.Redirect(w, r, v.L.URL(articlePath(a.ID)+"?done="+step), http.StatusSeeOther)
	}
}

func asValidation(err error, ve *article.ValidationError) bool {
	return err != nil && errors.As(err, ve)
}
