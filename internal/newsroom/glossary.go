package newsroom

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"broadsheet/internal/account"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/request"
)

// GlossaryService is the part of *glossary.Service the editors use: it
// checks the role and the entries itself, as it does for the JSON API.
type GlossaryService interface {
	Create(ctx context.Context, actor account.Staff, in glossary.Input) (glossary.Entry, error)
	Update(ctx context.Context, actor account.Staff, id int64, in glossary.Input) (glossary.Entry, error)
	Delete(ctx context.Context, actor account.Staff, id int64) error
	Import(ctx context.Context, actor account.Staff, rows []glossary.Row) (glossary.ImportResult, error)
}

// parseGlossaryTemplates adds the glossary pages, drawn inside the
// newsroom layout like the others and sharing the entry form's fields.
func parseGlossaryTemplates(t *templates) error {
	for _, name := range []string{"glossary", "glossary_entry"} {
		tm, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/forms.html",
			"templates/glossary_fields.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("newsroom: parse %s: %w", name, err)
		}
		t.byName[name] = tm
	}
	return nil
}

// Explicit reports a language chosen with ?lang=, which a GET form
// carries on in a hidden field.
func (l locale) Explicit() bool { return l.explicit }

// glossaryPageSize is the number of entries a page of the list shows.
const glossaryPageSize = 50

type glossaryPage struct {
	page
	Query   string // the search box: the start of a headword
	Entries []glossary.Entry
	Next    string // the next page's address, "" on the last
	Form    form
	// Import is the outcome of the last import: counts after success,
	// the bad rows of a refused file.
	Imported  bool
	Added     int
	Updated   int
	Unchanged int
	BadRows   []glossary.RowError
	BadCount  int
}

type glossaryEntryPage struct {
	page
	Entry glossary.Entry
	Form  form
}

// glossaryPath is the address of the list, or of one entry's page.
func glossaryPath(id int64) string {
	if id == 0 {
		return "/newsroom/glossary"
	}
	return fmt.Sprintf("/newsroom/glossary/%d", id)
}

// glossaryVisitPage is visitPage for the glossary: a refused form is shown
// at the address it was posted to, so the language switch leads back to
// the page the form lives on.
func (h *handler) glossaryVisitPage(r *http.Request, v *visit, title, back string) page {
	p := h.visitPage(r, v, title, "glossary")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		p.SwitchURL = switchTo(v.L, back)
	}
	return p
}

// GET /newsroom/glossary?q=PREFIX&after=CURSOR — the glossary by headword,
// then language, with forms to add, import and export.
func (h *handler) showGlossary(w http.ResponseWriter, r *http.Request, v *visit) {
	p := glossaryPage{}
	q := r.URL.Query()
	if q.Get("imported") == "1" {
		p.Imported = true
		p.Added, p.Updated, p.Unchanged = atoiOr0(q.Get("added")), atoiOr0(q.Get("updated")), atoiOr0(q.Get("unchanged"))
	}
	h.renderGlossary(w, r, v, http.StatusOK, p)
}

func atoiOr0(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// renderGlossary draws the list page around p's form and import outcome.
func (h *handler) renderGlossary(w http.ResponseWriter, r *http.Request, v *visit, status int, p glossaryPage) {
	p.page = h.glossaryVisitPage(r, v, v.L.T("newsroom_glossary_title"), glossaryPath(0))
	lq := glossary.ListQuery{Limit: glossaryPageSize + 1} // one more tells whether a next page exists
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		p.Query = q.Get("q")
		prefix, err := glossary.ParsePrefix(p.Query)
		if err != nil {
			p.Form = form{Name: "search", Values: q, Errors: map[string]string{"q": v.L.T("newsroom_glossary_err_search")}}
			p.Query, status = "", http.StatusBadRequest
		}
		lq.Prefix = prefix
		after, err := glossary.ParseCursor(q.Get("after"))
		if err != nil && status == http.StatusOK {
			p.Form = form{Name: "search", Values: q, Errors: map[string]string{"q": v.L.T("newsroom_glossary_err_cursor")}}
			status = http.StatusBadRequest
		}
		if err == nil {
			lq.After = after
		}
	}
	entries, err := h.store.GlossaryEntries(r.Context(), lq)
	if err != nil {
		h.serverError(w, r, v.L, err)
		return
	}
	if len(entries) > glossaryPageSize {
		entries = entries[:glossaryPageSize]
		next := url.Values{"after": {glossary.CursorOf(entries[len(entries)-1]).String()}}
		if p.Query != "" {
			next.Set("q", p.Query)
		}
		p.Next = v.L.URL(glossaryPath(0) + "?" + next.Encode())
	}
	p.Entries = entries
	h.render(w, r, status, "glossary", p)
}

// glossaryFieldErrors are the messages for the fields the service refuses.
var glossaryFieldErrors = map[string]string{
	"headword":    "newsroom_glossary_err_headword",
	"lang":        "newsroom_glossary_err_lang",
	"translation": "newsroom_glossary_err_translation",
	"note":        "newsroom_glossary_err_note",
}

