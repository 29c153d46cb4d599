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
	to := h.importedTarget(r)
	if to == "" {
		return false
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return true
}

// importedTarget is the new address an import recorded for the request's
// old one, "" for none. An article address of another Broadsheet
// (/article/ID/slug) is such an old address when that paper's archive was
// imported: its id may be another article's here, and the redirect, not
// that article, is what it meant.
func (h *Handler) importedTarget(r *http.Request) string {
	key, ok := redirect.LookupKey(r.URL.EscapedPath(), r.URL.RawQuery)
	if !ok {
		return ""
	}
	to, err := h.store.RedirectTarget(r.Context(), key)
	if err != nil {
		if !errors.Is(err, redirect.ErrNotFound) {
			h.logger.Warn("redirect look-up failed", "path", r.URL.Path, "err", err)
		}
		return ""
	}
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\") {
		// Every door that writes a redirect refuses such a target; one in
		// the table anyway is never followed off the site.
		h.logger.Warn("redirect target is not a path on this site", "path", r.URL.Path, "to", to)
		return ""
	}
	return to
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
