package newsroom_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/comment"
	"broadsheet/internal/i18n"
	"broadsheet/internal/importer"
	"broadsheet/internal/newsroom"
	"broadsheet/internal/reader"
	"broadsheet/internal/store/storetest"
)

// fakeImports is an import runner whose state the test sets.
type fakeImports struct {
	busy     bool
	startErr error
	job      importer.Job
	started  int
	cleaned  int
}

func (f *fakeImports) Busy() bool { return f.busy }
func (f *fakeImports) Start(actor account.Staff, src importer.Source, file string, dryRun bool, cleanup func()) (importer.Job, error) {
	f.started++
	if f.startErr != nil {
		cleanup()
		f.cleaned++
		return importer.Job{}, f.startErr
	}
	return f.job, nil
}
func (f *fakeImports) Job(id string) (importer.Job, bool) { return f.job, id == f.job.ID }
func (f *fakeImports) Recent() []importer.Job             { return []importer.Job{f.job} }

// A running import's page refreshes itself without JavaScript and names
// its script; a second import while one runs is refused with 409 before
// its file is read, or, if it got past that check, when it would start.
func TestImportPage_runningAndBusy(t *testing.T) {
	ctx := context.Background()
	db := storetest.Engines(t)[0].Open(t)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	imports := &fakeImports{job: importer.Job{ID: "abc123", Source: "wordpress", File: "site.xml", By: "Ada", Started: time.Now(), Phase: importer.PhaseWriting, Done: 1200}}
	h, err := newsroom.NewHandler(newsroom.Config{Imports: imports, ImportDir: dir, ImportMaxBytes: 1 << 20},
		slog.New(slog.NewTextHandler(io.Discard, nil)), db, comment.NewService(db, nil), catalog, nil)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := db.CreateStaff(ctx, account.Staff{Email: "ada@paper.example", Name: "Ada", Role: account.Admin})
	if err != nil {
		t.Fatal(err)
	}
	cookie, s := reader.NewSession(time.Now())
	s.StaffID = admin.ID
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	serve := func(req *http.Request) (int, string) {
		req.AddCookie(&http.Cookie{Name: newsroom.CookieName, Value: cookie})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}

	code, page := serve(httptest.NewRequest("GET", "/newsroom/import/abc123", nil))
	for _, want := range []string{`<noscript><meta http-equiv="refresh" content="2"></noscript>`, `import-status.js`, "Writing: 1200 records written…", `data-status="/newsroom/import/abc123/status"`} {
		if code != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("running import's page (%d) lacks %q", code, want)
		}
	}
	code, status := serve(httptest.NewRequest("GET", "/newsroom/import/abc123/status", nil))
	if code != http.StatusOK || !strings.Contains(status, `"running":true`) || !strings.Contains(status, `"done":1200`) {
		t.Errorf("status: %d %s", code, status)
	}

	upload := func() (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("csrf", s.CSRF)
		fw, _ := mw.CreateFormFile("file", "site.xml")
		_, _ = fw.Write([]byte("<rss></rss>"))
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/newsroom/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return serve(req)
	}
	imports.busy = true
	if code, page := upload(); code != http.StatusConflict || !strings.Contains(page, "An import is already running on this server") {
		t.Errorf("upload while busy: %d\n%s", code, page)
	}
	if imports.started != 0 {
		t.Error("an upload while busy was started")
	}
	imports.busy, imports.startErr = false, importer.ErrBusy
	if code, page := upload(); code != http.StatusConflict || !strings.Contains(page, "An import is already running on this server") {
		t.Errorf("upload that lost the race: %d\n%s", code, page)
	}
	if imports.cleaned != 1 {
		t.Error("the refused start did not clean its file up")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left in the data folder: %v", left)
	}
}
