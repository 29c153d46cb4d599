package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// phone is a small phone's viewport, the width the masthead is sized for.
func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile, chromedp.EmulateTouch)
}

// firstDraw is run by the browser in every page of the tab before the
// page's own scripts. When the <body> element appears, before anything of
// it can be drawn, it notes the theme and text size the page already has,
// and where the headline (h1) first stands. From then on it notes every
// change of the settings' attributes on <html> (there should be none: the
// choice is applied before the body exists) and every layout shift the Layout
// Instability API reports, with the elements that moved (its sources) and
// whether each is, holds or lies in the headline or the article's text
// (whose size the text setting sets) or the masthead.
const firstDraw = `(() => {
	// Nothing of the document exists yet, not even <html>.
	const f = window.firstDraw = {shifts: [], settingsChanged: []};
	const text = "main h1, .article-body";
	const within = (el, css) => !!el && (!!el.closest(css) || !!el.querySelector(css));
	const describe = el => {
		const path = [];
		for (; el && el !== document.documentElement; el = el.parentElement) {
			path.unshift(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
				(typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : ""));
		}
		return path.join(" > ");
	};
	const rect = r => r && [r.x, r.y, r.width, r.height].map(v => Math.round(v * 10) / 10);
	const note = entries => {
		for (const e of entries) {
			if (e.hadRecentInput) continue;
			f.shifts.push({value: e.value, at: e.startTime, sources: (e.sources || []).map(s => {
				const el = s.node && (s.node.nodeType === Node.ELEMENT_NODE ? s.node : s.node.parentElement);
				return {
					node: el ? describe(el) + (el === s.node ? "" : " (text)") : "(a node since removed)",
					text: within(el, text), masthead: within(el, "header.masthead"),
					from: rect(s.previousRect), to: rect(s.currentRect),
				};
			})});
		}
	};
	const shifts = new PerformanceObserver(list => note(list.getEntries()));
	shifts.observe({type: "layout-shift", buffered: true});
	// The observer is told of shifts a while after they are drawn; flush
	// takes those it has not been told of yet.
	f.flush = () => note(shifts.takeRecords());
	new MutationObserver(records => {
		if (!document.body) return;
		for (const r of records) {
			if (r.target === document.documentElement && r.attributeName !== "class") {
				f.settingsChanged.push(r.attributeName + ": " + r.oldValue + " → " + r.target.getAttribute(r.attributeName));
			}
		}
	}).observe(document, {subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["data-theme", "data-text-size", "class"]});
	const seen = new MutationObserver(() => {
		const root = document.documentElement;
		if (f.theme === undefined && document.body) {
			f.theme = root.getAttribute("data-theme") || "";
			f.size = root.getAttribute("data-text-size") || "";
			f.rootFontSize = getComputedStyle(root).fontSize;
			f.paper = getComputedStyle(root).getPropertyValue("--paper").trim();
		}
		const h1 = document.querySelector("main h1");
		if (h1 && f.h1Top === undefined) {
			f.h1Top = h1.getBoundingClientRect().top;
			seen.disconnect();
		}
	});
	seen.observe(document, {childList: true, subtree: true});
})()`

// layoutShift is one entry of the Layout Instability API: its score, when
// it was drawn and the elements that moved.
type layoutShift struct {
	Value   float64 `json:"value"`
	At      float64 `json:"at"` // milliseconds since the navigation began
	Sources []struct {
		Node     string    `json:"node"`
		Text     bool      `json:"text"`     // the headline or the article's text, or holds them
		Masthead bool      `json:"masthead"` // in the masthead, or holds it
		From     []float64 `json:"from"`     // x, y, width, height
		To       []float64 `json:"to"`
	} `json:"sources"`
}

func (s layoutShift) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "shift %.4f at %.0fms:", s.Value, s.At)
	for _, src := range s.Sources {
		fmt.Fprintf(&b, " [%s from %v to %v]", src.Node, src.From, src.To)
	}
	return b.String()
}

// movedBySettings names what in the shift the reader's settings could
// have moved, or is "" when nothing: the headline, the article's text or
// the masthead. The masthead's account slot is drawn as "Log in" for
// everyone and keeps its width for a reader who is not logged in (as here)
// when account-menu.js runs, so nothing in it may move either.
func (s layoutShift) movedBySettings() string {
	if len(s.Sources) == 0 {
		return "(Chromium named nothing that moved)"
	}
	for _, src := range s.Sources {
		if src.Text || src.Masthead {
			return src.Node
		}
	}
	return ""
}

