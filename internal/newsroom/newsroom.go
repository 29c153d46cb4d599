// Package newsroom serves the staff's HTML pages under /newsroom/: a
// minimal email-and-password login and the moderators' pages for reader
// comments (queue, a reader's file, the log of decisions, the banned-word
// lists, the comment settings and modes). The pages offer what the JSON
// API's /api/v1/moderation routes offer, and act through the same
// comment.Service, so every decision is logged with its staff member and
// rule. Every page works without JavaScript.
package newsroom

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/auth/social"
	"broadsheet/internal/cache"
	"broadsheet/internal/comment"
	"broadsheet/internal/glossary"
	"broadsheet/internal/i18n"
	"broadsheet/internal/reader"
	oldaddr "broadsheet/internal/redirect"
	"broadsheet/internal/section"
)

// Config is what the newsroom pages need to know about the site.
type Config struct {
	Secure     bool   // mark cookies Secure: the site is served over https
	Stylesheet string // address of the reader site's stylesheet, shared for the look; "" for none
	// Glossary keeps the newsroom glossary for the editors' pages; nil
	// leaves those pages out.
	Glossary GlossaryService
	// Audit records every staff action; nil records nothing (tests of
	// single pages).
	Audit *audit.Log
	// Articles is the article service the editor works through; nil
	// leaves the editor's pages out.
	Articles ArticleService
	// Preview draws the reader's article page for the editor's preview;
	// nil leaves the preview out.
	Preview Previewer
	// Cache drops the reader site's cached pages a change shows on.
	Cache cache.Invalidator
	// Media is the media library: its pages, and the editor's lead-image
	// upload; nil leaves both out.
	Media MediaCatalog
	// Manage keeps the sections, authors, static pages and site settings
	// for the editors' and admins' pages; nil leaves those pages out.
	Manage ManageStore
	// Services change what the Manage pages and the curation page show;
	// without them those pages are left out.
	Services ManageServices
	// BaseURL is the site's public origin, for links staff pass on by
	// hand (password resets); "" uses the request's host.
	BaseURL string
	// Imports runs the admins' imports from the import page; nil leaves
	// the page out. ImportDir is where uploaded export files are kept
	// while they are imported (the data folder); ImportMaxBytes bounds
	// one (0: 2 GiB).
	Imports        Imports
	ImportDir      string
	ImportMaxBytes int64
	// Redirects is the service the redirects page changes them through;
	// nil leaves the page out.
	Redirects *oldaddr.Service
	// Clock is the time the pages run on (second-factor codes, lockouts,
	// sessions, reset links); nil for the wall clock.
	Clock func() time.Time
}

