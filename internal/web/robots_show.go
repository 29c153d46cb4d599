package web

import (
	"net/http"
	"strings"
)

// showRobots is /robots.txt: crawlers may read the paper, not the reader
// accounts, login flows, API or the dictionary's endless look-ups, and are
// pointed at the sitemaps.
func (h *Handler) showRobots(r *http.Request, base layout) (result, error) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range []string{"/account", "/auth/", "/api/", "/dictionary"} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("\nSitemap: " + base.Site.BaseURL + "/sitemap.xml\n")
	b.WriteString("Sitemap: " + base.Site.BaseURL + "/sitemaps/news.xml\n")
	return result{body: []byte(b.String()), contentType: "text/plain; charset=utf-8"}, nil
}
