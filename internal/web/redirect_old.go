package web

import (
	"errors"
	"net/http"
	"strings"

	"broadsheet/internal/redirect"
)

// redirectOld answers 301 with the new address of an old one (an
// archive's address from the site it was imported from) and reports
// whether it did. It costs a path that would be a 404 one look-up by
// primary key; a database that fails to answer leaves the 404 as it was.
func (h *Handler) redirectOld(w http.ResponseWriter, r *http.Request) bool {
	key, ok := redirect.LookupKey(r.URL.EscapedPath(), r.URL.RawQuery)
	if !ok {
		return false
	}
	to, err := h.store.RedirectTarget(r.Context(), key)
	if err != nil {
		if !errors.Is(err, redirect.ErrNotFound) {
			h.logger.Warn("redirect look-up failed", "path", r.URL.Path, "err", err)
		}
		return false
	}
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\") {
		// Every door that writes a redirect refuses such a target; one in
		// the table anyway is never followed off the site.
		h.logger.Warn("redirect target is not a path on this site", "path", r.URL.Path, "to", to)
		return false
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return true
}

// oldAddress sends WordPress's "/?p=ID" and "/?page_id=ID" to the
// article or page they named, before the home page (whose cached copy
// ignores the query) can answer them.
func (h *Handler) oldAddress(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" && h.redirectOld(w, r) {
			return
		}
		next(w, r)
	}
}
