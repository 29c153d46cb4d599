package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/http/request"
	"broadsheet/internal/section"
)

type sectionsPage struct {
	page
	Rows []sectionRow
	Form form
}

type sectionEditPage struct {
	page
	Section section.Section
	Parents []sectionRow // every section it may move under
	Form    form
}

// sectionRow is a section in the tree as the list shows it.
type sectionRow struct {
	section.Section
	Depth int
}

// Indent marks the row's level with one dash per step (the pages' CSP
// allows no inline style).
func (r sectionRow) Indent() string { return strings.Repeat("— ", r.Depth) }

// sectionRows lays the sections out as a tree, each followed by its
// children in their order.
func sectionRows(all []section.Section) []sectionRow {
	tree := section.NewTree(all)
	var out []sectionRow
	seen := map[int64]bool{}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, s := range tree.Children(parent) {
			if seen[s.ID] { // a corrupt tree with a cycle ends here
				continue
			}
			seen[s.ID] = true
			out = append(out, sectionRow{Section: s, Depth: depth})
			walk(s.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

func sectionPath(id int64) string {
	if id == 0 {
		return "/newsroom/sections"
	}
	return fmt.Sprintf("/newsroom/sections/%d", id)
}

// GET /newsroom/sections — the section tree, with the form to add one.
func (h *handler) showSections(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderSections(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderSections(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	all, err := h.cfg.Manage.Sections(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	h.render(w, r, status, "sections", sectionsPage{
		page: h.managePage(r, v, v.L.T("newsroom_sections_title"), "sections", sectionPath(0)),
		Rows: sectionRows(all), Form: f})
}

// sectionFieldErrors are the messages for the fields the service refuses.
var sectionFieldErrors = map[string]string{
	"slug":        "newsroom_section_err_slug",
	"name":        "newsroom_section_err_name",
	"name_ko":     "newsroom_section_err_name_ko",
	"description": "newsroom_section_err_description",
	"parent":      "newsroom_section_err_parent",
}

// readSection reads the form; a parent or position that is not a number
// is named here, everything else the service checks.
func readSection(l locale, f url.Values) (section.Input, map[string]string) {
	in := section.Input{Name: f.Get("name"), NameKo: f.Get("name_ko"), Slug: f.Get("slug"), Description: f.Get("description")}
	errs := map[string]string{}
	if p := strings.TrimSpace(f.Get("parent")); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id < 0 {
			errs["parent"] = l.T("newsroom_section_err_parent")
		}
		in.ParentID = id
	}
	if p := strings.TrimSpace(f.Get("position")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > section.MaxPosition {
			errs["position"] = l.T("newsroom_section_err_position", "Max", section.MaxPosition)
		}
		in.Position = n
	}
	return in, errs
}

// sectionErrors turns what the service refused into field errors; ok is
// false for an error no form shows.
func sectionErrors(l locale, err error) (map[string]string, bool) {
	var ve section.ValidationError
	switch {
	case errors.As(err, &ve):
		errs := map[string]string{}
		for field, msg := range ve {
			switch id, ok := sectionFieldErrors[field]; {
			case ok:
				errs[field] = l.T(id)
			case field == "position":
				errs[field] = l.T("newsroom_section_err_position", "Max", section.MaxPosition)
			default:
				errs["form"] = msg
			}
		}
		return errs, true
	case errors.Is(err, section.ErrExists):
		return map[string]string{"slug": l.T("newsroom_section_err_exists")}, true
	case errors.Is(err, section.ErrLoop):
		return map[string]string{"parent": l.T("newsroom_section_err_loop")}, true
	}
	return nil, false
}

// POST /newsroom/sections — add a section.
func (h *handler) addSection(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	in, errs := readSection(v.L, f)
	if len(errs) == 0 {
		_, err := h.cfg.Services.Sections.Create(r.Context(), v.Staff, in)
		if fe, ok := sectionErrors(v.L, err); ok {
			errs = fe
		} else if err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderSections(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: f, Errors: errs})
		return
	}
	redirect(w, r, v.L, sectionPath(0))
}

// GET /newsroom/sections/{id} — one section, with the forms to change
// and delete it.
func (h *handler) showSection(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderSection(w, r, v, http.StatusOK, form{})
}

func (h *handler) renderSection(w http.ResponseWriter, r *http.Request, v *visit, status int, f form) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	s, err := h.cfg.Manage.SectionByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	all, err := h.cfg.Manage.Sections(r.Context())
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	inside := map[int64]bool{}
	for _, sub := range section.NewTree(all).Subtree(id) {
		inside[sub] = true
	}
	var parents []sectionRow
	for _, row := range sectionRows(all) {
		if !inside[row.ID] {
			parents = append(parents, row)
		}
	}
	h.render(w, r, status, "section", sectionEditPage{
		page:    h.managePage(r, v, v.L.T("newsroom_section_edit_title", "Name", s.Name), "sections", sectionPath(id)),
		Section: s, Parents: parents, Form: f})
}

// POST /newsroom/sections/{id} — change a section. A new slug or parent
// moves it and everything under it to new addresses.
func (h *handler) saveSection(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	in, errs := readSection(v.L, f)
	if len(errs) == 0 {
		_, err := h.cfg.Services.Sections.Update(r.Context(), v.Staff, id, in)
		if fe, ok := sectionErrors(v.L, err); ok {
			errs = fe
		} else if err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderSection(w, r, v, http.StatusUnprocessableEntity, form{Name: "edit", Values: f, Errors: errs})
		return
	}
	redirect(w, r, v.L, sectionPath(0))
}

// POST /newsroom/sections/{id}/delete — remove an empty section; one
// with articles or sections under it stays, and the page says why.
func (h *handler) deleteSection(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Services.Sections.Delete(r.Context(), v.Staff, id); err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, sectionPath(0))
}
