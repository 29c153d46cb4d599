package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
	"broadsheet/internal/http/request"
	"broadsheet/internal/i18n"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/outage"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

// locale is the interface language and the site's time zone. explicit
// marks a language the reader chose with ?lang=, which links then carry
// on, so that the choice holds from page to page.
type locale struct {
	*i18n.Translator
	tz       *time.Location
	explicit bool
}

// Explicit reports a language the reader chose with ?lang=.
func (l locale) Explicit() bool { return l.explicit }

// URL is an internal link that keeps the reader's chosen language.
func (l locale) URL(path string) string {
	switch {
	case !l.explicit:
		return path
	case strings.HasSuffix(path, "?"):
		return path + "lang=" + l.Lang
	case strings.Contains(path, "?"):
		return path + "&lang=" + l.Lang
	}
	return path + "?lang=" + l.Lang
}

// DateTime formats a time for readers of this language in the site's zone.
func (l locale) DateTime(t time.Time) string { return l.Translator.DateTime(t, l.tz) }

// Date formats a date for readers of this language in the site's zone.
func (l locale) Date(t time.Time) string { return l.Translator.Date(t, l.tz) }

// ISO formats a time for machines (the datetime attribute).
func (l locale) ISO(t time.Time) string { return t.In(l.tz).Format(time.RFC3339) }

type siteInfo struct {
	Name    string
	BaseURL string
}

// crumb is one step of a breadcrumb; the last has no URL.
type crumb struct {
	Name string
	URL  string
}

// layout is the data every page shares: built once per rendered page by
// the cached adapter, then embedded in each page's own data.
type layout struct {
	L           locale
	Site        siteInfo
	Nav         []section.Section
	Pages       []page.Page
	Title       string
	Description string
	Canonical   string
	Active      string // nav entry to mark as current
	SwitchURL   string // this page in the other interface language
	JSONLD      []any
	Meta        meta
	Now         time.Time
	// Preview marks an article page drawn for the newsroom's preview
	// (ArticlePreview): a banner, noindex, no comments or scripts.
	Preview bool
	tree    *section.Tree
}

// result is what a page handler produces: a template and its data (or,
// for a document that is not HTML, its bytes and type), the cache keys of
// the content shown, or a redirect.
type result struct {
	name         string
	data         any
	body         []byte // a feed or sitemap, written by the handler
	contentType  string // of body
	keys         []string
	redirect     string
	lastModified time.Time // newest change shown, for Last-Modified; zero: none
	expires      time.Time // when the page goes out of date without a change, e.g. a time window; zero: never
}

type pageFunc func(r *http.Request, base layout) (result, error)

// Errors that page handlers return for the adapter to turn into pages.
var (
	errNotFound   = errors.New("not found")
	errBadRequest = errors.New("bad request")
)

var htmlType = "text/html; charset=utf-8"

// How the adapter keys a page in the cache.
type cacheMode int

const (
	modePage     cacheMode = iota // one copy per interface language
	modeList                      // also one per ?after= cursor
	modeDocument                  // one copy for everyone
)

// cached is the one adapter between page handlers and HTTP. It serves
// from the page cache when it can; otherwise it renders the page, stores
// it when the cache is on, and answers with validators either way.
func (h *Handler) cached(fn pageFunc) http.HandlerFunc { return h.adapt(fn, modePage) }

// cachedList is cached for paged lists, whose ?after= cursor selects the
// page. Other pages ignore ?after=, so it cannot make copies of them.
func (h *Handler) cachedList(fn pageFunc) http.HandlerFunc { return h.adapt(fn, modeList) }

// cachedDoc is cached for documents for machines — feeds, sitemaps,
// robots.txt. They are written in the site's language whatever the
// reader's and ignore the query, so one copy serves every request.
func (h *Handler) cachedDoc(fn pageFunc) http.HandlerFunc { return h.adapt(fn, modeDocument) }

