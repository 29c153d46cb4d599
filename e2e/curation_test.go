package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// curationOrder is the pinned list as the page shows it: article ids in
// order.
func curationOrder(t *testing.T, ctx context.Context) []int64 {
	t.Helper()
	return eval[[]int64](t, ctx, `[...document.querySelectorAll("#curation-list > .curation-item")].map(li => Number(li.dataset.id))`)
}

type curationPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// curationCentre is the centre of the element sel on screen, scrolled
// into view.
func curationCentre(t *testing.T, ctx context.Context, sel string) curationPoint {
	t.Helper()
	return eval[curationPoint](t, ctx, `(() => { const e = document.querySelector(`+jsLiteral(sel)+`);
		e.scrollIntoView({block: "nearest"}); const b = e.getBoundingClientRect();
		return {x: b.left + b.width / 2, y: b.top + b.height / 2}; })()`)
}

// curationDrag drags with the mouse as a hand does: press on from, move
// there in steps with the button held, release.
func curationDrag(t *testing.T, ctx context.Context, from, to curationPoint) {
	t.Helper()
	held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	actions := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, from.X, from.Y, held, chromedp.ClickCount(1))}
	const steps = 8
	for i := 1; i <= steps; i++ {
		f := float64(i) / steps
		actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from.X+(to.X-from.X)*f, from.Y+(to.Y-from.Y)*f, held))
	}
	actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, to.X, to.Y, held, chromedp.ClickCount(1)))
	do(t, ctx, actions...)
}

// curationTouchDrag drags with a finger: touch down on from, move there
// in steps, lift.
func curationTouchDrag(t *testing.T, ctx context.Context, from, to curationPoint) {
	t.Helper()
	touch := func(typ input.DispatchTouchEventType, p *curationPoint) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			params := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
			if p != nil {
				params.TouchPoints = []*input.TouchPoint{{X: p.X, Y: p.Y}}
			}
			_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, params)
			return err
		})
	}
	actions := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, &from)}
	const steps = 8
	for i := 1; i <= steps; i++ {
		f := float64(i) / steps
		actions = append(actions, touch(input.DispatchTouchEventTypeTouchMove, &curationPoint{from.X + (to.X-from.X)*f, from.Y + (to.Y-from.Y)*f}))
	}
	actions = append(actions, touch(input.DispatchTouchEventTypeTouchEnd, nil))
	do(t, ctx, actions...)
}

// curationLeaveWarns reports whether leaving the page now would ask
// first: the page's beforeunload handler cancels the event.
func curationLeaveWarns(t *testing.T, ctx context.Context) bool {
	t.Helper()
	return eval[bool](t, ctx, `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`)
}

