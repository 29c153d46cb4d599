package newsroom

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	"broadsheet/internal/i18n"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/outage"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the pages drawn inside the newsroom layout.
var pageNames = []string{"login", "home", "message", "queue", "reader", "log", "words", "settings",
	"articles", "article_edit", "revisions", "revision", "diff", "curation",
	"login_code", "reset", "account", "staff", "audit", "webhooks", "webhook_deliveries",
	"import", "import_job", "redirects"}

type templates struct {
	byName map[string]*template.Template
}

// funcs are the few helpers templates need to pass several values to a
// shared template.
var funcs = template.FuncMap{
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"list": func(s ...string) []string { return s },
	// bylines and tagList write an article's authors and tags the way the
	// editor's fields take them.
	"bylines": func(a article.Article) string {
		lines := make([]string, len(a.Authors))
		for i, au := range a.Authors {
			lines[i] = bylineName(au.Name) + " <" + au.Email + ">"
		}
		return strings.Join(lines, "\n")
	},
	// alsoIn tells whether the editor's "other sections" box for a
	// section is ticked: as submitted after a refusal, else as saved.
	"alsoIn": func(f form, a article.Article, s section.Section) bool {
		if f.Name == "article" && f.Values != nil {
			return slices.Contains(f.Values["also_in"], s.Path)
		}
		return slices.Contains(a.AlsoIn, s.ID)
	},
	"tagList": func(a article.Article) string {
		names := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			names[i] = t.Name
		}
		return strings.Join(names, ", ")
	},
}

func parseTemplates() (*templates, error) {
	t := &templates{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		tm, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/forms.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("newsroom: parse %s: %w", name, err)
		}
		t.byName[name] = tm
	}
	return t, nil
}

// locale is the interface language and the site's time zone. A language
// chosen with ?lang= is carried on by every link and form, like on the
// reader site.
type locale struct {
	*i18n.Translator
	tz       *time.Location
	explicit bool
	site     string
}

// URL is a newsroom address that keeps the chosen language.
func (l locale) URL(path string) string {
	if !l.explicit {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&lang=" + l.Lang
	}
	return path + "?lang=" + l.Lang
}

// SiteName is the paper's name.
func (l locale) SiteName() string { return l.site }

// DateTime formats a time in the site's zone for this language.
func (l locale) DateTime(t time.Time) string { return l.Translator.DateTime(t, l.tz) }

// ISO is a time for the datetime attribute.
func (l locale) ISO(t time.Time) string { return t.In(l.tz).Format(time.RFC3339) }

// locale picks the language as the reader site does: ?lang=, else the
// browser's Accept-Language, else the site's setting.
func (h *handler) locale(r *http.Request) (locale, error) {
	m, err := h.store.Settings(r.Context())
	st := site.FromMap(m) // defaults when the read failed
	l := locale{tz: st.TimeZone, site: st.Name}
	lang := st.Locale
	if q := r.URL.Query().Get("lang"); i18n.IsSupported(q) {
		lang, l.explicit = q, true
	} else if al := r.Header.Get("Accept-Language"); al != "" {
		lang = h.catalog.Match(al, st.Locale)
	}
	l.Translator = h.catalog.For(lang)
	return l, err
}

// page is what every newsroom page shares.
type page struct {
	L          locale
	Title      string
	Staff      *account.Staff // nil on the login page
	CSRF       string
	Stylesheet string
	OwnCSS     string
	SwitchURL  string
	Active     string   // the navigation entry to mark
	Scripts    []string // addresses of the page's scripts (see scriptURLs)
	Refresh    int      // seconds after which a browser without JavaScript loads the page again; 0 for never
}

func (h *handler) page(r *http.Request, l locale, st *account.Staff, csrf, title, active string) page {
	other := "ko"
	if l.Lang == "ko" {
		other = "en"
	}
	path, q := r.URL.Path, r.URL.Query()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		path, q = formPage(path), url.Values{}
	}
	q.Set("lang", other)
	return page{L: l, Title: title, Staff: st, CSRF: csrf, Stylesheet: h.cfg.Stylesheet, OwnCSS: h.assets.css.url(),
		SwitchURL: path + "?" + q.Encode(), Active: active}
}

