package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pageWeight is what the browser fetched for one page, from the
// Navigation and Resource Timing entries: the page itself and everything
// it loaded (stylesheets, scripts, images, fetches).
type pageWeight struct {
	Requests    int            // fetched over the network (not from the browser's cache)
	Resources   int            // the page and everything it loaded, cached or not
	Transferred int            // bytes over the wire, headers included
	Decoded     int            // bytes after decompression
	ByType      map[string]int // bytes transferred per kind: html, css, js, img, other
	Plain       []string       // stylesheets and scripts that came over the network uncompressed
}

const pageWeightJS = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const out = {Requests: 0, Resources: 0, Transferred: 0, Decoded: 0, ByType: {}, Plain: []};
	const add = (kind, e) => {
		out.Resources++;
		out.Decoded += e.decodedBodySize;
		if (e.transferSize === 0) return; // from the browser's cache
		out.Requests++;
		out.Transferred += e.transferSize;
		out.ByType[kind] = (out.ByType[kind] || 0) + e.transferSize;
		if ((kind === "css" || kind === "js") && e.encodedBodySize > 0 && e.encodedBodySize >= e.decodedBodySize) out.Plain.push(e.name);
	};
	add("html", nav);
	for (const e of performance.getEntriesByType("resource")) {
		const path = new URL(e.name).pathname;
		add(path.endsWith(".css") ? "css" : path.endsWith(".js") ? "js" : e.initiatorType === "img" ? "img" : "other", e);
	}
	return out;
})()`

// settledWeight waits until the page has loaded and its own fetches had a
// moment to finish, then reads its weight.
func settledWeight(t *testing.T, ctx context.Context) pageWeight {
	t.Helper()
	for end := time.Now().Add(tabTimeout); eval[string](t, ctx, `document.readyState`) != "complete"; {
		if time.Now().After(end) {
			t.Fatal("the page never finished loading")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // fetches the page's scripts make once it has loaded
	return eval[pageWeight](t, ctx, pageWeightJS)
}

// TestArticlePage_weightColdAndWarm loads the top story in a fresh browser
// (nothing cached) and then again (a reader coming back: the page
// revalidated, its files from the browser's cache), at 1280 px, and
// reports what each fetched; the stylesheets and scripts must come
// compressed. docs/performance.md quotes its numbers:
//
//	go test -count=1 -v -run TestArticlePage_weightColdAndWarm ./e2e/
func TestArticlePage_weightColdAndWarm(t *testing.T) {
	path := topStory(t, newTab(t)).Path
	ctx := newTab(t) // its own cache, empty
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
	open(t, ctx, path)
	cold := settledWeight(t, ctx)
	do(t, ctx, chromedp.Reload())
	warm := settledWeight(t, ctx)
	for _, w := range []struct {
		name string
		pageWeight
	}{{"cold", cold}, {"warm", warm}} {
		t.Logf("%s: %d requests (%d resources), %d bytes transferred (%d decoded); transferred by kind %v",
			w.name, w.Requests, w.Resources, w.Transferred, w.Decoded, w.ByType)
	}
	if len(cold.Plain) > 0 {
		t.Errorf("stylesheets and scripts sent uncompressed: %s", strings.Join(cold.Plain, ", "))
	}
	if cold.ByType["css"] == 0 || cold.ByType["html"] == 0 {
		t.Errorf("a first visit fetched no page or no stylesheet: %v", cold.ByType)
	}
	if warm.ByType["css"] != 0 || warm.ByType["js"] != 0 {
		t.Errorf("a reader coming back fetched stylesheets or scripts again: %v", warm.ByType)
	}
}