func curationLive(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.getElementById("curation-live").textContent`)
}

// An editor arranges the home page's top stories in the browser: drags
// one down by its handle, moves one with the keyboard, cancels a move
// with Escape, searches for a story and adds it, drags a candidate into
// the list, and saves once; the home page then leads with that order.
func TestCuration_dragKeyboardSearchAndSave(t *testing.T) {
	s := startNewsroomSite(t)
	bg := context.Background()
	published, err := s.db.ListArticles(bg, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 30})
	if err != nil || len(published) < 8 {
		t.Fatal(len(published), err)
	}
	a, b, c, d := published[0].ID, published[1].ID, published[2].ID, published[3].ID
	if err := s.db.SetTopStories(bg, []int64{a, b, c, d}); err != nil {
		t.Fatal(err)
	}
	ctx := s.signInTab(t, account.Editor)
	s.open(t, ctx, "/newsroom/curation")
	row := func(id int64) string { return fmt.Sprintf(`#curation-list > .curation-item[data-id="%d"]`, id) }
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{a, b, c, d}) {
		t.Fatalf("the page lists %v", got)
	}
	if eval[bool](t, ctx, `!document.getElementById("curation-unsaved").hidden`) || curationLeaveWarns(t, ctx) {
		t.Error("a page just opened says it has unsaved changes")
	}

	// A real drag: press on a's handle, move below c, release.
	from := curationCentre(t, ctx, row(a)+" .curation-handle")
	below := eval[curationPoint](t, ctx, `(() => { const b = document.querySelector(`+jsLiteral(row(c))+`).getBoundingClientRect();
		return {x: b.left + 20, y: b.bottom - 4}; })()`)
	curationDrag(t, ctx, from, below)
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{b, c, a, d}) {
		t.Fatalf("after dragging %d below %d: %v", a, c, got)
	}
	if got := curationLive(t, ctx); got != "Dropped at position 3 of 4" {
		t.Errorf("after the drag the page announces %q", got)
	}
	if eval[bool](t, ctx, `document.getElementById("curation-unsaved").hidden`) || !curationLeaveWarns(t, ctx) {
		t.Error("the moved list is not flagged unsaved, or leaving would not warn")
	}
	if got := texts(t, ctx, "#curation-list .curation-pos"); strings.Join(got, ",") != "1,2,3,4" {
		t.Errorf("the places read %v after the drag", got)
	}

	// The keyboard: b's handle, Space lifts, ArrowDown moves, Space drops.
	do(t, ctx, chromedp.Focus(row(b)+" .curation-handle"), chromedp.KeyEvent(" "))
	if got := curationLive(t, ctx); !strings.HasPrefix(got, "Lifted") {
		t.Errorf("Space on the handle announces %q", got)
	}
	do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	if got := curationLive(t, ctx); got != "Moved to position 2 of 4" {
		t.Errorf("ArrowDown announces %q", got)
	}
	do(t, ctx, chromedp.KeyEvent(" "))
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{c, b, a, d}) {
		t.Fatalf("after moving %d down by keyboard: %v", b, got)
	}
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector(`+jsLiteral(row(b)+" .curation-handle")+`)`) {
		t.Error("the moved row's handle lost the focus")
	}
	// Escape puts a lifted story back.
	do(t, ctx, chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Escape))
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{c, b, a, d}) {
		t.Fatalf("Escape did not put %d back: %v", b, got)
	}
	if got := curationLive(t, ctx); got != "Move cancelled; back at position 2 of 4" {
		t.Errorf("Escape announces %q", got)
	}

	// A finger drags d's handle above c.
	from = curationCentre(t, ctx, row(d)+" .curation-handle")
	above := eval[curationPoint](t, ctx, `(() => { const b = document.querySelector(`+jsLiteral(row(c))+`).getBoundingClientRect();
		return {x: b.left + 20, y: b.top + 4}; })()`)
	curationTouchDrag(t, ctx, from, above)
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{d, c, b, a}) {
		t.Fatalf("after dragging %d to the top by touch: %v", d, got)
	}

	// Search and add, in place.
	target := published[7]
	word := curationWord(target.Headline)
	do(t, ctx, chromedp.SendKeys("#curation-q", word), chromedp.Click("#curation-search button[type=submit]"))
	addTarget := fmt.Sprintf(`#curation-candidates button[value="add:%d"]`, target.ID)
	waitFor(t, ctx, `document.getElementById("curation-found-title").textContent.includes(`+jsLiteral(word)+`)`)
	if count(t, ctx, addTarget) != 1 {
		t.Fatalf("the search for %q does not offer article %d", word, target.ID)
	}
	do(t, ctx, chromedp.Click(addTarget))
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{d, c, b, a, target.ID}) {
		t.Fatalf("after adding %d: %v", target.ID, got)
	}
	if got := curationLive(t, ctx); got != "Added at position 5 of 5" {
		t.Errorf("Add announces %q", got)
	}
	if loc := location(t, ctx); loc != "/newsroom/curation" {
		t.Errorf("the search or the add left the page: %s", loc)
	}

	// Drag a candidate onto the top of the list. An empty search brings
	// back the newest stories.
	setValue(t, ctx, "#curation-q", "")
	do(t, ctx, chromedp.Click("#curation-search button[type=submit]"))
	waitFor(t, ctx, `document.getElementById("curation-found-title").textContent === "Newest published stories"`)
	candidate := eval[int64](t, ctx, `Number(document.querySelector("#curation-candidates > .curation-item").dataset.id)`)
	do(t, ctx, chromedp.EmulateViewport(1280, 1400))
	from = curationCentre(t, ctx, fmt.Sprintf(`#curation-candidates > .curation-item[data-id="%d"] .curation-handle`, candidate))
	top := eval[curationPoint](t, ctx, `(() => { const b = document.querySelector("#curation-list > .curation-item").getBoundingClientRect();
		return {x: b.left + 40, y: b.top + 4}; })()`)
	curationDrag(t, ctx, from, top)
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{candidate, d, c, b, a, target.ID}) {
		t.Fatalf("after dragging candidate %d to the top: %v", candidate, got)
	}
	// The rows take HTML5 drag and drop too (the mouse on a row, outside
	// its handle): the events a browser sends, dispatched here.
	eval[bool](t, ctx, `(() => {
		const list = document.getElementById("curation-list"), src = document.querySelector(`+jsLiteral(row(target.ID))+`);
		const first = list.querySelector(".curation-item"), b = first.getBoundingClientRect(), dt = new DataTransfer();
		const fire = (el, type) => el.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt, clientX: b.left + 40, clientY: b.top + 4}));
		fire(src, "dragstart"); fire(first, "dragover"); fire(first, "drop"); fire(src, "dragend");
		return true; })()`)
	want := []int64{target.ID, candidate, d, c, b, a}
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after an HTML5 drag of %d to the top: %v", target.ID, got)
	}
	// The buttons work in place: down and up again, remove and add back.
	do(t, ctx, chromedp.Click(fmt.Sprintf(`button[value="down:%d"]`, target.ID)))
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{candidate, target.ID, d, c, b, a}) {
		t.Fatalf("after Move down: %v", got)
	}
	do(t, ctx, chromedp.Click(fmt.Sprintf(`button[value="up:%d"]`, target.ID)))
	do(t, ctx, chromedp.Click(fmt.Sprintf(`button[value="remove:%d"]`, a)))
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{target.ID, candidate, d, c, b}) {
		t.Fatalf("after Move up and Remove: %v", got)
	}
	if got := eval[int64](t, ctx, `Number(document.querySelector("#curation-candidates > .curation-item").dataset.id)`); got != a {
		t.Errorf("the removed story is not first to add back: %d", got)
	}
	do(t, ctx, chromedp.Click(fmt.Sprintf(`button[value="add:%d"]`, a)))
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after adding %d back: %v", a, got)
	}
	if loc := location(t, ctx); loc != "/newsroom/curation" {
		t.Errorf("a button left the page: %s", loc)
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	screenshot(t, ctx, "curation-unsaved-1280")

	// Save, once: the home page leads with the order.
	if status := s.submit(t, ctx, "#curation-save"); status != 200 {
		t.Fatalf("save: %d", status)
	}
	if loc := location(t, ctx); loc != "/newsroom/curation?done=saved" {
		t.Errorf("after save: at %s", loc)
	}
	top2, err := s.db.TopStories(bg, 20)
	if err != nil {
		t.Fatal(err)
	}
	var saved []int64
	for _, x := range top2 {
		saved = append(saved, x.ID)
	}
	if fmt.Sprint(saved) != fmt.Sprint(want) {
		t.Errorf("saved %v, want %v", saved, want)
	}
	reader := newTab(t)
	s.open(t, reader, "/")
	lead := links(t, reader, topStoryLinks)
	if len(lead) < 2 || lead[0].Path != target.URL() || lead[1].Path != s.article(t, candidate).URL() {
		t.Errorf("the home page leads with %v, want %d then %d", lead[:min(2, len(lead))], target.ID, candidate)
	}
	if curationLeaveWarns(t, ctx) {
		t.Error("the saved page still warns before leaving")
	}
}

