package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"

	"broadsheet/internal/author"
	"broadsheet/internal/search"
	"broadsheet/internal/section"
)

// searchPageSize is how many results a page shows.
const searchPageSize = 20

type searchPage struct {
	layout
	Form     search.Form
	Searched bool
	Results  []searchResult
	Next     string // the next page's address, "" on the last
	Problem  string // what to correct, for a refused search
	Field    string // the field the problem is about
	Sections []section.Section
}

type searchResult struct {
	search.Hit
	Section string
	Snippet template.HTML
}

// searchResolver finds sections in the navigation's tree and authors in
// the database.
type searchResolver struct {
	tree  *section.Tree
	store interface {
		AuthorBySlug(ctx context.Context, slug string) (author.Author, error)
	}
}

func (r searchResolver) SectionIDs(path string) ([]int64, bool) {
	s, ok := r.tree.ByPath(path)
	if !ok {
		return nil, false
	}
	return r.tree.Subtree(s.ID), true
}

func (r searchResolver) AuthorID(ctx context.Context, slug string) (int64, bool, error) {
	a, err := r.store.AuthorBySlug(ctx, slug)
	if errors.Is(err, author.ErrNotFound) {
		return 0, false, nil
	}
	return a.ID, err == nil, err
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
	body, err := h.tmpl.render("search", p)
	if err != nil {
		h.serveError(w, r, lang, err)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	w.Header()["Cache-Control"] = h.cacheCtl
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("X-Robots-Tag", "noindex")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// runSearch fills in p's results and returns the page's status: 400 with
// a message for a search that cannot run.
func (h *Handler) runSearch(r *http.Request, p *searchPage) (int, error) {
	q, err := p.Form.Query(r.Context(), searchResolver{tree: p.tree, store: h.store}, p.L.tz, searchPageSize)
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
	if next := search.Next(hits, q); next != "" {
		v := r.URL.Query()
		v.Set("after", next)
		p.Next = "/search?" + v.Encode()
	}
	return http.StatusOK, nil
}
