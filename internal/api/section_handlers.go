package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"broadsheet/internal/cache"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/section"
)

// GET /api/v1/sections lists every section, parents first.
func (h *handler) listSections(w http.ResponseWriter, r *http.Request) {
	all, err := h.store.Sections(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Sections []sectionDTO `json:"sections"`
	}{Sections: []sectionDTO{}}
	for _, s := range all {
		out.Sections = append(out.Sections, sectionOut(s))
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /api/v1/sections creates a section {slug, name, parent, description, position}.
func (h *handler) createSection(w http.ResponseWriter, r *http.Request) {
	var req sectionRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	s := section.Section{}
	if req.Slug != nil {
		s.Slug = *req.Slug
	}
	applySection(&s, req)
	fields := s.Validate()
	if req.Parent != nil && *req.Parent != "" {
		p, err := h.store.SectionByPath(r.Context(), strings.Trim(*req.Parent, "/"))
		switch {
		case errors.Is(err, section.ErrNotFound):
			fields["parent"] = "no section has that path"
		case err != nil:
			h.fail(w, r, err)
			return
		}
		s.ParentID = p.ID
	}
	if err := invalidFields("section", fields); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.store.CreateSection(r.Context(), &s); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cache.Invalidate(cache.KeyNav)
	w.Header().Set("Location", prefix+"/sections/"+strconv.FormatInt(s.ID, 10))
	response.JSON(w, http.StatusCreated, sectionOut(s))
}

// PATCH /api/v1/sections/{id} changes a section's name, description or position.
func (h *handler) updateSection(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, section.ErrNotFound)
		return
	}
	var req sectionRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.Slug != nil {
		h.fail(w, r, invalid("slug", "cannot change, because section URLs use it"))
		return
	}
	if req.Parent != nil {
		h.fail(w, r, invalid("parent", "cannot change, because section URLs use it"))
		return
	}
	s, err := h.store.SectionByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	applySection(&s, req)
	if err := invalidFields("section", s.Validate()); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.store.UpdateSection(r.Context(), s); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cache.Invalidate(cache.KeyNav)
	response.JSON(w, http.StatusOK, sectionOut(s))
}

// DELETE /api/v1/sections/{id} removes an empty section; 409 if it is in use.
func (h *handler) deleteSection(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, section.ErrNotFound)
		return
	}
	if err := h.store.DeleteSection(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cache.Invalidate(cache.KeyNav)
	w.WriteHeader(http.StatusNoContent)
}

// applySection copies the request's fields onto s; Validate checks them.
func applySection(s *section.Section, req sectionRequest) {
	if req.Name != nil {
		s.Name = *req.Name
	}
	if req.Description != nil {
		s.Description = *req.Description
	}
	if req.Position != nil {
		s.Position = *req.Position
	}
}
