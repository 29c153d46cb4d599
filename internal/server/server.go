// Package server wires Broadsheet's parts into one HTTP handler and runs
// it with graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"broadsheet/internal/api"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/auth/social"
	"broadsheet/internal/cache"
	"broadsheet/internal/cluster"
	"broadsheet/internal/comment"
	"broadsheet/internal/config"
	"broadsheet/internal/dictionary"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/middleware"
	"broadsheet/internal/i18n"
	"broadsheet/internal/importer"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/media"
	"broadsheet/internal/newsroom"
	"broadsheet/internal/outage"
	"broadsheet/internal/popular"
	"broadsheet/internal/purge"
	"broadsheet/internal/reader"
	"broadsheet/internal/redirect"
	"broadsheet/internal/store"
	"broadsheet/internal/web"
	"broadsheet/internal/webhook"
)

// Server is the assembled site: reader pages, API and health checks.
type Server struct {
	Handler http.Handler
	Web     *web.Handler
	Images  *media.Library
	jobs    sync.WaitGroup // the scheduler, the views' flusher, the sweeper
	access  *middleware.AccessLog
}

// AccessLogJSON lets the access log write its lines to w itself, in the
// very form the logger's JSON handler gives them but at a fraction of the
// cost; w must be where that handler writes. Call it before serving.
func (s *Server) AccessLogJSON(w io.Writer) { s.access.WriteJSONTo(w) }

// Wait returns when the background work started by New has stopped,
// after the context given to New ends.
func (s *Server) Wait() { s.jobs.Wait() }

// New builds the site's handler on an open database. Everything it logs
// goes through logsafe, so no part of the site can write a secret from a
// request (a reset token, an OAuth code, a credential) to the log.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger, db *store.DB) (*Server, error) {
	logger = slog.New(logsafe.NewHandler(logger.Handler()))
	// The dictionary takes about 0.1 s to decode. Every article page lists
	// its less common words, so decode it now, beside start-up, rather
	// than in the first reader's request.
	go func() { _, _ = dictionary.Default() }()
	catalog, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	files, err := OpenMedia(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	site, err := web.NewHandler(web.Config{
		BaseURL: cfg.BaseURL, PageCache: cfg.PageCache, CacheBytes: cfg.CacheMB << 20,
		Media: files, MaxAge: 60, Clock: cfg.Clock, SurrogateKeys: cfg.PurgeURL != "",
	}, logger, db, catalog)
	if err != nil {
		return nil, err
	}
	// Every content change goes through changed: it drops the pages here
	// at once and, through the database, on every other instance (inv);
	// the HTTP cache in front is purged by the instance that made the
	// change only, so one change is one purge.
	comments := comment.NewService(db, nil)
	sched := newScheduler()
	inv, err := cluster.New(cluster.Options{DSN: cfg.DB, Logger: logger}, site, comments, sched)
	if err != nil {
		return nil, err
	}
	var changed cache.Invalidator = inv
	var purger *purge.Client // nil: no HTTP cache in front
	if cfg.PurgeURL != "" {
		purger = purge.New(cfg.PurgeURL, logger, purge.Options{})
		changed = cache.Fanout{inv, purger}
	}
	comments.SetInvalidator(changed)
	articles := article.NewService(db, changed, cfg.Clock)
	auditLog := audit.New(db, logger, cfg.Clock)
	articles.SetAudit(auditLog)
	images := media.NewLibrary(db, files,
		media.Limits{MemoryBudget: int64(cfg.ImageMemoryMB) << 20, MaxWait: cfg.ImageWait})
	articles.SetImages(imageResolver{images})
	hooks := webhook.NewService(db, auditLog, cfg.Clock, cfg.WebhooksAllowPrivate)
	articles.SetEvents(hooks)
	comments.SetEvents(hooks, db)
	every := cfg.SchedulerEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	views := popular.New(db, logger, cfg.Clock)
	site.EnableViews(views)
	viewsEvery := cfg.ViewsEvery
	if viewsEvery <= 0 {
		viewsEvery = 10 * time.Second
	}
	// Background work starts only once nothing else here can fail, and
	// Wait lets the caller see it finish (the views' last batch among it)
	// before closing the database.
	jobs := []func(){
		func() { inv.Run(ctx) },
		func() { sched.run(ctx, logger, scheduleOf(articles, db.NextScheduled, cfg.Clock, every)) },
		func() { views.Run(ctx, viewsEvery) },
		func() { sweepExpired(ctx, logger, db) },
		func() { images.RunCleanup(ctx, logger) },
		func() { webhook.NewSender(hooks, logger, cfg.WebhooksEvery).Run(ctx) },
	}
	if purger != nil {
		jobs = append(jobs, func() { purger.Run(ctx) })
	}
	mux := http.NewServeMux()
	glossaries := glossary.NewService(db, nil)
	glossaries.SetAudit(auditLog)
	sessions := reader.NewSessions(db, cfg.TLS())
	logins, err := newLogins(cfg, logger, db, comments, sessions, site, mux)
	if err != nil {
		return nil, err
	}
	site.EnableComments(&web.Comments{Service: comments, Sessions: sessions, Readers: db, Buttons: loginButtons(logins)})
	apiManage, newsroomManage := manageServices(db, auditLog, changed, comments, cfg.Clock)
	apiManage.Webhooks, newsroomManage.Webhooks = hooks, hooks
	redirects := redirect.NewService(db, auditLog, changed, cfg.Clock)
	apiManage.Redirects = redirects
	// Imports from the newsroom's page run here, through the importer the
	// command line uses, with this server's cache (the pages change at
	// once) and media library. The uploaded files wait in the data folder.
	imports := importer.NewJobs(ctx, db, images, changed, cfg.Clock)
	jobs = append(jobs, func() { <-ctx.Done(); imports.Wait() })
	importDir := cfg.DataDir
	if importDir == "" {
		importDir = os.TempDir()
	}
	importMax := int64(cfg.ImportMaxMB) << 20
	if importMax <= 0 {
		importMax = int64(config.DefaultImportMaxMB) << 20
	}
	mux.Handle("/api/v1/", api.NewHandler(logger, db, articles, glossaries, changed,
		&api.Comments{Service: comments, Sessions: sessions, Readers: db, Audit: auditLog, Tx: db}, apiManage))
	var providerStatus func() []social.ProviderStatus // nil: no social login configured
	if logins != nil {
		providerStatus = logins.Status
	}
	staffPages, err := newsroom.NewHandler(newsroom.Config{Secure: cfg.TLS(), Stylesheet: site.StylesheetURL(), Glossary: glossaries, Audit: auditLog, Articles: articles, Preview: site, Cache: changed, Media: media.NewCatalog(images, db, auditLog),
		Manage: db, Services: newsroomManage, BaseURL: cfg.BaseURL, Clock: cfg.Clock,
		Imports: imports, ImportDir: importDir, ImportMaxBytes: importMax, Redirects: redirects},
		logger, db, comments, catalog, providerStatus)
	if err != nil {
		return nil, err
	}
	mux.Handle("/newsroom/", staffPages)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := db.Ping(ctx); err != nil {
			outage.SetRetryAfter(w)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable: not answering\n"))
			return
		}
		// An instance that may miss other instances' changes is taken out
		// of service (see cluster.Broadcaster.Ready).
		invLine, invOK := inv.Ready(time.Now())
		if !invOK {
			outage.SetRetryAfter(w)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = fmt.Fprintln(w, invLine)
			return
		}
		// A failing login provider does not take this instance out of
		// service (the site works without it), but it is reported.
		_, _ = w.Write([]byte("ready\n"))
		if invLine != "" {
			_, _ = fmt.Fprintln(w, invLine)
		}
		for _, st := range loginStatus(logins) {
			_, _ = fmt.Fprintln(w, st)
		}
		if purger != nil { // nor does a cache that cannot be purged
			_, _ = fmt.Fprintln(w, purger.Status())
		}
	})
	mux.Handle("/", site)

	// Every request meets middleware.Front first: its id, the security
	// headers, its access line. A page the cache holds is answered there
	// (site.ServeCached), without routing or a database deadline; the rest
	// goes on through the chain to the router.
	var chain []func(http.Handler) http.Handler
	if len(cfg.Proxies) > 0 {
		chain = append(chain, middleware.ClientIP(cfg.Proxies))
	}
	dbTimeout := cfg.DBTimeout
	if dbTimeout <= 0 {
		dbTimeout = config.DefaultDBTimeout
	}
	chain = append(chain, outage.Deadline(dbTimeout, config.MaxDBTimeout), middleware.CleanURL)
	var access *middleware.AccessLog // nil: the operator turned the access log off
	if cfg.AccessLog {
		access = middleware.NewAccessLog(logger)
		jobs = append(jobs, func() { access.Run(ctx) })
	}
	front := &middleware.Front{Access: access, Panics: logger, TLS: cfg.TLS(), Hot: site.ServeCached, Next: middleware.Chain(mux, chain...)}
	srv := &Server{Handler: front, Web: site, Images: images, access: access}
	for _, job := range jobs {
		srv.jobs.Go(job)
	}
	return srv, nil
}

