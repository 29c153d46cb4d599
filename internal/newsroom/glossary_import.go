package newsroom

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"broadsheet/internal/account"
	"broadsheet/internal/glossary"
	"broadsheet/internal/outage"
)

// maxImportUpload bounds an import upload, as the JSON API bounds its
// import: the most any one file may have, with room for the form's
// fields. The rows are bounded by glossary's limits as the files are read.
const maxImportUpload = glossary.MaxImportBytes + 1<<20

// importMemory is how much of an upload is held in memory; the rest of
// the files wait in temporary files until the request ends, so only the
// rows read from them are held.
const importMemory = 1 << 20

// staffUpload is staff for a multipart form with files: the session and
// the role are checked before the body is read, the body is read with the
// upload's larger limit, and then staff checks the CSRF token among the
// form's fields as for any other form.
func (h *handler) staffUpload(may func(account.Role) bool, next staffFunc) http.HandlerFunc {
	inner := h.staff(may, next)
	return func(w http.ResponseWriter, r *http.Request) {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		st, sess, err := h.current(r)
		if err != nil || r.Method != http.MethodPost || mt != "multipart/form-data" {
			inner(w, r) // signed out, or not an upload: staff answers as usual
			return
		}
		l, err := h.locale(r)
		if err != nil {
			h.serverError(w, r, l, err)
			return
		}
		v := &visit{Staff: st, Session: sess, L: l}
		if !may(st.Role) {
			h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_forbidden_title"),
				l.T("newsroom_forbidden", "Role", l.T("newsroom_role_"+string(st.Role))))
			return
		}
		release, err := glossary.TakeImportTurn(r.Context())
		if err != nil {
			h.fail(w, r, v, err)
			return
		}
		defer release()
		r.Body = http.MaxBytesReader(w, r.Body, maxImportUpload)
		if err := r.ParseMultipartForm(importMemory); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
				h.message(w, r, l, v, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"),
					l.T("newsroom_glossary_import_too_large", "MB", glossary.MaxImportBytes>>20))
				return
			}
			h.message(w, r, l, v, http.StatusBadRequest, l.T("newsroom_refused_title"), l.T("newsroom_glossary_import_unreadable"))
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		// The upload took part of the request's database deadline.
		r, cancel := outage.Extend(r)
		defer cancel()
		inner(w, r) // r.PostForm now holds the fields, the CSRF token among them
	}
}

// POST /newsroom/glossary/import — add or update many entries from a CSV
// file (headword, lang, translation and optionally note) or a dictd
// database (.index and .dict or .dict.dz, with the language of its
// translations): all of them, or none if any row is bad.
func (h *handler) importGlossary(w http.ResponseWriter, r *http.Request, v *visit) {
	refuse := func(status int, field, msg string) {
		h.renderGlossary(w, r, v, status, glossaryPage{Form: form{Name: "import", Values: r.PostForm, Errors: map[string]string{field: msg}}})
	}
	var files map[string][]*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File
	}
	csvFile, index, dict := uploaded(files, "csv"), uploaded(files, "index"), uploaded(files, "dict")
	var rows []glossary.Row
	var err error
	switch {
	case csvFile != nil && (index != nil || dict != nil):
		refuse(http.StatusUnprocessableEntity, "form", v.L.T("newsroom_glossary_import_both"))
		return
	case csvFile != nil:
		rows, err = readUpload(csvFile, glossary.ReadCSV)
	case index != nil && dict != nil:
		lang, lerr := glossary.NormalizeLang(r.PostForm.Get("lang"))
		if lerr != nil {
			refuse(http.StatusUnprocessableEntity, "lang", v.L.T("newsroom_glossary_err_lang"))
			return
		}
		rows, err = readUpload(index, func(ir io.Reader) ([]glossary.Row, error) {
			return readUpload(dict, func(dr io.Reader) ([]glossary.Row, error) { return glossary.ReadDictd(ir, dr, lang) })
		})
	case index != nil:
		refuse(http.StatusUnprocessableEntity, "dict", v.L.T("newsroom_glossary_import_need_dict"))
		return
	case dict != nil:
		refuse(http.StatusUnprocessableEntity, "index", v.L.T("newsroom_glossary_import_need_index"))
		return
	default:
		refuse(http.StatusUnprocessableEntity, "form", v.L.T("newsroom_glossary_import_no_file"))
		return
	}
	var res glossary.ImportResult
	if err == nil {
		res, err = h.glossary.Import(r.Context(), v.Staff, rows)
	}
	var ie *glossary.ImportError
	var le *glossary.LimitError
	switch {
	case errors.As(err, &ie):
		h.renderGlossary(w, r, v, http.StatusUnprocessableEntity, glossaryPage{
			Form:    form{Name: "import", Values: r.PostForm, Errors: map[string]string{"form": v.L.T("newsroom_glossary_import_refused", "Count", ie.Bad)}},
			BadRows: ie.Rows, BadCount: ie.Bad})
		return
	case errors.As(err, &le):
		refuse(http.StatusRequestEntityTooLarge, "form", limitMessage(v.L, le))
		return
	case err != nil:
		h.fail(w, r, v, err)
		return
	}
	q := url.Values{"imported": {"1"}, "added": {strconv.Itoa(res.Added)}, "updated": {strconv.Itoa(res.Updated)},
		"unchanged": {strconv.Itoa(res.Unchanged)}}
	redirect(w, r, v.L, glossaryPath(0)+"?"+q.Encode())
}

// limitMessage says which limit an import is over.
func limitMessage(l locale, le *glossary.LimitError) string {
	switch le.Limit {
	case glossary.LimitEntries:
		return l.T("newsroom_glossary_import_too_many", "Count", glossary.MaxImportEntries)
	case glossary.LimitDefinitions:
		return l.T("newsroom_glossary_import_definitions_too_large", "MB", glossary.MaxDefinitionsTotal>>20)
	case glossary.LimitDict:
		return l.T("newsroom_glossary_import_dict_too_large", "MB", glossary.MaxDictSize>>20)
	}
	return l.T("newsroom_glossary_import_too_large", "MB", glossary.MaxImportBytes>>20)
}

// uploaded is the file chosen for a field, nil if none (a browser sends
// an empty part with no file name for a file field left empty).
func uploaded(files map[string][]*multipart.FileHeader, field string) *multipart.FileHeader {
	for _, fh := range files[field] {
		if fh.Size > 0 || strings.TrimSpace(fh.Filename) != "" {
			return fh
		}
	}
	return nil
}

// readUpload opens an uploaded file for read.
func readUpload(fh *multipart.FileHeader, read func(io.Reader) ([]glossary.Row, error)) ([]glossary.Row, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f)
}
