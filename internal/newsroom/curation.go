package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/front"
	"broadsheet/internal/http/request"
	"broadsheet/internal/section"
)

// The curation page is the front's list of pinned stories, in order, and
// below it the stories an editor may add. Every button of the page posts
// the whole list as it stands (pick=<id>, in order) with what to do to
// it (op=up:<id>, down:<id>, remove:<id>, add:<id> or save). Only Save
// stores the list; the other buttons answer with the page drawn with the
// change made but not stored, so that an editor arranges the front in
// several steps and readers see one change, not every step on the way.
// The page's script does the same in place and posts the list once, with
// Save. Either way the front service checks every list, with or without
// storing it.

type curationPage struct {
	page
	Section  *section.Section // nil: the home page
	Sections []section.Section
	Limit    int
	Pinned   []curationItem
	// Candidates are the stories to add: the search's results, or the
	// newest published when nothing is searched for.
	Candidates []curationItem
	Query      string // the search typed
	Problem    string // why the search could not run
	Error      string // why the last change was refused
	Draft      bool   // the list shown is not the one stored
	Saved      bool
	Action     string // the page's address
	Lang       string // the language chosen with ?lang=, for the search form
}

// curationView is what the page shows: a list and why a change was
// refused.
type curationView struct {
	section *section.Section
	ids     []int64 // nil: the stored list
	draft   bool
	status  int
	message string
	query   string
}

// GET /newsroom/curation — the home page's top stories.
// GET /newsroom/curation/sections/{id} — the stories leading a section front.
// The search form carries an unsaved list along as pick=<id> (and
// draft=1, for an empty one) in the address, so that searching loses no
// change.
func (h *handler) showCuration(w http.ResponseWriter, r *http.Request, v *visit) {
	sec, ok := h.curationSection(w, r, v)
	if !ok {
		return
	}
	q := r.URL.Query()
	cv := curationView{section: sec, status: http.StatusOK, query: q.Get("q")}
	if (q.Has("pick") || q.Get("draft") == "1") && h.cfg.Services.Front != nil {
		ids, err := pickedIDs(q["pick"])
		if err == nil {
			err = h.checkPicks(r, v, sec, ids)
		}
		if !h.curationRefused(w, r, v, &cv, err) {
			cv.ids, cv.draft = ids, true
		}
		if cv.status == 0 {
			return
		}
	}
	h.drawCuration(w, r, v, cv)
}

// POST /newsroom/curation[/sections/{id}] — change the list posted and
// show it, or store it. The older form, a place per article
// (pos_<id> = 1, 2, ...; blank unpins), is still read, and saved.
func (h *handler) saveCuration(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.cfg.Services.Front == nil { // a newsroom built without the services shows the page only
		h.notFound(w, r)
		return
	}
	sec, ok := h.curationSection(w, r, v)
	if !ok {
		return
	}
	cv := curationView{section: sec, query: r.PostForm.Get("q")}
	ids, err := postedPicks(r.PostForm)
	if err != nil {
		if h.curationRefused(w, r, v, &cv, err) && cv.status != 0 {
			h.drawCuration(w, r, v, cv) // the stored list, with the reason
		}
		return
	}
	cv.ids, cv.draft = ids, true
	op := r.PostForm.Get("op")
	if op == "" || op == "save" {
		if sec == nil {
			err = h.cfg.Services.Front.SetTopStories(r.Context(), v.Staff, ids)
		} else {
			err = h.cfg.Services.Front.SetSectionPicks(r.Context(), v.Staff, sec.ID, ids)
		}
		if err == nil {
			http.Redirect(w, r, v.L.URL(curationPath(sec)+"?done=saved"), http.StatusSeeOther)
			return
		}
		if h.curationRefused(w, r, v, &cv, err) && cv.status != 0 {
			h.drawCuration(w, r, v, cv)
		}
		return
	}
	next, err := applyCurationOp(ids, op)
	if err == nil {
		err = h.checkPicks(r, v, sec, next)
	}
	if h.curationRefused(w, r, v, &cv, err) {
		if cv.status != 0 {
			h.drawCuration(w, r, v, cv)
		}
		return
	}
	cv.ids, cv.status = next, http.StatusOK
	h.drawCuration(w, r, v, cv)
}

// checkPicks asks the front service whether ids may lead the front,
// storing nothing.
func (h *handler) checkPicks(r *http.Request, v *visit, sec *section.Section, ids []int64) error {
	if sec == nil {
		return h.cfg.Services.Front.CheckTopStories(r.Context(), v.Staff, ids)
	}
	return h.cfg.Services.Front.CheckSectionPicks(r.Context(), v.Staff, sec.ID, ids)
}

// curationRefused puts the sentence for a refused list or change into cv
// and reports whether err was one. An error that is no refusal is
// answered here, and cv.status left 0.
func (h *handler) curationRefused(w http.ResponseWriter, r *http.Request, v *visit, cv *curationView, err error) bool {
	var rf *front.Refusal
	var bad curationError
	switch {
	case err == nil:
		return false
	case errors.As(err, &rf):
		cv.status, cv.message = http.StatusUnprocessableEntity, curationRefusal(v.L, rf)
	case errors.As(err, &bad):
		cv.status, cv.message = bad.status(), bad.sentence(v.L)
	default:
		cv.status = 0
		h.fail(w, r, v, err)
	}
	return true
}

