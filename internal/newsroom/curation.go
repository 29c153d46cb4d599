package newsroom

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/front"
	"broadsheet/internal/http/request"
	"broadsheet/internal/section"
)

// How many recent articles the page offers to pick from.
const curationChoices = 40

type curationPage struct {
	page
	Section  *section.Section // nil: the home page
	Sections []section.Section
	Limit    int
	Rows     []curationRow
	Form     form
	Saved    bool
}

// curationRow is one article on the page with its place, 0 when unpinned.
type curationRow struct {
	Article  article.Article
	Position int
}

// GET /newsroom/curation — the home page's top stories.
// GET /newsroom/curation/sections/{id} — the stories leading a section front.
func (h *handler) showCuration(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderCuration(w, r, v, http.StatusOK, form{})
}

func (h *handler) curationSection(w http.ResponseWriter, r *http.Request, v *visit) (*section.Section, bool) {
	if r.PathValue("id") == "" {
		return nil, true
	}
	id, ok := request.PathInt64(r, "id")
	if ok {
		s, err := h.store.SectionByID(r.Context(), id)
		if err == nil {
			return &s, true
		}
	}
	h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_not_found"))
	return nil, false
}

func (h *handler) renderCuration(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	sec, ok := h.curationSection(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	p := curationPage{page: h.visitPage(r, v, v.L.T("newsroom_curation_title"), "curation"), Section: sec, Form: f,
		Limit: front.MaxTopStories, Saved: r.URL.Query().Get("done") == "saved"}
	var pinned []article.Article
	q := article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: curationChoices}
	var err error
	if sec == nil {
		pinned, err = h.store.TopStories(ctx, front.MaxTopStories)
	} else {
		p.Limit = front.MaxSectionPicks
		pinned, err = h.store.SectionPicks(ctx, sec.ID, front.MaxSectionPicks)
	}
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if p.Sections, err = h.store.Sections(ctx); err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if sec != nil {
		q.SectionIDs = section.NewTree(p.Sections).Subtree(sec.ID)
	}
	for _, a := range pinned {
		q.ExcludeIDs = append(q.ExcludeIDs, a.ID)
	}
	recent, err := h.store.ListArticles(ctx, q)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	for i, a := range pinned {
		p.Rows = append(p.Rows, curationRow{Article: a, Position: i + 1})
	}
	for _, a := range recent {
		p.Rows = append(p.Rows, curationRow{Article: a})
	}
	h.render(w, r, status, "curation", p)
}

// POST /newsroom/curation[/sections/{id}] — pin the articles given a
// place (pos_<id> = 1, 2, ...) in that order; a blank place unpins. The
// front service checks the list, as it does for the API.
func (h *handler) saveCuration(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.cfg.Services.Front == nil { // a newsroom built without the services shows the page only
		h.notFound(w, r)
		return
	}
	sec, ok := h.curationSection(w, r, v)
	if !ok {
		return
	}
	type pick struct {
		id  int64
		pos int
	}
	var picks []pick
	errs := map[string]string{}
	seen := map[int64]bool{}
	for key, vals := range r.PostForm {
		idText, found := strings.CutPrefix(key, "pos_")
		if !found || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		id, err1 := strconv.ParseInt(idText, 10, 64)
		pos, err2 := strconv.Atoi(strings.TrimSpace(vals[0]))
		if err1 != nil || err2 != nil || pos < 1 || pos > 1000 {
			errs[""] = v.L.T("newsroom_curation_bad_position")
			continue
		}
		if seen[id] {
			errs[""] = v.L.T("newsroom_curation_twice", "ID", id)
			continue
		}
		seen[id] = true
		picks = append(picks, pick{id, pos})
	}
	sort.SliceStable(picks, func(i, j int) bool {
		if picks[i].pos != picks[j].pos {
			return picks[i].pos < picks[j].pos
		}
		return picks[i].id > picks[j].id
	})
	ids := make([]int64, len(picks))
	for i, p := range picks {
		ids[i] = p.id
	}
	back := "/newsroom/curation"
	if len(errs) == 0 {
		var err error
		if sec == nil {
			err = h.cfg.Services.Front.SetTopStories(r.Context(), v.Staff, ids)
		} else {
			err = h.cfg.Services.Front.SetSectionPicks(r.Context(), v.Staff, sec.ID, ids)
			back = "/newsroom/curation/sections/" + strconv.FormatInt(sec.ID, 10)
		}
		var rf *front.Refusal
		switch {
		case errors.As(err, &rf):
			errs[""] = curationRefusal(v.L, rf)
		case err != nil:
			h.fail(w, r, v, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderCuration(w, r, v, http.StatusUnprocessableEntity, form{Name: "curation", Values: r.PostForm, Errors: errs})
		return
	}
	http.Redirect(w, r, v.L.URL(back+"?done=saved"), http.StatusSeeOther)
}

// curationRefusal is the sentence for a list the front service refused.
func curationRefusal(l locale, rf *front.Refusal) string {
	switch rf.Reason {
	case front.TooMany:
		return l.T("newsroom_curation_too_many", "Limit", rf.Limit)
	case front.Twice:
		return l.T("newsroom_curation_twice", "ID", rf.ArticleID)
	case front.OtherSection:
		return l.T("newsroom_curation_other_section", "ID", rf.ArticleID)
	}
	return l.T("newsroom_curation_not_published", "ID", rf.ArticleID)
}
