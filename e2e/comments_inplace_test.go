package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"broadsheet/internal/comment"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
)

// TestCommentsInPlace_likeReportReplyRefusalAndDeleteKeepTheReader is a
// logged-in reader using every comment action from the article page: each
// one answers in place, with its message next to the form and in view, and
// the reader never leaves the article.
func TestCommentsInPlace_likeReportReplyRefusalAndDeleteKeepTheReader(t *testing.T) {
	ctx := newTab(t)
	story := secondStory(t, ctx)
	articleID := articleIDOf(t, story.Path)

	// Log in from the article's comments; the login comes back to the article.
	open(t, ctx, story.Path)
	waitFor(t, ctx, `document.querySelector("#comments[data-article]") !== null`)
	if got := texts(t, ctx, "#comments .comment-policy-line a"); len(got) != 1 || got[0] != "Standards Board Policy" {
		t.Errorf("logged-out policy line: %q, want the Standards Board Policy link", got)
	}
	if got := texts(t, ctx, "#comments .comment-policy-line .comment-counter"); len(got) != 1 || got[0] != "(0/250)" {
		t.Errorf("logged-out counter: %q, want (0/250)", got)
	}
	// Logged out, the masthead offers a login that comes back here, made
	// on the spot: the server is not asked who is signed in.
	waitFor(t, ctx, `document.querySelector("#masthead-account.masthead-account-ready a.account-login") !== null`)
	if href, want := eval[string](t, ctx, `document.querySelector("#masthead-account a").getAttribute("href")`), "/account?next="+url.QueryEscape(story.Path); href != want {
		t.Errorf("masthead login link: %q, want %q", href, want)
	}
	if n := eval[int](t, ctx, `performance.getEntriesByType("resource").filter(e => e.name.includes("/account/menu")).length`); n != 0 {
		t.Errorf("a signed-out page asked /account/menu %d times, want none", n)
	}
	follow(t, ctx, `a.login-oidc`)
	if strings.HasPrefix(location(t, ctx), "/account/policy") {
		follow(t, ctx, `button.accept-policy`)
	}
	if loc := location(t, ctx); loc != story.Path {
		t.Fatalf("after login: at %s, want back on the article %s", loc, story.Path)
	}

	// Another reader's comment to act on; our reader's pacing starts afresh.
	other := otherReadersComment(t, articleID)
	open(t, ctx, story.Path)
	sel := "#c" + strconv.FormatInt(other, 10)
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel)+`) !== null`)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.stillHere = true`))
	stays := func(what string) {
		t.Helper()
		if !eval[bool](t, ctx, `window.stillHere === true`) || location(t, ctx) != story.Path {
			t.Fatalf("%s: the page reloaded or left the article (at %s)", what, location(t, ctx))
		}
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.menu = null; fetch("/account/menu?next="+encodeURIComponent(location.pathname)).then(r => r.text()).then(t => window.menu = t)`))
	waitFor(t, ctx, `window.menu !== null`)
	menu := eval[string](t, ctx, `window.menu`)
	if !strings.Contains(menu, `action="/auth/logout"`) || !strings.Contains(menu, `class="account-name"`) {
		t.Errorf("the account menu for a logged-in reader: %s", menu)
	}
	if !eval[bool](t, ctx, `/(^|; )bs_reader=1(;|$)/.test(document.cookie)`) {
		t.Error("signed in, the browser has no signed-in hint cookie")
	}
	waitFor(t, ctx, `document.querySelector("#masthead-account .account-logout button") !== null`)

	// Like: the count and the pressed state change where the reader is.
	do(t, ctx, chromedp.Click(sel+" form.react button[value='1']"))
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" form.react button[aria-pressed='true']")+`) !== null`)
	stays("like")
	if got := texts(t, ctx, sel+" form.react button[aria-pressed='true'] .n"); len(got) != 1 || got[0] != "1" {
		t.Errorf("likes after liking: %q, want 1", got)
	}
	inView(t, ctx, sel+" form.react", "the liked comment")

	// Report: a choice among the policy's rules, then thanks at the comment.
	do(t, ctx, chromedp.Click(sel+" .comment-report summary"))
	if n := count(t, ctx, sel+" .comment-report input[name=rule]"); n != 10 {
		t.Errorf("the report offers %d rules, want the policy's 10", n)
	}
	do(t, ctx, chromedp.Click(sel+" .comment-report input[name=rule][value='3']"),
		chromedp.SendKeys(sel+" .comment-report input[name=note]", "Off topic"))
	screenshot(t, ctx, "comments-report-choice")
	markLiveRegion(t, ctx)
	do(t, ctx, chromedp.Click(sel+" .comment-report button[type=submit]"))
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" .comment-notice")+`) !== null`)
	stays("report")
	if got := texts(t, ctx, sel+" .comment-notice"); len(got) != 1 || !strings.Contains(got[0], "moderators will look") {
		t.Errorf("after reporting: %q", got)
	}
	inView(t, ctx, sel+" .comment-notice", "the report's thanks")
	announcedWithFocusIn(t, ctx, sel, "moderators will look", "the report")
	// A second report is refused at its form, announced and in view.
	do(t, ctx, chromedp.Click(sel+" .comment-report summary"),
		chromedp.Click(sel+" .comment-report input[name=rule][value='1']"),
		chromedp.Click(sel+" .comment-report button[type=submit]"))
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" .comment-report form .comment-error[role=alert]")+`) !== null`)
	if got := texts(t, ctx, sel+" .comment-report .comment-error"); len(got) != 1 || !strings.Contains(got[0], "already reported") {
		t.Errorf("second report: %q", got)
	}
	inView(t, ctx, sel+" .comment-report .comment-error", "the refused report's message")
	stays("second report")

	// Reply: the box counts, the reply appears under the comment, in view.
	box := "#reply-" + strconv.FormatInt(other, 10)
	do(t, ctx, chromedp.Click(`details.comment-reply:has(`+box+`) > summary`), chromedp.SendKeys(box, "답글 from the page"))
	if got := eval[string](t, ctx, `document.querySelector(`+jsLiteral(box+"-counter")+`).textContent`); got != "(16/250)" {
		t.Errorf("reply counter: %q, want (16/250)", got)
	}
	do(t, ctx, chromedp.Click(`details.comment-reply:has(`+box+`) button[type=submit]`))
	waitFor(t, ctx, `[...document.querySelectorAll(".comment-replies .comment-body")].some(e => e.textContent.includes("답글 from the page"))`)
	stays("reply")
	reply := eval[string](t, ctx, `[...document.querySelectorAll(".comment-replies article.comment")].find(a => a.textContent.includes("답글 from the page")).id`)
	inView(t, ctx, "#"+reply, "the new reply")
	if got := texts(t, ctx, "#"+reply+" .comment-notice"); len(got) != 1 || got[0] != "Your comment is posted." {
		t.Errorf("notice at the reply: %q", got)
	}
	screenshot(t, ctx, "comments-replied")

	// A second reply at once is refused by the 60-second pacing: the
	// message is at the reply form, announced, and in view.
	do(t, ctx, chromedp.Click(`details.comment-reply:has(`+box+`) > summary`), chromedp.SendKeys(box, "Too soon"),
		chromedp.Click(`details.comment-reply:has(`+box+`) button[type=submit]`))
	refusal := `details.comment-reply:has(` + box + `) form .comment-error[role=alert]`
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(refusal)+`) !== null`)
	stays("refused reply")
	if got := texts(t, ctx, refusal); len(got) != 1 || !strings.Contains(got[0], "wait") {
		t.Errorf("refused reply: %q, want the pacing message", got)
	}
	inView(t, ctx, refusal, "the pacing message")
	if got := eval[string](t, ctx, `document.querySelector(`+jsLiteral(box)+`).value`); got != "Too soon" {
		t.Errorf("the refused reply's text is %q, want it kept", got)
	}
	viewScreenshot(t, ctx, "comments-reply-refused")

	// Edit: the changed text and a notice in place.
	markLiveRegion(t, ctx)
	do(t, ctx, chromedp.Click("#"+reply+" .comment-edit summary"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#`+reply+` .comment-edit textarea").value = "답글, edited"`),
		chromedp.Click("#"+reply+" .comment-edit button[type=submit]"))
	waitFor(t, ctx, `document.querySelector("#`+reply+` .comment-body").textContent.includes("답글, edited")`)
	stays("edit")
	if got := texts(t, ctx, "#"+reply+" .comment-notice"); len(got) != 1 || got[0] != "Your changes are saved." {
		t.Errorf("notice after editing: %q", got)
	}
	inView(t, ctx, "#"+reply+" .comment-notice", "the edit's notice")
	announcedWithFocusIn(t, ctx, "#"+reply, "Your changes are saved.", "the edit")

	// Delete asks first, then the reply's place says it is gone.
	do(t, ctx, chromedp.Click("#"+reply+" .comment-delete summary"))
	if got := texts(t, ctx, "#"+reply+" .comment-delete p"); len(got) != 1 || !strings.Contains(got[0], "Delete this comment?") {
		t.Errorf("delete confirmation: %q", got)
	}
	viewScreenshot(t, ctx, "comments-delete-confirm")
	markLiveRegion(t, ctx)
	do(t, ctx, chromedp.Click("#"+reply+" .comment-delete button.delete-yes"))
	waitFor(t, ctx, `document.getElementById(`+jsLiteral(reply)+`) === null`)
	stays("delete")
	note := `.comment-replies .comment-notice`
	if got := texts(t, ctx, note); len(got) != 1 || got[0] != "Your comment was deleted." {
		t.Errorf("after deleting: %q", got)
	}
	inView(t, ctx, note, "the deletion notice")
	announcedWithFocusIn(t, ctx, note, "Your comment was deleted.", "the deletion")

	// When the policy asks again (it changed), it is accepted in the block.
	siteSQL(t, `UPDATE readers SET policy_version = '' WHERE subject NOT LIKE 'e2e-%'`)
	open(t, ctx, story.Path)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.stillHere = true`))
	waitFor(t, ctx, `document.querySelector("#comments form.policy-accept") !== null`)
	if n := count(t, ctx, "#comments .comment-policy ol.policy-rules li"); n != 10 {
		t.Errorf("the block lists %d rules to accept, want 10", n)
	}
	do(t, ctx, chromedp.Click("#comments form.policy-accept button"))
	waitFor(t, ctx, `document.querySelector("#comment-body") !== null`)
	stays("accepting the policy")
	inView(t, ctx, "#comments .comment-form .comment-notice", "the thanks for accepting")
	waitFor(t, ctx, `document.querySelector("#comments .comment-live[role=status]").textContent === "Thank you. You can comment now."`)
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector("#comments .comment-form .comment-notice")`) {
		t.Errorf("after accepting the policy the focus is on %s, want the thanks above the comment box", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}
}

