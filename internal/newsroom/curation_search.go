package newsroom

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/front"
	"broadsheet/internal/http/response"
	"broadsheet/internal/outage"
	"broadsheet/internal/search"
	"broadsheet/internal/section"
)

// curationStore is the search index the curation page finds stories in,
// the one the reader site's /search uses: it holds published articles
// only.
type curationStore interface {
	Search(ctx context.Context, q search.Query) ([]search.Hit, error)
}

// How many stories the page offers to add: the newest published, or the
// best matches of a search.
const (
	curationChoices = 40
	curationResults = 20
)

// curationItem is a story as the page and its script show it.
type curationItem struct {
	ID        int64
	Headline  string
	URL       string
	Section   string
	Published time.Time
	Image     string // the lead image's address, "" for none
	Srcset    string
	Pos       int // the place on the front, from 1; 0 for a story to add
}

func newCurationItem(a article.Article, tree *section.Tree) curationItem {
	it := curationItem{ID: a.ID, Headline: a.Headline, URL: a.URL(), Published: a.PublishedAt,
		Image: a.LeadImage.URL, Srcset: a.LeadImage.Srcset}
	if s, ok := tree.ByID(a.SectionID); ok {
		it.Section = s.Name
	}
	return it
}

// curationError is a list or a search the page cannot work with, said
// in the editor's language.
type curationError struct {
	kind curationErrorKind
	id   int64
	err  error // the search's own error, for badSearch
}

type curationErrorKind int

const (
	badPosition curationErrorKind = iota + 1
	badOp
	notListed
	badSearch
)

func (e curationError) Error() string {
	switch e.kind {
	case badPosition:
		return "curation: a place or an article id is not a number"
	case badOp:
		return "curation: unknown change"
	case notListed:
		return "curation: article " + strconv.FormatInt(e.id, 10) + " is not listed"
	}
	return "curation: search: " + e.err.Error()
}

// status is 400 for a request no page of ours sends (an unknown change,
// a search that cannot run) and 422 for a list that cannot be kept.
func (e curationError) status() int {
	if e.kind == badPosition || e.kind == notListed {
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadRequest
}

func (e curationError) sentence(l locale) string {
	switch e.kind {
	case badPosition:
		return l.T("newsroom_curation_bad_position")
	case badOp:
		return l.T("newsroom_curation_bad_op")
	case notListed:
		return l.T("newsroom_curation_not_listed", "ID", e.id)
	}
	switch {
	case errors.Is(e.err, search.ErrTooLong):
		return l.T("newsroom_curation_search_too_long", "Max", search.MaxQueryRunes)
	case errors.Is(e.err, search.ErrTooMany):
		return l.T("newsroom_curation_search_too_many", "Max", search.MaxWords)
	case errors.Is(e.err, search.ErrEmpty):
		return l.T("newsroom_curation_search_empty")
	}
	return l.T("newsroom_curation_search_bad")
}

// curationCandidates are the stories to add to a front: published, in
// the section or one under it for a section front, not listed already;
// the search's best matches for query, or the newest when it is blank.
func (h *handler) curationCandidates(r *http.Request, tree *section.Tree, sec *section.Section, exclude []int64, query string) ([]curationItem, error) {
	var sections []int64
	if sec != nil {
		sections = tree.Subtree(sec.ID)
	}
	var found []article.Article
	if query == "" {
		list, err := h.store.ListArticles(r.Context(), article.ListQuery{Scope: article.PublicScope(), Status: article.Published,
			SectionIDs: sections, ExcludeIDs: exclude, Limit: curationChoices})
		if err != nil {
			return nil, err
		}
		found = list
	} else {
		terms, err := search.Parse(query)
		if err != nil {
			return nil, curationError{kind: badSearch, err: err}
		}
		hits, err := h.store.Search(r.Context(), search.Query{Terms: terms, SectionIDs: sections, Sort: search.Relevance,
			Limit: curationResults + len(exclude)})
		if err != nil {
			return nil, err
		}
		for _, hit := range hits {
			if !slices.Contains(exclude, hit.Article.ID) && len(found) < curationResults {
				found = append(found, hit.Article)
			}
		}
	}
	items := make([]curationItem, len(found))
	for i, a := range found {
		items[i] = newCurationItem(a, tree)
	}
	return items, nil
}

// curationResult is a story as the JSON search answers it.
type curationResult struct {
	ID           int64  `json:"id"`
	Headline     string `json:"headline"`
	URL          string `json:"url"`
	Section      string `json:"section"`
	Published    string `json:"published"`     // in the editor's language and the site's zone
	PublishedISO string `json:"published_iso"` // for <time datetime>
	Image        string `json:"image,omitempty"`
	Srcset       string `json:"srcset,omitempty"`
}

// GET /newsroom/curation/search?q=&section=<id>&pick=<id>… — the page's
// script adds stories from these: the same search the page runs for
// ?q=, as JSON, leaving out the articles picked. A refusal is 4xx
// {"message": "<sentence in the editor's language>"}.
func (h *handler) searchCuration(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	var sec *section.Section
	if s := q.Get("section"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			var found section.Section
			found, err = h.store.SectionByID(r.Context(), id)
			sec = &found
		}
		if err != nil {
			response.JSON(w, http.StatusNotFound, map[string]string{"message": v.L.T("newsroom_curation_no_section")})
			return
		}
	}
	exclude, err := pickedIDs(q["pick"])
	if err != nil {
		response.JSON(w, http.StatusBadRequest, map[string]string{"message": v.L.T("newsroom_curation_bad_position")})
		return
	}
	// The picks are left out of the search by asking it for as many more
	// results; the store caps how many it returns, so more picks than a
	// front holds would quietly shrink the results instead.
	limit := front.MaxTopStories
	if sec != nil {
		limit = front.MaxSectionPicks
	}
	if len(exclude) > limit {
		response.JSON(w, http.StatusBadRequest, map[string]string{"message": v.L.T("newsroom_curation_search_too_many_picks", "Max", limit)})
		return
	}
	sections, err := h.store.Sections(r.Context())
	if err != nil {
		h.curationJSONFailure(w, r, v, err)
		return
	}
	tree := section.NewTree(sections)
	items, err := h.curationCandidates(r, tree, sec, exclude, q.Get("q"))
	var bad curationError
	if errors.As(err, &bad) {
		response.JSON(w, http.StatusBadRequest, map[string]string{"message": bad.sentence(v.L)})
		return
	}
	if err != nil {
		h.curationJSONFailure(w, r, v, err)
		return
	}
	out := struct {
		Articles []curationResult `json:"articles"`
	}{Articles: make([]curationResult, len(items))}
	for i, it := range items {
		out.Articles[i] = curationResult{ID: it.ID, Headline: it.Headline, URL: it.URL, Section: it.Section,
			Published: v.L.DateTime(it.Published), PublishedISO: v.L.ISO(it.Published), Image: it.Image, Srcset: it.Srcset}
	}
	response.JSON(w, http.StatusOK, out)
}

// curationJSONFailure logs a failure of the store and answers the script
// with a sentence it can show.
func (h *handler) curationJSONFailure(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if outage.Is(err) {
		outage.SetRetryAfter(w)
		response.JSON(w, http.StatusServiceUnavailable, map[string]string{"message": v.L.T("newsroom_unavailable")})
		return
	}
	h.logger.ErrorContext(r.Context(), "curation search failed", "path", r.URL.Path, "err", err)
	response.JSON(w, http.StatusInternalServerError, map[string]string{"message": v.L.T("newsroom_server_error")})
}
