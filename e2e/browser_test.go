package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tabTimeout bounds each test's tab, so a wait that never succeeds fails
// the test instead of hanging until go test's own timeout.
const tabTimeout = 30 * time.Second

// newTab opens a tab in a fresh browser context (own cookies and cache) with
// a 1280×800 desktop viewport, and closes it when the test ends.
func newTab(t testing.TB) context.Context {
	t.Helper()
	ctx, closeTab := chromedp.NewContext(site.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(closeTab)
	ctx, cancel := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(cancel) // cleanups run last-in first-out: this one before closeTab
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	return ctx
}

// do runs actions that return nothing and stops the test on error.
func do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// run runs one action and returns its value, stopping the test on error.
func run[T any](t testing.TB, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page and decodes its JSON
// value into T.
func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// open loads a path of the site and checks that it answered 200 OK.
func open(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	resp := run(t, ctx, chromedp.NavigateResponse(site.baseURL+path))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want %d", path, resp.Status, http.StatusOK)
	}
}

// follow clicks the element with the mouse, waits for the page that the
// click loads, and checks that it answered 200 OK.
func follow[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		t.Fatalf("click %v: %v", sel, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("click %v: got status %d for %s, want %d", sel, resp.Status, resp.URL, http.StatusOK)
	}
}

// location returns the path and query of the page that the tab shows.
func location(t testing.TB, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `location.pathname + location.search`)
}

// texts returns the trimmed text of every element that matches the CSS
// selector, in document order.
func texts(t *testing.T, ctx context.Context, css string) []string {
	t.Helper()
	return eval[[]string](t, ctx, `[...document.querySelectorAll(`+jsLiteral(css)+`)].map(e => e.textContent.trim())`)
}

// count returns how many elements match the CSS selector.
func count(t *testing.T, ctx context.Context, css string) int {
	t.Helper()
	return eval[int](t, ctx, `document.querySelectorAll(`+jsLiteral(css)+`).length`)
}

// link is an anchor as a reader sees it: its text and where it goes.
type link struct {
	Text string `json:"text"`
	Path string `json:"path"`
}

// links returns the anchors that match the CSS selector.
func links(t *testing.T, ctx context.Context, css string) []link {
	t.Helper()
	return eval[[]link](t, ctx, `[...document.querySelectorAll(`+jsLiteral(css)+`)].map(a => ({text: a.textContent.trim(), path: a.pathname}))`)
}

// topStory opens the home page and returns its first top story.
func topStory(t *testing.T, ctx context.Context) link {
	t.Helper()
	open(t, ctx, "/")
	stories := links(t, ctx, topStoryLinks)
	if len(stories) == 0 {
		t.Fatalf("home page: no links match %q", topStoryLinks)
	}
	return stories[0]
}

const topStoryLinks = ".top-stories .top-story h3 a"

// screenshot saves a full-page PNG as test-output/e2e/NAME.png.
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png := run(t, ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot %s: not a PNG", name)
	}
	file := filepath.Join(site.outDir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s", file)
}

// viewScreenshot saves what the viewport shows as test-output/e2e/NAME.png:
// for a pop-up, what the reader sees around it.
func viewScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := run(t, ctx, chromedp.CaptureScreenshot())
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot %s: not a PNG", name)
	}
	file := filepath.Join(site.outDir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s", file)
}

// jsLiteral writes v as a JavaScript literal: JSON is valid JavaScript, and
// the values here are the tests' own selectors.
func jsLiteral(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings and string slices are passed
	}
	return string(b)
}