// drawn is what firstDraw saw, and where the headline stands now.
type drawn struct {
	Theme           string        `json:"theme"`
	Size            string        `json:"size"`
	RootFontSize    string        `json:"rootFontSize"`
	Paper           string        `json:"paper"`
	H1Top           float64       `json:"h1Top"`
	Shifts          []layoutShift `json:"shifts"`
	SettingsChanged []string      `json:"settingsChanged"`
	H1TopNow        float64       `json:"h1TopNow"`
	RootFontSizeNow string        `json:"rootFontSizeNow"`
}

// readDrawn waits for two frames to be drawn, so that a change of layout
// made just before is drawn, and reported, too.
func readDrawn(t *testing.T, ctx context.Context) drawn {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[drawn](`new Promise(drawn => requestAnimationFrame(() => requestAnimationFrame(drawn))).then(() => {
		window.firstDraw.flush();
		return {...window.firstDraw, h1TopNow: document.querySelector("main h1").getBoundingClientRect().top,
			rootFontSizeNow: getComputedStyle(document.documentElement).fontSize};
	})`, chromedp.EvalAwaitPromise))
}

// TestReaderSettings_darkAndLargeTextHoldAcrossPages chooses the dark
// theme and a larger text on the home page, then opens an article: it is
// dark and large from the first moment its body exists (site.js in <head>
// applies the choice before anything is drawn), and nothing moves while
// the page loads. Choosing light again holds too.
func TestReaderSettings_darkAndLargeTextHoldAcrossPages(t *testing.T) {
	ctx := newTab(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: firstDraw}); err != nil {
		t.Fatal(err)
	}
	// The system asks for light, so dark is the reader's own choice.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}}); err != nil {
		t.Fatal(err)
	}
	story := topStory(t, ctx)
	if got := eval[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-pressed")`); got != "false" {
		t.Fatalf("theme toggle on a light system: aria-pressed %q, want \"false\"", got)
	}
	normal := eval[float64](t, ctx, `parseFloat(getComputedStyle(document.documentElement).fontSize)`)
	const mastheadHeight = `document.querySelector("header.masthead").getBoundingClientRect().height`
	masthead := eval[float64](t, ctx, mastheadHeight)
	do(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")), chromedp.Click(chromedp.CSS(`.text-size[data-step="1"]`)))
	if got := eval[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("theme toggle after a click: aria-pressed %q, want \"true\"", got)
	}

	open(t, ctx, story.Path)
	d := readDrawn(t, ctx)
	if d.Theme != "dark" || d.Paper != "#141414" {
		t.Errorf("article page when its body appeared: theme %q, paper %q; want \"dark\" and #141414", d.Theme, d.Paper)
	}
	if d.Size != "l" {
		t.Errorf("article page when its body appeared: text size %q, want \"l\"", d.Size)
	}
	if large := eval[float64](t, ctx, `parseFloat(getComputedStyle(document.documentElement).fontSize)`); large <= normal {
		t.Errorf("article page root font size: got %.1fpx, want more than the normal %.1fpx", large, normal)
	}
	// The masthead keeps its size: larger text is for reading.
	if h := eval[float64](t, ctx, mastheadHeight); h != masthead {
		t.Errorf("masthead with larger text: %.1fpx tall, want the same %.1fpx as with normal text", h, masthead)
	}
	if d.H1Top != d.H1TopNow {
		t.Errorf("article headline stood at %.1fpx when drawn first and at %.1fpx once loaded; want no move", d.H1Top, d.H1TopNow)
	}
	if d.RootFontSize != d.RootFontSizeNow {
		t.Errorf("article page root font size: %s when its body appeared and %s once loaded; want no change", d.RootFontSize, d.RootFontSizeNow)
	}
	for _, c := range d.SettingsChanged {
		t.Errorf("article page: the settings changed after its body appeared (%s); want them applied before", c)
	}
	// Nothing the settings change may move. Other shifts while the page
	// loads (a script filling its slot late on a busy machine) are
	// reported, and are not what this test is about.
	for _, s := range d.Shifts {
		if moved := s.movedBySettings(); moved != "" {
			t.Errorf("article page while loading: %v; want no shift of %s, which the settings could move", s, moved)
		} else {
			t.Logf("article page while loading, a shift the settings did not make: %v", s)
		}
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(20, 20, 20)" {
		t.Errorf("article page background: got %s, want the dark rgb(20, 20, 20)", bg)
	}

	// Back to light, and the next page is light from the start.
	do(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")))
	open(t, ctx, "/")
	if d := readDrawn(t, ctx); d.Theme != "light" || d.Paper != "#ffffff" || d.Size != "l" {
		t.Errorf("home page after choosing light: theme %q, paper %q, size %q; want light, #ffffff, l", d.Theme, d.Paper, d.Size)
	}
}

// TestMasthead_compactOnPhones checks that at 360 px the whole masthead
// (name, search, settings, language, account, sections) takes at most
// 100 px on the home page, an article and a section front, in English and
// Korean; that the sections open from a menu over the page, without moving
// it; and that a desktop shows them without a menu.
func TestMasthead_compactOnPhones(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	section := links(t, ctx, ".main-nav a")[1].Path
	do(t, ctx, phone())
	for _, lang := range []string{"en", "ko"} {
		for _, pg := range []struct{ name, path string }{{"home", "/"}, {"article", story.Path}, {"section", section}} {
			path := pg.path
			open(t, ctx, path+"?lang="+lang)
			if h := eval[float64](t, ctx, `document.querySelector("header.masthead").getBoundingClientRect().height`); h > 100 {
				t.Errorf("%s?lang=%s at 360px: masthead is %.0fpx tall, want at most 100", path, lang, h)
			}
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("%s?lang=%s at 360px: page is %dpx wide, so it scrolls sideways", path, lang, w)
			}
			viewScreenshot(t, ctx, fmt.Sprintf("layout-%s-360-%s", pg.name, lang))
		}
	}

	open(t, ctx, "/")
	// checkVisibility: the content of a closed <details> keeps a layout
	// box, but it is not drawn.
	navShown := `document.querySelector(".main-nav a").checkVisibility()`
	if eval[bool](t, ctx, navShown) {
		t.Error("at 360px the sections are shown before the menu is opened; want them in the menu")
	}
	mainTop := eval[float64](t, ctx, `document.querySelector("main").getBoundingClientRect().top`)
	do(t, ctx, chromedp.Click(chromedp.CSS(".nav-menu > summary")))
	if !eval[bool](t, ctx, navShown) {
		t.Error("after a tap on the menu button the sections are not shown")
	}
	if got := eval[float64](t, ctx, `document.querySelector("main").getBoundingClientRect().top`); got != mainTop {
		t.Errorf("opening the menu moved the page from %.0fpx to %.0fpx; want it over the page", mainTop, got)
	}
	if name := eval[string](t, ctx, `document.querySelector(".nav-menu > summary").textContent.trim()`); name != "Sections" {
		t.Errorf("menu button's name: got %q, want \"Sections\"", name)
	}
	viewScreenshot(t, ctx, "layout-menu-open-360")

	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	open(t, ctx, "/")
	if !eval[bool](t, ctx, navShown) {
		t.Error("at 1280px the sections are not shown without a menu")
	}
	if shown := eval[bool](t, ctx, `getComputedStyle(document.querySelector(".nav-menu > summary")).display !== "none"`); shown {
		t.Error("at 1280px the menu button is shown; want the sections as a row")
	}

	// Korean breaks lines between words only.
	open(t, ctx, story.Path+"?lang=ko")
	if wb := eval[string](t, ctx, `getComputedStyle(document.querySelector(".article-body p")).wordBreak`); wb != "keep-all" {
		t.Errorf("Korean page body text: word-break %q, want keep-all", wb)
	}
}