func (h *Handler) adapt(fn pageFunc, mode cacheMode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var q url.Values // parsed only when there is a query: the common case has none
		if r.URL.RawQuery != "" {
			q = r.URL.Query()
		}
		nav, err := h.navigation(r.Context())
		if err != nil {
			h.serveError(w, r, i18n.Supported[0], err)
			return
		}
		lang, explicit := h.langOf(r, q, nav.site.Locale)
		key := lang + "|" + r.URL.Path
		if mode == modeDocument {
			lang, explicit, key = nav.site.Locale, false, "|"+r.URL.Path
		}
		if after := q.Get("after"); mode == modeList && after != "" {
			c, err := article.ParseCursor(after)
			if err != nil {
				h.serveError(w, r, lang, badCursorError{after})
				return
			}
			key += "|" + c.String() // one entry per page, however the cursor was spelled
		}
		if explicit {
			key += "|lang" // its links carry ?lang=
		}
		if h.pages == nil || h.bypass.Load() {
			// Without the cache each request renders its own page: the
			// cache is what makes two requests the same page. While the
			// cache is bypassed (BypassCache) it is also what would tell a
			// request arriving after a change not heard of from a render
			// begun before it, so no render is shared either.
			h.deliver(w, r, lang, key, h.render(r, fn, mode, lang, explicit, false), nil)
			return
		}
		render := func(r *http.Request) rendered { return h.render(r, fn, mode, lang, explicit, true) }
		p, gen := h.pages.Get(key)
		var stale *cache.Page // an expired copy, kept in case rebuilding fails
		if p != nil {
			if !p.Expired(h.now()) {
				p.Serve(w, r, h.cacheCtl)
				return
			}
			stale = p
		}
		k := flightKey{key, gen}
		f, leader := h.flights.join(k)
		if !leader {
			if stale != nil {
				// The expired copy meanwhile: a slow or silent database
				// holds the one reader rebuilding the page, not every reader.
				stale.Serve(w, r, staleCacheControl)
				return
			}
			select {
			case <-f.done:
				h.deliver(w, r, lang, key, f.out, nil)
			case <-r.Context().Done():
				if err := r.Context().Err(); errors.Is(err, context.DeadlineExceeded) {
					h.serveError(w, r, lang, fmt.Errorf("waiting for %s to be rendered: %w", key, err))
				} // else the client went away: there is no one to answer
			}
			return
		}
		ctx, cancel := shared(r.Context())
		defer cancel()
		out := h.flights.lead(k, f, func() rendered {
			out := render(r.WithContext(ctx))
			if out.page != nil {
				// Stored before the flight lands, so that a request coming
				// after it finds the page; refused if an invalidation came
				// since Get, as the render may have read the old content.
				h.pages.Put(key, out.page, gen)
			}
			return out
		})
		h.deliver(w, r, lang, key, out, stale)
	}
}

// render produces a page for adapt, compressed when the cache will keep
// it (keep).
func (h *Handler) render(r *http.Request, fn pageFunc, mode cacheMode, lang string, explicit, keep bool) rendered {
	base, err := h.layout(r, lang)
	if err != nil {
		return rendered{err: err}
	}
	base.L.explicit = explicit
	base.Meta.Languages = mode != modeDocument
	res, err := fn(r, base)
	if err != nil {
		return rendered{err: err}
	}
	if res.redirect != "" {
		return rendered{redirect: res.redirect}
	}
	body, ctype, pageLang := res.body, res.contentType, ""
	if body == nil {
		if body, err = h.tmpl.render(res.name, res.data); err != nil {
			return rendered{err: err}
		}
		ctype = htmlType
	}
	if mode != modeDocument {
		pageLang = lang
	}
	p := cache.NewPage(http.StatusOK, ctype, body, append(res.keys, cache.KeyNav), pageLang)
	p.SetLastModified(res.lastModified)
	p.Expires = res.expires
	if !h.cfg.SurrogateKeys {
		p.DropSurrogateKey()
	}
	if keep {
		p.Compress()
	}
	return rendered{page: p}
}