// curationWord is a word of a headline that the search finds it by.
func curationWord(headline string) string {
	best := ""
	for _, w := range strings.Fields(headline) {
		w = strings.Trim(w, ",.:;'’‘\"?!")
		if len(w) > len(best) {
			best = w
		}
	}
	return best
}

// The curation page at 1280 and 360 px in English and Korean: nothing
// scrolls sideways, and the Korean page speaks Korean.
func TestCuration_screenshotsAtBothWidthsInBothLanguages(t *testing.T) {
	s := startNewsroomSite(t)
	bg := context.Background()
	published, err := s.db.ListArticles(bg, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 5})
	if err != nil || len(published) < 5 {
		t.Fatal(len(published), err)
	}
	var ids []int64
	for _, a := range published[:4] {
		ids = append(ids, a.ID)
	}
	if err := s.db.SetTopStories(bg, ids); err != nil {
		t.Fatal(err)
	}
	ctx := s.signInTab(t, account.Editor)
	for _, lang := range []string{"en", "ko"} {
		for _, width := range []int64{1280, 360} {
			do(t, ctx, chromedp.EmulateViewport(width, 800))
			s.open(t, ctx, "/newsroom/curation?lang="+lang)
			if over := eval[float64](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("%s at %d px: the page scrolls sideways by %.0f px", lang, width, over)
				t.Log(eval[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 362).slice(0, 12).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right))`))
			}
			h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`)
			if lang == "ko" && !strings.Contains(h1, "지면 편집") {
				t.Errorf("the Korean page is headed %q", h1)
			}
			if n := count(t, ctx, "#curation-list .curation-handle:not([hidden])"); n != 4 {
				t.Errorf("%s at %d px: %d handles shown, want 4", lang, width, n)
			}
			waitFor(t, ctx, `[...document.querySelectorAll("#curation-list img")].every(i => i.complete)`)
			screenshot(t, ctx, fmt.Sprintf("curation-%s-%d", lang, width))
			// Measured, not asserted: what the page weighs and when it
			// answers, for the record in the test's log.
			t.Logf("%s at %d px: %s", lang, width, eval[string](t, ctx, `(() => {
				const n = performance.getEntriesByType("navigation")[0];
				const js = performance.getEntriesByType("resource").filter(r => r.name.endsWith("curation.js"))[0];
				return "HTML " + n.decodedBodySize + " B, curation.js " + (js ? js.decodedBodySize : 0) + " B, interactive after " + Math.round(n.domInteractive) + " ms";
			})()`))
		}
	}
}

