package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// editorTabTimeout is longer than tabTimeout: a test waits for autosaves,
// and one browser profile serves several tabs in turn.
const editorTabTimeout = 90 * time.Second

// editorSignIn opens a tab in a browser profile of its own (cookies and
// localStorage) and logs in as role. Further tabs of the same profile are
// made with editorTabOf.
func editorSignIn(t *testing.T, s *newsroomSite, role account.Role) context.Context {
	t.Helper()
	ctx, closeTab := chromedp.NewContext(site.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(closeTab)
	ctx, cancel := context.WithTimeout(ctx, editorTabTimeout)
	t.Cleanup(cancel)
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	s.open(t, ctx, "/newsroom/login")
	do(t, ctx,
		chromedp.SendKeys(`#login-email`, string(role)+"@paper.example"),
		chromedp.SendKeys(`#login-password`, newsroomPassword),
	)
	s.submit(t, ctx, `.newsroom-login button[type=submit]`)
	if loc := location(t, ctx); loc != "/newsroom/" {
		t.Fatalf("after login as %s: at %s", role, loc)
	}
	return ctx
}

// editorTabOf opens another tab in the profile of profile's tab: the same
// cookies and the same localStorage. cancel closes it.
func editorTabOf(t *testing.T, profile context.Context) (context.Context, context.CancelFunc) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(profile)
	t.Cleanup(cancel)
	do(t, ctx, chromedp.EmulateViewport(1280, 800))
	return ctx, cancel
}

// editorDialogs counts the dialogs the tab opens (such as "Leave site?")
// and accepts each, so that a test goes on and can say it saw one.
func editorDialogs(t *testing.T, ctx context.Context) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range opening {
			if err != nil {
				return
			}
			n.Add(1)
			go func() {
				_ = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
					return err
				}))
			}()
		}
	}()
	return &n
}

// editorOffline cuts the tab off the network, as a dropped connection
// would: its requests fail without reaching the server.
func editorOffline(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}})
		return err
	}))
}

// editorNewDraft writes a draft in the tab's editor and saves it with the
// Save button; it returns the article's id.
func editorNewDraft(t *testing.T, s *newsroomSite, ctx context.Context, headline string) int64 {
	t.Helper()
	s.open(t, ctx, "/newsroom/articles/new")
	setValue(t, ctx, "#headline", headline)
	setValue(t, ctx, "#body", "The council met on Tuesday.\n\nIt voted to keep the night buses running.")
	setValue(t, ctx, "#authors", "Mina Park <mina.park@paper.example>")
	if st := s.submit(t, ctx, `button[name=action][value=save]`); st != http.StatusOK {
		t.Fatalf("save the draft: %d", st)
	}
	return articleID(t, ctx)
}