// store is what the pages read and write directly; everything about
// comments goes through commentService.
type store interface {
	// InTx joins every call made with its context into one transaction:
	// a change and its audit entry are written that way.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Settings(ctx context.Context) (map[string]string, error)
	StaffByEmail(ctx context.Context, email string) (account.Staff, string, error)
	StaffCredentials(ctx context.Context, email string) (account.Staff, account.Credentials, error)
	StaffByID(ctx context.Context, id int64) (account.Staff, error)
	SetStaffPassword(ctx context.Context, staffID int64, hash string) error
	CreateSession(ctx context.Context, s reader.Session) error
	Session(ctx context.Context, tokenHash string) (reader.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteStaffSessions(ctx context.Context, staffID int64) (int, error)
	Reader(ctx context.Context, id int64) (reader.Reader, error)
	ReaderComments(ctx context.Context, readerID int64, public bool, offset, limit int) ([]comment.Comment, error)
	BannedWords(ctx context.Context) ([]comment.BannedWord, error)
	Sections(ctx context.Context) ([]section.Section, error)
	Article(ctx context.Context, id int64) (article.Article, error)
	ListArticles(ctx context.Context, q article.ListQuery) ([]article.Article, error)
	TagNames(ctx context.Context, limit int) ([]string, error)
	SectionByID(ctx context.Context, id int64) (section.Section, error)
	TopStories(ctx context.Context, limit int) ([]article.Article, error)
	SectionPicks(ctx context.Context, sectionID int64, limit int) ([]article.Article, error)
	GlossaryEntry(ctx context.Context, id int64) (glossary.Entry, error)
	GlossaryEntries(ctx context.Context, q glossary.ListQuery) ([]glossary.Entry, error)
	EachGlossaryEntry(ctx context.Context, fn func(glossary.Entry) error) error
	staffStore
	curationStore
	listStore
	suggestStore
}

// commentService is the part of *comment.Service the moderators use.
type commentService interface {
	Moderate(ctx context.Context, by comment.Moderator, id int64, action string, rule int, reason string) (comment.Comment, error)
	Ban(ctx context.Context, by comment.Moderator, readerID int64, until time.Time, rule int, reason string) error
	Unban(ctx context.Context, by comment.Moderator, readerID int64, reason string) error
	Queue(ctx context.Context, q comment.QueueQuery) ([]comment.Queued, error)
	Log(ctx context.Context, readerID, before int64, limit int) ([]comment.LogEntry, error)
	ChangeSettings(ctx context.Context, m map[string]string) (comment.Settings, map[string]string, error)
	SaveBannedWord(ctx context.Context, w comment.BannedWord) (comment.BannedWord, map[string]string, error)
	DeleteBannedWord(ctx context.Context, id int64) error
	SetMode(ctx context.Context, scope string, id int64, mode comment.Mode) error
	Policy(ctx context.Context) (comment.Policy, error)
	Settings(ctx context.Context) (comment.Settings, error)
}

type handler struct {
	cfg       Config
	logger    *slog.Logger
	store     store
	comments  commentService
	glossary  GlossaryService // nil: no glossary pages
	audit     *audit.Log      // nil-safe: Record on nil does nothing
	articles  ArticleService  // nil: no editor pages
	catalog   *i18n.Catalog
	providers func() []social.ProviderStatus // nil: no social login configured
	tmpl      *templates
	assets    assets  // stylesheet and scripts (assets.go)
	salt      netSalt // of the hashed addresses of failed logins (limiter.go)
	now       func() time.Time
	mux       *http.ServeMux
	// dummyHash is verified when a login names no usable account, so that
	// an unknown email takes as long to refuse as a wrong password.
	dummyHash func() string
}

// NewHandler builds the newsroom pages; providers reports the social
// login providers' health for the moderators (nil when none are set up).
func NewHandler(cfg Config, logger *slog.Logger, st store, comments commentService, catalog *i18n.Catalog,
	providers func() []social.ProviderStatus) (http.Handler, error) {
	tm, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if err := parseGlossaryTemplates(tm); err != nil {
		return nil, err
	}
	if err := parseManageTemplates(tm); err != nil {
		return nil, err
	}
	if err := parseMediaTemplates(tm); err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	h := &handler{cfg: cfg, logger: logger, store: st, comments: comments, glossary: cfg.Glossary, audit: cfg.Audit, articles: cfg.Articles, catalog: catalog, providers: providers,
		tmpl: tm, assets: as, now: time.Now,
		dummyHash: sync.OnceValue(func() string {
			hash, _ := account.HashPassword("no account has this password")
			return hash
		})}
	if cfg.Clock != nil {
		h.now = cfg.Clock
	}
	h.mux = h.routes()
	return h, nil
}

// ServeHTTP serves the newsroom. No staff page may be kept by a browser
// or a shared cache: they show private data and carry CSRF tokens.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	h.mux.ServeHTTP(w, r)
}

// formAudit is what the form said, as the audit log keeps it: secrets
// and the CSRF token are left out; nil for an empty form.
func formAudit(r *http.Request) map[string]string {
	after := map[string]string{}
	for k, vals := range r.PostForm {
		switch k {
		case "csrf", "password", "new_password", "code":
			continue
		}
		if len(vals) > 0 {
			after[k] = vals[0]
		}
	}
	if len(after) == 0 {
		return nil
	}
	return after
}

// record writes an event that changes nothing else (a logout) to the
// audit log with what the form said.
func (h *handler) record(r *http.Request, v *visit, action, targetType string, id int64, summary string) {
	if after := formAudit(r); after != nil {
		h.audit.Record(r.Context(), v.Staff, action, targetType, id, summary, nil, after)
		return
	}
	h.audit.Record(r.Context(), v.Staff, action, targetType, id, summary, nil, nil)
}

// errRefused rolls back an audited change its service refused with
// messages for the form; the caller shows them.
var errRefused = errors.New("newsroom: change refused")

// audited makes a change through a service that keeps no audit log of its
// own and writes its entry, with what the form said, in one transaction:
// both are kept or neither is. change returns errRefused (or any error)
// to store nothing.
func (h *handler) audited(r *http.Request, v *visit, action, targetType string, id int64, summary string, change func(ctx context.Context) error) error {
	var after any
	if m := formAudit(r); m != nil {
		after = m
	}
	return h.audit.Change(r.Context(), h.store, v.Staff, action, targetType, id, summary, after, change)
}

// forgetComments makes the comment service read its settings, words and
// policy again at once. It runs after a change commits: the service
// forgets them itself when it makes a change, but inside a transaction a
// reader could load the old values again before the commit.
func (h *handler) forgetComments() {
	if f, ok := h.comments.(interface{ Forget() }); ok {
		f.Forget()
	}
}
