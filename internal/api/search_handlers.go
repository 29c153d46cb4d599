package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"broadsheet/internal/http/response"
	"broadsheet/internal/search"
	"broadsheet/internal/site"
)

// searchHitDTO is one result of a search.
type searchHitDTO struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Headline    string    `json:"headline"`
	Deck        string    `json:"deck"`
	Section     string    `json:"section"`
	PublishedAt time.Time `json:"published_at"`
	Snippet     string    `json:"snippet"`
}

// searchResultsDTO is a page of results.
type searchResultsDTO struct {
	Results []searchHitDTO `json:"results"`
	Next    string         `json:"next"`
}

// GET /api/v1/search?q=…&section=PATH&author=SLUG&from=DATE&to=DATE
// &sort=relevance|newest&after=CURSOR&limit=N — published articles
// matching the words, with a highlighted passage each. Public. A query
// that cannot run (no words, too long, a bad filter) is a 400 saying why.
func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
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
	limit := 20
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 50 {
			h.fail(w, r, badRequest("The limit parameter must be a whole number from 1 to 50."))
			return
		}
		limit = n
	}
	q, err := search.FormOf(r.URL.Query()).Query(ctx, search.TreeResolver{Tree: tree, Authors: h.store}, site.FromMap(m).TimeZone, limit)
	var fe *search.FieldError
	if errors.As(err, &fe) {
		h.fail(w, r, badRequest("The %s parameter is not usable: %s.", fe.Field, fe.Err))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hits, err := h.store.Search(ctx, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := searchResultsDTO{Results: []searchHitDTO{}, Next: search.Next(hits, q)}
	for _, hit := range hits {
		a := hit.Article
		out.Results = append(out.Results, searchHitDTO{ID: a.ID, URL: a.URL(), Headline: a.Headline, Deck: a.Deck,
			Section: pathOf(tree, a.SectionID), PublishedAt: a.PublishedAt, Snippet: hit.Snippet})
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	response.JSON(w, http.StatusOK, out)
}
