package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// editorWeight is what the browser fetched for the editor's page, from
// the Resource Timing entries: the page, its stylesheets and scripts.
type editorWeight struct {
	HTML, CSS, JS     int     // decoded bytes
	Transferred       int     // bytes over the wire, headers included
	Requests          int     // the page and what it loads before the preview
	Interactive       float64 // ms from navigation start to domInteractive
	ContentLoaded     float64 // ms to DOMContentLoaded's end: the deferred scripts have run
	PreviewDrawnAfter float64 // ms from navigation start until the preview frame shows the article
}

const editorWeightJS = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const out = {HTML: nav.decodedBodySize, CSS: 0, JS: 0, Transferred: nav.transferSize, Requests: 1,
		Interactive: nav.domInteractive, ContentLoaded: nav.domContentLoadedEventEnd, PreviewDrawnAfter: window.__previewDrawn || 0};
	for (const e of performance.getEntriesByType("resource")) {
		if (e.initiatorType === "link" && e.name.endsWith(".css")) out.CSS += e.decodedBodySize;
		else if (e.initiatorType === "script") out.JS += e.decodedBodySize;
		else continue;
		out.Transferred += e.transferSize;
		out.Requests++;
	}
	return out;
})()`

// loadEditor opens the editor of a long demo article in a fresh tab and
// reads its weight once the preview beside the text shows the article.
func loadEditor(t testing.TB, s *newsroomSite, ctx context.Context, path string) editorWeight {
	t.Helper()
	s.open(t, ctx, path)
	for end := time.Now().Add(tabTimeout); ; {
		if eval[bool](t, ctx, previewJS(`true`)+` === true`) {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the preview never showed the article")
		}
		time.Sleep(5 * time.Millisecond)
	}
	eval[bool](t, ctx, `(window.__previewDrawn = performance.now(), true)`)
	return eval[editorWeight](t, ctx, editorWeightJS)
}

func longestDemoArticle(t testing.TB, s *newsroomSite) string {
	t.Helper()
	list, err := s.db.ListArticles(context.Background(), article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: 50})
	if err != nil || len(list) == 0 {
		t.Fatalf("no demo article: %v", err)
	}
	best := list[0]
	for _, a := range list {
		if len(a.Body) > len(best.Body) {
			best = a
		}
	}
	return fmt.Sprintf("/newsroom/articles/%d", best.ID)
}

// The editor stays light: what it fetches before the writer can type
// is held to a budget, so a script or stylesheet that grows past it is
// noticed here. (Its speed is measured by BenchmarkEditor_load.)
func TestEditor_pageWeightWithinBudget(t *testing.T) {
	s := startNewsroomSite(t)
	ed := s.signInTab(t, account.Editor)
	do(t, ed, chromedp.EmulateViewport(1280, 900))
	w := loadEditor(t, s, ed, longestDemoArticle(t, s))
	t.Logf("editor page: HTML %d B, CSS %d B, JS %d B, %d B transferred in %d requests", w.HTML, w.CSS, w.JS, w.Transferred, w.Requests)
	const budget = 200 << 10 // decoded bytes of HTML, CSS and JS together
	if total := w.HTML + w.CSS + w.JS; total > budget {
		t.Errorf("the editor's page, stylesheets and scripts are %d bytes, over the budget of %d", total, budget)
	}
	if w.Requests > 8 {
		t.Errorf("the editor makes %d requests before the writer can type", w.Requests)
	}
}

// BenchmarkEditor_load opens the editor of the longest demo article b.N
// times in one tab and reports when the page became interactive, when its
// scripts had run and when the preview beside the text showed the
// article, with what it fetched:
//
//	go test -run '^$' -bench Editor_load -benchtime 20x ./e2e/
func BenchmarkEditor_load(b *testing.B) {
	s := startNewsroomSite(b)
	ed := s.signInTab(b, account.Editor)
	do(b, ed, chromedp.EmulateViewport(1280, 900))
	path := longestDemoArticle(b, s)
	var sum editorWeight
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := loadEditor(b, s, ed, path)
		sum.Interactive += w.Interactive
		sum.ContentLoaded += w.ContentLoaded
		sum.PreviewDrawnAfter += w.PreviewDrawnAfter
		sum.HTML, sum.CSS, sum.JS, sum.Transferred = w.HTML, w.CSS, w.JS, w.Transferred
	}
	n := float64(b.N)
	b.ReportMetric(sum.Interactive/n, "ms-interactive/op")
	b.ReportMetric(sum.ContentLoaded/n, "ms-scripts-run/op")
	b.ReportMetric(sum.PreviewDrawnAfter/n, "ms-preview/op")
	b.ReportMetric(float64(sum.HTML+sum.CSS+sum.JS), "bytes-decoded")
	b.ReportMetric(float64(sum.Transferred), "bytes-transferred")
}
