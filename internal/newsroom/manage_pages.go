package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

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

// pageFieldErrors are the messages for the fields the service refuses.
var pageFieldErrors = map[string]string{
	"slug":     "newsroom_page_err_slug",
	"title":    "newsroom_page_err_title",
	"title_ko": "newsroom_page_err_title_ko",
	"body":     "newsroom_page_err_body",
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

// savePageForm saves the form through the service, as the API does,
// and names each field in error; err is a failure no form shows. id is 0
// for a new page.
func (h *handler) savePageForm(r *http.Request, v *visit, f url.Values, id int64) (map[string]string, error) {
	in := staticpage.Input{Slug: f.Get("slug"), Title: f.Get("title"), Body: f.Get("body")}
	if v, ok := f["title_ko"]; ok && len(v) > 0 { // a form without the field keeps the Korean title
		in.TitleKo = &v[0]
	}
	var err error
	if id == 0 {
		_, err = h.cfg.Services.Pages.Create(r.Context(), v.Staff, in)
	} else {
		_, err = h.cfg.Services.Pages.Update(r.Context(), v.Staff, id, in)
	}
	var ve staticpage.ValidationError
	switch {
	case errors.As(err, &ve):
		l := v.L
		errs := map[string]string{}
		for field, msg := range ve {
			switch key, ok := pageFieldErrors[field]; {
			case msg == staticpage.MsgMarkdown:
				errs[field] = l.T("newsroom_page_err_markdown")
			case msg == staticpage.MsgPolicyRules:
				// Moderators cite the rules by number: a policy without
				// them would leave every decision without a rule.
				errs[field] = l.T("newsroom_page_err_policy_rules")
			case msg == staticpage.MsgPolicySlug:
				errs[field] = l.T("newsroom_page_err_policy_slug", "Slug", comment.PolicySlug)
			case ok:
				errs[field] = l.T(key)
			default:
				errs["form"] = msg
			}
		}
		return errs, nil
	case errors.Is(err, staticpage.ErrExists):
		return map[string]string{"slug": v.L.T("newsroom_page_err_exists")}, nil
	}
	return nil, err
}

// POST /newsroom/pages — add a static page.
func (h *handler) addPage(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	errs, err := h.savePageForm(r, v, f, 0)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		h.renderPages(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: f, Errors: errs})
		return
	}
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
		h.fail(w, r, v, err)
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
	f := r.PostForm
	errs, err := h.savePageForm(r, v, f, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		h.renderPageEdit(w, r, v, http.StatusUnprocessableEntity, form{Name: "edit", Values: f, Errors: errs})
		return
	}
	redirect(w, r, v.L, staticPagePath(0))
}
