package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// tokensValue is the hidden form field the token widget writes into.
func tokensValue(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return eval[string](t, ctx, `document.getElementById(`+jsLiteral(id)+`).value`)
}

// tokensType types into a token box and waits until the suggestions list
// shows an option that holds want.
func tokensType(t *testing.T, ctx context.Context, field, text, want string) {
	t.Helper()
	do(t, ctx, chromedp.SendKeys("#"+field+"-entry", text))
	waitFor(t, ctx, `document.getElementById(`+jsLiteral(field+"-entry")+`).getAttribute("aria-expanded") === "true" && `+
		`[...document.querySelectorAll("#`+field+`-listbox [role=option]")].some(o => o.textContent.includes(`+jsLiteral(want)+`))`)
}

// tokensPickWithKeys moves down the list to the option that holds want
// with the arrow key, checks that the combobox points at it, and picks it
// with Enter.
func tokensPickWithKeys(t *testing.T, ctx context.Context, field, want string) {
	t.Helper()
	n := eval[int](t, ctx, `[...document.querySelectorAll("#`+field+`-listbox [role=option]")].findIndex(o => o.textContent.includes(`+jsLiteral(want)+`))`)
	for range n + 1 {
		do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	}
	active := eval[string](t, ctx, `(() => { const id = document.getElementById(`+jsLiteral(field+"-entry")+`).getAttribute("aria-activedescendant");
		const o = id && document.getElementById(id); return o && o.getAttribute("aria-selected") === "true" ? o.textContent : "" })()`)
	if !strings.Contains(active, want) {
		t.Fatalf("%s: the active option is %q, want the one with %q", field, active, want)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
}

// A reporter writes a new article and chooses its authors and tags with
// the keyboard only: a demo author found by part of her name, a new
// author added inline with an email (a malformed one refused first), two
// tags each picked from the suggestions, one more removed with Backspace,
// and the order of the authors changed; the saved article has exactly
// those authors, in that order, and those tags.
func TestTokens_authorsAndTagsPickedWithTheKeyboardAreSaved(t *testing.T) {
	s := startNewsroomSite(t)
	ctx := s.signInTab(t, account.Reporter)
	s.open(t, ctx, "/newsroom/articles/new")
	waitFor(t, ctx, `document.getElementById("authors-entry") && document.getElementById("tags-entry")`)
	if hidden := eval[bool](t, ctx, `document.getElementById("authors").hidden && document.getElementById("tags").hidden`); !hidden {
		t.Error("the plain fields are still shown beside the token boxes")
	}
	if f := eval[string](t, ctx, `document.querySelector('label[for="authors-entry"]') ? "ok" : ""`); f == "" {
		t.Error("the authors label does not name the box one types in")
	}
	// A new article's byline starts as its writer, shown as a token; this
	// story is someone else's.
	if got := tokensValue(t, ctx, "authors"); got != "Test reporter <reporter@paper.example>" {
		t.Errorf("a new article's byline starts as %q", got)
	}
	waitFor(t, ctx, `document.querySelectorAll(".tokens-authors .token").length === 1`)
	setValue(t, ctx, "#authors", "")
	waitFor(t, ctx, `document.querySelectorAll(".tokens-authors .token").length === 0`)
	setValue(t, ctx, "#headline", "Tokens pick the byline")
	setValue(t, ctx, "#body", "A story written to try the byline and tag boxes.")

	// A demo author, by part of her name.
	tokensType(t, ctx, "authors", "seo-y", "Lee Seo-yeon")
	if got := eval[string](t, ctx, `document.querySelector("#authors-listbox [role=option]").textContent`); !strings.Contains(got, "lee.seoyeon@paper.example") {
		t.Errorf("the suggestion shows %q, want the name and the email", got)
	}
	tokensPickWithKeys(t, ctx, "authors", "Lee Seo-yeon")
	if got := tokensValue(t, ctx, "authors"); got != "Lee Seo-yeon <lee.seoyeon@paper.example>" {
		t.Errorf("authors field after picking: %q", got)
	}

	// Someone new: the typed name, and an email asked for inline.
	tokensType(t, ctx, "authors", "Yoon Test-writer", "Yoon Test-writer")
	tokensPickWithKeys(t, ctx, "authors", "Yoon Test-writer")
	waitFor(t, ctx, `document.activeElement && document.activeElement.id === "authors-new-email"`)
	do(t, ctx, chromedp.SendKeys("#authors-new-email", "not an email"), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `!document.getElementById("authors-new-error").hidden && document.getElementById("authors-new-email").getAttribute("aria-invalid") === "true"`)
	setValue(t, ctx, "#authors-new-email", "")
	do(t, ctx, chromedp.SendKeys("#authors-new-email", "yoon.testwriter@paper.example"), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `document.activeElement && document.activeElement.id === "authors-entry"`)
	want := "Lee Seo-yeon <lee.seoyeon@paper.example>\nYoon Test-writer <yoon.testwriter@paper.example>"
	if got := tokensValue(t, ctx, "authors"); got != want {
		t.Errorf("authors field after adding a new one:\n%q\nwant\n%q", got, want)
	}

	// The new author first: "move later" on the first chip, by keyboard.
	do(t, ctx, chromedp.Focus(".tokens-authors .token:first-child .token-down"), chromedp.KeyEvent(kb.Enter))
	want = "Yoon Test-writer <yoon.testwriter@paper.example>\nLee Seo-yeon <lee.seoyeon@paper.example>"
	if got := tokensValue(t, ctx, "authors"); got != want {
		t.Errorf("authors field after moving:\n%q\nwant\n%q", got, want)
	}

	// Tags: every one is suggested, not only the first.
	tokensType(t, ctx, "tags", "clim", "climate")
	tokensPickWithKeys(t, ctx, "tags", "climate")
	tokensType(t, ctx, "tags", "hous", "housing")
	tokensPickWithKeys(t, ctx, "tags", "housing")
	tokensType(t, ctx, "tags", "heat", "heat wave")
	tokensPickWithKeys(t, ctx, "tags", "heat wave")
	if got := tokensValue(t, ctx, "tags"); got != "climate, housing, heat wave" {
		t.Errorf("tags field after three picks: %q", got)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Backspace))
	if got := tokensValue(t, ctx, "tags"); got != "climate, housing" {
		t.Errorf("tags field after Backspace in the empty box: %q", got)
	}
	if got := texts(t, ctx, ".tokens-tags .token-label"); !cmp.Equal(got, []string{"climate", "housing"}) {
		t.Errorf("tag chips: %q", got)
	}
	labels := eval[[]string](t, ctx, `[...document.querySelectorAll(".tokens button")].filter(b => !b.closest("[hidden]")).map(b => b.getAttribute("aria-label") || b.textContent.trim())`)
	for _, l := range labels {
		if l == "" || l == "×" {
			t.Errorf("a token button has no accessible name: %q", labels)
		}
	}

	// The list open for the screenshots.
	tokensType(t, ctx, "authors", "k", "Kim Min-ji")
	tokensScreenshots(t, ctx, "tokens-editor")
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	if got := eval[string](t, ctx, `document.getElementById("authors-entry").getAttribute("aria-expanded")`); got != "false" {
		t.Errorf("after Escape aria-expanded is %q", got)
	}
	setValue(t, ctx, "#authors-entry", "")

	if st := s.submit(t, ctx, `#editor-form button[name="action"][value="save"]`); st != 200 {
		t.Fatalf("save: %d", st)
	}
	a := s.article(t, articleID(t, ctx))
	var authors, tags []string
	for _, au := range a.Authors {
		authors = append(authors, au.Name+" <"+au.Email+">")
	}
	for _, tg := range a.Tags {
		tags = append(tags, tg.Name)
	}
	if diff := cmp.Diff([]string{"Yoon Test-writer <yoon.testwriter@paper.example>", "Lee Seo-yeon <lee.seoyeon@paper.example>"}, authors); diff != "" {
		t.Errorf("saved authors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"climate", "housing"}, tags); diff != "" {
		t.Errorf("saved tags (-want +got):\n%s", diff)
	}
	// The saved article opens with its tokens again.
	waitFor(t, ctx, `document.querySelectorAll(".tokens-authors .token").length === 2`)
}

// In Korean the widget speaks Korean, and it fits a 360 px screen.
func TestTokens_koreanAndNarrowScreens(t *testing.T) {
	s := startNewsroomSite(t)
	ctx := s.signInTab(t, account.Editor)
	s.open(t, ctx, "/newsroom/articles/new?lang=ko")
	waitFor(t, ctx, `document.getElementById("tags-entry")`)
	setValue(t, ctx, "#authors", "") // not the writer's own story
	tokensType(t, ctx, "tags", "교육", "새 태그")
	tokensPickWithKeys(t, ctx, "tags", "교육")
	tokensType(t, ctx, "authors", "park", "Park Ji-ho")
	tokensPickWithKeys(t, ctx, "authors", "Park Ji-ho")
	tokensType(t, ctx, "authors", "김기자", "새 필자")
	hint := eval[string](t, ctx, `document.getElementById("authors-tokens-hint").textContent`)
	remove := eval[string](t, ctx, `document.querySelector(".tokens-authors .token-remove").getAttribute("aria-label")`)
	if !strings.Contains(hint, "필자") || remove != "Park Ji-ho 빼기" {
		t.Errorf("Korean words: hint %q, remove button %q", hint, remove)
	}
	// The inline question for the new author's email, in the shots.
	tokensPickWithKeys(t, ctx, "authors", "김기자")
	waitFor(t, ctx, `document.activeElement && document.activeElement.id === "authors-new-email"`)
	if got := eval[string](t, ctx, `document.getElementById("authors-new-label").textContent`); got != "김기자의 이메일" {
		t.Errorf("the email question reads %q", got)
	}
	tokensScreenshots(t, ctx, "tokens-editor-ko")
}

// tokensScreenshots saves what the editor shows around the authors box at
// 1280 and 360 px wide, and checks that nothing runs off a narrow screen.
func tokensScreenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{1280, 360} {
		do(t, ctx, chromedp.EmulateViewport(w, 800))
		eval[bool](t, ctx, `(document.getElementById("authors-entry").scrollIntoView({block: "start"}), window.scrollBy(0, -120), true)`)
		wide := eval[[]string](t, ctx, `[...document.querySelectorAll(".tokens, .tokens *")].filter(e => !e.closest("[hidden]") && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.className || e.tagName)`)
		if len(wide) > 0 {
			t.Errorf("%d px: these run past the screen's edge: %q", w, wide)
		}
		suffix := "-1280"
		if w == 360 {
			suffix = "-360"
		}
		viewScreenshot(t, ctx, name+suffix)
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
}

// A script that fills the plain field (editor.js offering back its local
// copy) is followed by the chips.
func TestTokens_chipsFollowTheFieldWhenAnotherScriptFillsIt(t *testing.T) {
	s := startNewsroomSite(t)
	ctx := s.signInTab(t, account.Reporter)
	s.open(t, ctx, "/newsroom/articles/new")
	waitFor(t, ctx, `document.getElementById("tags-entry")`)
	setValue(t, ctx, "#tags", "Transport, Islands")
	setValue(t, ctx, "#authors", "\"Park, Jr.\" <park.jr@paper.example>\nMina Park <mina.park@paper.example>")
	if got := texts(t, ctx, ".tokens-tags .token-label"); !cmp.Equal(got, []string{"Transport", "Islands"}) {
		t.Errorf("tag chips: %q", got)
	}
	if got := texts(t, ctx, ".tokens-authors .token-label"); !cmp.Equal(got, []string{"Park, Jr.", "Mina Park"}) {
		t.Errorf("author chips: %q", got)
	}
	// Removing one writes the rest back as the server reads them: a name
	// with a comma stays quoted.
	do(t, ctx, chromedp.Click(".tokens-authors .token:last-child .token-remove"))
	if got := tokensValue(t, ctx, "authors"); got != `"Park, Jr." <park.jr@paper.example>` {
		t.Errorf("authors field: %q", got)
	}
}

// Someone who may only read an article (a moderator) sees the plain
// fields, disabled, and no token boxes.
func TestTokens_readOnlyEditorKeepsThePlainFields(t *testing.T) {
	s := startNewsroomSite(t)
	list, err := s.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("a published demo article: %v, %v", list, err)
	}
	ctx := s.signInTab(t, account.Moderator)
	s.open(t, ctx, fmt.Sprintf("/newsroom/articles/%d", list[0].ID))
	waitFor(t, ctx, `document.getElementById("editor-form").dataset.tokens`)
	if got := eval[string](t, ctx, `document.getElementById("editor-form").dataset.tokens`); got != "off" {
		t.Errorf("data-tokens is %q, want off", got)
	}
	if n := count(t, ctx, ".tokens"); n != 0 {
		t.Errorf("%d token boxes on a read-only editor", n)
	}
	if shown := eval[bool](t, ctx, `!document.getElementById("authors").hidden && document.getElementById("authors").matches(":disabled")`); !shown {
		t.Error("the plain authors field is not shown disabled")
	}
}