// glossaryInput is an entry as the add and edit forms post it.
func glossaryInput(f url.Values) glossary.Input {
	return glossary.Input{Headword: f.Get("headword"), Lang: f.Get("lang"), Translation: f.Get("translation"), Note: f.Get("note")}
}

// entryFormErrors turns what the service refused in an entry form into a
// status and an error per field; ok is false for an error no form shows.
func entryFormErrors(l locale, err error) (status int, errs map[string]string, ok bool) {
	var ve glossary.ValidationError
	switch {
	case errors.As(err, &ve):
		errs = map[string]string{}
		for field, msg := range ve {
			if id, known := glossaryFieldErrors[field]; known {
				errs[field] = l.T(id)
			} else {
				errs["form"] = msg
			}
		}
		return http.StatusUnprocessableEntity, errs, true
	case errors.Is(err, glossary.ErrExists):
		return http.StatusConflict, map[string]string{"headword": l.T("newsroom_glossary_err_exists")}, true
	}
	return 0, nil, false
}

// POST /newsroom/glossary — add an entry.
func (h *handler) addGlossaryEntry(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	_, err := h.glossary.Create(r.Context(), v.Staff, glossaryInput(f))
	if status, errs, ok := entryFormErrors(v.L, err); ok {
		h.renderGlossary(w, r, v, status, glossaryPage{Form: form{Name: "add", Values: f, Errors: errs}})
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, glossaryPath(0)+"?q="+url.QueryEscape(glossary.Key(f.Get("headword"))))
}

// GET /newsroom/glossary/{id} — one entry, with the form to change it.
func (h *handler) showGlossaryEntry(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	e, err := h.store.GlossaryEntry(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, http.StatusOK, "glossary_entry", glossaryEntryPage{
		page: h.glossaryVisitPage(r, v, v.L.T("newsroom_glossary_edit_title", "Headword", e.Headword), glossaryPath(id)), Entry: e})
}

// POST /newsroom/glossary/{id} — change an entry.
func (h *handler) saveGlossaryEntry(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	_, err := h.glossary.Update(r.Context(), v.Staff, id, glossaryInput(f))
	if status, errs, ok := entryFormErrors(v.L, err); ok {
		e, gerr := h.store.GlossaryEntry(r.Context(), id)
		if gerr != nil {
			h.fail(w, r, v, gerr)
			return
		}
		h.render(w, r, status, "glossary_entry", glossaryEntryPage{
			page:  h.glossaryVisitPage(r, v, v.L.T("newsroom_glossary_edit_title", "Headword", e.Headword), glossaryPath(id)),
			Entry: e, Form: form{Name: "edit", Values: f, Errors: errs}})
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, glossaryPath(0)+"?q="+url.QueryEscape(glossary.Key(f.Get("headword"))))
}

// POST /newsroom/glossary/{id}/delete — remove an entry.
func (h *handler) deleteGlossaryEntry(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.glossary.Delete(r.Context(), v.Staff, id); err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, glossaryPath(0))
}

// GET /newsroom/glossary/export — the whole glossary as CSV in the form
// the import reads, by headword and then language, as the API exports it.
func (h *handler) exportGlossary(w http.ResponseWriter, r *http.Request, v *visit) {
	out := &startedWriter{w: w}
	cw, err := glossary.NewCSVWriter(out)
	if err == nil {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="glossary.csv"`)
		err = h.store.EachGlossaryEntry(r.Context(), cw.Write)
	}
	if err == nil {
		err = cw.Flush()
	}
	if err == nil {
		return
	}
	if !out.started {
		w.Header().Del("Content-Disposition")
		w.Header().Del("Content-Type")
		h.serverError(w, r, v.L, err)
		return
	}
	// Part of the file is sent: the status cannot change, so the
	// connection is cut and the browser shows a failed download, not a
	// short file that looks complete.
	h.logger.ErrorContext(r.Context(), "newsroom glossary export failed", "request_id", request.ID(r.Context()), "err", err)
	panic(http.ErrAbortHandler)
}

// startedWriter notes whether anything was written yet.
type startedWriter struct {
	w       io.Writer
	started bool
}

func (s *startedWriter) Write(p []byte) (int, error) {
	s.started = true
	n, err := s.w.Write(p)
	if err != nil {
		return n, fmt.Errorf("newsroom: write export: %w", err)
	}
	return n, nil
}

// rowLabel is how the page names a bad row.
func (p glossaryPage) RowLabel(re glossary.RowError) string {
	if re.Row <= 0 {
		return p.L.T("newsroom_glossary_import_file")
	}
	return p.L.T("newsroom_glossary_import_row", "Row", re.Row)
}

// MoreBad is how many bad rows the list leaves out.
func (p glossaryPage) MoreBad() int { return p.BadCount - len(p.BadRows) }
