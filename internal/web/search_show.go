package web

import (
	"errors"
	"html/template"
	"net/http"

	"broadsheet/internal/search"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
)

// searchPageSize is how many results a page shows.
const searchPageSize = 20

type searchPage struct {
	layout
	Form     search.Form
	Searched bool
	Results  []searchResult
	Next     string // the next page's address, "" on the last
	Total    int    // the search's matches, counted up to CountCap+1
	CountCap int    // past it the page says "more than CountCap"
	Problem  string // what to correct, for a refused search
	Field    string // the field the problem is about
	Sections []section.Section
}

type searchResult struct {
	search.Hit
	Section string
	Snippet template.HTML
}

// showSearch is /search: the form, and the results when there is a
// query. Results are rendered for each request (a query's words are not
// cache keys), and shared caches may keep them as long as other pages.
func (h *Handler) showSearch(w http.ResponseWriter, r *http.Request) {
	lang, explicit := h.chosenLang(r)
	base, err := h.layout(r, lang)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	base.L.explicit = explicit
	base.Title = base.L.T("search")
	base.Active = "search"
	p := searchPage{layout: base, Form: search.FormOf(r.URL.Query()), Sections: base.tree.All()}
	status := http.StatusOK
	if p.Form.Q != "" {
		p.Searched = true
		status, err = h.runSearch(r, &p)
		if err != nil {
			h.serveError(w, r, lang, err)
			return
		}
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	h.renderUncached(w, r, lang, status, "search", p)
}

// runSearch fills in p's results and returns the page's status: 400 with
// a message for a search that cannot run.
func (h *Handler) runSearch(r *http.Request, p *searchPage) (int, error) {
	q, err := p.Form.Query(r.Context(), search.TreeResolver{Tree: p.tree, Authors: h.store}, p.L.tz, searchPageSize)
	var fe *search.FieldError
	if errors.As(err, &fe) {
		p.Field, p.Problem = fe.Field, p.L.T("search_field_"+fe.Field)+": "+fe.Err.Error()
		return http.StatusBadRequest, nil
	}
	if err != nil {
		return 0, err
	}
	hits, err := h.store.Search(r.Context(), q)
	if err != nil {
		return 0, err
	}
	for _, hit := range hits {
		res := searchResult{Hit: hit, Snippet: template.HTML(hit.Snippet)} // escaped by search.Highlight
		if s, ok := p.tree.ByID(hit.Article.SectionID); ok {
			res.Section = s.Name
		}
		p.Results = append(p.Results, res)
	}
	if len(hits) > 0 {
		if p.Total, err = h.store.SearchCount(r.Context(), q); err != nil {
			return 0, err
		}
		p.CountCap = store.Candidates
	}
	if next := search.Next(hits, q); next != "" {
		v := r.URL.Query()
		v.Set("after", next)
		p.Next = "/search?" + v.Encode()
	}
	return http.StatusOK, nil
}
