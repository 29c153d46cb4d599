package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestComments_loginAcceptPolicyCountAndPostWithoutReload is a reader's
// first comment: log in through the local OpenID Connect provider, accept
// the Standards Board Policy, type while the counter counts, be stopped
// past the limit, post, and see the comment appear without a reload.
func TestComments_loginAcceptPolicyCountAndPostWithoutReload(t *testing.T) {
	ctx := newTab(t)
	story := topStory(t, ctx)
	// The reader meets the policy for the first time and may post at
	// once, whichever test logged in and commented before.
	siteSQL(t, `UPDATE readers SET policy_version = '', last_comment_at = 0`)
	open(t, ctx, story.Path)

	// The script loads the live comments block into the cached article.
	waitFor(t, ctx, `document.querySelector("#comments[data-article]") !== null`)
	if got := texts(t, ctx, "#comments .comment-login > p"); len(got) == 0 || got[0] != "To write comments, please log in to one of the accounts." {
		t.Errorf("anonymous reader sees %q, want the log-in line", got)
	}
	if n := count(t, ctx, "#comments details.social-help"); n != 1 {
		t.Errorf("%d \"Social comment?\" help texts, want 1", n)
	}
	screenshot(t, ctx, "comments-anonymous")

	// Log in: the provider sends us back to the policy, which we accept.
	follow(t, ctx, `a.login-oidc`)
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/account/policy") {
		t.Fatalf("after login: at %s, want the policy page", loc)
	}
	if n := count(t, ctx, "ol.policy-rules li"); n != 10 {
		t.Errorf("policy page lists %d rules, want 10", n)
	}
	screenshot(t, ctx, "comments-policy")
	follow(t, ctx, `button.accept-policy`)
	if loc := location(t, ctx); loc != story.Path {
		t.Fatalf("after accepting: at %s, want back on the article %s", loc, story.Path)
	}

	// Back on the article: the box, with its counter, is there.
	waitFor(t, ctx, `document.querySelector("#comment-body") !== null`)
	counter := func() string { return eval[string](t, ctx, `document.querySelector(".comment-counter").textContent`) }
	if got := counter(); got != "(0/250)" {
		t.Errorf("counter before typing: %q, want (0/250)", got)
	}
	do(t, ctx, chromedp.SendKeys("#comment-body", "안녕하세요 fine"))
	if got := counter(); got != "(10/250)" {
		t.Errorf("counter after typing 10 characters: %q, want (10/250)", got)
	}
	// Key events split an emoji sequence, so it arrives as a paste would.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const b = document.querySelector("#comment-body");
		b.value += " 👨‍👩‍👧"; b.dispatchEvent(new Event("input")); })()`))
	if got := counter(); got != "(12/250)" {
		t.Errorf("counter after a family emoji: %q, want (12/250): the emoji is one character", got)
	}

	// Past the limit (a paste of 251), posting is blocked.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const b = document.querySelector("#comment-body");
		b.value = "가".repeat(251); b.dispatchEvent(new Event("input")); })()`))
	if got := counter(); got != "(251/250)" {
		t.Errorf("counter at 251: %q", got)
	}
	if !eval[bool](t, ctx, `document.querySelector(".comment-form button[type=submit]").disabled`) {
		t.Error("the post button is enabled at 251 characters")
	}
	screenshot(t, ctx, "comments-over-limit")

	// A comment of the right length posts without reloading the page.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { window.stillHere = true; const b = document.querySelector("#comment-body");
		b.value = ""; b.dispatchEvent(new Event("input")); })()`))
	text := "Posted from the browser at " + time.Now().Format("15:04:05.000")
	do(t, ctx, chromedp.SendKeys("#comment-body", text), chromedp.Click(".comment-form button[type=submit]"))
	waitFor(t, ctx, `[...document.querySelectorAll(".comment-body")].some(e => e.textContent.includes(`+jsLiteral(text)+`))`)
	if !eval[bool](t, ctx, `window.stillHere === true`) {
		t.Error("the page reloaded to show the comment")
	}
	if got := texts(t, ctx, ".comment-count"); len(got) == 0 || got[0] != "(1)" {
		t.Errorf("comment count after posting: %q, want (1)", got)
	}
	screenshot(t, ctx, "comments-posted")

	// The Korean interface counts in 자.
	open(t, ctx, story.Path+"?lang=ko")
	waitFor(t, ctx, `document.querySelector("#comment-body") !== null`)
	if got := counter(); got != "(0/250자)" {
		t.Errorf("Korean counter: %q, want (0/250자)", got)
	}
	do(t, ctx, chromedp.SendKeys("#comment-body", "좋은 기사"))
	if got := counter(); got != "(5/250자)" {
		t.Errorf("Korean counter after 5 characters: %q, want (5/250자)", got)
	}
	screenshot(t, ctx, "comments-korean")
}

// waitFor polls a JavaScript condition until it holds, for up to 10 s.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if eval[bool](t, ctx, `!!(`+cond+`)`) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", cond)
}