// Without JavaScript the same page works through its forms: each button
// draws the change without storing it, the search is a GET form that
// keeps the unsaved list, and Save stores the list.
func TestCuration_withoutJavaScript(t *testing.T) {
	s := startNewsroomSite(t)
	bg := context.Background()
	published, err := s.db.ListArticles(bg, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 30})
	if err != nil || len(published) < 8 {
		t.Fatal(len(published), err)
	}
	a, b := published[0].ID, published[1].ID
	if err := s.db.SetTopStories(bg, []int64{a, b}); err != nil {
		t.Fatal(err)
	}
	ctx := s.signInTab(t, account.Editor)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	s.open(t, ctx, "/newsroom/curation")
	if n := count(t, ctx, ".curation-handle:not([hidden])"); n != 0 {
		t.Errorf("%d drag handles shown without a script to work them", n)
	}
	if status := s.submit(t, ctx, fmt.Sprintf(`button[value="down:%d"]`, a)); status != 200 {
		t.Fatalf("Move down: %d", status)
	}
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{b, a}) {
		t.Fatalf("after Move down: %v", got)
	}
	target := published[7]
	word := curationWord(target.Headline)
	do(t, ctx, chromedp.SendKeys("#curation-q", word))
	if status := s.submit(t, ctx, "#curation-search button[type=submit]"); status != 200 {
		t.Fatalf("search: %d", status)
	}
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint([]int64{b, a}) {
		t.Fatalf("the search lost the unsaved list: %v", got)
	}
	if status := s.submit(t, ctx, fmt.Sprintf(`button[value="add:%d"]`, target.ID)); status != 200 {
		t.Fatalf("Add: %d", status)
	}
	want := []int64{b, a, target.ID}
	if got := curationOrder(t, ctx); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after Add: %v", got)
	}
	if top, _ := s.db.TopStories(bg, 20); len(top) != 2 || top[0].ID != a {
		t.Fatal("a button other than Save stored the list")
	}
	if status := s.submit(t, ctx, "#curation-save"); status != 200 {
		t.Fatalf("save: %d", status)
	}
	top, err := s.db.TopStories(bg, 20)
	if err != nil {
		t.Fatal(err)
	}
	var saved []int64
	for _, x := range top {
		saved = append(saved, x.ID)
	}
	if fmt.Sprint(saved) != fmt.Sprint(want) {
		t.Errorf("saved %v, want %v", saved, want)
	}
}
