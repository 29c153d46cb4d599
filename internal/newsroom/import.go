package newsroom

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/http/response"
	"broadsheet/internal/importer"
	"broadsheet/internal/importer/ghost"
	"broadsheet/internal/importer/wordpress"
)

// Imports is the server's runner of background imports (importer.Jobs).
type Imports interface {
	Busy() bool
	Start(actor account.Staff, src importer.Source, file string, dryRun bool, cleanup func()) (importer.Job, error)
	Job(id string) (importer.Job, bool)
	Recent() []importer.Job
}

// importForm's small fields are each read within this many bytes.
const importFieldMax = 1 << 10

// importSlack is the room a multipart body takes beyond its file: the
// form's small fields and the parts' headers.
const importSlack = 64 << 10

type importPage struct {
	page
	Busy   bool
	Jobs   []importer.Job
	MaxMB  int64
	Error  string
	Format string
	DryRun bool
}

type importJobPage struct {
	page
	Job      importer.Job
	Progress string
}

// importRoutes adds the admins' import pages.
func (h *handler) importRoutes(mux *http.ServeMux) {
	if h.cfg.Imports == nil {
		return
	}
	mux.HandleFunc("GET /newsroom/import", h.staff(admins, h.showImport))
	mux.HandleFunc("POST /newsroom/import", h.uploadImport)
	mux.HandleFunc("GET /newsroom/import/{id}", h.staff(admins, h.showImportJob))
	mux.HandleFunc("GET /newsroom/import/{id}/status", h.staff(admins, h.importStatus))
}

func (h *handler) importMax() int64 {
	if h.cfg.ImportMaxBytes > 0 {
		return h.cfg.ImportMaxBytes
	}
	return 2 << 30
}

// GET /newsroom/import — the form, and the imports this server remembers.
func (h *handler) showImport(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderImport(w, r, v, http.StatusOK, "", "", true)
}

func (h *handler) renderImport(w http.ResponseWriter, r *http.Request, v *visit, status int, msg, format string, dryRun bool) {
	p := importPage{page: h.visitPage(r, v, v.L.T("newsroom_import_title"), "import"), Busy: h.cfg.Imports.Busy(),
		Jobs: h.cfg.Imports.Recent(), MaxMB: h.importMax() >> 20, Error: msg, Format: format, DryRun: dryRun}
	h.render(w, r, status, "import", p)
}

// POST /newsroom/import — an export file, streamed to a file in the data
// folder (never held in memory) within the size limit, then imported in
// the background. The session, the role, the CSRF token (a field before
// the file) and a running import are checked before the file is read.
func (h *handler) uploadImport(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	st, sess, err := h.current(r)
	if err != nil || mt != "multipart/form-data" {
		h.staff(admins, func(w http.ResponseWriter, r *http.Request, v *visit) {
			h.renderImport(w, r, v, http.StatusBadRequest, v.L.T("newsroom_import_no_file"), "", true)
		})(w, r)
		return
	}
	l, err := h.locale(r)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	v := &visit{Staff: st, Session: sess, L: l}
	if !admins(st.Role) {
		h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_forbidden_title"),
			l.T("newsroom_forbidden", "Role", l.T("newsroom_role_"+string(st.Role))))
		return
	}
	tooLarge := func() {
		h.message(w, r, l, v, http.StatusRequestEntityTooLarge, l.T("newsroom_form_too_large_title"),
			l.T("newsroom_import_too_large", "MB", h.importMax()>>20))
	}
	limit := h.importMax()
	if r.ContentLength > limit+importSlack {
		tooLarge()
		return
	}
	if h.cfg.Imports.Busy() {
		h.renderImport(w, r, v, http.StatusConflict, l.T("newsroom_import_busy"), "", true)
		return
	}
	// A large file takes longer than the server's read timeout, which is
	// for ordinary requests; the size limit bounds this one.
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	r.Body = http.MaxBytesReader(w, r.Body, limit+importSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		h.message(w, r, l, v, http.StatusBadRequest, l.T("newsroom_refused_title"), l.T("newsroom_import_unreadable"))
		return
	}
	var csrfOK, dryRun bool
	var format, name, path string
	defer func() {
		if path != "" {
			_ = os.Remove(path)
		}
	}()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge()
				return
			}
			h.message(w, r, l, v, http.StatusBadRequest, l.T("newsroom_refused_title"), l.T("newsroom_import_unreadable"))
			return
		}
		field := part.FormName()
		if field == "file" {
			if !csrfOK {
				h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_csrf_title"), l.T("newsroom_csrf"))
				return
			}
			if path != "" {
				h.renderImport(w, r, v, http.StatusBadRequest, l.T("newsroom_import_one_file"), format, dryRun)
				return
			}
			name = filepath.Base(part.FileName())
			if err := os.MkdirAll(h.cfg.ImportDir, 0o750); err != nil {
				h.serverError(w, r, l, err)
				return
			}
			f, err := os.CreateTemp(h.cfg.ImportDir, "import-*.upload")
			if err != nil {
				h.serverError(w, r, l, err)
				return
			}
			path = f.Name()
			n, err := io.Copy(f, io.LimitReader(part, limit+1))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			var mbe *http.MaxBytesError
			if n > limit || errors.As(err, &mbe) {
				tooLarge()
				return
			}
			if err != nil {
				if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
					h.message(w, r, l, v, http.StatusBadRequest, l.T("newsroom_refused_title"), l.T("newsroom_import_unreadable"))
					return
				}
				h.serverError(w, r, l, err)
				return
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, importFieldMax+1))
		if err != nil || len(b) > importFieldMax {
			h.message(w, r, l, v, http.StatusBadRequest, l.T("newsroom_refused_title"), l.T("newsroom_import_unreadable"))
			return
		}
		switch field {
		case "csrf":
			csrfOK = sess.CheckCSRF(string(b))
		case "format":
			format = string(b)
		case "dry_run":
			dryRun = string(b) != ""
		}
	}
	if !csrfOK {
		h.message(w, r, l, v, http.StatusForbidden, l.T("newsroom_csrf_title"), l.T("newsroom_csrf"))
		return
	}
	if path == "" || name == "" || name == "." {
		h.renderImport(w, r, v, http.StatusBadRequest, l.T("newsroom_import_no_file"), format, dryRun)
		return
	}
	detected, err := sniffExport(path)
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	switch {
	case format != "" && format != "auto" && format != "wordpress" && format != "ghost":
		h.renderImport(w, r, v, http.StatusUnprocessableEntity, l.T("newsroom_import_bad_format"), "", dryRun)
		return
	case detected == "":
		h.renderImport(w, r, v, http.StatusUnprocessableEntity, l.T("newsroom_import_unknown_kind", "File", name), format, dryRun)
		return
	case format != "" && format != "auto" && format != detected:
		h.renderImport(w, r, v, http.StatusUnprocessableEntity,
			l.T("newsroom_import_kind_mismatch", "File", name, "Chosen", l.T("newsroom_import_format_"+format), "Found", l.T("newsroom_import_format_"+detected)), format, dryRun)
		return
	}
	var src importer.Source
	if detected == "wordpress" {
		src, err = wordpress.Open(path)
	} else {
		src, err = ghost.Open(path, "")
	}
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	kept := path
	path = "" // the job removes it when it ends
	job, err := h.cfg.Imports.Start(v.Staff, src, name, dryRun, func() { _ = os.Remove(kept) })
	if errors.Is(err, importer.ErrBusy) {
		h.renderImport(w, r, v, http.StatusConflict, l.T("newsroom_import_busy"), format, dryRun)
		return
	}
	if err != nil {
		h.serverError(w, r, l, err)
		return
	}
	redirect(w, r, l, "/newsroom/import/"+job.ID)
}

