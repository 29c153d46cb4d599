// Package web serves the reader site: home page, section fronts, articles
// and their print views, author, tag and static pages. Pages are rendered
// from the database and kept in the page cache until their content changes.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
	"broadsheet/internal/glossary"
	"broadsheet/internal/i18n"
	"broadsheet/internal/media"
	"broadsheet/internal/page"
	"broadsheet/internal/search"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
	"broadsheet/internal/sitemap"
)

// Config is what the reader site needs to know about the site.
type Config struct {
	BaseURL    string // public origin for canonical URLs, without a trailing slash
	PageCache  bool   // keep rendered pages in memory
	CacheBytes int    // bound on the page cache
	MediaDir   string // folder served at /media/ when Media is nil
	MaxAge     int    // Cache-Control max-age for pages, in seconds
	// Media is the storage served at /media/: a folder or an S3 bucket.
	Media media.Storage
	// SitemapURLs is how many URLs one sitemap file lists before the rest
	// of its month goes to a next part; 0 is the protocol's 50,000. Tests
	// set a small one to see the split.
	SitemapURLs int
	// Clock is the time the site runs on; nil is the wall clock.
	Clock func() time.Time
	// SurrogateKeys sends each page's content keys in Surrogate-Key, for
	// a cache in front that this site purges by key (--purge-url).
	SurrogateKeys bool
}

// readStore is what the reader site reads.
type readStore interface {
	Settings(ctx context.Context) (map[string]string, error)
	Sections(ctx context.Context) ([]section.Section, error)
	Pages(ctx context.Context) ([]page.Page, error)
	PageBySlug(ctx context.Context, slug string) (page.Page, error)
	Article(ctx context.Context, id int64) (article.Article, error)
	ListArticles(ctx context.Context, q article.ListQuery) ([]article.Article, error)
	TopStories(ctx context.Context, limit int) ([]article.Article, error)
	SectionPicks(ctx context.Context, sectionID int64, limit int) ([]article.Article, error)
	AuthorBySlug(ctx context.Context, slug string) (author.Author, error)
	Search(ctx context.Context, q search.Query) ([]search.Hit, error)
	SearchCount(ctx context.Context, q search.Query) (int, error)
	MostRead(ctx context.Context, since time.Time, limit int) ([]article.Article, []int64, error)
	RelatedArticles(ctx context.Context, id int64, limit int) ([]article.Article, error)
	TagBySlug(ctx context.Context, slug string) (article.Tag, error)

	// For the feeds and sitemaps.
	LoadBylinesAndTags(ctx context.Context, list []article.Article) error
	PublishedMonths(ctx context.Context) ([]article.Month, error)
	PublishedBetween(ctx context.Context, from, to time.Time, after article.Cursor, limit int) ([]article.Article, error)
	PublishedPosition(ctx context.Context, from, to time.Time, n int) (article.Cursor, error)
	Authors(ctx context.Context) ([]author.Author, error)
	TaggedCount(ctx context.Context) (int, error)
	TaggedAfter(ctx context.Context, afterID int64, limit int) ([]article.Tag, error)
	GlossaryLookup(ctx context.Context, keys []string) ([]glossary.Entry, error)

	// RedirectTarget is the new address of an old one (redirect.LookupKey),
	// redirect.ErrNotFound if none.
	RedirectTarget(ctx context.Context, from string) (string, error)
}

// Handler is the reader site. It is also the cache.Invalidator that every
// content change goes through.
type Handler struct {
	cfg      Config
	logger   *slog.Logger
	store    readStore
	catalog  *i18n.Catalog
	pages    *cache.Pages // nil when the page cache is off
	tmpl     *templates
	assets   *assets
	mux      *http.ServeMux
	nav      atomic.Pointer[navData] // memo of sections and page links
	navMu    sync.Mutex              // orders storing the memo against dropping it
	navGen   uint64                  // bumped by every navigation change, under navMu
	cacheCtl []string
	now      func() time.Time
	comments *Comments // nil: comments are off
	views    Views     // nil: views are not counted
	// popups: language and whether chosen → the article's pop-up markup.
	// Drawn from the templates and interface strings alone (embedded), never
	// from the database, so no change on any instance can make it stale.
	popups  sync.Map
	flights flights // renders in progress, one per page (flight.go)
	// bypass: the page cache and the navigation memo may be missing
	// changes (see BypassCache), so neither is read nor filled.
	bypass atomic.Bool
}

