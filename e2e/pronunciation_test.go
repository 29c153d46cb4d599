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

// TestDictionary_popUpListenButtonSpeaksTheWord checks the listen button:
// present where the browser has speech synthesis, and saying the lemma in
// American English through it; absent where the browser has none.
func TestDictionary_popUpListenButtonSpeaksTheWord(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	if !eval[bool](t, ctx, `"speechSynthesis" in window`) {
		t.Fatal("this Chromium has no speech synthesis; the test needs it to check the button")
	}
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	// Record what would be spoken instead of waiting for a voice.
	eval[bool](t, ctx, `(window.speechSynthesis.speak = u => { window.spoken = u.text + "|" + u.lang; }, true)`)
	doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
	waitForDefinitions(t, ctx)
	if got := eval[string](t, ctx, `document.querySelector(".dict-popup-listen").getAttribute("aria-label")`); got != "Listen to “negotiator”" {
		t.Errorf("listen button's name %q, want Listen to “negotiator”", got)
	}
	do(t, ctx, chromedp.Click(".dict-popup-listen"))
	if got := eval[string](t, ctx, `window.spoken || ""`); got != "negotiator|en-US" {
		t.Errorf("the listen button spoke %q, want negotiator in en-US", got)
	}

	// A browser without speech synthesis gets no button.
	open(t, ctx, story.Path)
	eval[bool](t, ctx, `(delete window.speechSynthesis, Object.defineProperty(window, "speechSynthesis", {value: undefined}), true)`)
	doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
	waitForDefinitions(t, ctx)
	if n := count(t, ctx, ".dict-popup-listen"); n != 0 {
		t.Errorf("without speech synthesis: %d listen buttons, want none", n)
	}
}