func curationPath(sec *section.Section) string {
	if sec == nil {
		return "/newsroom/curation"
	}
	return "/newsroom/curation/sections/" + strconv.FormatInt(sec.ID, 10)
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

// drawCuration answers with the page: the list cv names (the stored one
// when it names none) and the stories to add.
func (h *handler) drawCuration(w http.ResponseWriter, r *http.Request, v *visit, cv curationView) {
	ctx := r.Context()
	sec := cv.section
	path := curationPath(sec)
	p := curationPage{page: h.visitPage(r, v, v.L.T("newsroom_curation_title"), "curation"), Section: sec,
		Limit: front.MaxTopStories, Saved: r.Method == http.MethodGet && r.URL.Query().Get("done") == "saved",
		Query: cv.query, Error: cv.message, Draft: cv.draft, Action: path}
	if v.L.explicit {
		p.Lang = v.L.Lang
	}
	if r.Method == http.MethodPost { // the language switch leads back to this page, not the form's address
		_, lang, _ := strings.Cut(p.SwitchURL, "?")
		p.SwitchURL = path + "?" + lang
	}
	p.Scripts = h.scriptURLs("curation.js")
	sections, err := h.store.Sections(ctx)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	p.Sections = sections
	tree := section.NewTree(sections)
	var pinned []article.Article
	switch {
	case cv.ids != nil || cv.draft:
		pinned, err = h.curationArticles(r, cv.ids)
	case sec == nil:
		pinned, err = h.store.TopStories(ctx, front.MaxTopStories)
	default:
		pinned, err = h.store.SectionPicks(ctx, sec.ID, front.MaxSectionPicks)
	}
	if sec != nil {
		p.Limit = front.MaxSectionPicks
	}
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	exclude := make([]int64, len(pinned))
	for i, a := range pinned {
		exclude[i] = a.ID
		it := newCurationItem(a, tree)
		it.Pos = i + 1
		p.Pinned = append(p.Pinned, it)
	}
	found, err := h.curationCandidates(r, tree, sec, exclude, cv.query)
	var bad curationError
	switch {
	case errors.As(err, &bad):
		p.Problem = bad.sentence(v.L)
		if cv.status < http.StatusBadRequest {
			cv.status = http.StatusBadRequest
		}
	case err != nil:
		h.serverError(w, r, v.L, err)
		return
	}
	p.Candidates = found
	if cv.status == 0 {
		cv.status = http.StatusOK
	}
	h.render(w, r, cv.status, "curation", p)
}

// curationArticles loads the articles of a list posted, in its order,
// leaving out those that are gone or no longer published: a refused list
// is still shown as far as it can be.
func (h *handler) curationArticles(r *http.Request, ids []int64) ([]article.Article, error) {
	var out []article.Article
	for _, id := range ids[:min(len(ids), front.MaxTopStories)] { // no front takes more

		a, err := h.store.Article(r.Context(), id)
		if errors.Is(err, article.ErrNotFound) || (err == nil && a.Status != article.Published) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !containsArticle(out, id) {
			out = append(out, a)
		}
	}
	return out, nil
}

func containsArticle(list []article.Article, id int64) bool {
	for _, a := range list {
		if a.ID == id {
			return true
		}
	}
	return false
}

// postedPicks reads the list a form posted: pick=<id> in order, or in
// the older form pos_<id> = place.
func postedPicks(f url.Values) ([]int64, error) {
	if f.Has("pick") || f.Has("op") {
		return pickedIDs(f["pick"])
	}
	type place struct {
		id  int64
		pos int
	}
	var places []place // an article given two places is the front service's to refuse
	for key, vals := range f {
		idText, found := strings.CutPrefix(key, "pos_")
		if !found || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		id, err1 := strconv.ParseInt(idText, 10, 64)
		pos, err2 := strconv.Atoi(strings.TrimSpace(vals[0]))
		if err1 != nil || err2 != nil || pos < 1 || pos > 1000 {
			return nil, curationError{kind: badPosition}
		}
		places = append(places, place{id, pos})
	}
	sort.SliceStable(places, func(i, j int) bool {
		if places[i].pos != places[j].pos {
			return places[i].pos < places[j].pos
		}
		return places[i].id > places[j].id
	})
	ids := make([]int64, len(places))
	for i, p := range places {
		ids[i] = p.id
	}
	return ids, nil
}

// pickedIDs reads the article ids of pick=<id> fields, in order.
func pickedIDs(vals []string) ([]int64, error) {
	ids := make([]int64, 0, len(vals))
	for _, s := range vals {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id < 1 {
			return nil, curationError{kind: badPosition}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// applyCurationOp is the list after one button of the page: up, down or
// remove an article listed, or add one at the end.
func applyCurationOp(ids []int64, op string) ([]int64, error) {
	verb, idText, _ := strings.Cut(op, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id < 1 {
		return nil, curationError{kind: badOp}
	}
	next := append([]int64(nil), ids...)
	i := -1
	for k, x := range next {
		if x == id {
			i = k
			break
		}
	}
	if verb == "add" {
		return append(next, id), nil // the front service refuses one listed twice
	}
	if i < 0 && (verb == "up" || verb == "down" || verb == "remove") {
		return nil, curationError{kind: notListed, id: id}
	}
	switch verb {
	case "up":
		if i > 0 {
			next[i-1], next[i] = next[i], next[i-1]
		}
	case "down":
		if i < len(next)-1 {
			next[i+1], next[i] = next[i], next[i+1]
		}
	case "remove":
		next = append(next[:i], next[i+1:]...)
	default:
		return nil, curationError{kind: badOp}
	}
	return next, nil
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
