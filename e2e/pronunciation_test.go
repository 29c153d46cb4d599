package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDictionary_popUpShowsPronunciation double-clicks a word of an article
// and checks that the pop-up gives its lemma's pronunciation in IPA, on a
// desktop and on a 360 px phone, in English and in Korean (the IPA is the
// same in both).
func TestDictionary_popUpShowsPronunciation(t *testing.T) {
	for _, tt := range []struct {
		name  string
		width int64
		query string
	}{
		{"dictionary-pronunciation-desktop", 1280, ""},
		{"dictionary-pronunciation-360-ko", 360, "?lang=ko"},
	} {
		ctx := newTab(t)
		do(t, ctx, chromedp.EmulateViewport(tt.width, 800))
		story := topStory(t, ctx)
		open(t, ctx, story.Path+tt.query)
		do(t, ctx, chromedp.Click(".dictionary-toggle"))
		doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
		if p := waitForDefinitions(t, ctx); p.Title != "negotiator" {
			t.Fatalf("%s: pop-up title %q, want negotiator", tt.name, p.Title)
		}
		pron := texts(t, ctx, ".dict-popup-entry h3 .pron")
		if len(pron) == 0 || pron[0] != "/nəˈɡoʊʃiˌeɪtɚ/" {
			t.Errorf("%s: pronunciations in the pop-up %q, want /nəˈɡoʊʃiˌeɪtɚ/ first", tt.name, pron)
		}
		viewScreenshot(t, ctx, tt.name)
	}
}
