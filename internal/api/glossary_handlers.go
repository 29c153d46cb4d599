package api

import (
	"net/http"
	"strconv"

	"broadsheet/internal/glossary"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
)

// Glossary pages hold 50 entries unless ?limit= asks for 1 to 500.
const (
	glossaryPageSize    = 50
	maxGlossaryPageSize = 500
)

// GET /api/v1/glossary?q=PREFIX&lang=ko&after=CURSOR&limit=N lists the
// newsroom glossary by headword, then language: the entries whose
// headword starts with q (compared in look-up form), in one language if
// lang is given. next, when present, is the after= of the next page.
func (h *handler) listGlossary(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	prefix, err := glossary.ParsePrefix(v.Get("q"))
	if err != nil {
		h.fail(w, r, badRequest("The %s.", err))
		return
	}
	q := glossary.ListQuery{Prefix: prefix, Limit: glossaryPageSize}
	if l := v.Get("lang"); l != "" {
		lang, err := glossary.NormalizeLang(l)
		if err != nil {
			h.fail(w, r, badRequest("The lang parameter %s.", err))
			return
		}
		q.Lang = lang
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxGlossaryPageSize {
			h.fail(w, r, badRequest("The limit parameter must be a whole number from 1 to %d.", maxGlossaryPageSize))
			return
		}
		q.Limit = n
	}
	after, err := glossary.ParseCursor(v.Get("after"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q.After = after
	want := q.Limit
	q.Limit++ // one more tells whether a next page exists
	entries, err := h.store.GlossaryEntries(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := glossaryListDTO{Entries: []glossaryEntryDTO{}}
	if len(entries) > want {
		entries = entries[:want]
		out.Next = glossary.CursorOf(entries[want-1]).String()
	}
	for _, e := range entries {
		out.Entries = append(out.Entries, glossaryEntryOut(e))
	}
	response.JSON(w, http.StatusOK, out)
}

// GET /api/v1/glossary/{id} returns one entry.
func (h *handler) getGlossaryEntry(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, glossary.ErrNotFound)
		return
	}
	e, err := h.store.GlossaryEntry(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, glossaryEntryOut(e))
}

// POST /api/v1/glossary adds an entry {headword, lang, translation, note}
// (editors and admins only); 409 if the headword has one in that language.
func (h *handler) createGlossaryEntry(w http.ResponseWriter, r *http.Request) {
	var req glossaryRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var in glossary.Input
	req.apply(&in)
	e, err := h.glossary.Create(r.Context(), actor(r), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", prefix+"/glossary/"+itoa(e.ID))
	response.JSON(w, http.StatusCreated, glossaryEntryOut(e))
}

// PATCH /api/v1/glossary/{id} changes the fields given (editors and admins only).
func (h *handler) updateGlossaryEntry(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, glossary.ErrNotFound)
		return
	}
	var req glossaryRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.store.GlossaryEntry(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := glossary.Input{Headword: e.Headword, Lang: e.Lang, Translation: e.Translation, Note: e.Note}
	req.apply(&in)
	e, err = h.glossary.Update(r.Context(), actor(r), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, glossaryEntryOut(e))
}

// DELETE /api/v1/glossary/{id} removes an entry (editors and admins only).
func (h *handler) deleteGlossaryEntry(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, glossary.ErrNotFound)
		return
	}
	if err := h.glossary.Delete(r.Context(), actor(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