// navData is what every page depends on: the site's settings, the
// section tree and the static pages. It is read once and kept until a
// change to any of them.
type navData struct {
	site  site.Settings
	tree  *section.Tree
	pages []page.Page
	local map[string]names // the tree and pages named in each interface language
}

// NewHandler builds the reader site.
func NewHandler(cfg Config, logger *slog.Logger, store readStore, catalog *i18n.Catalog) (*Handler, error) {
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = 64 << 20
	}
	if cfg.SitemapURLs <= 0 || cfg.SitemapURLs > sitemap.MaxURLs {
		cfg.SitemapURLs = sitemap.MaxURLs
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	tm, err := parseTemplates(as)
	if err != nil {
		return nil, err
	}
	h := &Handler{
		cfg: cfg, logger: logger, store: store, catalog: catalog, tmpl: tm, assets: as,
		cacheCtl: []string{cacheControl(cfg.MaxAge)}, now: time.Now,
	}
	if cfg.Clock != nil {
		h.now = cfg.Clock
	}
	if cfg.PageCache {
		h.pages = cache.NewPages(cfg.CacheBytes)
	}
	h.mux = h.routes()
	return h, nil
}

func cacheControl(maxAge int) string {
	if maxAge <= 0 {
		return "no-cache"
	}
	// Shared caches may serve a slightly stale page while they revalidate,
	// and an older one for a day while this site answers with errors (the
	// database not answering).
	return "public, max-age=" + itoa(maxAge) + ", stale-while-revalidate=" + itoa(maxAge*5) + ", stale-if-error=86400"
}

// ServeHTTP serves the reader site.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Invalidate drops cached pages showing any of keys; a change to the
// section list or the static pages also drops the navigation memo.
func (h *Handler) Invalidate(keys ...string) {
	for _, k := range keys {
		if k == cache.KeyNav || k == cache.KeyAll || k == cache.KeySettings {
			h.navMu.Lock()
			h.navGen++
			h.nav.Store(nil)
			h.navMu.Unlock()
		}
	}
	if h.pages != nil {
		h.pages.Invalidate(pageKeys(keys)...)
	}
}

// every page shows the settings, so KeySettings also drops all pages;
// the cache knows KeyAll for that.
func pageKeys(keys []string) []string {
	for _, k := range keys {
		if k == cache.KeySettings {
			return append(keys, cache.KeyAll)
		}
	}
	return keys
}

// BypassCache(true) makes the site render every page from the database,
// neither reading the page cache nor storing into it, nor keeping the
// navigation memo, until BypassCache(false). The cluster sets it while
// this instance cannot hear the others' changes: its copies, however
// fresh, may then show an article another instance has taken down. The
// caller empties the cache before trusting it again.
func (h *Handler) BypassCache(on bool) { h.bypass.Store(on) }

// SetPageLifetime bounds how long a cached page is served after it was
// rendered, for an instance that may miss another's invalidation (see
// cache.Pages.SetLifetime). Zero: until it is invalidated.
func (h *Handler) SetPageLifetime(d time.Duration) {
	if h.pages != nil {
		h.pages.SetLifetime(d)
	}
}

// PageCacheStats reports the page cache's entries, bytes, hits and misses.
func (h *Handler) PageCacheStats() (entries, bytes int, hits, misses uint64) {
	if h.pages == nil {
		return 0, 0, 0, 0
	}
	return h.pages.Stats()
}

func (h *Handler) navigation(ctx context.Context) (*navData, error) {
	bypass := h.bypass.Load()
	if n := h.nav.Load(); n != nil && !bypass {
		return n, nil
	}
	h.navMu.Lock()
	gen := h.navGen
	h.navMu.Unlock()
	settings, err := h.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	secs, err := h.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	pgs, err := h.store.Pages(ctx)
	if err != nil {
		return nil, err
	}
	n := &navData{site: site.FromMap(settings), tree: section.NewTree(secs), pages: pgs}
	n.local = localNames(n.tree, pgs)
	// Keep the memo only if no change came in while reading: otherwise
	// this copy may already be out of date (it still serves this request).
	h.navMu.Lock()
	if h.navGen == gen && !bypass && !h.bypass.Load() {
		h.nav.Store(n)
	}
	h.navMu.Unlock()
	return n, nil
}
