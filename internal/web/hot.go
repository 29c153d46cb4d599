package web

import (
	"net/http"
	"strconv"
	"strings"

	"broadsheet/internal/popular"
)

// ServeCached answers r straight from the page cache when the page is
// there and fresh, without the router, the database deadline or the rest
// of the long way; it reports false, having written nothing, when r must
// go the long way (ServeHTTP). It serves exactly what the route would:
// a page is kept only under the path its route was asked for, so finding
// it by that path finds what the route would have served (adapt: the
// cached branch, article views counted as counted does). Requests with a
// query go the long way: the query may choose the language or a page of
// a list.
func (h *Handler) ServeCached(w http.ResponseWriter, r *http.Request) bool {
	if h.pages == nil || r.URL.RawQuery != "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) || h.bypass.Load() {
		return false
	}
	nav := h.nav.Load() // without the memo, the long way reads it from the database
	if nav == nil {
		return false
	}
	lang, _ := h.langOf(r, nil, nav.site.Locale)
	p := h.pages.Lookup(lang, r.URL.Path)
	if p == nil {
		p = h.pages.Lookup("", r.URL.Path) // a document: one copy in the site's language
	}
	if p == nil || p.Expired(h.now()) {
		return false // an expired page is rebuilt, or served stale, by adapt
	}
	// A view is a page read: a revalidation answered 304 is not counted,
	// as counted does not count it on the long way.
	if status := p.Serve(w, r, h.cacheCtl); h.views != nil && status == http.StatusOK && r.Method == http.MethodGet {
		if id, ok := articleViewID(r.URL.Path); ok && !popular.IsBot(r) {
			h.views.Count(id)
		}
	}
	return true
}

// articleViewID is the article id of a path that routes to an article page
// ("GET /article/{id}/{slug}", whose views counted counts), and false for
// any other path, its print view among them.
func articleViewID(path string) (int64, bool) {
	rest, ok := strings.CutPrefix(path, "/article/")
	if !ok {
		return 0, false
	}
	idText, slug, ok := strings.Cut(rest, "/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		return 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}
