package web

import "net/http"

// routes lists every page of the reader site.
func (h *Handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.cached(h.showHome))
	mux.HandleFunc("GET /section/{path...}", h.cachedList(h.showSection))
	mux.HandleFunc("GET /article/{id}", h.redirectArticle)
	mux.HandleFunc("GET /article/{id}/{slug}", h.cached(h.showArticle))
	mux.HandleFunc("GET /article/{id}/{slug}/print", h.cached(h.showArticlePrint))
	mux.HandleFunc("GET /author/{slug}", h.cachedList(h.showAuthor))
	mux.HandleFunc("GET /tag/{slug}", h.cachedList(h.showTag))
	mux.HandleFunc("GET /page/{slug}", h.cached(h.showPage))
	mux.HandleFunc("GET /dictionary", h.showDictionary)
	mux.HandleFunc("GET /article/{id}/{slug}/comments", h.showComments)
	mux.HandleFunc("POST /article/{id}/{slug}/comments", h.postComment)
	mux.HandleFunc("POST /comments/{id}/{action}", h.commentAction)
	mux.HandleFunc("GET /account", h.showAccount)
	mux.HandleFunc("GET /account/policy", h.showPolicy)
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
