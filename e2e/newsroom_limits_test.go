package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// A body nested past the renderer's limit is refused where the reporter
// types it: saving (by hand, or the autosave) shows the editor again with the reason on the body, storing nothing.
// In English and Korean, on a phone and on a desk.
func TestNewsroom_bodyPastTheNestingLimitIsRefusedInPreviewAndSave(t *testing.T) {
	s := startNewsroomSite(t)
	rep := s.signInTab(t, account.Reporter)
	before := s.articleCount(t)
	hostile := strings.Repeat("> ", 150) + "Too deep to read."

	for _, tc := range []struct {
		lang, name     string
		width, height  int64
		preview, saved string // what the preview and the refused form say
	}{
		{"en", "desktop", 1280, 900, "100 levels", "100 levels"},
		{"ko", "mobile", 360, 800, "100 levels", "100 levels"},
	} {
		do(t, rep, chromedp.EmulateViewport(tc.width, tc.height))
		s.open(t, rep, "/newsroom/articles/new?lang="+tc.lang)
		do(t, rep, chromedp.SendKeys(`#headline`, "A quote inside a quote inside a quote"))
		setValue(t, rep, "#authors", "Mina Park <mina.park@paper.example>")
		do(t, rep, chromedp.SetValue(`#section`, "national/politics"))
		setValue(t, rep, "#body", hostile)
		waitFor(t, rep, `document.querySelector("#preview-pane .preview-note").textContent.includes(`+jsLiteral(tc.preview)+`)`)
		if n := eval[int](t, rep, previewJS(`d.querySelectorAll(".article-body blockquote").length`)+` || 0`); n != 0 {
			t.Errorf("%s: the preview drew %d block quotes of a body it refuses", tc.lang, n)
		}
		screenshot(t, rep, "newsroom-limit-preview-"+tc.lang+"-"+tc.name)

		if st := s.submit(t, rep, `button[name=action][value=save]`); st != http.StatusUnprocessableEntity {
			t.Fatalf("%s: saving the hostile body: %d, want 422", tc.lang, st)
		}
		page := eval[string](t, rep, `document.body.innerText`)
		if !strings.Contains(page, tc.saved) {
			t.Errorf("%s: the refused form does not name the limit:\n%.600s", tc.lang, page)
		}
		// What was typed is still there to fix.
		if got := eval[string](t, rep, `document.querySelector("#headline").value`); got != "A quote inside a quote inside a quote" {
			t.Errorf("%s: the headline after the refusal is %q", tc.lang, got)
		}
		screenshot(t, rep, "newsroom-limit-refused-"+tc.lang+"-"+tc.name)
	}
	if after := s.articleCount(t); after != before {
		t.Errorf("refused saves stored %d articles", after-before)
	}
}

// articleCount counts every article, whatever its state.
func (s *newsroomSite) articleCount(t *testing.T) int {
	t.Helper()
	n := 0
	for _, st := range article.Statuses {
		list, err := s.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: st, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n += len(list)
	}
	return n
}