// sniffExport tells an export's kind from its first bytes: "wordpress"
// for XML, "ghost" for JSON, "" for anything else.
func sniffExport(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	b := make([]byte, 512)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	b = bytes.TrimLeft(bytes.TrimPrefix(b[:n], []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case bytes.HasPrefix(b, []byte("<")):
		return "wordpress", nil
	case bytes.HasPrefix(b, []byte("{")):
		return "ghost", nil
	}
	return "", nil
}

// GET /newsroom/import/{id} — a running import's progress, refreshing
// itself, or a finished one's report or refusal.
func (h *handler) showImportJob(w http.ResponseWriter, r *http.Request, v *visit) {
	job, ok := h.cfg.Imports.Job(r.PathValue("id"))
	if !ok {
		h.message(w, r, v.L, v, http.StatusNotFound, v.L.T("newsroom_not_found_title"), v.L.T("newsroom_import_forgotten"))
		return
	}
	p := importJobPage{page: h.visitPage(r, v, v.L.T("newsroom_import_job_title", "File", job.File), "import"), Job: job, Progress: importProgress(v.L, job)}
	if job.Running() {
		p.Refresh = 2
		p.Scripts = h.scriptURLs("import-status.js")
	}
	h.render(w, r, http.StatusOK, "import_job", p)
}

// importStatusDTO is what the status page's script reads.
type importStatusDTO struct {
	Running bool   `json:"running"`
	Phase   string `json:"phase"`
	Text    string `json:"text"`
	Done    int    `json:"done"`
}

// GET /newsroom/import/{id}/status — the job's progress, for the status
// page's script.
func (h *handler) importStatus(w http.ResponseWriter, r *http.Request, v *visit) {
	job, ok := h.cfg.Imports.Job(r.PathValue("id"))
	if !ok {
		response.JSON(w, http.StatusNotFound, map[string]string{"error": v.L.T("newsroom_import_forgotten")})
		return
	}
	response.JSON(w, http.StatusOK, importStatusDTO{Running: job.Running(), Phase: job.Phase,
		Text: importProgress(v.L, job), Done: job.Done})
}

// importProgress says in words where a running import is.
func importProgress(l locale, j importer.Job) string {
	phase := j.Phase
	if phase == "" {
		phase = importer.PhaseChecking
	}
	return l.T("newsroom_import_phase_"+phase, "Done", j.Done)
}
