package newsroom

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/http/request"
	"broadsheet/internal/section"
)

// How many stories the editors may pin, and how many recent articles the
// page offers to pick from.
const (
	maxTopStories   = 20
	maxSectionPicks = 5
	curationChoices = 40
)

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
		Limit: maxTopStories, Saved: r.URL.Query().Get("done") == "saved"}
	var pinned []article.Article
	q := article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: curationChoices}
	var err error
	if sec == nil {
		pinned, err = h.store.TopStories(ctx, maxTopStories)
	} else {
		p.Limit = maxSectionPicks
		pinned, err = h.store.SectionPicks(ctx, sec.ID, maxSectionPicks)
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
// place (pos_<id> = 1, 2, ...) in that order; a blank place unpins.
func (h *handler) saveCuration(w http.ResponseWriter, r *http.Request, v *visit) {
	sec, ok := h.curationSection(w, r, v)
	if !ok {
		return
	}
	limit := maxTopStories
	if sec != nil {
		limit = maxSectionPicks
	}
	type pick struct {
		id  int64
		pos int
	}
	var picks []pick
	errs := map[string]string{}
	seen := map[int64]bool{}
	var allowed map[int64]bool // the section's subtree; nil for the home page
	if sec != nil {
		all, err := h.store.Sections(r.Context())
		if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
		allowed = map[int64]bool{}
		for _, id := range section.NewTree(all).Subtree(sec.ID) {
			allowed[id] = true
		}
	}
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
		a, err := h.store.Article(r.Context(), id)
		if err != nil || a.Status != article.Published {
			errs[""] = v.L.T("newsroom_curation_not_published", "ID", id)
			continue
		}
		if allowed != nil && !allowed[a.SectionID] && !slices.ContainsFunc(a.AlsoIn, func(s int64) bool { return allowed[s] }) {
			errs[""] = v.L.T("newsroom_curation_other_section", "ID", id)
			continue
		}
		picks = append(picks, pick{id, pos})
	}
	if len(picks) > limit {
		errs[""] = v.L.T("newsroom_curation_too_many", "Limit", limit)
	}
	if len(errs) > 0 {
		h.renderCuration(w, r, v, http.StatusUnprocessableEntity, form{Name: "curation", Values: r.PostForm, Errors: errs})
		return
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
	var err error
	target, key, back := "home", cache.KeyHome, "/newsroom/curation"
	var targetID int64
	if sec == nil {
		err = h.store.SetTopStories(r.Context(), ids)
	} else {
		err = h.store.SetSectionPicks(r.Context(), sec.ID, ids)
		target, key, targetID = "section", cache.SectionKey(sec.ID), sec.ID
		back = "/newsroom/curation/sections/" + strconv.FormatInt(sec.ID, 10)
	}
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.invalidate(key)
	h.audit.Record(r.Context(), v.Staff, "curation."+target, target, targetID, "", nil, map[string]any{"article_ids": ids})
	http.Redirect(w, r, v.L.URL(back+"?done=saved"), http.StatusSeeOther)
}
