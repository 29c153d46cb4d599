package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/comment"
	"broadsheet/internal/http/request"
	staticpage "broadsheet/internal/page"
)

type pagesPage struct {
	page
	Pages []staticpage.Page
	Form  form
}

type pageEditPage struct {
	page
	Page   staticpage.Page
	Policy bool // the Standards Board Policy: its slug is fixed
	Form   form
}

func staticPagePath(id int64) string {
	if id == 0 {
		return "/newsroom/pages"
	}
	return fmt.Sprintf("/newsroom/pages/%d", id)
}

// pageFieldErrors are the messages for the fields Normalize refuses.
var pageFieldErrors = map[string]string{
	"slug":  "newsroom_page_err_slug",
	"title": "newsroom_page_err_title",
	"body":  "newsroom_page_err_body",
}

// GET /newsroom/pages — the static pages, with the form to add one.
func (h *handler) showPages(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderPages(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderPages(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	all, err := h.cfg.Manage.Pages(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.render(w, r, status, "pages", pagesPage{
		page:  h.managePage(r, v, v.L.T("newsroom_pages_title"), "pages", staticPagePath(0)),
		Pages: all, Form: f})
}

// readPage copies the form onto p, checks it and renders its Markdown as
// the API does, and names each field in error.
func (h *handler) readPage(l locale, f url.Values, p *staticpage.Page) map[string]string {
	p.Slug, p.Title, p.Body = strings.TrimSpace(f.Get("slug")), f.Get("title"), f.Get("body")
	p.UpdatedAt = h.now().UTC().Truncate(time.Millisecond)
	errs := map[string]string{}
	for field, msg := range p.Normalize() {
		if id, ok := pageFieldErrors[field]; ok {
			errs[field] = l.T(id)
		} else {
			errs["form"] = msg
		}
	}
	if len(errs) == 0 {
		html, err := article.RenderMarkdown(p.Body)
		var ve article.ValidationError
		switch {
		case errors.As(err, &ve):
			errs["body"] = l.T("newsroom_field_body") + " " + ve["body"]
		case err != nil:
			errs["body"] = l.T("newsroom_page_err_markdown")
		}
		p.BodyHTML = html
	}
	if p.Slug == comment.PolicySlug && errs["body"] == "" && len(comment.ParsePolicy(p.Body).Rules) == 0 {
		// Moderators cite the rules by number: a policy without them
		// would leave every decision without a rule.
		errs["body"] = l.T("newsroom_page_err_policy_rules")
	}
	return errs
}

// pageSaved tells the reader site and the comment service about a page
// that changed, under its old slug and its new one.
func (h *handler) pageSaved(oldSlug, newSlug string) {
	h.invalidate(cache.PageKey(oldSlug), cache.PageKey(newSlug), cache.KeyNav)
	if oldSlug == comment.PolicySlug || newSlug == comment.PolicySlug {
		// The comment rules are read from the policy page.
		h.forgetComments()
	}
}

// POST /newsroom/pages — add a static page.
func (h *handler) addPage(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	var p staticpage.Page
	errs := h.readPage(v.L, f, &p)
	if len(errs) == 0 {
		err := h.cfg.Manage.CreatePage(r.Context(), &p)
		if errors.Is(err, staticpage.ErrExists) {
			errs["slug"] = v.L.T("newsroom_page_err_exists")
		} else if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderPages(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: f, Errors: errs})
		return
	}
	h.pageSaved(p.Slug, p.Slug)
	h.audit.Record(r.Context(), v.Staff, "page.create", "page", p.ID, p.Title, nil, pageAudit(p))
	redirect(w, r, v.L, staticPagePath(0))
}

// GET /newsroom/pages/{id} — one page, with the form to change it.
func (h *handler) showPageEdit(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderPageEdit(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderPageEdit(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Manage.PageByID(r.Context(), id)
	if err != nil {
		h.manageFail(w, r, v, err)
		return
	}
	h.render(w, r, status, "page_edit", pageEditPage{
		page: h.managePage(r, v, v.L.T("newsroom_page_edit_title", "Title", p.Title), "pages", staticPagePath(id)),
		Page: p, Policy: p.Slug == comment.PolicySlug, Form: f})
}

// POST /newsroom/pages/{id} — change a page. The Standards Board Policy
// keeps its slug: the comment rules are read from the page by it.
func (h *handler) savePage(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	before, err := h.cfg.Manage.PageByID(r.Context(), id)
	if err != nil {
		h.manageFail(w, r, v, err)
		return
	}
	f := r.PostForm
	p := before
	errs := h.readPage(v.L, f, &p)
	if before.Slug == comment.PolicySlug && p.Slug != before.Slug {
		errs["slug"] = v.L.T("newsroom_page_err_policy_slug", "Slug", comment.PolicySlug)
	}
	if len(errs) == 0 {
		err := h.cfg.Manage.UpdatePage(r.Context(), p)
		if errors.Is(err, staticpage.ErrExists) {
			errs["slug"] = v.L.T("newsroom_page_err_exists")
		} else if err != nil {
			h.manageFail(w, r, v, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderPageEdit(w, r, v, http.StatusUnprocessableEntity, form{Name: "edit", Values: f, Errors: errs})
		return
	}
	h.pageSaved(before.Slug, p.Slug)
	h.audit.Record(r.Context(), v.Staff, "page.update", "page", id, p.Title, pageAudit(before), pageAudit(p))
	redirect(w, r, v.L, staticPagePath(0))
}

// pageAudit is a page as the audit log keeps it: the Markdown, not the
// HTML made from it.
func pageAudit(p staticpage.Page) map[string]string {
	return map[string]string{"slug": p.Slug, "title": p.Title, "body": p.Body}
}
