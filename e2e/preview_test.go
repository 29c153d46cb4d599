package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// previewJS is a JavaScript expression evaluated against the document in
// the editor's preview frame, bound to d; null while there is none.
func previewJS(expr string) string {
	return `(() => { const f = document.querySelector("#preview-frame"); const d = f && f.contentDocument;` +
		` if (!d || !d.querySelector(".article")) return null; return (` + expr + `); })()`
}

// previewStyle is the reader stylesheet's font for an element.
type previewStyle struct {
	Family string `json:"family"`
	Size   string `json:"size"`
	Weight string `json:"weight"`
}

const styleOf = `(e => e && ({family: getComputedStyle(e).fontFamily, size: getComputedStyle(e).fontSize, weight: getComputedStyle(e).fontWeight}))`

// The preview beside the editor is the reader's article page: a subhead
// typed into the body shows in the frame as the article page's h2, in the
// reader stylesheet's font, with a figure styled as on the site; links in
// the frame do not take the editor away, and nothing of the page's
// comments is there.
func TestPreview_isTheReaderPageBesideTheEditor(t *testing.T) {
	s := startNewsroomSite(t)
	list, err := s.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no demo article: %v", err)
	}
	a := list[0]
	ed := s.signInTab(t, account.Editor)
	do(t, ed, chromedp.EmulateViewport(1280, 900))
	editor := fmt.Sprintf("/newsroom/articles/%d", a.ID)
	s.open(t, ed, editor)
	waitFor(t, ed, previewJS(`d.querySelector(".article h1").textContent === `+jsLiteral(a.Headline)))

	// Type at the end of the body, as a writer would.
	eval[bool](t, ed, `(() => { const b = document.querySelector("#body"); b.focus(); b.setSelectionRange(b.value.length, b.value.length); return true })()`)
	do(t, ed, chromedp.SendKeys(`#body`, "\n\n## Subhead written now\n\n![The assembly hall](/media/demo/assembly.png \"The hall before the vote | Newsroom desk\")\n"))
	waitFor(t, ed, previewJS(`[...d.querySelectorAll(".article-body h2")].some(h => h.textContent === "Subhead written now")`))
	waitFor(t, ed, previewJS(`d.querySelector(".article-body figure.article-figure figcaption .credit")`))
	if !eval[bool](t, ed, previewJS(`!!d.querySelector(".preview-banner") && !d.querySelector("#comments") && !!d.querySelector('meta[name=robots][content=noindex]')`)) {
		t.Error("the preview lacks its banner or noindex, or has the comments")
	}
	if got := eval[string](t, ed, `document.querySelector("#preview-frame").getAttribute("sandbox")`); got != "allow-same-origin" {
		t.Errorf("the frame's sandbox is %q", got)
	}
	got := eval[previewStyle](t, ed, previewJS(styleOf+`([...d.querySelectorAll(".article-body h2")].find(h => h.textContent === "Subhead written now"))`))
	gotCaption := eval[previewStyle](t, ed, previewJS(styleOf+`(d.querySelector(".article-figure figcaption"))`))
	// The frame stays as tall as the page in it: no second scroll bar.
	waitFor(t, ed, `(() => { const f = document.querySelector("#preview-frame"); return Math.abs(f.getBoundingClientRect().height - f.contentDocument.documentElement.scrollHeight) < 4 })()`)
	screenshot(t, ed, "preview-editor-1280")

	// A link in the preview opens nothing in the editor's place.
	eval[bool](t, ed, previewJS(`(d.querySelector(".breadcrumb a").click(), true)`))
	if loc := location(t, ed); loc != editor {
		t.Errorf("a link in the preview took the editor to %s", loc)
	}

	// The published page draws its h2 and figure captions with the same
	// rules.
	reader := newTab(t)
	open(t, reader, a.URL())
	want := eval[previewStyle](t, reader, styleOf+`(document.querySelector(".article-body").appendChild(document.createElement("h2")))`)
	wantCaption := eval[previewStyle](t, reader, `(() => { const f = document.createElement("figure"); f.className = "article-figure";`+
		` f.appendChild(document.createElement("figcaption")); document.querySelector(".article-body").appendChild(f); return `+styleOf+`(f.firstChild) })()`)
	if got != want || got.Family == "" {
		t.Errorf("the preview's subhead is %+v, the article page's h2 %+v", got, want)
	}
	if gotCaption != wantCaption {
		t.Errorf("the preview's figure caption is %+v, the article page's %+v", gotCaption, wantCaption)
	}

	// The preview alone, on a phone.
	do(t, ed, chromedp.EmulateViewport(360, 800))
	eval[bool](t, ed, `(() => { const html = document.querySelector("#preview-frame").srcdoc; document.open(); document.write(html); document.close(); return true })()`)
	waitFor(t, ed, `document.readyState === "complete" && getComputedStyle(document.querySelector(".preview-banner")).position === "sticky"`)
	if w := eval[int](t, ed, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the preview is %d px wide on a 360 px screen", w)
	}
	screenshot(t, ed, "preview-alone-360")
}

// A form that cannot be saved says why in the pane, and the last good
// preview stays, faded, below the reason.
func TestPreview_saysWhyAFormCannotBePreviewed(t *testing.T) {
	s := startNewsroomSite(t)
	rep := s.signInTab(t, account.Reporter)
	s.open(t, rep, "/newsroom/articles/new?lang=ko")
	do(t, rep, chromedp.SendKeys(`#headline`, "Harbour wall repairs start"))
	setValue(t, rep, "#body", "Work starts on Monday.")
	setValue(t, rep, "#authors", "Mina Park <mina.park@paper.example>")
	waitFor(t, rep, previewJS(`d.querySelector(".article h1").textContent === "Harbour wall repairs start"`))
	if lang := eval[string](t, rep, previewJS(`d.documentElement.lang`)); lang != "ko" {
		t.Errorf("the Korean editor's preview is in %q", lang)
	}
	setValue(t, rep, "#authors", "not an address")
	waitFor(t, rep, `!document.querySelector("#preview-pane .preview-note").hidden`)
	note := eval[string](t, rep, `document.querySelector("#preview-pane .preview-note").textContent`)
	if !strings.Contains(note, "line 1") {
		t.Errorf("the reason shown is %q", note)
	}
	if eval[string](t, rep, `document.querySelector("#preview-pane .preview-note").getAttribute("aria-live")`) != "polite" {
		t.Error("the reason is not announced")
	}
	screenshot(t, rep, "preview-refused-ko-1280")

	// A reporter reading a published article in the editor, which they
	// may not change, gets no preview and no complaint.
	list, err := s.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no demo article: %v", err)
	}
	reader := s.signInTab(t, account.Reporter) // the first tab would ask to leave its unsaved text
	s.open(t, reader, fmt.Sprintf("/newsroom/articles/%d", list[0].ID))
	if n := count(t, reader, "#preview-frame, #preview-pane .preview-note"); n != 0 {
		t.Errorf("a read-only editor drew %d preview parts", n)
	}
}