// markLiveRegion remembers the block's live region before an action, for
// announcedWithFocusIn to check the sentence was written into that same
// element, which was on the page already, not into a new one.
func markLiveRegion(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.liveBefore = document.querySelector("#comments .comment-live[role=status]")`))
	if !eval[bool](t, ctx, `window.liveBefore !== null`) {
		t.Fatal("the comment block has no live region for its notices")
	}
}

// announcedWithFocusIn checks what a screen reader is told after an
// action that redrew its comment: the sentence is read from the live
// region that was already on the page, and the focus, which was on the
// pressed button that the redraw removed, is inside sel.
func announcedWithFocusIn(t *testing.T, ctx context.Context, sel, want, what string) {
	t.Helper()
	waitFor(t, ctx, `document.querySelector("#comments .comment-live").textContent.includes(`+jsLiteral(want)+`)`)
	if !eval[bool](t, ctx, `document.querySelector("#comments .comment-live") === window.liveBefore`) {
		t.Errorf("%s: the sentence went into a new live region, which screen readers often do not read", what)
	}
	if !eval[bool](t, ctx, `!!document.activeElement.closest(`+jsLiteral(sel)+`)`) {
		t.Errorf("%s: the focus is on %s, want it inside %s", what, eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`), sel)
	}
}

// siteSQL runs a statement on the site's database, for a state that no
// page can reach quickly.
func siteSQL(t *testing.T, stmt string, args ...any) {
	t.Helper()
	raw, err := sql.Open("sqlite", filepath.Join(site.dataDir, "broadsheet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(context.Background(), stmt, args...); err != nil {
		t.Fatal(err)
	}
}

// TestCommentsInPlace_pagesAtPhoneAndDesktopWidths looks at the comment
// block, logged in and out, in English and Korean, at 360 and 1280 px,
// and measures every tap target in it.
func TestCommentsInPlace_pagesAtPhoneAndDesktopWidths(t *testing.T) {
	for _, loggedIn := range []bool{false, true} {
		ctx := newTab(t)
		story := secondStory(t, ctx)
		otherReadersComment(t, articleIDOf(t, story.Path)) // a comment to show its actions
		if loggedIn {
			open(t, ctx, story.Path)
			waitFor(t, ctx, `document.querySelector("a.login-oidc") !== null`)
			follow(t, ctx, `a.login-oidc`)
			if strings.HasPrefix(location(t, ctx), "/account/policy") {
				follow(t, ctx, `button.accept-policy`)
			}
		}
		who := map[bool]string{false: "out", true: "in"}[loggedIn]
		for _, lang := range []string{"en", "ko"} {
			for _, width := range []int64{360, 1280} {
				do(t, ctx, chromedp.EmulateViewport(width, 800))
				open(t, ctx, story.Path+"?lang="+lang)
				waitFor(t, ctx, `document.querySelector("#comments[data-article]") !== null`)
				if lang == "ko" && !loggedIn {
					if got := texts(t, ctx, "#comments .comment-policy-line .comment-counter"); len(got) != 1 || got[0] != "(0/250자)" {
						t.Errorf("Korean logged-out counter: %q, want (0/250자)", got)
					}
				}
				// Open every fold so that its controls are measured too.
				do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#comments details").forEach(d => d.open = true)`))
				small := eval[[]string](t, ctx, `[...document.querySelectorAll("#comments a, #comments button, #comments summary, #comments label.report-rule")]
					.filter(e => e.offsetParent !== null)
					.map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width < 24 || r.height < 24)
					.map(([e, r]) => e.tagName + " " + e.textContent.trim().slice(0, 30) + " " + Math.round(r.width) + "×" + Math.round(r.height))`)
				if len(small) > 0 {
					t.Errorf("%s %s %dpx: tap targets under 24×24 px: %q", who, lang, width, small)
				}
				do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#comments .comment-list, #comments").scrollIntoView()`))
				viewScreenshot(t, ctx, "comments-"+who+"-"+lang+"-"+strconv.FormatInt(width, 10))
			}
		}
	}
}

// secondStory is the home page's second top story: the comment tests
// keep to it, clear of the first story's comment limits.
func secondStory(t *testing.T, ctx context.Context) link {
	t.Helper()
	open(t, ctx, "/")
	stories := links(t, ctx, topStoryLinks)
	if len(stories) < 2 {
		t.Fatalf("home page: %d top stories, want 2", len(stories))
	}
	return stories[1]
}

func articleIDOf(t *testing.T, path string) int64 {
	t.Helper()
	parts := strings.Split(path, "/")
	if len(parts) < 3 {
		t.Fatalf("not an article path: %s", path)
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		t.Fatalf("not an article path: %s", path)
	}
	return id
}

// otherReadersComment posts, in the site's database, a comment by a
// reader other than the one the browser logs in as, and lets the
// browser's reader comment and react again at once (the pacing counts
// from their last comment and reaction, which an earlier test may have
// made).
func otherReadersComment(t *testing.T, articleID int64) int64 {
	t.Helper()
	ctx := context.Background()
	file := filepath.Join(site.dataDir, "broadsheet.db")
	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	others++
	name := fmt.Sprintf("Other %s-%d", time.Now().Format("150405"), others)
	rd, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "e2e-" + name, DisplayName: name})
	if err != nil {
		t.Fatal(err)
	}
	svc := comment.NewService(db, nil)
	pol, err := svc.Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AcceptPolicy(ctx, rd.ID, pol.Version); err != nil {
		t.Fatal(err)
	}
	rd.PolicyVersion = pol.Version
	c, err := svc.Post(ctx, rd, comment.PostInput{ArticleID: articleID, Body: "A comment by " + name, IP: "203.0.113.7"})
	if err != nil {
		t.Fatal(err)
	}
	siteSQL(t, `UPDATE readers SET last_comment_at = 0, last_reaction_at = 0 WHERE id <> ?`, rd.ID)
	return c.ID
}