// tapTargets lists the visible controls of the page smaller than 24×24
// CSS pixels (WCAG 2.2, 2.5.8 Target Size, Minimum). WCAG exempts a link
// inside a sentence, whose size the line of text sets: the links in the
// running text of the article body (its paragraphs and list items) are
// left out, and only those.
const tapTargets = `[...document.querySelectorAll("a[href], button, summary, input:not([type=hidden]), select, textarea")]
	.filter(e => !e.closest(".article-body p, .article-body li"))
	.filter(e => { const s = getComputedStyle(e); return s.visibility !== "hidden" && e.getClientRects().length > 0; })
	.map(e => { const r = e.getBoundingClientRect(); return {
		what: e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "") + " " + JSON.stringify((e.textContent || e.name || "").trim().slice(0, 30)),
		w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 }; })
	.filter(b => b.w < 24 || b.h < 24)`

// TestArticle_tapTargetsAtLeast24px checks every control of an article
// page at 360 px, the comments included once they have loaded, and of the
// other kinds of reader page.
func TestArticle_tapTargetsAtLeast24px(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	section := links(t, ctx, ".main-nav a")[1].Path
	open(t, ctx, story.Path)
	tag := links(t, ctx, ".tags a")[0].Path
	author := links(t, ctx, `.bylines a[rel="author"]`)[0].Path
	static := links(t, ctx, ".site-footer a")[0].Path
	do(t, ctx, phone())
	type target struct {
		What string  `json:"what"`
		W    float64 `json:"w"`
		H    float64 `json:"h"`
	}
	pages := []string{story.Path, "/", section, tag, author, static, "/search?q=budget", "/most-read/week"}
	for _, lang := range []string{"en", "ko"} {
		for _, path := range pages {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			open(t, ctx, path+sep+"lang="+lang)
			if path == story.Path {
				if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector("#comments h2 ~ *")`)); err != nil {
					t.Fatalf("comments did not load: %v", err)
				}
			}
			do(t, ctx, chromedp.Click(chromedp.CSS(".nav-menu > summary"))) // the sections too
			for _, s := range eval[[]target](t, ctx, tapTargets) {
				t.Errorf("%s?lang=%s at 360px: %s is %.1f×%.1f px, want at least 24×24", path, lang, s.What, s.W, s.H)
			}
		}
	}
}

// TestPrintView_printButtonAndWayBack checks the print view's Print
// button (it prints) and its link back to the article, and that paper
// shows neither.
func TestPrintView_printButtonAndWayBack(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	open(t, ctx, story.Path+"/print")
	if got := eval[string](t, ctx, `new URL(document.querySelector("a.print-back").href).pathname`); got != story.Path {
		t.Errorf("print view's back link: goes to %s, want %s", got, story.Path)
	}
	for _, css := range []string{".print-button", "a.print-back"} {
		if shown := eval[bool](t, ctx, `document.querySelector(`+jsLiteral(css)+`).checkVisibility()`); !shown {
			t.Errorf("print view on screen: %s is not shown", css)
		}
	}
	// The browser's print dialog cannot be driven here; the button's call
	// of window.print is what is checked.
	if !eval[bool](t, ctx, `window.print = () => { window.printed = true; }, document.querySelector(".print-button").click(), window.printed === true`) {
		t.Error("a click on Print did not call window.print")
	}
	screenshot(t, ctx, "layout-print-view-screen")

	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	for _, css := range []string{".print-tools", ".print-button", "a.print-back"} {
		if shown := eval[bool](t, ctx, `document.querySelector(`+jsLiteral(css)+`).getClientRects().length > 0`); shown {
			t.Errorf("print media: %s is shown on paper, want it hidden", css)
		}
	}
	if shown := eval[bool](t, ctx, `document.querySelector(".article-body").getClientRects().length > 0`); !shown {
		t.Error("print media: the article body is not printed")
	}
}

// TestMasthead_worksWithoutJavaScript checks the masthead of a reader
// whose browser runs no script: the sections menu still opens (it is a
// <details>), the settings that would need a script are not shown, and
// the print view offers no Print button that could do nothing.
func TestMasthead_worksWithoutJavaScript(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, phone())
	open(t, ctx, "/")
	if shown := eval[bool](t, ctx, `document.querySelector(".reader-settings").checkVisibility()`); shown {
		t.Error("without scripts the theme and text-size buttons are shown, and would do nothing")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(".nav-menu > summary")))
	if !eval[bool](t, ctx, `document.querySelector(".main-nav a").checkVisibility()`) {
		t.Error("without scripts a tap on the menu button does not show the sections")
	}
	if h := eval[float64](t, ctx, `document.querySelector("header.masthead").getBoundingClientRect().height`); h > 100 {
		t.Errorf("without scripts the masthead is %.0fpx tall at 360px, want at most 100", h)
	}
	open(t, ctx, story.Path+"/print")
	if shown := eval[bool](t, ctx, `document.querySelector(".print-button").checkVisibility()`); shown {
		t.Error("without scripts the print view shows a Print button")
	}
	if !eval[bool](t, ctx, `document.querySelector("a.print-back").checkVisibility()`) {
		t.Error("without scripts the print view has no visible way back")
	}
}
