package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDictionary_popUpShowsTheSenseOfTheSentenceFirst double-clicks
// "pressure" in the demo's story on family reunions ("international
// pressure could help"): WordNet's first sense is the physical force on a
// surface; the pop-up, which sends the sentence, shows "a force that
// compels" first, marked as the sense of this sentence, with the word's
// pronunciation and a listen button. In English at 1280 px and in Korean
// at 360 px.
func TestDictionary_popUpShowsTheSenseOfTheSentenceFirst(t *testing.T) {
	for _, tc := range []struct {
		lang, label string
		width       int64
	}{
		{"", "In this sentence", 1280},
		{"?lang=ko", "이 문장에서의 뜻", 360},
	} {
		t.Run(fmt.Sprint(tc.width, tc.lang), func(t *testing.T) {
			ctx := newTab(t)
			if tc.width != 1280 {
				do(t, ctx, chromedp.EmulateViewport(tc.width, 740, chromedp.EmulateScale(2)))
			}
			reunionStory(t, ctx, tc.lang)
			do(t, ctx, chromedp.Click(".dictionary-toggle"))
			doubleClick(t, ctx, findWord(t, ctx, "pressure", false))
			p := waitForDefinitions(t, ctx)
			if p.Title != "pressure" || len(p.Definitions) == 0 || p.Definitions[0] != "a force that compels" {
				t.Fatalf("pop-up %q with definitions %q, want pressure with “a force that compels” first", p.Title, p.Definitions)
			}
			first := eval[struct {
				Fits  bool   `json:"fits"`
				Label string `json:"label"`
				Lang  string `json:"lang"`
				Marks int    `json:"marks"`
				Pron  string `json:"pron"`
			}](t, ctx, `(() => {
				const li = document.querySelector(".dict-popup-entry li");
				const label = li.querySelector(".fits-label");
				return {fits: li.classList.contains("fits"), label: label ? label.textContent : "", lang: label ? label.lang : "",
					marks: document.querySelectorAll(".dict-popup li.fits").length,
					pron: (document.querySelector(".dict-popup-entry h3 .pron") || {}).textContent || ""};
			})()`)
			if !first.Fits || first.Label != tc.label || first.Marks != 1 {
				t.Errorf("first sense marked %v with %q (%d marked), want it alone marked %q", first.Fits, first.Label, first.Marks, tc.label)
			}
			if first.Pron != "/ˈprɛʃɚ/" {
				t.Errorf("pronunciation %q, want /ˈprɛʃɚ/", first.Pron)
			}
			if n := count(t, ctx, ".dict-popup-listen"); n != 1 {
				t.Errorf("%d listen buttons, want one where the browser has speech synthesis", n)
			}
			viewScreenshot(t, ctx, fmt.Sprintf("dictionary-sense-in-context-%d%s", tc.width, map[string]string{"": "", "?lang=ko": "-ko"}[tc.lang]))
		})
	}
}