// Listen opens the listening socket for cfg.Addr and, when no base URL is
// configured, sets it from the address actually bound.
func Listen(cfg *config.Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("server: listen on %s: %w", cfg.Addr, err)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = config.OriginFor(ln.Addr().String())
	}
	return ln, nil
}

// Serve serves h on ln until ctx ends, then shuts down gracefully: it
// stops accepting, lets requests in flight finish (up to 15 s), and
// returns. ready, if not nil, receives the bound address.
func Serve(ctx context.Context, ln net.Listener, logger *slog.Logger, h http.Handler, ready func(addr string)) error {
	logger = slog.New(logsafe.NewHandler(logger.Handler())) // net/http's own messages too
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second, // above config.MaxDBTimeout, so that a 503 still goes out
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// sweepExpired deletes expired sessions and abandoned login flows every
// ten minutes until ctx ends, so neither table grows without bound.
func sweepExpired(ctx context.Context, logger *slog.Logger, db *store.DB) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			// A database that stopped answering must not hold the sweeper
			// (and a pooled connection) for good: the next round tries again.
			runCtx, cancel := context.WithTimeout(ctx, time.Minute)
			if err := db.DeleteExpired(runCtx, now); err != nil && ctx.Err() == nil {
				logger.Warn("deleting expired sessions failed", "err", err)
			}
			cancel()
		}
	}
}

// imageResolver lets articles refer to uploaded images by address.
type imageResolver struct{ lib *media.Library }

// An address of the media library that names no image (one deleted, or
// never uploaded) is refused rather than kept as a broken image.
func (r imageResolver) ResolveImage(ctx context.Context, url string) (string, int, int, bool, error) {
	im, err := r.lib.ImageByURL(ctx, url)
	if _, _, _, uploaded := media.ParseURL(url); uploaded && errors.Is(err, media.ErrNotFound) {
		return "", 0, 0, false, article.ErrUnknownImage
	}
	if errors.Is(err, media.ErrNotFound) {
		return "", 0, 0, false, nil
	}
	if err != nil {
		return "", 0, 0, false, err
	}
	return im.Srcset(), im.Width, im.Height, true, nil
}
