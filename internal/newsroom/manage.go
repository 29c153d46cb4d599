package newsroom

import (
	"broadsheet/internal/webhook"
	"context"
	"net/http"
	"net/url"

	"broadsheet/internal/account"
	"broadsheet/internal/author"
	staticpage "broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

// ManageStore is what the editors' and admins' pages for sections,
// authors, static pages and site settings read; they change them through
// ManageServices, as the JSON API does.
type ManageStore interface {
	Sections(ctx context.Context) ([]section.Section, error)
	SectionByID(ctx context.Context, id int64) (section.Section, error)
	Authors(ctx context.Context) ([]author.Author, error)
	AuthorByID(ctx context.Context, id int64) (author.Author, error)
	Pages(ctx context.Context) ([]staticpage.Page, error)
	PageByID(ctx context.Context, id int64) (staticpage.Page, error)
	Settings(ctx context.Context) (map[string]string, error)
}

// ManageServices change sections, authors, static pages, the site
// settings and the fronts' picks: the services the JSON API uses too, so
// both check, refuse and audit alike.
type ManageServices struct {
	Sections SectionService
	Authors  AuthorService
	Pages    PageService
	Site     SiteService
	Front    FrontService
	Webhooks *webhook.Service // nil: no webhook pages
}

// SectionService changes sections.
type SectionService interface {
	Create(ctx context.Context, actor account.Staff, in section.Input) (section.Section, error)
	Update(ctx context.Context, actor account.Staff, id int64, in section.Input) (section.Section, error)
	Delete(ctx context.Context, actor account.Staff, id int64) error
}

// AuthorService changes authors.
type AuthorService interface {
	Create(ctx context.Context, actor account.Staff, in author.Input) (author.Author, error)
	Update(ctx context.Context, actor account.Staff, id int64, in author.Input) (author.Author, error)
}

// PageService changes static pages.
type PageService interface {
	Create(ctx context.Context, actor account.Staff, in staticpage.Input) (staticpage.Page, error)
	Update(ctx context.Context, actor account.Staff, id int64, in staticpage.Input) (staticpage.Page, error)
}

// SiteService changes the site settings.
type SiteService interface {
	Change(ctx context.Context, actor account.Staff, name, locale, timeZone *string) (site.Settings, error)
}

// FrontService sets the stories leading the home page and section fronts.
type FrontService interface {
	SetTopStories(ctx context.Context, actor account.Staff, ids []int64) error
	SetSectionPicks(ctx context.Context, actor account.Staff, sectionID int64, ids []int64) error
	CheckTopStories(ctx context.Context, actor account.Staff, ids []int64) error
	CheckSectionPicks(ctx context.Context, actor account.Staff, sectionID int64, ids []int64) error
}

// admins may change the site's own settings, manage staff accounts and
// read the audit log.
var admins = account.Role.CanAdminister

// manageRoutes adds the pages for sections, authors, static pages and the
// site settings, when the handler has a store for them.
func (h *handler) manageRoutes(mux *http.ServeMux) {
	if h.cfg.Manage == nil || h.cfg.Services.Sections == nil {
		return
	}
	mux.HandleFunc("GET /newsroom/sections", h.staff(manages, h.showSections))
	mux.HandleFunc("POST /newsroom/sections", h.staff(manages, h.addSection))
	mux.HandleFunc("GET /newsroom/sections/{id}", h.staff(manages, h.showSection))
	mux.HandleFunc("POST /newsroom/sections/{id}", h.staff(manages, h.saveSection))
	mux.HandleFunc("POST /newsroom/sections/{id}/delete", h.staff(manages, h.deleteSection))
	mux.HandleFunc("GET /newsroom/authors", h.staff(manages, h.showAuthors))
	mux.HandleFunc("POST /newsroom/authors", h.staff(manages, h.addAuthor))
	mux.HandleFunc("GET /newsroom/authors/{id}", h.staff(manages, h.showAuthor))
	mux.HandleFunc("POST /newsroom/authors/{id}", h.staff(manages, h.saveAuthor))
	mux.HandleFunc("GET /newsroom/pages", h.staff(manages, h.showPages))
	mux.HandleFunc("POST /newsroom/pages", h.staffLarge(manages, h.addPage))
	mux.HandleFunc("GET /newsroom/pages/{id}", h.staff(manages, h.showPageEdit))
	mux.HandleFunc("POST /newsroom/pages/{id}", h.staffLarge(manages, h.savePage))
	mux.HandleFunc("GET /newsroom/settings", h.staff(admins, h.showSiteSettings))
	mux.HandleFunc("POST /newsroom/settings", h.staff(admins, h.saveSiteSettings))
}

// managePage is visitPage for the manage pages: a refused form is shown
// at the address it was posted to, so the language switch leads back to
// back, the page the form lives on.
func (h *handler) managePage(r *http.Request, v *visit, title, active, back string) page {
	p := h.visitPage(r, v, title, active)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		other := "ko"
		if v.L.Lang == "ko" {
			other = "en"
		}
		p.SwitchURL = back + "?" + url.Values{"lang": {other}}.Encode()
	}
	return p
}

// maxPageForm bounds the static page form: a page's Markdown may be up
// to page.MaxBody, well over the other forms' limit.
const maxPageForm = staticpage.MaxBody + 16<<10

// staffLarge is staff for the static page form: the session and the role
// are checked before the body is read, the body is read with the larger
// limit, and then staff checks the CSRF token as for any other form
// (ParseForm does not read a body twice).
func (h *handler) staffLarge(may func(account.Role) bool, next staffFunc) http.HandlerFunc {
	inner := h.staff(may, next)
	return func(w http.ResponseWriter, r *http.Request) {
		st, sess, err := h.current(r)
		if err != nil || r.Method != http.MethodPost || !may(st.Role) {
			inner(w, r) // signed out or not allowed: staff answers as usual
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxPageForm)
		if err := r.ParseForm(); err != nil {
			l, _ := h.locale(r)
			v := &visit{Staff: st, Session: sess, L: l}
			h.message(w, r, l, v, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"), l.T("newsroom_form_too_large"))
			return
		}
		inner(w, r)
	}
}
