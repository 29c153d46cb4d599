package e2e

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPages_screenshotAtDesktopAndMobileWidths saves full-page screenshots
// of the home page, an article and its print view for people to look at,
// and checks that no page scrolls sideways at either width.
func TestPages_screenshotAtDesktopAndMobileWidths(t *testing.T) {
	viewports := []struct {
		name     string
		viewport chromedp.Action[chromedp.Void]
	}{
		{"desktop", chromedp.EmulateViewport(1280, 800)},
		// 390×844 CSS pixels is a common phone; scale 2 keeps the PNGs sharp
		// but smaller than a real phone's 3.
		{"mobile", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2),
			chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)},
	}
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			ctx := newTab(t)
			do(t, ctx, vp.viewport)
			story := topStory(t, ctx)
			pages := []struct{ name, path string }{
				{"home", "/"},
				{"article", story.Path},
				{"print", story.Path + "/print"},
			}
			for _, p := range pages {
				open(t, ctx, p.path)
				width := eval[int](t, ctx, `document.documentElement.clientWidth`)
				if scroll := eval[int](t, ctx, `document.documentElement.scrollWidth`); scroll > width {
					t.Errorf("%s at %s: page is %dpx wide in a %dpx viewport, so it scrolls sideways", p.path, vp.name, scroll, width)
				}
				screenshot(t, ctx, p.name+"-"+vp.name)
			}
		})
	}
}

// TestArticle_showsKoreanInterface checks that ?lang=ko switches the
// interface, not the article, to Korean, and saves a screenshot to check
// that Hangul renders (it needs fonts-nanum on Debian).
func TestArticle_showsKoreanInterface(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)

	open(t, ctx, story.Path+"?lang=ko")
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "ko" {
		t.Errorf("<html lang>: got %q, want \"ko\"", got)
	}
	// The chosen language holds on links, so the print view is Korean too.
	if got := texts(t, ctx, `.article-tools a[href$="/print?lang=ko"]`); !slices.Equal(got, []string{"인쇄"}) {
		t.Errorf("print link text: got %q, want [\"인쇄\"] on a link that keeps ?lang=ko", got)
	}
	if got := texts(t, ctx, "h1"); !slices.Equal(got, []string{story.Text}) {
		t.Errorf("h1: got %q, want the headline [%q] unchanged", got, story.Text)
	}
	screenshot(t, ctx, "article-ko-desktop")
}