// others counts the readers otherReadersComment made, for their names.
var others int

// inView checks that the element is wholly inside the viewport.
func inView(t *testing.T, ctx context.Context, sel, what string) {
	t.Helper()
	// The page brings it into view at its next frame (autofocus, or a
	// scroll after a fetch), so the box is read until it is in view or
	// a few seconds have passed.
	var box []float64
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		box = eval[[]float64](t, ctx, `(() => { const r = document.querySelector(`+jsLiteral(sel)+`).getBoundingClientRect();
			return [r.top, r.bottom, innerHeight]; })()`)
		if box[0] >= 0 && box[1] <= box[2] || time.Now().After(deadline) {
			break
		}
	}
	if box[0] < 0 || box[1] > box[2] {
		t.Errorf("%s is out of view: top %.0f, bottom %.0f, viewport height %.0f", what, box[0], box[1], box[2])
	}
}

// TestCommentsInPlace_actionOnAMoreCommentsPage likes a comment that
// "More comments" brought in: it is drawn again from its own page, in
// place.
func TestCommentsInPlace_actionOnAMoreCommentsPage(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx, "/")
	stories := links(t, ctx, topStoryLinks)
	if len(stories) < 4 {
		t.Fatalf("home page: %d top stories, want 4", len(stories))
	}
	story := stories[3]
	id := articleIDOf(t, story.Path)
	oldest := otherReadersComment(t, id)
	for range comment.PageSize {
		otherReadersComment(t, id)
	}
	open(t, ctx, story.Path)
	waitFor(t, ctx, `document.querySelector("#comments[data-article]") !== null`)
	follow(t, ctx, `a.login-oidc`)
	if strings.HasPrefix(location(t, ctx), "/account/policy") {
		follow(t, ctx, `button.accept-policy`)
	}
	waitFor(t, ctx, `document.querySelector("#comments .comment-more a") !== null`)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.stillHere = true`), chromedp.Click("#comments .comment-more a"))
	sel := "#c" + strconv.FormatInt(oldest, 10)
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel)+`) !== null`)
	do(t, ctx, chromedp.Click(sel+" form.react button[value='1']"))
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" form.react button[aria-pressed='true']")+`) !== null`)
	if !eval[bool](t, ctx, `window.stillHere === true`) || location(t, ctx) != story.Path {
		t.Fatal("liking a comment of the second page left the article")
	}
	if n := count(t, ctx, "#comments ol.comment-list > li"); n != comment.PageSize+1 {
		t.Errorf("%d comments on the page after the like, want all %d still there", n, comment.PageSize+1)
	}
	inView(t, ctx, sel+" form.react", "the liked comment")
}

// TestCommentsInPlace_doneButNotRedrawnOffersTheBlock loses the
// connection after the server has taken a report but before the block is
// drawn again: the reader is told the report was sent and offered the
// comments again, never asked to send it again.
func TestCommentsInPlace_doneButNotRedrawnOffersTheBlock(t *testing.T) {
	ctx := newTab(t)
	story := secondStory(t, ctx)
	open(t, ctx, story.Path)
	waitFor(t, ctx, `document.querySelector("#comments[data-article]") !== null`)
	if eval[bool](t, ctx, `document.querySelector("a.login-oidc") !== null`) {
		follow(t, ctx, `a.login-oidc`)
		if strings.HasPrefix(location(t, ctx), "/account/policy") {
			follow(t, ctx, `button.accept-policy`)
		}
	}
	other := otherReadersComment(t, articleIDOf(t, story.Path))
	open(t, ctx, story.Path)
	sel := "#c" + strconv.FormatInt(other, 10)
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" .comment-report form")+`) !== null`)

	// From here on only the posts get through.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.realFetch = window.fetch;
		window.fetch = (u, o) => o && o.method === "POST" ? realFetch(u, o) : Promise.reject(new TypeError("Failed to fetch"))`))
	do(t, ctx, chromedp.Click(sel+" .comment-report summary"),
		chromedp.Click(sel+" .comment-report input[name=rule][value='2']"),
		chromedp.Click(sel+" .comment-report button[type=submit]"))
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" .comment-notice a.comment-show-again")+`) !== null || document.querySelector(`+jsLiteral(sel+" .comment-error")+`) !== null`)
	if got := texts(t, ctx, sel+" .comment-error"); len(got) != 0 {
		t.Fatalf("a report the server took is shown as not sent: %q", got)
	}
	notice := sel + " .comment-notice"
	if got := texts(t, ctx, notice); len(got) != 1 || !strings.Contains(got[0], "moderators will look") || !strings.Contains(got[0], "Show the comments again") {
		t.Errorf("the notice when the block is not drawn again: %q", got)
	}
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector(`+jsLiteral(notice)+`)`) {
		t.Errorf("the focus is on %s, want the notice", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}
	waitFor(t, ctx, `document.querySelector("#comments .comment-live").textContent.includes("moderators will look")`)
	if !eval[bool](t, ctx, `document.querySelector(`+jsLiteral(sel+" .comment-report button[type=submit]")+`).disabled`) {
		t.Error("the report's button can be pressed again, to send it twice")
	}
	inView(t, ctx, notice, "the notice")
	viewScreenshot(t, ctx, "comments-done-not-redrawn")

	// Back online, the link draws the block again, the report done.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.fetch = window.realFetch; window.stillHere = true`),
		chromedp.Click(notice+" a.comment-show-again"))
	waitFor(t, ctx, `document.querySelector("a.comment-show-again") === null && document.querySelector(`+jsLiteral(sel)+`) !== null`)
	if !eval[bool](t, ctx, `window.stillHere === true`) || location(t, ctx) != story.Path {
		t.Error("showing the comments again left the article")
	}
	do(t, ctx, chromedp.Click(sel+" .comment-report summary"),
		chromedp.Click(sel+" .comment-report input[name=rule][value='2']"),
		chromedp.Click(sel+" .comment-report button[type=submit]"))
	waitFor(t, ctx, `document.querySelector(`+jsLiteral(sel+" .comment-error")+`) !== null`)
	if got := texts(t, ctx, sel+" .comment-error"); len(got) != 1 || !strings.Contains(got[0], "already reported") {
		t.Errorf("reporting again: %q, want the report already taken", got)
	}
}
