package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/search"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

// GET /api/v1/articles?q=WORDS&section=PATH&status=draft|review|scheduled|published&author=SLUG
// &from=YYYY-MM-DD&to=YYYY-MM-DD&sort=updated|published|headline|section|status&order=asc|desc
// &page=N&after=CURSOR&limit=N lists articles without their bodies, as the
// newsroom's list does (the same parameters, read by article.ListForm):
// q searches drafts too, from and to are days of the last change in the
// site's zone. Without a sort, newest first and "next" continues the
// list; with one, page numbers from 1.
func (h *handler) listArticles(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := r.URL.Query()
	tree, err := h.sectionTree(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.store.Settings(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := article.ListFormOf(v).Query(ctx, search.TreeResolver{Tree: tree, Authors: h.store}, site.FromMap(m).TimeZone, "")
	var qe *article.QueryError
	if errors.As(err, &qe) {
		h.fail(w, r, invalid(qe.Field, qe.Err.Error()))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q.Limit = 20
	if a := v.Get("after"); a != "" {
		if q.After, err = article.ParseCursor(a); err != nil {
			h.fail(w, r, badRequest("The after parameter %q is not a page cursor from a previous answer.", a))
			return
		}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			h.fail(w, r, invalid("limit", "must be a whole number from 1 to 100"))
			return
		}
		q.Limit = n
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || (n-1)*q.Limit > article.MaxListOffset {
			h.fail(w, r, invalid("page", article.ErrBadPage.Error()))
			return
		}
		q.Offset = (n - 1) * q.Limit
	}
	limit := q.Limit
	q.Limit++ // one more than shown tells whether a next page exists
	list, err := h.articles.List(ctx, actor(r), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	out := struct {
		Articles []articleDTO `json:"articles"`
		Next     string       `json:"next,omitempty"`
		NextPage int          `json:"next_page,omitempty"` // with a sort or a page: the page after this one
	}{Articles: []articleDTO{}}
	for _, a := range list {
		out.Articles = append(out.Articles, articleOut(a, pathOf(tree, a.SectionID)))
	}
	if more && (q.Sort != "" || q.Offset != 0) {
		out.NextPage = q.Offset/limit + 2
	}
	if more && q.Sort == "" && q.Offset == 0 {
		last := list[len(list)-1]
		ts := last.PublishedAt
		if q.Status != article.Published && ts.IsZero() {
			ts = last.CreatedAt
		}
		out.Next = article.Cursor{PublishedAt: ts, ID: last.ID}.String()
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /api/v1/articles creates an article; 201 with the article and its url.
func (h *handler) createArticle(w http.ResponseWriter, r *http.Request) {
	var req articleRequest
	if err := decodeArticle(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var in article.Input
	req.apply(&in)
	var pair *article.Translation
	if t, changed := req.translation(article.Article{}); changed {
		pair = &t // stored with the article: a refused pair stores neither
	}
	a, err := h.articles.CreatePaired(r.Context(), actor(r), in, pair)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeArticle(w, r, http.StatusCreated, a)
}

// GET /api/v1/articles/{id} returns one article the token's holder may
// read: their own and published ones, every article for editors and
// admins; any other is 404, as if it did not exist.
func (h *handler) getArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.articles.Get(r.Context(), actor(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeArticle(w, r, http.StatusOK, a)
}

// PATCH /api/v1/articles/{id} changes the fields given; with "version" it
// refuses (409) when someone else saved since that version.
func (h *handler) updateArticle(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := articleID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req articleRequest
	if err := decodeArticle(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	old, err := h.articles.Get(ctx, actor(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var pair *article.Translation
	if t, changed := req.translation(old); changed {
		if !req.namesArticleFields() {
			if old, err = h.articles.SetTranslation(ctx, actor(r), id, t); err != nil {
				h.fail(w, r, err)
				return
			}
			h.writeArticle(w, r, http.StatusOK, old)
			return
		}
		pair = &t // saved with the fields: a clash or a refusal changes neither
	}
	sec, err := h.store.SectionByID(ctx, old.SectionID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var alsoIn []string
	for _, id := range old.AlsoIn {
		other, err := h.store.SectionByID(ctx, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		alsoIn = append(alsoIn, other.Path)
	}
	in := inputOf(old, sec.Path, alsoIn)
	req.apply(&in)
	version := old.Version
	if req.Version != nil {
		version = *req.Version
	}
	a, err := h.articles.UpdatePaired(ctx, actor(r), id, in, version, pair)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeArticle(w, r, http.StatusOK, a)
}

// POST /api/v1/articles/{id}/publish publishes an article (editors, admins).
func (h *handler) publishArticle(w http.ResponseWriter, r *http.Request) {
	h.setStatus(w, r, article.Published)
}

// POST /api/v1/articles/{id}/unpublish takes an article off the site.
func (h *handler) unpublishArticle(w http.ResponseWriter, r *http.Request) {
	h.setStatus(w, r, article.Draft)
}

// stepRequest is the optional body of the workflow steps: the version
// the client read, refused (409) when someone saved since, and the time
// of a schedule.
type stepRequest struct {
	Version   *int       `json:"version"`
	PublishAt *time.Time `json:"publish_at"`
}

// POST /api/v1/articles/{id}/submit sends a draft to the editors.
func (h *handler) submitArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req stepRequest
	if err := decodeOptional(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.articles.Submit(r.Context(), actor(r), id, versionOf(req.Version))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeArticle(w, r, http.StatusOK, a)
}

// POST /api/v1/articles/{id}/schedule sets the time the scheduler
// publishes the article (editors, admins).
func (h *handler) scheduleArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req stepRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.PublishAt == nil {
		h.fail(w, r, invalid("publish_at", "must be given: the time to publish the article, in the future"))
		return
	}
	a, err := h.articles.Schedule(r.Context(), actor(r), id, *req.PublishAt, versionOf(req.Version))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeArticle(w, r, http.StatusOK, a)
}

// versionOf is the version a request names, 0 (no check) when it names none.
func versionOf(v *int) int {
	if v == nil {
		return 0
	}
	return *v
}

func (h *handler) setStatus(w http.ResponseWriter, r *http.Request, st article.Status) {
	id, err := articleID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.articles.SetStatus(r.Context(), actor(r), id, st)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeArticle(w, r, http.StatusOK, a)
}

func (h *handler) writeArticle(w http.ResponseWriter, r *http.Request, status int, a article.Article) {
	sec, err := h.store.SectionByID(r.Context(), a.SectionID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", prefix+"/articles/"+strconv.FormatInt(a.ID, 10))
	}
	response.JSON(w, status, articleOut(a, sec.Path))
}

func articleID(r *http.Request) (int64, error) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		return 0, &apiError{status: http.StatusNotFound, code: codeNotFound,
			message: "No such article: " + strconv.Quote(r.PathValue("id")) + " is not an article id."}
	}
	return id, nil
}

func (h *handler) sectionTree(ctx context.Context) (*section.Tree, error) {
	all, err := h.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	return section.NewTree(all), nil
}

func pathOf(t *section.Tree, id int64) string {
	s, _ := t.ByID(id)
	return s.Path
}

// decodeArticle reads an article request and refuses what its fields
// cannot express.
func decodeArticle(w http.ResponseWriter, r *http.Request, req *articleRequest) error {
	if err := decode(w, r, req); err != nil {
		return err
	}
	return req.check()
}
