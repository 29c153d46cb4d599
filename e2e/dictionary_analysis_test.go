package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// reunionStory opens the demo's story on family reunions, which speaks of
// "a Seoul-based family association": a word WordNet has no entry for.
func reunionStory(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	open(t, ctx, "/section/national/politics"+lang)
	path := eval[string](t, ctx, `(() => {
		const a = [...document.querySelectorAll("a")].find(a => a.textContent.includes("reunions for separated families"));
		return a ? a.pathname : "";
	})()`)
	if path == "" {
		t.Fatal("the politics section does not list the story on family reunions")
	}
	open(t, ctx, path+lang)
}

// TestDictionary_popUpExplainsACompoundByItsParts double-clicks the
// "based" of "Seoul-based": the pop-up shows its parts and what the whole word is,
// in both interface languages and on a narrow screen.
func TestDictionary_popUpExplainsACompoundByItsParts(t *testing.T) {
	for _, tc := range []struct {
		lang, whole, kind string
		width             int64
	}{
		{"", "The whole word: adjective", "noun", 1280},
		{"?lang=ko", "단어 전체의 품사: 형용사", "명사", 360},
	} {
		t.Run(fmt.Sprint(tc.width, tc.lang), func(t *testing.T) {
			ctx := newTab(t)
			if tc.width != 1280 {
				do(t, ctx, chromedp.EmulateViewport(tc.width, 740, chromedp.EmulateScale(2)))
			}
			reunionStory(t, ctx, tc.lang)
			do(t, ctx, chromedp.Click(".dictionary-toggle"))
			// The browser selects "based" alone, and the line may break
			// at the hyphen; the pop-up looks up the whole word.
			doubleClick(t, ctx, findWord(t, ctx, "based", false))
			do(t, ctx, chromedp.WaitVisible(".dict-popup .dict-popup-analysis li"))
			title := eval[string](t, ctx, `document.querySelector(".dict-popup-title").textContent`)
			parts := texts(t, ctx, ".dict-popup-analysis li")
			forms := texts(t, ctx, ".dict-popup-analysis .dict-popup-form")
			if title != "seoul-based" {
				t.Errorf("pop-up title %q, want seoul-based", title)
			}
			if len(parts) != 2 || !strings.HasPrefix(parts[0], "seoul "+tc.kind+": the capital of South Korea") ||
				!strings.HasPrefix(parts[1], "based ") || !strings.Contains(parts[1], "based in or on") {
				t.Errorf("pop-up parts %q, want seoul (%s, the capital of South Korea) and based (based in or on)", parts, tc.kind)
			}
			if len(forms) != 2 || forms[1] != tc.whole {
				t.Errorf("pop-up notes %q, want the note and %q", forms, tc.whole)
			}
			if right := eval[float64](t, ctx, `document.querySelector(".dict-popup").getBoundingClientRect().right`); right > float64(tc.width) {
				t.Errorf("pop-up reaches %.0f px on a %d px screen", right, tc.width)
			}
			viewScreenshot(t, ctx, "dictionary-analysis-popup-"+fmt.Sprint(tc.width)+strings.TrimPrefix(tc.lang, "?lang="))
		})
	}
}

// TestDictionary_pageExplainsADerivedWord is the dictionary page (the way
// without JavaScript) for a word WordNet lacks, at both widths in both
// languages.
func TestDictionary_pageExplainsADerivedWord(t *testing.T) {
	for _, tc := range []struct {
		lang, heading string
		width         int64
	}{
		{"", "Parts of the word", 1280},
		{"&lang=ko", "단어의 구성", 360},
	} {
		t.Run(fmt.Sprint(tc.width, tc.lang), func(t *testing.T) {
			ctx := newTab(t)
			if tc.width != 1280 {
				do(t, ctx, chromedp.EmulateViewport(tc.width, 740, chromedp.EmulateScale(2)))
			}
			open(t, ctx, "/dictionary?q=denuclearization"+tc.lang)
			if got := texts(t, ctx, ".dictionary-analysis h3"); len(got) != 1 || got[0] != tc.heading {
				t.Errorf("analysis heading %q, want %q", got, tc.heading)
			}
			if got := texts(t, ctx, ".analysis-parts b"); strings.Join(got, " ") != "de- nuclear -ization" {
				t.Errorf("parts %q, want de- nuclear -ization", got)
			}
			if scroll := eval[float64](t, ctx, `document.documentElement.scrollWidth`); scroll > float64(tc.width) {
				t.Errorf("the page is %.0f px wide on a %d px screen", scroll, tc.width)
			}
			screenshot(t, ctx, "dictionary-analysis-page-"+fmt.Sprint(tc.width)+strings.TrimPrefix(tc.lang, "&lang="))
		})
	}
}