// editorWaitFor polls the database until cond holds for the article, for
// the editor's autosave to arrive.
func editorWaitFor(t *testing.T, s *newsroomSite, id int64, what string, cond func(article.Article) bool) article.Article {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		a := s.article(t, id)
		if cond(a) {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("article %d: %s never happened (v%d %q)", id, what, a.Version, a.Headline)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A lead image chosen after an autosave is uploaded with the form, from
// the version the autosave made: the file, its alt text and its caption
// are kept, and so is the text.
func TestEditor_leadImageAfterAutosave(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	id := editorNewDraft(t, s, ed, "Harbour wall repairs begin")
	setValue(t, ed, "#headline", "Harbour wall repairs begin on Monday")
	editorWaitFor(t, s, id, "the autosave", func(a article.Article) bool { return a.Version >= 2 })

	photo := filepath.Join(t.TempDir(), "harbour.jpg")
	if err := os.WriteFile(photo, testPhoto(t), 0o644); err != nil {
		t.Fatal(err)
	}
	alt, caption := "Workers on the harbour wall at low tide", "The wall was last repaired in 1998"
	if count(t, ed, "#image-form") > 0 { // the page before the one form: a form of its own
		do(t, ed, chromedp.SetUploadFiles(`#image-file`, []string{photo}))
		setValue(t, ed, "#image-alt", alt)
		setValue(t, ed, "#image-caption", caption)
		if st := s.submit(t, ed, `#image-form button`); st != http.StatusOK {
			t.Fatalf("upload after an autosave: %d %q", st, texts(t, ed, "main p"))
		}
	} else {
		do(t, ed, chromedp.SetUploadFiles(`#lead-image-file`, []string{photo}))
		setValue(t, ed, "#image_alt", alt)
		setValue(t, ed, "#image_caption", caption)
		if st := s.submit(t, ed, `button[name=action][value=save]`); st != http.StatusOK {
			t.Fatalf("save with the image after an autosave: %d %q", st, texts(t, ed, ".form-error, .field-error"))
		}
	}
	a := s.article(t, id)
	if !strings.HasPrefix(a.LeadImage.URL, "/media/u/") || a.LeadImage.Alt != alt || a.LeadImage.Caption != caption || a.LeadImage.Srcset == "" {
		t.Fatalf("the lead image after the upload: %+v", a.LeadImage)
	}
	if a.Headline != "Harbour wall repairs begin on Monday" {
		t.Errorf("the headline: %q", a.Headline)
	}
	if src := eval[string](t, ed, `document.getElementById("lead-image-preview") ? document.getElementById("lead-image-preview").getAttribute("src") : ""`); src != a.LeadImage.URL {
		t.Errorf("the editor's lead image preview: %q, want %q", src, a.LeadImage.URL)
	}
}

// Publish now sends what is on screen: the headline changed a moment ago
// is the one readers get, and no "Leave site?" prompt stands in the way.
func TestEditor_publishSendsUnsavedEdits(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	id := editorNewDraft(t, s, ed, "Night buses to stop at midnight")
	dialogs := editorDialogs(t, ed)
	setValue(t, ed, "#headline", "Night buses keep running after midnight")
	if st := s.submit(t, ed, `button[formaction*="/publish"]`); st != http.StatusOK {
		t.Fatalf("publish: %d %q", st, texts(t, ed, ".form-error"))
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("publishing asked %d times whether to leave the page", n)
	}
	a := s.article(t, id)
	if a.Status != article.Published || a.Headline != "Night buses keep running after midnight" {
		t.Fatalf("after publishing: %s %q", a.Status, a.Headline)
	}
	reader := newTab(t)
	s.open(t, reader, a.URL())
	if h := texts(t, reader, "h1"); len(h) != 1 || h[0] != "Night buses keep running after midnight" {
		t.Errorf("the published page's headline: %q", h)
	}

	// Unpublish is a form of its own, without the text. Saving the edits
	// first would publish them, so the editor is asked (the test accepts)
	// and the edits are kept in this browser, offered back on the page
	// that follows with a word that the article was saved since.
	setValue(t, ed, "#deck", "The council found the money for another year")
	if st := s.submit(t, ed, `button[form="unpublish-form"]`); st != http.StatusOK {
		t.Fatalf("unpublish: %d %q", st, texts(t, ed, ".form-error"))
	}
	if a := s.article(t, id); a.Status != article.Draft || a.Deck != "" {
		t.Errorf("after unpublishing with an unsaved deck: %s %q, want a draft without the deck", a.Status, a.Deck)
	}
	if n := dialogs.Load(); n != 1 {
		t.Errorf("unpublishing with unsaved edits asked %d times, want once", n)
	}
	waitFor(t, ed, `!document.getElementById("editor-restore").hidden`)
	if msg := texts(t, ed, "#editor-restore p"); len(msg) != 1 || !strings.Contains(msg[0], "compare before restoring") {
		t.Errorf("the offer of the unsaved deck: %q", msg)
	}
}

// A published article is not autosaved: a pause in typing must not put
// half-written text on the reader's page. The bar says Save updates the
// published article, and Save does.
func TestEditor_publishedArticleWaitsForSave(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	id := editorNewDraft(t, s, ed, "Ferry timetable changes in spring")
	if st := s.submit(t, ed, `button[formaction*="/publish"]`); st != http.StatusOK {
		t.Fatalf("publish: %d %q", st, texts(t, ed, ".form-error"))
	}
	before := s.article(t, id)
	setValue(t, ed, "#body", "The first ferry leaves at fi")
	waitFor(t, ed, `(localStorage.getItem("broadsheet:editor:`+fmt.Sprint(id)+`") || "").includes("leaves at fi")`)
	// Past the autosave's two seconds after typing stops: an autosave
	// would have been sent by now.
	do(t, ed, chromedp.Sleep(3*time.Second))
	if st := texts(t, ed, "#autosave-status"); len(st) != 1 || !strings.Contains(st[0], "Save updates the published article") {
		t.Errorf("the bar's status: %q", st)
	}
	if a := s.article(t, id); a.Version != before.Version || a.Body != before.Body {
		t.Fatalf("a pause in typing changed the published article: v%d → v%d %q", before.Version, a.Version, a.Body)
	}
	reader := newTab(t)
	s.open(t, reader, before.URL())
	if body := texts(t, reader, ".article-body p"); strings.Contains(strings.Join(body, " "), "leaves at fi") {
		t.Errorf("the reader's page shows the half-typed text: %q", body)
	}
	setValue(t, ed, "#body", "The first ferry leaves at five past six.")
	if st := s.submit(t, ed, `button[name=action][value=save]`); st != http.StatusOK {
		t.Fatalf("save: %d %q", st, texts(t, ed, ".form-error"))
	}
	if a := s.article(t, id); a.Version != before.Version+1 || a.Body != "The first ferry leaves at five past six." || a.Status != article.Published {
		t.Errorf("after Save: %s v%d %q", a.Status, a.Version, a.Body)
	}
}

// A local copy typed on an older version than the page's is offered, not
// dropped: it may be the only copy of what was typed. The offer says it
// was made on an older version and asks to compare.
func TestEditor_olderLocalCopyIsOfferedWithAWarning(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Reporter)
	id := editorNewDraft(t, s, ed, "Library opens on Sundays")
	setValue(t, ed, "#deck", "From next month")
	if st := s.submit(t, ed, `button[name=action][value=save]`); st != http.StatusOK {
		t.Fatalf("save: %d", st)
	}
	if v := s.article(t, id).Version; v != 2 {
		t.Fatalf("the article's version: %d, want 2", v)
	}
	eval[bool](t, ed, `(localStorage.setItem("broadsheet:editor:`+fmt.Sprint(id)+`", JSON.stringify({version: 1, at: Date.now(),
		fields: [["headline", "Library opens on Sundays"], ["body", "Only typed here: the reading room stays open until eight."]]})), true)`)
	s.open(t, ed, fmt.Sprintf("/newsroom/articles/%d", id))
	waitFor(t, ed, `!document.getElementById("editor-restore").hidden`)
	msg := texts(t, ed, "#editor-restore p")
	if len(msg) != 1 || !strings.Contains(msg[0], "made on version 1; version 2 was saved since") || !strings.Contains(msg[0], "compare before restoring") {
		t.Fatalf("the offer: %q", msg)
	}
	do(t, ed, chromedp.Click(`#editor-restore-button`))
	if body := eval[string](t, ed, `document.getElementById("body").value`); !strings.Contains(body, "Only typed here") {
		t.Errorf("the restored body: %q", body)
	}
}

var editorPathRE = regexp.MustCompile(`^/newsroom/articles/(\d+)$`)

// A new article autosaves from its first words, which creates the draft;
// what is typed while the newsroom does not answer stays in the browser,
// and is offered back when the article is opened again after its tab was
// closed.
func TestEditor_newArticleAutosavesAndKeepsALocalCopy(t *testing.T) {
	s := startNewsroomSite(t)
	profile := editorSignIn(t, s, account.Reporter)
	tab, closeTab := editorTabOf(t, profile)
	s.open(t, tab, "/newsroom/articles/new")
	do(t, tab,
		chromedp.SendKeys(`#headline`, "Night market returns to the river"),
		chromedp.SendKeys(`#body`, "Stalls open at six on Fridays."),
	)
	waitFor(t, tab, `/^\/newsroom\/articles\/\d+$/.test(location.pathname)`)
	m := editorPathRE.FindStringSubmatch(location(t, tab))
	if m == nil {
		t.Fatalf("after the first autosave: at %s", location(t, tab))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	a := s.article(t, id)
	if a.Status != article.Draft || a.Headline != "Night market returns to the river" || !strings.Contains(a.Body, "Stalls open at six") {
		t.Fatalf("the autosaved draft: %s %q %q", a.Status, a.Headline, a.Body)
	}
	if v := eval[string](t, tab, `document.querySelector("#editor-form input[name=article_id]").value`); v != m[1] {
		t.Errorf("the form's article_id after the first autosave: %q", v)
	}
	if act := eval[string](t, tab, `document.getElementById("editor-form").getAttribute("action")`); act != "/newsroom/articles/"+m[1] {
		t.Errorf("the form's action after the first autosave: %q", act)
	}
	if n := eval[int](t, tab, `localStorage.getItem("broadsheet:editor:new") === null ? 0 : 1`); n != 0 {
		t.Error("the local copy stayed under the new article's key")
	}

	// The newsroom stops answering; the reporter writes on, then closes
	// the tab.
	editorOffline(t, tab)
	do(t, tab, chromedp.SendKeys(`#body`, " Twelve more stalls this year."))
	waitFor(t, tab, `(localStorage.getItem("broadsheet:editor:`+m[1]+`") || "").includes("Twelve more stalls")`)
	closeTab()
	if a := s.article(t, id); strings.Contains(a.Body, "Twelve more stalls") {
		t.Fatal("the edit reached the server: the test does not test the local copy")
	}

	again, _ := editorTabOf(t, profile)
	s.open(t, again, "/newsroom/articles/"+m[1])
	waitFor(t, again, `!document.getElementById("editor-restore").hidden`)
	if msg := texts(t, again, "#editor-restore p"); len(msg) != 1 || !strings.Contains(msg[0], "Unsaved edits from") {
		t.Errorf("the offer: %q", msg)
	}
	screenshot(t, again, "editor-local-copy-1280")
	do(t, again, chromedp.Click(`#editor-restore-button`))
	if body := eval[string](t, again, `document.getElementById("body").value`); !strings.Contains(body, "Twelve more stalls") {
		t.Fatalf("the restored body: %q", body)
	}
	editorWaitFor(t, s, id, "the restored text's autosave", func(a article.Article) bool { return strings.Contains(a.Body, "Twelve more stalls") })
	waitFor(t, again, `localStorage.getItem("broadsheet:editor:`+m[1]+`") === null`)
}

// Someone else saves while an editor types; Publish now is refused with
// the differences, the typed text stays in the form, nothing is
// published, and publishing again (having compared) publishes it.
func TestEditor_clashOnPublishKeepsTheText(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	id := editorNewDraft(t, s, ed, "Library opens on Sundays")
	adm := editorSignIn(t, s, account.Admin)
	s.open(t, adm, fmt.Sprintf("/newsroom/articles/%d", id))
	setValue(t, adm, "#headline", "Central library opens on Sundays")
	if st := s.submit(t, adm, `button[name=action][value=save]`); st != http.StatusOK {
		t.Fatalf("the other save: %d", st)
	}

	typed := "The library will open from ten to four on Sundays from March."
	setValue(t, ed, "#body", typed)
	if st := s.submit(t, ed, `button[formaction*="/publish"]`); st != http.StatusConflict {
		t.Fatalf("publish over someone else's save: %d, want 409", st)
	}
	if n := count(t, ed, ".clash del, .clash ins"); n == 0 {
		t.Error("the refusal shows no differences")
	}
	if body := eval[string](t, ed, `document.getElementById("body").value`); body != typed {
		t.Errorf("the typed text is not in the form: %q", body)
	}
	if a := s.article(t, id); a.Status != article.Draft || a.Headline != "Central library opens on Sundays" {
		t.Fatalf("after the refused publish: %s %q", a.Status, a.Headline)
	}
	screenshot(t, ed, "editor-clash-1280")
	if st := s.submit(t, ed, `button[formaction*="/publish"]`); st != http.StatusOK {
		t.Fatalf("publish after comparing: %d %q", st, texts(t, ed, ".form-error"))
	}
	if a := s.article(t, id); a.Status != article.Published || a.Body != typed {
		t.Errorf("after publishing: %s %q", a.Status, a.Body)
	}
}

// An autosave that meets someone else's save stops, says so in the bar,
// and its button shows the differences with the typed text kept.
func TestEditor_autosaveClashStopsAndShowsTheDifferences(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	id := editorNewDraft(t, s, ed, "Harbour festival moves to June")
	adm := editorSignIn(t, s, account.Admin)
	s.open(t, adm, fmt.Sprintf("/newsroom/articles/%d", id))
	setValue(t, adm, "#headline", "Harbour festival moves to the first week of June")
	if st := s.submit(t, adm, `button[name=action][value=save]`); st != http.StatusOK {
		t.Fatalf("the other save: %d", st)
	}
	typed := "The festival moves to June because of the spring tides."
	setValue(t, ed, "#body", typed)
	waitFor(t, ed, `document.getElementById("editor-show-diff")`)
	if st := texts(t, ed, "#autosave-status"); len(st) != 1 || !strings.Contains(st[0], "someone else saved") {
		t.Errorf("the bar says %q", st)
	}
	if st := s.submit(t, ed, `#editor-show-diff`); st != http.StatusConflict {
		t.Fatalf("show the differences: %d, want 409", st)
	}
	if n := count(t, ed, ".clash del, .clash ins"); n == 0 {
		t.Error("no differences shown")
	}
	if body := eval[string](t, ed, `document.getElementById("body").value`); body != typed {
		t.Errorf("the typed text is not in the form: %q", body)
	}
	if a := s.article(t, id); a.Headline != "Harbour festival moves to the first week of June" || strings.Contains(a.Body, "spring tides") {
		t.Errorf("the clash overwrote the other save: %q %q", a.Headline, a.Body)
	}
}

// The editor at 1280 and 360 px, in English and Korean: the action bar
// stays at the top while the page scrolls, nothing is wider than the
// screen, and the primary action stands out.
func TestEditor_layout(t *testing.T) {
	s := startNewsroomSite(t)
	ed := editorSignIn(t, s, account.Editor)
	id := editorNewDraft(t, s, ed, "Tram line opens to the airport")
	for _, lang := range []string{"en", "ko"} {
		for _, width := range []int64{1280, 360} {
			do(t, ed, chromedp.EmulateViewport(width, 800))
			s.open(t, ed, fmt.Sprintf("/newsroom/articles/%d?lang=%s", id, lang))
			if w := eval[int](t, ed, `document.documentElement.scrollWidth`); w > int(width) {
				t.Errorf("%s at %d px: the page is %d px wide", lang, width, w)
			}
			primary := eval[string](t, ed, `getComputedStyle(document.querySelector(".editor-bar .editor-primary")).backgroundColor`)
			secondary := eval[string](t, ed, `getComputedStyle(document.querySelector('.editor-bar button[value="save"]')).backgroundColor`)
			if primary == secondary {
				t.Errorf("%s at %d px: Publish now looks like Save (%s)", lang, width, primary)
			}
			if lang == "ko" {
				if bar := strings.Join(texts(t, ed, ".editor-bar button"), " "); !strings.Contains(bar, "저장") {
					t.Errorf("the Korean bar: %q", bar)
				}
			}
			screenshot(t, ed, fmt.Sprintf("editor-%s-%d", lang, width))
			if lang == "en" && width == 1280 {
				// What the page weighs and when it can be used, for the
				// performance notes; not a test of speed.
				weight := eval[float64](t, ed, `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0)`)
				interactive := eval[float64](t, ed, `performance.getEntriesByType("navigation")[0].domInteractive`)
				t.Logf("editor page: %.0f bytes transferred, DOM interactive at %.0f ms", weight, interactive)
			}
			eval[bool](t, ed, `(window.scrollTo(0, 1500), true)`)
			if top := eval[float64](t, ed, `document.querySelector(".editor-bar").getBoundingClientRect().top`); top != 0 {
				t.Errorf("%s at %d px: the action bar scrolled away (top %v)", lang, width, top)
			}
			if width == 360 {
				viewScreenshot(t, ed, fmt.Sprintf("editor-%s-scrolled-360", lang))
				if shown := eval[bool](t, ed, `getComputedStyle(document.getElementById("preview-toggle")).display !== "none"`); !shown {
					t.Errorf("%s at 360 px: no preview toggle", lang)
				}
			}
		}
	}
}
