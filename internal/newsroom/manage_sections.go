package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/cache"
	"broadsheet/internal/http/request"
	"broadsheet/internal/section"
)

// maxPosition bounds a section's position among its siblings.
const maxPosition = 9999

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

// sectionFieldErrors are the messages for the fields Validate refuses.
var sectionFieldErrors = map[string]string{
	"slug":        "newsroom_section_err_slug",
	"name":        "newsroom_section_err_name",
	"description": "newsroom_section_err_description",
}

// readSection copies the form onto s and names each field in error.
func readSection(l locale, f url.Values, s *section.Section) map[string]string {
	s.Name, s.Slug, s.Description = f.Get("name"), strings.TrimSpace(f.Get("slug")), f.Get("description")
	errs := map[string]string{}
	for field, msg := range s.Validate() {
		if id, ok := sectionFieldErrors[field]; ok {
			errs[field] = l.T(id)
		} else {
			errs["form"] = msg
		}
	}
	s.ParentID = 0
	if p := strings.TrimSpace(f.Get("parent")); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id < 0 {
			errs["parent"] = l.T("newsroom_section_err_parent")
		}
		s.ParentID = id
	}
	s.Position = 0
	if p := strings.TrimSpace(f.Get("position")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > maxPosition {
			errs["position"] = l.T("newsroom_section_err_position", "Max", maxPosition)
		}
		s.Position = n
	}
	return errs
}

// sectionStoreErrors turns what the store refused into field errors; ok
// is false for an error no form shows.
func sectionStoreErrors(l locale, err error) (map[string]string, bool) {
	switch {
	case errors.Is(err, section.ErrExists):
		return map[string]string{"slug": l.T("newsroom_section_err_exists")}, true
	case errors.Is(err, section.ErrLoop):
		return map[string]string{"parent": l.T("newsroom_section_err_loop")}, true
	case errors.Is(err, section.ErrNotFound):
		return map[string]string{"parent": l.T("newsroom_section_err_parent")}, true
	}
	return nil, false
}

// POST /newsroom/sections — add a section.
func (h *handler) addSection(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	var s section.Section
	errs := readSection(v.L, f, &s)
	if len(errs) == 0 {
		err := h.cfg.Manage.CreateSection(r.Context(), &s)
		if fe, ok := sectionStoreErrors(v.L, err); ok {
			errs = fe
		} else if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderSections(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: f, Errors: errs})
		return
	}
	h.invalidate(cache.KeyNav)
	h.audit.Record(r.Context(), v.Staff, "section.create", "section", s.ID, s.Path, nil, s)
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
	before, err := h.cfg.Manage.SectionByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := r.PostForm
	s := before
	errs := readSection(v.L, f, &s)
	if len(errs) == 0 && s.ParentID == s.ID {
		errs["parent"] = v.L.T("newsroom_section_err_loop")
	}
	if len(errs) == 0 {
		err := h.cfg.Manage.EditSection(r.Context(), &s)
		if fe, ok := sectionStoreErrors(v.L, err); ok {
			errs = fe
		} else if err != nil {
			h.serverError(w, r, v.L, err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderSection(w, r, v, http.StatusUnprocessableEntity, form{Name: "edit", Values: f, Errors: errs})
		return
	}
	if s.Path != before.Path {
		// Every address under the section changed, articles' included.
		h.invalidate(cache.KeyAll)
	} else {
		h.invalidate(cache.KeyNav, cache.SectionKey(id))
	}
	h.audit.Record(r.Context(), v.Staff, "section.update", "section", id, s.Path, before, s)
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
	before, err := h.cfg.Manage.SectionByID(r.Context(), id)
	if err == nil {
		err = h.cfg.Manage.DeleteSection(r.Context(), id)
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.invalidate(cache.KeyNav, cache.SectionKey(id))
	h.audit.Record(r.Context(), v.Staff, "section.delete", "section", id, before.Path, before, nil)
	redirect(w, r, v.L, sectionPath(0))
}
