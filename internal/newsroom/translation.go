package newsroom

import (
	"broadsheet/internal/http/response"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"broadsheet/internal/article"
)

// formTranslation reads the editor's language and counterpart fields;
// changed is false when the form has neither (an older form) or they
// say what a already has. A counterpart that is not a number is a field
// error.
func formTranslation(r *http.Request, a article.Article) (t article.Translation, changed bool, errs map[string]string) {
	f := r.PostForm
	t = article.Translation{Language: article.LanguageOf(a), CounterpartID: a.CounterpartID}
	if !f.Has("language") && !f.Has("counterpart_id") {
		return t, false, nil
	}
	if f.Has("language") {
		t.Language = f.Get("language")
	}
	if f.Has("counterpart_id") {
		s := strings.TrimPrefix(strings.TrimSpace(f.Get("counterpart_id")), "#")
		t.CounterpartID = 0
		if s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id < 0 {
				return t, false, map[string]string{"counterpart_id": "must be an article's number, or empty for none"}
			}
			t.CounterpartID = id
		}
	}
	return t, t.Language != article.LanguageOf(a) || t.CounterpartID != a.CounterpartID, nil
}

// saveTranslation applies the editor's language and counterpart through
// the article service, which holds the rules for both the editor and the
// API. A refusal is answered here, with the editor shown again; ok is
// false then.
func (h *handler) saveTranslation(w http.ResponseWriter, r *http.Request, v *visit, a article.Article, autosave bool) (article.Article, bool) {
	t, changed, errs := formTranslation(r, a)
	if len(errs) > 0 {
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, errs, autosave)
		return article.Article{}, false
	}
	if !changed {
		return a, true
	}
	saved, err := h.articles.SetTranslation(r.Context(), v.Staff, a.ID, t)
	if err != nil {
		h.refuseSave(w, r, v, a, err, autosave)
		return article.Article{}, false
	}
	return saved, true
}

// refuseSave answers a refused change of a: the editor again with the
// field errors for invalid input, an error page (or the script's JSON)
// for anything else.
func (h *handler) refuseSave(w http.ResponseWriter, r *http.Request, v *visit, a article.Article, err error, autosave bool) {
	var ve article.ValidationError
	switch {
	case errors.As(err, &ve):
		h.refuseArticle(w, r, v, a, http.StatusUnprocessableEntity, fieldErrors(v.L, ve), autosave)
	case autosave:
		h.autosaveAnswer(w, v, response.Status(err), v.L.T("newsroom_article_autosave_failed"), article.Article{})
	default:
		h.fail(w, r, v, err)
	}
}
