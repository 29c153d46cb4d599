package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"broadsheet/internal/glossary"
	"broadsheet/internal/http/response"
	"broadsheet/internal/outage"
)

// maxImportBody bounds an import request: glossary.MaxImportBytes, the
// most any one file may have, for the CSV or all the parts of a dictd
// upload together. The rows are bounded by glossary's limits as the
// files are read.
const maxImportBody = glossary.MaxImportBytes

// POST /api/v1/glossary/import adds or updates many entries at once
// (editors and admins only), all or none: CSV (text/csv, a header row
// naming headword, lang, translation and optionally note), or a dictd
// database such as FreeDict's as multipart/form-data with the parts
// index (.index), dict (.dict or .dict.dz) and lang (the language of the
// translations). A bad row refuses the whole file with 422, naming each
// row and why.
func (h *handler) importGlossary(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	release, err := glossary.TakeImportTurn(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	body := http.MaxBytesReader(w, r.Body, maxImportBody)
	var rows []glossary.Row
	switch mt {
	case "text/csv":
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
			h.fail(w, r, &apiError{status: http.StatusUnsupportedMediaType, code: codeMediaType,
				message: "Send the CSV as UTF-8 (Content-Type: text/csv; charset=utf-8), not " + cs + "."})
			return
		}
		rows, err = glossary.ReadCSV(body)
	case "multipart/form-data":
		rows, err = readDictdParts(body, params["boundary"])
	default:
		err = &apiError{status: http.StatusUnsupportedMediaType, code: codeMediaType,
			message: "Send a glossary CSV as text/csv, or a dictd database as multipart/form-data with the parts index, dict and lang."}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Reading the file took part of the request's database deadline.
	r, cancel := outage.Extend(r)
	defer cancel()
	res, err := h.glossary.Import(r.Context(), actor(r), rows)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	response.JSON(w, http.StatusOK, glossaryImportDTO{Added: res.Added, Updated: res.Updated, Unchanged: res.Unchanged})
}

// readDictdParts reads the index, dict and lang parts of a dictd upload.
// The parts are held in memory as sent (the .dict.dz compressed), bounded
// by maxImportBody; ReadDictd reads the .dict text from them as a stream.
func readDictdParts(body io.Reader, boundary string) ([]glossary.Row, error) {
	if boundary == "" {
		return nil, badRequest("The multipart body cannot be read: the Content-Type names no boundary.")
	}
	mr := multipart.NewReader(body, boundary)
	parts := map[string][]byte{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, multipartError(err)
		}
		name := p.FormName()
		switch name {
		case "index", "dict", "lang":
		default:
			return nil, badRequest("The multipart body has a part %q; send only index, dict and lang.", name)
		}
		if _, dup := parts[name]; dup {
			return nil, badRequest("The multipart body has the part %q twice.", name)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, multipartError(err)
		}
		parts[name] = b
	}
	if len(parts) == 0 {
		return nil, badRequest("The multipart body holds no parts; send index, dict and lang.")
	}
	for _, need := range []string{"index", "dict", "lang"} {
		if _, ok := parts[need]; !ok {
			return nil, invalid(need, "is missing: a dictd import needs the parts index (the .index file), dict (the .dict or .dict.dz file) and lang (the language of the translations, such as ko)")
		}
	}
	lang, err := glossary.NormalizeLang(string(parts["lang"]))
	if err != nil {
		return nil, invalid("lang", err.Error())
	}
	return glossary.ReadDictd(bytes.NewReader(parts["index"]), bytes.NewReader(parts["dict"]), lang)
}

func multipartError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err // 413
	}
	return badRequest("The multipart body cannot be read: %s.", err)
}

// GET /api/v1/glossary/export returns the whole glossary as CSV in the
// form the import reads, by headword and then language.
func (h *handler) exportGlossary(w http.ResponseWriter, r *http.Request) {
	out := &startedWriter{w: w}
	cw, err := glossary.NewCSVWriter(out)
	if err == nil {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="glossary.csv"`)
		w.Header().Set("Cache-Control", "no-store")
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
		h.fail(w, r, err)
		return
	}
	// Part of the file is sent: the status cannot change, so the
	// connection is cut and the client sees a broken download, not a
	// short file that looks complete.
	h.logger.ErrorContext(r.Context(), "glossary export failed", "err", err)
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
		return n, fmt.Errorf("api: write export: %w", err)
	}
	return n, nil
}
