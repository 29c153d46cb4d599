package api

import (
	"net/http"
	"strconv"

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

// POST /api/v1/sections creates a section {slug, name, name_ko, parent, description, position}.
func (h *handler) createSection(w http.ResponseWriter, r *http.Request) {
	var req sectionRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var in section.Input
	req.apply(&in)
	s, err := h.manage.Sections.Create(r.Context(), actor(r), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", prefix+"/sections/"+strconv.FormatInt(s.ID, 10))
	response.JSON(w, http.StatusCreated, sectionOut(s))
}

// PATCH /api/v1/sections/{id} changes the fields given. A new slug or
// parent moves the section and everything under it to new addresses, as
// in the newsroom.
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
	cur, err := h.store.SectionByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := section.Input{Slug: cur.Slug, Name: cur.Name, NameKo: cur.NameKo, Description: cur.Description, ParentID: cur.ParentID, Position: cur.Position}
	req.apply(&in)
	s, err := h.manage.Sections.Update(r.Context(), actor(r), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, sectionOut(s))
}

// DELETE /api/v1/sections/{id} removes an empty section; 409 if it is in use.
func (h *handler) deleteSection(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, section.ErrNotFound)
		return
	}
	if err := h.manage.Sections.Delete(r.Context(), actor(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apply overlays the request's fields on in. A parent given as "" moves
// the section to the top level.
func (req sectionRequest) apply(in *section.Input) {
	for _, f := range []struct{ dst, src *string }{
		{&in.Slug, req.Slug}, {&in.Name, req.Name}, {&in.NameKo, req.NameKo}, {&in.Description, req.Description},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if req.Position != nil {
		in.Position = *req.Position
	}
	if req.Parent != nil {
		in.ParentID, in.ParentPath = 0, *req.Parent
	}
}
