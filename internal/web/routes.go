package web

import (
	"net/http"

	"broadsheet/internal/feed"
)

// routes lists every page of the reader site.
func (h *Handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.oldAddress(h.cached(h.showHome)))
	mux.HandleFunc("GET /section/{path...}", h.sectionOrFeed(h.cachedList(h.showSection), h.cachedDoc(h.showSectionFeed)))
	mux.HandleFunc("GET /article/{id}", h.redirectArticle)
	mux.HandleFunc("GET /article/{id}/{slug}", h.counted(h.cached(h.showArticle)))
	mux.HandleFunc("GET /most-read/{period}", h.cached(h.showMostRead))
	mux.HandleFunc("GET /article/{id}/{slug}/print", h.cached(h.showArticlePrint))
	mux.HandleFunc("GET /article/{id}/{slug}/bilingual", h.cached(h.showArticleBilingual))
	mux.HandleFunc("GET /author/{slug}", h.cachedList(h.showAuthor))
	mux.HandleFunc("GET /tag/{slug}", h.cachedList(h.showTag))
	mux.HandleFunc("GET /page/{slug}", h.cached(h.showPage))
	for _, f := range feed.Formats { // /feed.xml (RSS), /feed.atom, /feed.json, and the same below a page
		mux.HandleFunc("GET /feed."+f.Ext(), h.cachedDoc(h.showSiteFeed))
		mux.HandleFunc("GET /author/{slug}/feed."+f.Ext(), h.cachedDoc(h.showAuthorFeed))
		mux.HandleFunc("GET /tag/{slug}/feed."+f.Ext(), h.cachedDoc(h.showTagFeed))
	}
	mux.HandleFunc("GET /sitemap.xml", h.cachedDoc(h.showSitemapIndex))
	mux.HandleFunc("GET /sitemaps/{name}", h.cachedDoc(h.showSitemap))
	mux.HandleFunc("GET /robots.txt", h.cachedDoc(h.showRobots))
	mux.HandleFunc("GET /dictionary", h.showDictionary)
	mux.HandleFunc("GET /search", h.showSearch)
	mux.HandleFunc("GET /article/{id}/{slug}/comments", h.showComments)
	mux.HandleFunc("POST /article/{id}/{slug}/comments", h.postComment)
	mux.HandleFunc("POST /comments/{id}/{action}", h.commentAction)
	mux.HandleFunc("GET /account", h.showAccount)
	mux.HandleFunc("GET /account/policy", h.showPolicy)
	mux.HandleFunc("GET /account/menu", h.showAccountMenu)
	mux.HandleFunc("POST /account/{action}", h.accountAction)
	mux.HandleFunc("POST /auth/logout", h.logout)
	mux.HandleFunc("GET /reader/{id}", h.showReader)
	mux.HandleFunc("GET /static/{sum}/{name}", h.serveAsset)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, h.assets.url("favicon.svg"), http.StatusMovedPermanently)
	})
	mux.Handle("GET /media/", h.mediaHandler())
	mux.HandleFunc("/", h.notFound)
	return mux
}

// sectionOrFeed routes /section/{path...}: a pattern cannot go on after
// {path...}, so a section's feeds (…/feed.xml, .atom, .json) share the
// front's route and are told apart by their last segment.
func (h *Handler) sectionOrFeed(front, feeds http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if isFeedPath(r.PathValue("path")) {
			feeds(w, r)
			return
		}
		front(w, r)
	}
}
