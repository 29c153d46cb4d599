package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestCommentsWithoutScript_formsReturnToTheCommentAndRefusalsShowInView
// uses the comments page with JavaScript off: a like comes back at the
// comment, a reply too, and a reply refused by the pacing shows its
// message at the reply form, in view, with the text kept.
func TestCommentsWithoutScript_formsReturnToTheCommentAndRefusalsShowInView(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx, "/")
	stories := links(t, ctx, topStoryLinks)
	if len(stories) < 3 {
		t.Fatalf("home page: %d top stories, want 3", len(stories))
	}
	story := stories[2]
	other := otherReadersComment(t, articleIDOf(t, story.Path))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	page := story.Path + "/comments"
	open(t, ctx, page)
	follow(t, ctx, `a.login-oidc`)
	if strings.HasPrefix(location(t, ctx), "/account/policy") {
		follow(t, ctx, `button.accept-policy`)
	}
	if loc := location(t, ctx); !strings.HasPrefix(loc, page) {
		t.Fatalf("after login: at %s, want the comments page %s", loc, page)
	}
	id := strconv.FormatInt(other, 10)
	sel := "#c" + id

	follow(t, ctx, sel+" form.react button[value='1']")
	if hash := eval[string](t, ctx, `location.hash`); hash != sel {
		t.Errorf("after liking: at %q, want the comment %s", hash, sel)
	}
	if got := texts(t, ctx, sel+" form.react button[aria-pressed='true'] .n"); len(got) != 1 || got[0] != "1" {
		t.Errorf("likes after liking: %q", got)
	}

	box := "#reply-" + id
	reply := `details.comment-reply:has(` + box + `)`
	do(t, ctx, chromedp.Click(reply+" > summary"), chromedp.SendKeys(box, "A reply without a script"))
	if got := eval[string](t, ctx, `document.querySelector(`+jsLiteral(box+"-counter")+`).textContent`); got != "(0/250)" {
		t.Fatalf("the counter reads %q: the page's scripts are running", got)
	}
	follow(t, ctx, reply+" button[type=submit]")
	if hash := eval[string](t, ctx, `location.hash`); !strings.HasPrefix(hash, "#c") || hash == sel {
		t.Errorf("after replying: at %q, want the new reply", hash)
	}
	inView(t, ctx, eval[string](t, ctx, `location.hash`), "the new reply")

	do(t, ctx, chromedp.Click(reply+" > summary"), chromedp.SendKeys(box, "Too soon"))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(reply+" button[type=submit]"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusTooManyRequests {
		t.Errorf("a second reply at once: %d, want 429", res.Status)
	}
	refusal := reply + " form .comment-error[role=alert]"
	if got := texts(t, ctx, refusal); len(got) != 1 || !strings.Contains(got[0], "wait") {
		t.Fatalf("refused reply: %q, want the pacing message at the reply form", got)
	}
	inView(t, ctx, refusal, "the pacing message")
	if got := eval[string](t, ctx, `document.querySelector(`+jsLiteral(box)+`).value`); got != "Too soon" {
		t.Errorf("the refused text is %q, want it kept", got)
	}
	viewScreenshot(t, ctx, "comments-noscript-reply-refused")
}
