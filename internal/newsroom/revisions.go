package newsroom

import (
	"net/http"
	"strconv"

	"broadsheet/internal/article"
	"broadsheet/internal/http/request"
)

type revisionsPage struct {
	page
	Article   article.Article
	Revisions []article.Revision
	// One revision shown, or two compared: From is 0 when only Shown is.
	Shown   *article.Revision
	From    int
	To      int
	Changes []article.FieldDiff
	Form    form
}

// GET /newsroom/articles/{id}/revisions — every saved version, with a
// form to compare any two.
func (h *handler) showRevisions(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	a, revs, err := h.articles.Revisions(r.Context(), v.Staff, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	p := revisionsPage{page: h.visitPage(r, v, v.L.T("newsroom_revisions_title", "Headline", a.Headline), "articles"),
		Article: a, Revisions: revs}
	if len(revs) >= 2 {
		p.From, p.To = revs[1].Version, revs[0].Version
	}
	h.render(w, r, http.StatusOK, "revisions", p)
}

// GET /newsroom/articles/{id}/revisions/{version} — one saved version.
func (h *handler) showRevision(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok1 := request.PathInt64(r, "id")
	n, err := strconv.Atoi(r.PathValue("version"))
	if !ok1 || err != nil || n <= 0 {
		h.notFound(w, r)
		return
	}
	rv, err := h.articles.Revision(r.Context(), v.Staff, id, n)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	a, err := h.store.Article(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	p := revisionsPage{page: h.visitPage(r, v, v.L.T("newsroom_revision_title", "Version", n), "articles"),
		Article: a, Shown: &rv}
	h.render(w, r, http.StatusOK, "revision", p)
}

// GET /newsroom/articles/{id}/diff?from=N&to=M — what changed between two
// saved versions, as added and removed text.
func (h *handler) showDiff(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	from, err1 := strconv.Atoi(r.URL.Query().Get("from"))
	to, err2 := strconv.Atoi(r.URL.Query().Get("to"))
	if err1 != nil || err2 != nil || from <= 0 || to <= 0 {
		h.message(w, r, v.L, v, http.StatusBadRequest, v.L.T("newsroom_refused_title"), v.L.T("newsroom_diff_bad_versions"))
		return
	}
	a, _, err := h.articles.Revisions(r.Context(), v.Staff, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	rf, err := h.articles.Revision(r.Context(), v.Staff, id, from)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	rt, err := h.articles.Revision(r.Context(), v.Staff, id, to)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	p := revisionsPage{page: h.visitPage(r, v, v.L.T("newsroom_diff_title", "From", from, "To", to), "articles"),
		Article: a, From: from, To: to, Changes: article.Diff(rf.Snapshot, rt.Snapshot)}
	h.render(w, r, http.StatusOK, "diff", p)
}

// POST /newsroom/articles/{id}/revisions/{version}/restore — save that
// version's text as the newest; the text it replaces stays a revision.
func (h *handler) restoreRevision(w http.ResponseWriter, r *http.Request, v *visit) {
	a, ok := h.loadArticle(w, r, v)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n <= 0 {
		h.notFound(w, r)
		return
	}
	// A restore replaces the text, so it must say which version it
	// replaces: never 0, which would skip the check against other saves.
	current := formVersion(r)
	if current <= 0 {
		h.message(w, r, v.L, v, http.StatusUnprocessableEntity, v.L.T("newsroom_refused_title"), v.L.T("newsroom_article_no_version"))
		return
	}
	_, err = h.articles.Restore(r.Context(), v.Staff, a.ID, n, current)
	h.afterStep(w, r, v, a, err, "restore")
}