// formPage is the page a form posted to path lives on: a refused form is
// shown again at the address it was posted to, which answers only POST,
// so the language switch must lead back to the page itself.
func formPage(path string) string {
	switch {
	case strings.HasPrefix(path, "/newsroom/moderation/comments/"):
		return "/newsroom/moderation"
	case strings.HasPrefix(path, "/newsroom/moderation/readers/"):
		return strings.TrimSuffix(strings.TrimSuffix(path, "/ban"), "/unban")
	case strings.HasPrefix(path, "/newsroom/moderation/words"):
		return "/newsroom/moderation/words"
	case path == "/newsroom/moderation/modes", path == "/newsroom/moderation/settings":
		return "/newsroom/moderation/settings"
	case path == "/newsroom/login":
		return path
	case path == "/newsroom/login/code":
		return "/newsroom/login"
	case strings.HasPrefix(path, "/newsroom/reset/"):
		return path
	case path == "/newsroom/import", path == "/newsroom/redirects", path == "/newsroom/redirects/delete":
		return strings.TrimSuffix(path, "/delete")
	case strings.HasPrefix(path, "/newsroom/staff"), strings.HasPrefix(path, "/newsroom/account"):
		return strings.Join(strings.SplitN(path, "/", 4)[:3], "/")
	}
	return "/newsroom/"
}

// visitPage is page for a signed-in request.
func (h *handler) visitPage(r *http.Request, v *visit, title, active string) page {
	return h.page(r, v.L, &v.Staff, v.Session.CSRF, title, active)
}

// render answers with a whole page, or a 500 if it cannot be drawn: a
// page is never half written.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	tm, ok := h.tmpl.byName[name]
	if !ok {
		h.serverError(w, r, locale{Translator: h.catalog.For(i18n.Supported[0]), tz: time.UTC}, fmt.Errorf("newsroom: no template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := tm.ExecuteTemplate(&buf, "layout", data); err != nil {
		h.logger.ErrorContext(r.Context(), "newsroom page failed", "request_id", request.ID(r.Context()), "page", name, "err", err)
		http.Error(w, "The page could not be drawn.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type messagePage struct {
	page
	Heading string
	Text    string
}

// message answers with a short page that says what happened; v is nil
// when no one is signed in.
func (h *handler) message(w http.ResponseWriter, r *http.Request, l locale, v *visit, status int, heading, text string) {
	p := h.page(r, l, nil, "", heading, "")
	if v != nil {
		p = h.visitPage(r, v, heading, "")
	}
	h.render(w, r, status, "message", messagePage{page: p, Heading: heading, Text: text})
}

// serverError logs a failure once, here, and answers 500 without detail,
// or 503 with Retry-After when the database did not answer.
func (h *handler) serverError(w http.ResponseWriter, r *http.Request, l locale, err error) {
	if outage.Is(err) {
		h.logger.WarnContext(r.Context(), "database not answering", "request_id", request.ID(r.Context()),
			"path", r.URL.Path, "err", err)
		outage.SetRetryAfter(w)
		h.message(w, r, l, nil, http.StatusServiceUnavailable, l.T("unavailable_title"), l.T("newsroom_unavailable"))
		return
	}
	h.logger.ErrorContext(r.Context(), "newsroom request failed", "request_id", request.ID(r.Context()),
		"path", logsafe.String(r.URL.Path), "err", err)
	h.message(w, r, l, nil, http.StatusInternalServerError, l.T("newsroom_server_error_title"), l.T("newsroom_server_error"))
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	l, _ := h.locale(r)
	h.message(w, r, l, nil, http.StatusNotFound, l.T("newsroom_not_found_title"), l.T("newsroom_not_found_page"))
}

// refusalText is a refusal of the comment service in the staff member's
// language; one without a translation keeps the service's sentence.
func refusalText(l locale, rf *comment.Refusal) string {
	id := "newsroom_err_" + rf.Code
	if msg := l.T(id); msg != id {
		return msg
	}
	return rf.Message
}

// redirect answers a successful form with 303 to a page, keeping the
// chosen language: reloading the page never posts the form again.
func redirect(w http.ResponseWriter, r *http.Request, l locale, path string) {
	http.Redirect(w, r, l.URL(path), http.StatusSeeOther)
}

// form is a refused form shown again: which form on the page (pages have
// several), what was typed, and an error per field.
type form struct {
	Name   string
	Values url.Values
	Errors map[string]string
}

// Err is the error of a field of the named form, "" if none.
func (f form) Err(name, field string) string {
	if f.Name != name {
		return ""
	}
	return f.Errors[field]
}

// Val is what was typed into a field of the named form; def otherwise.
func (f form) Val(name, field, def string) string {
	if f.Name != name || f.Values == nil {
		return def
	}
	return f.Values.Get(field)
}

// Failed reports whether the named form is the one refused.
func (f form) Failed(name string) bool { return f.Name == name && len(f.Errors) > 0 }

// bylineName writes an author's name as the editor's byline field reads
// it back (net/mail): a name with a character that means something in an
// address ("Lee, Jr.") is quoted, its quotes and backslashes escaped. It
// is not mail.Address.String, which would encode a Korean name as
// =?utf-8?q?…?= for a person to read.
func bylineName(name string) string {
	if !strings.ContainsAny(name, `()<>[]:;@\,".`) {
		return name
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}
