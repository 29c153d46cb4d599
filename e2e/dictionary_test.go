package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// wordBox is where a word of the article body is on screen.
type wordBox struct {
	Found bool    `json:"found"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Right float64 `json:"right"`
}

// findWord scrolls the first whole-word occurrence of word in the article
// body into view and returns the centre of its box. rightmost picks the
// occurrence nearest the right edge instead, where a careless pop-up would
// run off a narrow screen.
func findWord(t *testing.T, ctx context.Context, word string, rightmost bool) wordBox {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const word = %s, rightmost = %t;
		const re = new RegExp("\\b" + word + "\\b", "g");
		const walker = document.createTreeWalker(document.querySelector(".article-body"), NodeFilter.SHOW_TEXT);
		let best = null;
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			for (const m of n.data.matchAll(re)) {
				const r = document.createRange();
				r.setStart(n, m.index);
				r.setEnd(n, m.index + word.length);
				if (!best) { best = r; if (!rightmost) break; }
				else if (r.getBoundingClientRect().right > best.getBoundingClientRect().right) best = r;
			}
			if (best && !rightmost) break;
		}
		if (!best) return {found: false, x: 0, y: 0, right: 0};
		best.startContainer.parentElement.scrollIntoView({block: "center"});
		const b = best.getBoundingClientRect();
		return {found: true, x: b.left + b.width / 2, y: b.top + b.height / 2, right: b.right};
	})()`, jsLiteral(word), rightmost)
	box := eval[wordBox](t, ctx, js)
	if !box.Found {
		t.Fatalf("the article body has no word %q", word)
	}
	return box
}

// doubleClick double-clicks as a mouse does: a click, then a second press
// that the browser counts as the second of a double click.
func doubleClick(t *testing.T, ctx context.Context, b wordBox) {
	t.Helper()
	do(t, ctx, chromedp.MouseClickXY(b.X, b.Y), chromedp.MouseClickXY(b.X, b.Y, chromedp.ClickCount(2)))
}

// popupState is what the tests check of the open pop-up.
type popupState struct {
	Open        bool     `json:"open"`
	Title       string   `json:"title"`
	Role        string   `json:"role"`
	Labelled    bool     `json:"labelled"`
	HasFocus    bool     `json:"hasFocus"`
	Definitions []string `json:"definitions"`
	Glossary    []string `json:"glossary"`
	Left        float64  `json:"left"`
	Right       float64  `json:"right"`
	Width       float64  `json:"width"`
	Position    string   `json:"position"`
}

const readPopup = `(() => {
	const p = document.querySelector(".dict-popup");
	if (!p) return {open: false};
	const r = p.getBoundingClientRect();
	const title = document.getElementById(p.getAttribute("aria-labelledby"));
	return {
		open: true, title: title ? title.textContent : "", role: p.getAttribute("role"),
		labelled: !!title && p.contains(title),
		hasFocus: p.contains(document.activeElement),
		// The definition is the item's first text; a label ("In this
		// sentence") may come before it.
		definitions: [...p.querySelectorAll(".dict-popup-entry li")].map(li => [...li.childNodes].find(n => n.nodeType === Node.TEXT_NODE).textContent),
		glossary: [...p.querySelectorAll(".dict-popup-glossary li")].map(li => li.textContent),
		left: r.left, right: r.right, width: document.documentElement.clientWidth,
		position: getComputedStyle(p).position,
	};
})()`

// waitForDefinitions waits until the pop-up shows an answer.
func waitForDefinitions(t *testing.T, ctx context.Context) popupState {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(".dict-popup .dict-popup-entry li"))
	return eval[popupState](t, ctx, readPopup)
}

