package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/http/response"
)

// scheduleLayout is the format of an <input type="datetime-local">.
const scheduleLayout = "2006-01-02T15:04"

// version is the version the form was drawn from, for the service's
// check against saves made in between.
func formVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostForm.Get("version"))
	return n
}

// The workflow's steps are buttons of the editor's one form, so each
// carries what is on screen: the step first saves the form's text with
// the version it was drawn from (a clash shows the differences, as Save
// does), then takes the step from the version just saved. A request that
// carries no text (the unpublish form, the JSON-less clients of old) only
// takes the step. For a new article ({id} is "new") the save creates it.

// POST /newsroom/articles/{id}/submit — a reporter sends a draft to the
// editors.
func (h *handler) submitArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.stepArticle(w, r, v, "submit", func(a article.Article, version int) error {
		_, err := h.articles.Submit(r.Context(), v.Staff, a.ID, version)
		return err
	})
}

// POST /newsroom/articles/{id}/schedule — an editor sets the publication
// time, given in the site's time zone.
func (h *handler) scheduleArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.stepArticle(w, r, v, "schedule", func(a article.Article, version int) error {
		at, err := time.ParseInLocation(scheduleLayout, strings.TrimSpace(r.PostForm.Get("publish_at")), v.L.tz)
		if err != nil {
			return stepRefusal{field: "publish_at", msg: v.L.T("newsroom_article_bad_time")}
		}
		_, err = h.articles.Schedule(r.Context(), v.Staff, a.ID, at, version)
		return err
	})
}

// POST /newsroom/articles/{id}/publish — publish now.
func (h *handler) publishArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.stepArticle(w, r, v, "publish", h.setStatus(r, v, article.Published))
}

// POST /newsroom/articles/{id}/unpublish — take a published or scheduled
// article back to draft.
func (h *handler) unpublishArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	h.stepArticle(w, r, v, "unpublish", h.setStatus(r, v, article.Draft))
}

// setStatus is the step to st. The service's SetStatus takes no version,
// so the one the form was drawn from is compared here.
func (h *handler) setStatus(r *http.Request, v *visit, st article.Status) func(article.Article, int) error {
	return func(a article.Article, version int) error {
		if version != 0 && version != a.Version {
			return article.ErrVersionClash
		}
		_, err := h.articles.SetStatus(r.Context(), v.Staff, a.ID, st)
		return err
	}
}

// stepRefusal is a step refused by the editor itself, with the sentence
// in the editor's language, for the named field.
type stepRefusal struct{ field, msg string }

func (e stepRefusal) Error() string { return e.msg }

// carriesText reports whether the request is the editor's form with the
// article's fields, as opposed to a bare step.
func carriesText(r *http.Request) bool {
	return r.PostForm.Has("headline") || r.PostForm.Has("body")
}

// stepArticle saves the form's text when it carries it, then takes the
// step: a redirect to the editor saying what happened, or the editor again
// with the reason (and, when the text was saved, saying so).
func (h *handler) stepArticle(w http.ResponseWriter, r *http.Request, v *visit, step string, take func(a article.Article, version int) error) {
	var a article.Article
	if r.PathValue("id") == "new" {
		if !carriesText(r) {
			h.notFound(w, r)
			return
		}
		a = article.Article{Status: article.Draft}
	} else {
		var ok bool
		if a, ok = h.loadArticle(w, r, v); !ok {
			return
		}
	}
	version, saved := formVersion(r), false
	if carriesText(r) {
		s, ok := h.saveForm(w, r, v, a, false)
		if !ok {
			return // refused or clashed: the editor is shown with the typed text
		}
		a, version, saved = s, s.Version, true
	}
	err := take(a, version)
	if err == nil {
		http.Redirect(w, r, v.L.URL(articlePath(a.ID)+"?done="+step), http.StatusSeeOther)
		return
	}
	status, errs := http.StatusUnprocessableEntity, map[string]string{}
	var ve article.ValidationError
	var sr stepRefusal
	switch {
	case errors.As(err, &sr):
		errs[sr.field] = sr.msg
	case asValidation(err, &ve):
		errs = fieldErrors(v.L, ve)
	case errors.Is(err, article.ErrVersionClash):
		// Only a bare step gets here: a form with the text clashes in
		// saveForm, which shows the differences.
		status, errs[""] = http.StatusConflict, v.L.T("newsroom_article_clash_short")
		if cur, err := h.articles.Get(r.Context(), v.Staff, a.ID); err == nil {
			a = cur
		}
	case errors.Is(err, article.ErrWrongStatus):
		status, errs[""] = http.StatusConflict, v.L.T("newsroom_article_wrong_status")
	default:
		st := response.Status(err)
		if !saved || st >= 500 {
			h.fail(w, r, v, err)
			return
		}
		status, errs[""] = st, v.L.T("newsroom_editor_step_failed")
	}
	if _, ok := errs[""]; !ok {
		errs[""] = strings.Join(sortedValues(errs), " ")
	}
	p := editorPage{Article: a, Form: form{Name: "article", Errors: errs}}
	if saved {
		// The page shows the text as typed, which is now the saved
		// version: a new Save or step goes on from it.
		vals := url.Values{}
		for k, vs := range r.PostForm {
			vals[k] = vs
		}
		vals.Set("version", strconv.Itoa(a.Version))
		p.Form.Values = vals
		p.Notice = v.L.T("newsroom_editor_saved_step_refused", "Version", a.Version)
	}
	h.renderEditor(w, r, v, status, p)
}

// sortedValues are m's values in the order of its keys, so that a page
// says the same thing every time.
func sortedValues(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
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
