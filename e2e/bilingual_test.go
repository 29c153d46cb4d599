package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// nightBusPair opens the demo's column on the night bus, which has a
// Korean version, and returns the address of the side-by-side view its
// page links to.
func nightBusPair(t *testing.T, ctx context.Context, lang, shot string) string {
	t.Helper()
	open(t, ctx, "/section/opinion/columns"+lang)
	path := eval[string](t, ctx, `(() => {
		const a = [...document.querySelectorAll("a")].find(a => a.textContent.includes("What the night bus knows about Seoul"));
		return a ? a.pathname : "";
	})()`)
	if path == "" {
		t.Fatal("the columns section does not list the night bus column")
	}
	open(t, ctx, path+lang)
	read := texts(t, ctx, ".article-translation a[hreflang=ko]")
	if len(read) != 1 || read[0] != "한국어로 읽기" {
		t.Fatalf("link to the Korean version %q, want 한국어로 읽기", read)
	}
	alt := eval[string](t, ctx, `(document.querySelector('link[rel=alternate][hreflang=ko]') || {}).href || ""`)
	if !strings.Contains(alt, "/article/") {
		t.Errorf("hreflang=ko alternate %q, want the Korean article", alt)
	}
	side := eval[string](t, ctx, `(() => { const a = document.querySelector(".article-translation a[href*='/bilingual']"); return a ? a.pathname : ""; })()`)
	if side == "" {
		t.Fatal("the article does not link to its side-by-side view")
	}
	viewScreenshot(t, ctx, shot)
	return side
}

// rowAlignment is, for each row of the side-by-side view, how far apart
// the tops of its English and Korean blocks are, and whether each shows.
const rowAlignment = `[...document.querySelectorAll(".bilingual-row")].map(r => {
	const en = r.querySelector(".bilingual-en"), ko = r.querySelector(".bilingual-ko");
	return {gap: Math.abs(en.getBoundingClientRect().top - ko.getBoundingClientRect().top),
		enShown: en.offsetParent !== null, koShown: ko.offsetParent !== null,
		stacked: ko.getBoundingClientRect().top >= en.getBoundingClientRect().bottom - 1};
})`

type rowState struct {
	Gap     float64 `json:"gap"`
	EnShown bool    `json:"enShown"`
	KoShown bool    `json:"koShown"`
	Stacked bool    `json:"stacked"`
}

// TestBilingual_sideBySideView reads the demo's English–Korean pair side
// by side: paragraphs side by side and level on a wide screen, stacked in
// pairs with a working choice of side on a phone, in both interface
// languages, and the dictionary answers on the English side.
func TestBilingual_sideBySideView(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		width int64
	}{
		{"", 1280}, {"?lang=ko", 1280}, {"", 360}, {"?lang=ko", 360},
	} {
		t.Run(fmt.Sprint(tc.width, tc.lang), func(t *testing.T) {
			ctx := newTab(t)
			if tc.width != 1280 {
				do(t, ctx, chromedp.EmulateViewport(tc.width, 740, chromedp.EmulateScale(2)))
			}
			name := "bilingual-" + fmt.Sprint(tc.width) + strings.TrimPrefix(tc.lang, "?lang=")
			side := nightBusPair(t, ctx, tc.lang, name+"-article")
			open(t, ctx, side+tc.lang)
			rows := eval[[]rowState](t, ctx, rowAlignment)
			if len(rows) != 9 { // the headlines, then eight blocks on each side
				t.Fatalf("%d rows, want 9", len(rows))
			}
			if tc.width == 1280 {
				for i, r := range rows {
					if r.Gap > 1 || r.Stacked {
						t.Errorf("row %d: English and Korean %.0f px apart (stacked %v), want level", i, r.Gap, r.Stacked)
					}
				}
				if got := count(t, ctx, ".bilingual-toggle label:not([hidden])"); got == 0 || eval[bool](t, ctx, `document.querySelector(".bilingual-toggle").offsetParent !== null`) {
					t.Errorf("the choice of side shows on a wide screen")
				}
				screenshot(t, ctx, name)
				if tc.lang == "" {
					checkDictionaryOnEnglishSide(t, ctx)
				}
				return
			}
			for i, r := range rows {
				if !r.Stacked || !r.EnShown || !r.KoShown {
					t.Errorf("row %d on a phone: %+v, want English above Korean, both shown", i, r)
				}
			}
			viewScreenshot(t, ctx, name)
			for _, choice := range []struct{ id, want string }{{"en", "en"}, {"ko", "ko"}, {"both", "both"}} {
				do(t, ctx, chromedp.Click(`label[for="bilingual-show-`+choice.id+`"]`))
				rows := eval[[]rowState](t, ctx, rowAlignment)
				for i, r := range rows {
					en, ko := choice.want != "ko", choice.want != "en"
					if r.EnShown != en || r.KoShown != ko {
						t.Errorf("%s chosen, row %d: English shown %v, Korean %v; want %v, %v", choice.id, i, r.EnShown, r.KoShown, en, ko)
					}
				}
				if choice.id == "ko" {
					viewScreenshot(t, ctx, name+"-korean-only")
				}
			}
		})
	}
}

// checkDictionaryOnEnglishSide double-clicks an English word of the
// side-by-side view and expects the dictionary pop-up for it.
func checkDictionaryOnEnglishSide(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	doubleClick(t, ctx, findWord(t, ctx, "passengers", false))
	do(t, ctx, chromedp.WaitVisible(".dict-popup .dict-popup-entry li"))
	if title := eval[string](t, ctx, `document.querySelector(".dict-popup-title").textContent`); !strings.HasPrefix(title, "passenger") {
		t.Errorf("pop-up title %q, want passenger(s)", title)
	}
	viewScreenshot(t, ctx, "bilingual-1280-dictionary")
}