// deliver answers r with what a render produced. stale, when set, is an
// expired copy of the page, served rather than an error page when the
// page could not be rebuilt because the database is not answering; so is,
// when there is none, whatever copy the cache still keeps under key — one
// past its lifetime, or one kept while the cache is bypassed — since
// nothing can change while the database does not answer.
func (h *Handler) deliver(w http.ResponseWriter, r *http.Request, lang, key string, out rendered, stale *cache.Page) {
	if out.err != nil && stale == nil && h.pages != nil && errorStatus(out.err) >= 500 {
		stale = h.pages.Last(key)
	}
	switch {
	case out.err != nil && stale != nil && errorStatus(out.err) >= 500:
		h.logger.WarnContext(r.Context(), "serving an expired page: rebuilding it failed", "request_id", request.ID(r.Context()),
			"path", r.URL.Path, "err", out.err)
		stale.Serve(w, r, staleCacheControl)
	case out.err != nil:
		h.serveError(w, r, lang, out.err)
	case out.redirect != "":
		to := out.redirect
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	default:
		out.page.Serve(w, r, h.cacheCtl)
	}
}

// staleCacheControl goes with an expired copy: shared caches and
// browsers must ask again rather than keep it.
var staleCacheControl = []string{"no-cache"}

// lang picks the interface language: an explicit ?lang=, else the
// reader's Accept-Language, else the site's setting.
func (h *Handler) lang(r *http.Request) string {
	lang, _ := h.chosenLang(r)
	return lang
}

// chosenLang is lang, also reporting whether ?lang= chose it.
func (h *Handler) chosenLang(r *http.Request) (string, bool) {
	var q url.Values
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	def := i18n.Supported[0]
	if nav, err := h.navigation(r.Context()); err == nil {
		def = nav.site.Locale
	}
	return h.langOf(r, q, def)
}

// langOf also reports whether the language was chosen explicitly; def is
// the site's setting.
func (h *Handler) langOf(r *http.Request, q url.Values, def string) (string, bool) {
	if l := q.Get("lang"); l != "" && i18n.IsSupported(l) {
		return l, true
	}
	al := r.Header.Get("Accept-Language")
	if al == "" {
		return def, false
	}
	return h.catalog.Match(al, def), false
}

// switchURL is the current page, same place in a list, in the other
// interface language.
func switchURL(r *http.Request, lang string) string {
	other := "ko"
	if lang == "ko" {
		other = "en"
	}
	q := url.Values{"lang": {other}}
	for _, keep := range []string{"after", "q"} { // the place in a list, the word looked up
		if v := r.URL.Query().Get(keep); v != "" {
			q.Set(keep, v)
		}
	}
	return r.URL.Path + "?" + q.Encode()
}

func (h *Handler) layout(r *http.Request, lang string) (layout, error) {
	nav, err := h.navigation(r.Context())
	if err != nil {
		d := site.Defaults()
		return layout{L: locale{Translator: h.catalog.For(lang), tz: d.TimeZone}, Site: siteInfo{Name: d.Name, BaseURL: h.cfg.BaseURL}}, err
	}
	return layout{
		SwitchURL: switchURL(r, lang),
		L:         locale{Translator: h.catalog.For(lang), tz: nav.site.TimeZone},
		Site:      siteInfo{Name: nav.site.Name, BaseURL: h.cfg.BaseURL}, Nav: nav.in(lang).tree.Top(), Pages: nav.in(lang).pages,
		Canonical: h.cfg.BaseURL + r.URL.Path, Now: h.now(), tree: nav.in(lang).tree,
	}, nil
}

// errorPage is the data of the error template.
type errorPage struct {
	layout
	ErrorTitle string
	ErrorText  string
}

