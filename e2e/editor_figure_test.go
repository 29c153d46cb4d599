package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
)

// A photo dragged into the body of a new article is uploaded, described,
// shown as a figure with its resized copies in the preview beside the
// text, and published as the same figure on the reader's page.
func TestEditor_draggedPhotoIsAFigureInPreviewAndOnThePublishedPage(t *testing.T) {
	s := startNewsroomSite(t)
	ed := s.signInTab(t, account.Editor)
	do(t, ed, chromedp.EmulateViewport(1280, 900))
	s.open(t, ed, "/newsroom/articles/new")
	do(t, ed, chromedp.SendKeys(`#headline`, "Lighthouse keepers hand over the lamp"))
	do(t, ed, chromedp.SendKeys(`#body`, "The last keepers left the island on Friday."))
	mediaDropFile(t, ed, "lamp.jpg", testPhoto(t))
	waitFor(t, ed, `document.querySelector(".editor-images-dialog") && document.querySelector(".editor-images-dialog").open`)
	setValue(t, ed, "#editor-images-alt", "The lamp room at dusk")
	setValue(t, ed, "#editor-images-caption", "The lamp turns for the last time by hand")
	setValue(t, ed, "#editor-images-credit", "Joon Lee")
	do(t, ed, chromedp.Click(`.editor-images-dialog button[type=submit]`))
	waitFor(t, ed, `document.getElementById("body").value.includes("![The lamp room at dusk](/media/u/")`)

	// The preview is the reader's page, with the figure as readers get it.
	const figure = `(d.querySelector(".article-body figure.article-figure img[srcset*='/media/u/'][alt='The lamp room at dusk']") && d.querySelector(".article-body figure.article-figure figcaption .credit").textContent === "Joon Lee")`
	waitFor(t, ed, previewJS(figure))
	screenshot(t, ed, "editor-figure-preview-1280")

	// Publish now sends the text on screen, figure included.
	do(t, ed, chromedp.Click(`button[formaction$="/publish"]`, chromedp.NodeVisible))
	waitFor(t, ed, `location.search.includes("done=publish")`)
	// The new address shows before the page under it is read: wait for
	// the bar's link to the published article itself.
	waitFor(t, ed, `document.readyState !== "loading" && [...document.querySelectorAll(".editor-bar-meta a")].some(a => (a.getAttribute("href") || "").startsWith("/article/"))`)
	url := eval[string](t, ed, `[...document.querySelectorAll(".editor-bar-meta a")].map(a => a.getAttribute("href")).find(h => h.startsWith("/article/")) || ""`)
	if url == "" {
		t.Fatal("the editor does not link to the published article")
	}
	reader := newTab(t)
	s.open(t, reader, url)
	const published = `(() => { const d = document; return ` + figure + ` && d.querySelector(".article h1").textContent.includes("Lighthouse keepers") })()`
	if !eval[bool](t, reader, published) {
		t.Errorf("the published page at %s lacks the figure:\n%.3000s", url, eval[string](t, reader, `(document.querySelector(".article-body") || document.body).outerHTML`))
	}
	screenshot(t, reader, "editor-figure-published-1280")
}
