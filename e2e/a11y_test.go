package e2e

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestArticle_tabFocusesSkipLink checks the first stop of a keyboard user:
// Tab focuses the "Skip to main content" link, which then shows on screen,
// and Enter on it moves the focus to the main content.
func TestArticle_tabFocusesSkipLink(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)

	type box struct {
		Text   string `json:"text"`
		InView bool   `json:"inView"`
	}
	// inView: the whole link is inside the viewport and has a size.
	const skipLink = `(e => { const r = e.getBoundingClientRect(); return {
		text: e.textContent.trim(),
		inView: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 &&
			r.bottom <= innerHeight && r.right <= innerWidth,
	}; })`

	before := eval[box](t, ctx, skipLink+`(document.querySelector("a.skip-link"))`)
	if before.InView {
		t.Errorf("skip link %q is on screen before it has focus; want it hidden", before.Text)
	}

	do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if cls := eval[string](t, ctx, `document.activeElement.className`); cls != "skip-link" {
		t.Fatalf("after Tab: focus is on an element of class %q, want the skip link", cls)
	}
	after := eval[box](t, ctx, skipLink+`(document.activeElement)`)
	if after.Text != "Skip to main content" {
		t.Errorf("focused skip link text: got %q, want \"Skip to main content\"", after.Text)
	}
	if !after.InView {
		t.Error("focused skip link is not inside the viewport; want it visible")
	}

	// Focus moves after the fragment navigation, so wait for it.
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.activeElement.id === "main"`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		got := eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`)
		t.Errorf("after Enter on the skip link: focus is on %s, want main#main (%v)", got, err)
	}
}

// TestArticle_printMediaHidesNavigation checks print.css through the
// browser's print media emulation: what prints is the article alone.
func TestArticle_printMediaHidesNavigation(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)

	hidden := []string{".masthead", ".main-nav", ".skip-link", ".breadcrumb", ".article-tools", ".share", ".site-footer"}
	kept := []string{"h1", ".article-body", ".bylines"}
	displays := func() map[string]string {
		t.Helper()
		return eval[map[string]string](t, ctx, `Object.fromEntries(`+jsLiteral(append(hidden, kept...))+`.map(s => {
			const e = document.querySelector(s);
			return [s, e ? getComputedStyle(e).display : "missing"];
		}))`)
	}

	screen := displays()
	if got := screen[".main-nav"]; got == "none" || got == "missing" {
		t.Fatalf("on screen: .main-nav display is %q, want it shown", got)
	}

	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed := displays()
	for _, s := range slices.Sorted(maps.Keys(printed)) {
		shown := printed[s] != "none" && printed[s] != "missing"
		if want := slices.Contains(kept, s); shown != want {
			t.Errorf("print media: %s display is %q, want shown=%v", s, printed[s], want)
		}
	}
}
