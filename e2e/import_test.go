package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// readerGet asks the site for path the way a link from elsewhere would,
// without following a redirect.
func readerGet(t *testing.T, s *newsroomSite, path string) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(s.base + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// readerTab opens a reader's tab (no newsroom session) at the address,
// following redirects as a browser does, and returns where it landed.
func readerTab(t *testing.T, s *newsroomSite, path string) (context.Context, string) {
	t.Helper()
	ctx := newTab(t)
	resp := run(t, ctx, chromedp.NavigateResponse(s.base+path))
	if resp.Status != http.StatusOK {
		t.Fatalf("reader at %s: landed with status %d", path, resp.Status)
	}
	return ctx, location(t, ctx)
}

// noSidewaysScroll fails when the page is wider than a 360 px screen.
func noSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("%s: %d px wide at 360 px; widest: %s", what, w, eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => !e.closest(".table-scroll") && e.getBoundingClientRect().right > 362).slice(0, 6).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`))
	}
}

// TestImportPage_uploadWatchReportAndFollow is an admin moving a paper
// in: a dry run of the WordPress test file, then the import itself,
// watched on its status page until the report shows; a reader following
// an old address lands on the new article (301). In English at 1280 px
// and in Korean at 360 px.
func TestImportPage_uploadWatchReportAndFollow(t *testing.T) {
	s := startNewsroomSite(t)
	admin := editorSignIn(t, s, account.Admin)
	wxr, err := filepath.Abs("../internal/importer/wordpress/testdata/paper.xml")
	if err != nil {
		t.Fatal(err)
	}
	if res := readerGet(t, s, "/2019/04/voices/"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the old address before the import: %d, want 404", res.StatusCode)
	}

	upload := func(dryRun bool) {
		t.Helper()
		s.open(t, admin, "/newsroom/")
		do(t, admin, chromedp.Click(`nav.main-nav a[href="/newsroom/import"]`), chromedp.WaitVisible(`#import-file`))
		if checked := eval[bool](t, admin, `document.querySelector('input[name=dry_run]').checked`); checked != dryRun {
			do(t, admin, chromedp.Click(`input[name=dry_run]`))
		}
		do(t, admin, chromedp.SetUploadFiles(`#import-file`, []string{wxr}))
		if st := s.submit(t, admin, `.newsroom-import form button[type=submit]`); st != http.StatusOK {
			t.Fatalf("upload: status %d %q", st, texts(t, admin, ".form-error"))
		}
		// The status page follows the import by itself and shows the
		// report when it ends.
		do(t, admin, chromedp.WaitVisible(`#import-report`))
	}

	upload(true)
	if h := texts(t, admin, "#import-report h2"); len(h) != 1 || !strings.Contains(h[0], "Dry run") {
		t.Errorf("dry run report heading %q", h)
	}
	if res := readerGet(t, s, "/2019/04/voices/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the old address after a dry run: %d, want 404", res.StatusCode)
	}

	upload(false)
	report := eval[string](t, admin, `document.querySelector("#import-report").innerText`)
	for _, want := range []string{"Articles\t8\t0\t0", "Comments\t4\t0\t0", "2 kept at their old addresses", "Redirects from old addresses"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	jobURL := location(t, admin)
	screenshot(t, admin, "import-report-1280")

	// A reader following an old link lands on the new article.
	res := readerGet(t, s, "/2019/04/voices/")
	if res.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(res.Header.Get("Location"), "/article/") {
		t.Fatalf("old address: %d %q, want 301 to the article", res.StatusCode, res.Header.Get("Location"))
	}
	reader, at := readerTab(t, s, "/2019/04/voices/")
	if at != res.Header.Get("Location") {
		t.Errorf("the reader landed at %s, want %s", at, res.Header.Get("Location"))
	}
	if h := texts(t, reader, "h1"); len(h) == 0 || !strings.Contains(strings.Join(h, " "), "Voices from the river") {
		t.Errorf("the reader's page: headings %q", h)
	}

	// In Korean, on a phone.
	do(t, admin, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)))
	for _, p := range []struct{ path, shot string }{{"/newsroom/import?lang=ko", "import-360-ko"}, {jobURL + "?lang=ko", "import-report-360-ko"}} {
		s.open(t, admin, p.path)
		if h := texts(t, admin, "h1"); len(h) != 1 || !hasHangul(h[0]) {
			t.Errorf("%s: heading %q, want Korean", p.path, h)
		}
		noSidewaysScroll(t, admin, p.path)
		screenshot(t, admin, p.shot)
	}
}

// TestRedirectsPage_addFollowDelete is an editor adding a redirect by
// hand, a reader following it, and the editor deleting it.
func TestRedirectsPage_addFollowDelete(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	list, err := s.db.ListArticles(context.Background(), article.ListQuery{Scope: article.PublicScope(), Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no published article: %v", err)
	}
	to := list[0].URL()

	s.open(t, ed, "/newsroom/")
	do(t, ed, chromedp.Click(`nav.main-nav a[href="/newsroom/redirects"]`), chromedp.WaitVisible(`#redirect-from`))
	// Refused: a target on another site.
	setValue(t, ed, "#redirect-from", "/2018/ferry-story/")
	setValue(t, ed, "#redirect-to", "https://elsewhere.example/ferry")
	if st := s.submit(t, ed, `.newsroom-redirects form[method=post] button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("a target on another site: %d, want 422", st)
	}
	if msg := texts(t, ed, "#redirect-to-error"); len(msg) != 1 || msg[0] == "" {
		t.Errorf("field message %q", msg)
	}
	setValue(t, ed, "#redirect-to", to)
	if st := s.submit(t, ed, `.newsroom-redirects form[method=post] button[type=submit]`); st != http.StatusOK {
		t.Fatalf("add: %d %q", st, texts(t, ed, ".field-error"))
	}
	if n := texts(t, ed, ".newsroom-redirects .notice"); len(n) != 1 || !strings.Contains(n[0], "/2018/ferry-story") {
		t.Errorf("notice %q", n)
	}
	screenshot(t, ed, "redirects-1280")

	if res := readerGet(t, s, "/2018/ferry-story/"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
		t.Errorf("reader: %d %q, want 301 to %s", res.StatusCode, res.Header.Get("Location"), to)
	}
	if _, at := readerTab(t, s, "/2018/ferry-story"); at != to {
		t.Errorf("the reader landed at %s, want %s", at, to)
	}

	do(t, ed, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)))
	s.open(t, ed, "/newsroom/redirects?lang=ko")
	if h := texts(t, ed, "h1"); len(h) != 1 || !hasHangul(h[0]) {
		t.Errorf("heading %q, want Korean", h)
	}
	noSidewaysScroll(t, ed, "redirects in Korean")
	screenshot(t, ed, "redirects-360-ko")

	if st := s.submit(t, ed, `.newsroom-redirects table button.danger`); st != http.StatusOK {
		t.Fatalf("delete: %d", st)
	}
	if n := count(t, ed, ".newsroom-redirects table"); n != 0 {
		t.Errorf("after deleting the only redirect the list still shows a table")
	}
	if res := readerGet(t, s, "/2018/ferry-story/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("reader after the delete: %d, want 404", res.StatusCode)
	}
}