// turnDictionaryOn presses the toggle next to Print and checks that it
// says so and is remembered.
func turnDictionaryOn(t *testing.T, ctx context.Context) {
	t.Helper()
	if got := eval[bool](t, ctx, `document.querySelector(".dictionary-link").closest("li").hidden`); !got {
		t.Error("with JavaScript the Dictionary link should give way to the toggle")
	}
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	if got := eval[string](t, ctx, `document.querySelector(".dictionary-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Fatalf("toggle aria-pressed after a click: got %q, want \"true\"", got)
	}
	if got := eval[string](t, ctx, `localStorage.getItem("broadsheet.dictionary")`); got != "on" {
		t.Errorf("localStorage after turning it on: got %q, want \"on\"", got)
	}
}

// TestDictionary_popUpExplainsAWordAndGivesFocusBack is a reader's use of
// the dictionary: turn it on, double-click a word, read its definition,
// press Esc; then the same with the keyboard alone, from "Words in this
// article"; then a phrase; and the toggle is remembered.
func TestDictionary_popUpExplainsAWordAndGivesFocusBack(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	turnDictionaryOn(t, ctx)

	// The first top story (the demo's budget vote) says "negotiators":
	// the pop-up explains "negotiator", as "Words in this article" does.
	wantDef := eval[string](t, ctx, `document.querySelector('.article-words a[data-word="negotiator"]').closest("div").querySelector("dd").textContent`)
	box := findWord(t, ctx, "negotiators", false)
	doubleClick(t, ctx, box)
	p := waitForDefinitions(t, ctx)
	if p.Title != "negotiator" || len(p.Definitions) == 0 || p.Definitions[0] != wantDef {
		t.Errorf("pop-up for a double-clicked \"negotiators\": title %q, definitions %q; want \"negotiator\" defined as %q", p.Title, p.Definitions, wantDef)
	}
	if p.Role != "dialog" || !p.Labelled || !p.HasFocus {
		t.Errorf("pop-up: role %q, labelled by its title %v, has focus %v; want a focused dialog labelled by its title", p.Role, p.Labelled, p.HasFocus)
	}
	if p.Position != "absolute" && p.Position != "fixed" {
		t.Errorf("pop-up position: got %q, want absolute or fixed so the text under it does not move", p.Position)
	}
	viewScreenshot(t, ctx, "dictionary-popup-desktop")

	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	if n := count(t, ctx, ".dict-popup"); n != 0 {
		t.Fatalf("after Esc: %d pop-ups, want none", n)
	}
	// Focus goes back to the article, around the word: not lost to <body>.
	back := eval[bool](t, ctx, `(() => {
		const a = document.activeElement;
		return a !== document.body && a.contains(document.querySelector(".article-body"));
	})()`)
	if !back {
		t.Errorf("after Esc: focus is on %s, want it back on the article content where the word is",
			eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}

	// The keyboard alone: a word of "Words in this article", Enter, Esc.
	do(t, ctx, chromedp.Focus(`.article-words a[data-word="negotiator"]`), chromedp.KeyEvent(kb.Enter))
	p = waitForDefinitions(t, ctx)
	if p.Title != "negotiator" || !p.HasFocus {
		t.Errorf("pop-up from the keyboard: title %q, focus inside %v; want negotiator, focused", p.Title, p.HasFocus)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	if got := eval[string](t, ctx, `document.activeElement.getAttribute("data-word") || document.activeElement.tagName`); got != "negotiator" {
		t.Errorf("after Esc: focus on %q, want back on the negotiator link", got)
	}
	if loc := location(t, ctx); loc != story.Path {
		t.Errorf("the word link navigated to %s; with the dictionary on it should open the pop-up", loc)
	}

	// A word inside a phrase: "interest rates" is one headword of WordNet.
	doubleClick(t, ctx, findWord(t, ctx, "rates", false))
	if p = waitForDefinitions(t, ctx); p.Title != "interest rate" {
		t.Errorf("pop-up for \"rates\" in \"interest rates\": title %q, want \"interest rate\"", p.Title)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Escape))

	// The choice is remembered.
	open(t, ctx, story.Path)
	if got := eval[string](t, ctx, `document.querySelector(".dictionary-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("after reloading: toggle aria-pressed %q, want \"true\" from localStorage", got)
	}
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
	if n := count(t, ctx, ".dict-popup"); n != 0 {
		t.Errorf("with the dictionary off, a double-click opened %d pop-ups", n)
	}
}