// errorStatus is the status a page handler's error deserves: missing
// content is 404, a malformed request 400, a database that does not
// answer 503; anything else is a fault, 500.
func errorStatus(err error) int {
	switch {
	case errors.Is(err, errNotFound), errors.Is(err, article.ErrNotFound), errors.Is(err, section.ErrNotFound),
		errors.Is(err, author.ErrNotFound), errors.Is(err, page.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, errBadRequest), errors.Is(err, article.ErrBadCursor):
		return http.StatusBadRequest
	case outage.Is(err):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// serveError answers with a page that says what went wrong (errorStatus).
// A fault is logged here, once, and answered 500 without detail; an
// outage is logged as a warning and answered 503 with Retry-After.
func (h *Handler) serveError(w http.ResponseWriter, r *http.Request, lang string, err error) {
	status := errorStatus(err)
	switch status {
	case http.StatusServiceUnavailable:
		h.logger.WarnContext(r.Context(), "database not answering", "request_id", request.ID(r.Context()),
			"path", r.URL.Path, "err", err)
	case http.StatusInternalServerError:
		h.logger.ErrorContext(r.Context(), "page failed", "request_id", request.ID(r.Context()),
			"path", logsafe.String(r.URL.Path), "err", err)
	}
	base, navErr := h.layout(r, lang)
	l := base.L
	data := errorPage{ErrorTitle: l.T("not_found_title"), ErrorText: l.T("not_found_text")}
	switch status {
	case http.StatusBadRequest:
		data.ErrorTitle = l.T("bad_request_title")
		data.ErrorText = l.T("bad_request_text", "Detail", badRequestDetail(l, err))
	case http.StatusInternalServerError:
		data.ErrorTitle, data.ErrorText = l.T("server_error_title"), l.T("server_error_text")
	case http.StatusServiceUnavailable:
		data.ErrorTitle, data.ErrorText = l.T("unavailable_title"), l.T("unavailable_text")
		outage.SetRetryAfter(w)
		// Without the database the navigation may be missing too; the page
		// is drawn with the default layout rather than as plain text.
		navErr = nil
	}
	data.layout = base
	data.Title = data.ErrorTitle
	body, rerr := h.tmpl.render("error", data)
	if navErr != nil || rerr != nil {
		http.Error(w, data.ErrorTitle+": "+data.ErrorText, status)
		return
	}
	w.Header().Set("Content-Type", htmlType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// notFound answers paths the site does not have.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, h.catalog.For(h.lang(r)).T("method_not_allowed"), http.StatusMethodNotAllowed)
		return
	}
	if h.redirectOld(w, r) {
		return
	}
	h.serveError(w, r, h.lang(r), errNotFound)
}

// breadcrumb builds Home > Section > Subsection; the last step links too
// when linkLast is set (on an article, every section is a link).
func (b layout) breadcrumb(chain []section.Section, linkLast bool) []crumb {
	out := []crumb{{Name: b.L.T("home"), URL: "/"}}
	for i, s := range chain {
		c := crumb{Name: s.Name, URL: sectionURL(s.Path)}
		if i == len(chain)-1 && !linkLast {
			c.URL = ""
		}
		out = append(out, c)
	}
	return out
}

// breadcrumbLD is the schema.org BreadcrumbList for the same steps, each
// with its absolute URL.
func (b layout) breadcrumbLD(chain []section.Section) breadcrumbListLD {
	items := []listItemLD{{Type: "ListItem", Position: 1, Name: b.L.T("home"), Item: b.Site.BaseURL + "/"}}
	for i, s := range chain {
		items = append(items, listItemLD{Type: "ListItem", Position: i + 2, Name: s.Name, Item: b.Site.BaseURL + sectionURL(s.Path)})
	}
	return breadcrumbListLD{Context: schemaOrg, Type: "BreadcrumbList", Items: items}
}
