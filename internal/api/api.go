// Package api is the JSON API under /api/v1 for newsroom tools and
// integrators. Every route needs a staff API token; what a token may do
// depends on its holder's role.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
	"broadsheet/internal/dictionary"
	"broadsheet/internal/glossary"
	"broadsheet/internal/page"
	"broadsheet/internal/search"
	"broadsheet/internal/section"
)

// apiStore is what the API reads and writes directly; article changes go
// through articleService, which applies the newsroom's rules.
type apiStore interface {
	StaffByToken(ctx context.Context, hash string) (account.Staff, error)
	Sections(ctx context.Context) ([]section.Section, error)
	SectionByPath(ctx context.Context, path string) (section.Section, error)
	SectionByID(ctx context.Context, id int64) (section.Section, error)
	Authors(ctx context.Context) ([]author.Author, error)
	AuthorByID(ctx context.Context, id int64) (author.Author, error)
	AuthorBySlug(ctx context.Context, slug string) (author.Author, error)
	Pages(ctx context.Context) ([]page.Page, error)
	PageBySlug(ctx context.Context, slug string) (page.Page, error)
	Settings(ctx context.Context) (map[string]string, error)
	Search(ctx context.Context, q search.Query) ([]search.Hit, error)
	GlossaryEntry(ctx context.Context, id int64) (glossary.Entry, error)
	GlossaryEntries(ctx context.Context, q glossary.ListQuery) ([]glossary.Entry, error)
	GlossaryLookup(ctx context.Context, keys []string) ([]glossary.Entry, error)
	EachGlossaryEntry(ctx context.Context, fn func(glossary.Entry) error) error
}

// articleService is the article service: every read and change of an
// article goes through it, so the API answers as the newsroom pages do.
type articleService interface {
	Get(ctx context.Context, actor account.Staff, id int64) (article.Article, error)
	List(ctx context.Context, actor account.Staff, q article.ListQuery) ([]article.Article, error)
	Submit(ctx context.Context, actor account.Staff, id int64, version int) (article.Article, error)
	Schedule(ctx context.Context, actor account.Staff, id int64, at time.Time, version int) (article.Article, error)
	Create(ctx context.Context, actor account.Staff, in article.Input) (article.Article, error)
	Update(ctx context.Context, actor account.Staff, id int64, in article.Input, version int) (article.Article, error)
	CreatePaired(ctx context.Context, actor account.Staff, in article.Input, t *article.Translation) (article.Article, error)
	UpdatePaired(ctx context.Context, actor account.Staff, id int64, in article.Input, version int, t *article.Translation) (article.Article, error)
	SetStatus(ctx context.Context, actor account.Staff, id int64, st article.Status) (article.Article, error)
	SetTranslation(ctx context.Context, actor account.Staff, id int64, t article.Translation) (article.Article, error)
}

// glossaryService applies the newsroom's rules to glossary changes.
type glossaryService interface {
	Create(ctx context.Context, actor account.Staff, in glossary.Input) (glossary.Entry, error)
	Update(ctx context.Context, actor account.Staff, id int64, in glossary.Input) (glossary.Entry, error)
	Delete(ctx context.Context, actor account.Staff, id int64) error
	Import(ctx context.Context, actor account.Staff, rows []glossary.Row) (glossary.ImportResult, error)
}

type handler struct {
	logger   *slog.Logger
	store    apiStore
	articles articleService
	glossary glossaryService
	cache    cache.Invalidator
	dict     func() (*dictionary.Dictionary, error) // loaded on first use
	comments *Comments
	manage   Manage
}

// NewHandler builds the API. Its routes are listed in routes.go and
// described in openapi.json.
func NewHandler(logger *slog.Logger, store apiStore, articles articleService, glossaries glossaryService, inv cache.Invalidator, comments *Comments, manage Manage) http.Handler {
	h := &handler{logger: logger, store: store, articles: articles, glossary: glossaries, cache: inv, dict: dictionary.Default, comments: comments, manage: manage}
	mux := http.NewServeMux()
	for _, rt := range h.routes() {
		fn := rt.handle
		switch rt.who.cred {
		case readerSession:
			fn = h.asReader(fn)
		case staffToken:
			fn = h.authenticated(h.allowed(rt.who, fn))
		}
		mux.HandleFunc(rt.method+" "+prefix+rt.path, fn)
	}
	// byPath knows every route's path whatever the method, to tell a wrong
	// method (405, with Allow) from an unknown path (404).
	byPath := http.NewServeMux()
	allow := map[string][]string{}
	for _, rt := range h.routes() {
		p := prefix + rt.path
		if allow[p] == nil {
			byPath.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
		}
		allow[p] = append(allow[p], rt.method)
	}
	mux.HandleFunc(prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := byPath.Handler(r); pattern != "" {
			w.Header().Set("Allow", strings.Join(allow[pattern], ", "))
			h.fail(w, r, &apiError{status: http.StatusMethodNotAllowed, code: codeMethod,
				message: r.Method + " is not allowed on " + r.URL.Path + "; use " + strings.Join(allow[pattern], " or ") + "."})
			return
		}
		h.fail(w, r, &apiError{status: http.StatusNotFound, code: codeNotFound,
			message: "No API route " + r.Method + " " + r.URL.Path + "; see " + prefix + "/openapi.json."})
	})
	return mux
}

const prefix = "/api/v1"

type staffKey struct{}

// authenticated requires a valid bearer token and passes its holder on.
// The handler it wraps finds the holder with actor(r).
func (h *handler) authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || token == "" || len(token) > 256 {
			h.fail(w, r, account.ErrBadToken)
			return
		}
		s, err := h.store.StaffByToken(r.Context(), account.HashToken(strings.TrimSpace(token)))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), staffKey{}, s)))
	}
}

func actor(r *http.Request) account.Staff {
	s, _ := r.Context().Value(staffKey{}).(account.Staff)
	return s
}

// allowed refuses (403) a token whose holder's role the route's rule
// does not allow, before the handler reads anything.
func (h *handler) allowed(who access, next http.HandlerFunc) http.HandlerFunc {
	if who.may == nil {
		panic("api: a token route without a role rule")
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if !who.may(actor(r).Role) {
			h.fail(w, r, &apiError{status: http.StatusForbidden, code: codeForbidden, message: who.refusal})
			return
		}
		next(w, r)
	}
}