// TestDictionary_popUpFitsA360pxScreen opens the pop-up for the word
// nearest the right edge of a 360 px wide screen and checks that it stays
// on the screen and the page does not scroll sideways.
func TestDictionary_popUpFitsA360pxScreen(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)))
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	turnDictionaryOn(t, ctx)
	box := findWord(t, ctx, "negotiators", true)
	doubleClick(t, ctx, box)
	p := waitForDefinitions(t, ctx)
	if p.Width != 360 {
		t.Fatalf("viewport: got %v px wide, want 360", p.Width)
	}
	if p.Left < 0 || p.Right > p.Width {
		t.Errorf("pop-up spans %.0f to %.0f px in a %.0f px screen, want it inside", p.Left, p.Right, p.Width)
	}
	if scroll := eval[float64](t, ctx, `document.documentElement.scrollWidth`); scroll > p.Width {
		t.Errorf("with the pop-up open the page is %.0f px wide in %.0f px, so it scrolls sideways", scroll, p.Width)
	}
	viewScreenshot(t, ctx, "dictionary-popup-360")
}

// TestDictionary_popUpShowsTheInterfaceLanguage checks the pop-up in the
// Korean interface: its strings come from the page, in Korean.
func TestDictionary_popUpShowsTheInterfaceLanguage(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path+"?lang=ko")
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
	waitForDefinitions(t, ctx)
	pos := texts(t, ctx, ".dict-popup-entry h3 .pos")
	if len(pos) == 0 || !strings.Contains(strings.Join(pos, " "), "명사") {
		t.Errorf("parts of speech in the Korean interface: got %q, want 명사 (noun)", pos)
	}
	if more := texts(t, ctx, ".dict-popup-more a"); len(more) != 1 || more[0] != "사전에서 더 보기" {
		t.Errorf("the pop-up's link to the dictionary page: got %q", more)
	}
	viewScreenshot(t, ctx, "dictionary-popup-ko")
}

// TestDictionary_popUpShowsGlossaryFirst is the newsroom's side: an
// operator loads a glossary CSV with the command line while the site
// runs, and the reader's pop-up shows its translation before WordNet's
// definitions, with the entry's markup shown as text.
func TestDictionary_popUpShowsGlossaryFirst(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "glossary.csv")
	csv := "headword,lang,translation,note\nnegotiator,ko,협상 대표,\"Also <script>alert(1)</script> 교섭 위원\"\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(site.bin, "glossary", "import", "--data", site.dataDir, csvPath)
	cmd.Env = withoutBroadsheetVars(os.Environ())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("broadsheet glossary import: %v\n%s", err, out)
	}

	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	turnDictionaryOn(t, ctx)
	doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
	p := waitForDefinitions(t, ctx)
	if len(p.Glossary) != 1 || !strings.Contains(p.Glossary[0], "협상 대표") || !strings.Contains(p.Glossary[0], "<script>alert(1)</script>") {
		t.Errorf("pop-up glossary: got %q, want the imported translation, its note shown as text", p.Glossary)
	}
	first := eval[string](t, ctx, `document.querySelector(".dict-popup-body > section").className`)
	if first != "dict-popup-glossary" {
		t.Errorf("first section of the pop-up: got %q, want the glossary before WordNet", first)
	}
	if n := count(t, ctx, ".dict-popup script"); n != 0 {
		t.Errorf("the pop-up holds %d script elements made from glossary text", n)
	}
	viewScreenshot(t, ctx, "dictionary-popup-glossary")
}

// TestDictionary_popUpNamesFunctionWordsInKorean double-clicks "the" in a
// Korean interface: the function-word lexicon answers, its part of speech
// labelled in Korean.
func TestDictionary_popUpNamesFunctionWordsInKorean(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path+"?lang=ko")
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	doubleClick(t, ctx, findWord(t, ctx, "the", false))
	waitForDefinitions(t, ctx)
	if pos := texts(t, ctx, ".dict-popup-entry h3 .pos"); len(pos) == 0 || pos[0] != "한정사" {
		t.Errorf("the part of speech of \"the\" in the Korean interface: got %q, want 한정사 (determiner)", pos)
	}
}
