package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/reader"
	"broadsheet/internal/store/storetest"
)

// script posts a comment form as comments.js does: with fetch, asking
// for JSON, so that the reader stays on the page.
func (c *commenter) script(t *testing.T, path string, values url.Values) (int, formJSON) {
	t.Helper()
	values.Set("csrf", c.csrf)
	req, err := http.NewRequest("POST", c.ts.URL+path, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Cookie", reader.CookieName+"="+c.cookie)
	res, body := roundTrip(t, req)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s answered the script with %s: %s", path, ct, body)
	}
	var out formJSON
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("%s: %v in %s", path, err, body)
	}
	return res.StatusCode, out
}

type formJSON struct {
	ID     int64  `json:"id"`
	Notice string `json:"notice"`
	Error  string `json:"error"`
	Code   string `json:"code"`
}

func TestCommentForms_withoutScriptReturnToTheArticleAtTheComment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		author, fan := ts.newCommenter(t, "Ji-woo", true), ts.newCommenter(t, "Min-jun", true)
		form := func(c *commenter, path string, v url.Values) (*http.Response, string) {
			v.Set("csrf", c.csrf)
			return c.form(t, path, v)
		}

		// A comment posted from the article page goes back to the article, at it.
		res, _ := form(author, a.URL()+"/comments", url.Values{"body": {"Back where I was"}, "back": {a.URL()}})
		loc := res.Header.Get("Location")
		if res.StatusCode != 303 || !strings.HasPrefix(loc, a.URL()+"#c") {
			t.Fatalf("post from the article: %d Location %q, want 303 to %s#c<id>", res.StatusCode, loc, a.URL())
		}
		top := strings.TrimPrefix(loc, a.URL()+"#c")

		// A reply, a like and a report come back at their comment.
		res, _ = form(fan, a.URL()+"/comments", url.Values{"body": {"A reply"}, "parent_id": {top}, "back": {a.URL() + "?lang=ko"}})
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || !strings.HasPrefix(loc, a.URL()+"?lang=ko#c") || loc == a.URL()+"?lang=ko#c"+top {
			t.Errorf("reply: %d Location %q, want 303 to the reply on the Korean article page", res.StatusCode, loc)
		}
		for _, q := range []struct {
			action string
			v      url.Values
		}{
			{"reaction", url.Values{"value": {"1"}}},
			{"report", url.Values{"rule": {"3"}, "note": {"Off topic"}}},
		} {
			q.v.Set("back", a.URL())
			res, page := form(fan, "/comments/"+top+"/"+q.action, q.v)
			if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != a.URL()+"#c"+top {
				t.Errorf("%s: %d Location %q, want 303 to %s#c%s; %.200s", q.action, res.StatusCode, loc, a.URL(), top, page)
			}
		}

		// Delete asks first: without the confirmation nothing is deleted.
		res, page := form(author, "/comments/"+top+"/delete", url.Values{"back": {a.URL()}})
		if res.StatusCode != 422 || !strings.Contains(page, "Yes, delete it") || !strings.Contains(page, `id="c`+top+`"`) {
			t.Errorf("delete without confirmation: %d, want 422 with the comment still there and the question asked", res.StatusCode)
		}
		if !strings.Contains(page, `<details class="comment-delete" open>`) {
			t.Error("the refused delete does not show its confirmation open, next to the comment")
		}
		res, _ = form(author, "/comments/"+top+"/delete", url.Values{"back": {a.URL()}, "confirm": {"yes"}})
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != a.URL()+"#comments" {
			t.Errorf("confirmed delete: %d Location %q, want 303 to %s#comments", res.StatusCode, loc, a.URL())
		}
		if _, block := ts.get(t, a.URL()+"/comments?partial=1"); strings.Contains(block, "Back where I was") {
			t.Error("the confirmed delete did not delete")
		}
	})
}

func TestCommentForms_backTargetStaysOnTheSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		author, fan := ts.newCommenter(t, "Ha-eun", true), ts.newCommenter(t, "Yu-na", true)
		_, body := author.post(t, a.ID, "Target")
		id := decodeJSON[commentJSON](t, body).ID
		i := 0
		for _, bad := range []string{"//evil.example/article/1", "https://evil.example/article/1", "/\\evil.example/article/1",
			"javascript:alert(1)", "/section/news", "article/1/x", "/article/1/x\r\nLocation: https://evil.example", "/article/1/x#frag"} {
			i++
			res, _ := fan.form(t, fmt.Sprintf("/comments/%d/reaction", id), url.Values{"value": {"1"}, "back": {bad}, "csrf": {fan.csrf}})
			loc := res.Header.Get("Location")
			if res.StatusCode != 303 || loc != "/" {
				t.Errorf("back %q: %d Location %q, want 303 to /", bad, res.StatusCode, loc)
			}
			res, _ = author.form(t, a.URL()+"/comments?lang=en", url.Values{"body": {fmt.Sprint("Safe post number ", i)}, "back": {bad}, "csrf": {author.csrf}})
			loc = res.Header.Get("Location")
			if res.StatusCode != 303 || !strings.HasPrefix(loc, a.URL()+"/comments?sort=newest&lang=en#c") {
				t.Errorf("post with back %q: %d Location %q, want the article's comments page", bad, res.StatusCode, loc)
			}
		}
	})
}

func TestCommentReports_ruleIsOneOfThePolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		author, fan, critic := ts.newCommenter(t, "Seo-yeon", true), ts.newCommenter(t, "Do-hyun", true), ts.newCommenter(t, "Eun-ji", true)
		_, body := author.post(t, a.ID, "Reported")
		id := decodeJSON[commentJSON](t, body).ID
		path := fmt.Sprintf("/comments/%d/report", id)

		// The block offers the policy's rules to choose from.
		_, block := fan.page(t, a.URL()+"/comments?partial=1")
		if n := strings.Count(block, `name="rule" value="`); n != 10*1 {
			t.Errorf("the report form offers %d rules, want the policy's 10", n)
		}
		for _, bad := range []string{"0", "11", "-1", "abc", "99999999999999999999"} {
			status, out := fan.script(t, path, url.Values{"rule": {bad}})
			if status != 422 || out.Error == "" {
				t.Errorf("rule %q: %d %+v, want 422 with a sentence", bad, status, out)
			}
		}
		if status, out := fan.script(t, path+"?lang=ko", url.Values{"rule": {"11"}}); status != 422 || !strings.Contains(out.Error, "규칙") {
			t.Errorf("Korean refusal of rule 11: %d %q", status, out.Error)
		}
		// Without a script the refusal is shown at the report form, the rule kept.
		res, page := fan.form(t, path, url.Values{"rule": {"11"}, "note": {"my note"}, "back": {a.URL()}, "csrf": {fan.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, `<details class="comment-report" open>`) || !strings.Contains(page, `value="my note"`) {
			t.Errorf("refused report form: %d; open at the comment %v; note kept %v", res.StatusCode,
				strings.Contains(page, `<details class="comment-report" open>`), strings.Contains(page, `value="my note"`))
		}
		// Sent back to a page that does not show the comment, the message
		// goes above the comments rather than nowhere.
		elsewhere := ts.publishedArticle(t, 1)
		res, page = fan.form(t, path, url.Values{"rule": {"11"}, "back": {elsewhere.URL()}, "csrf": {fan.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, `<p class="comment-error" role="alert">There is no such rule`) {
			t.Errorf("refused report sent back elsewhere: %d, message shown %v", res.StatusCode, strings.Contains(page, "There is no such rule"))
		}
		// The API asks the same service.
		if res, body := critic.api(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", id), map[string]any{"rule": 42}); res.StatusCode != 422 || !strings.Contains(body, "bad_rule") {
			t.Errorf("API report with rule 42: %d %s", res.StatusCode, body)
		}

		status, out := fan.script(t, path, url.Values{"rule": {"3"}, "note": {"Off topic"}})
		if status != 200 || out.ID != id || out.Notice == "" {
			t.Fatalf("report with rule 3: %d %+v", status, out)
		}
		if res, _ := critic.api(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", id), map[string]any{"rule": 5}); res.StatusCode != 204 {
			t.Fatalf("API report with rule 5: %d", res.StatusCode)
		}
		var queue []struct {
			ID      int64    `json:"id"`
			Reports []string `json:"report_reasons"`
		}
		ts.api(t, "GET", "/api/v1/moderation/queue", account.Moderator, nil, &queue)
		if len(queue) != 1 || strings.Join(queue[0].Reports, "|") != "Rule 3: Off topic|Rule 5" {
			t.Errorf("queue: %+v, want the reports with their rules", queue)
		}
	})
}

func TestCommentReplies_limitAndPacingAtTheReplyForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		author, fan := ts.newCommenter(t, "Ye-jin", true), ts.newCommenter(t, "Si-woo", true)
		_, body := author.post(t, a.ID, "Answer me")
		parent := fmt.Sprint(decodeJSON[commentJSON](t, body).ID)

		// The reply box has the counter, in the site's words.
		_, block := fan.page(t, a.URL()+"/comments?partial=1&lang=ko")
		if !strings.Contains(block, `id="reply-`+parent+`-counter"`) || !strings.Contains(block, "(0/250자)") {
			t.Error("the reply box has no counter")
		}

		// The server holds the limit whatever the page does.
		long := strings.Repeat("가", 251)
		status, out := fan.script(t, a.URL()+"/comments?lang=ko", url.Values{"body": {long}, "parent_id": {parent}})
		if status != 422 || !strings.Contains(out.Error, "251자") {
			t.Errorf("a reply of 251: %d %q, want 422 naming its length", status, out.Error)
		}
		res, page := fan.form(t, a.URL()+"/comments", url.Values{"body": {long}, "parent_id": {parent}, "back": {a.URL()}, "csrf": {fan.csrf}})
		if res.StatusCode != 422 || !strings.Contains(page, `<details class="comment-reply" open>`) || !strings.Contains(page, long+"</textarea>") {
			t.Errorf("a reply form of 251: %d; shown open at its comment %v, text kept %v", res.StatusCode,
				strings.Contains(page, `<details class="comment-reply" open>`), strings.Contains(page, long+"</textarea>"))
		}
		if !strings.Contains(page, `aria-describedby="reply-`+parent+`-counter" autofocus>`) {
			t.Error("the refused reply form does not take the focus, which brings it into view")
		}
		if _, block := ts.get(t, a.URL()+"/comments?partial=1"); strings.Contains(block, long) {
			t.Error("the reply over the limit was stored")
		}
		if status, out := fan.script(t, a.URL()+"/comments", url.Values{"body": {strings.Repeat("가", 250)}, "parent_id": {parent}}); status != 200 || out.ID == 0 {
			t.Fatalf("a reply of 250: %d %+v", status, out)
		}
		// The next one within 60 seconds is refused, saying when to try.
		status, out = fan.script(t, a.URL()+"/comments", url.Values{"body": {"Too soon"}, "parent_id": {parent}})
		if status != 429 || !strings.Contains(out.Error, "wait") {
			t.Errorf("a second reply at once: %d %q, want 429 asking to wait", status, out.Error)
		}
	})
}

func TestAccountMenu_nameAndLogoutOrLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		next := url.QueryEscape(a.URL() + "?lang=ko")
		res, menu := ts.get(t, "/account/menu?next="+next)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("menu: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
		}
		if !strings.Contains(menu, `href="/account?next=`+next+`"`) || !strings.Contains(menu, ">Log in<") || strings.Contains(menu, "<html") {
			t.Errorf("signed-out menu: %s", menu)
		}
		// The login page it leads to offers the logins.
		if res, page := ts.get(t, "/account?next="+next); res.StatusCode != 200 || !strings.Contains(page, "<h1>Log in</h1>") {
			t.Errorf("signed-out /account: %d", res.StatusCode)
		}
		c := ts.newCommenter(t, "Na-rae", true)
		_, menu = c.page(t, "/account/menu?lang=ko&next="+url.QueryEscape("//evil.example"))
		for _, want := range []string{"Na-rae", `action="/auth/logout"`, `name="csrf" value="` + c.csrf + `"`, `name="next" value="/"`, "로그아웃"} {
			if !strings.Contains(menu, want) {
				t.Errorf("signed-in menu lacks %q: %s", want, menu)
			}
		}
		// The logout button returns to the page.
		res, _ = c.form(t, "/auth/logout", url.Values{"csrf": {c.csrf}, "next": {a.URL()}})
		if res.StatusCode != 303 || res.Header.Get("Location") != a.URL() {
			t.Errorf("logout: %d Location %q", res.StatusCode, res.Header.Get("Location"))
		}
		// It also clears the signed-in hint the masthead's script reads.
		if !slices.ContainsFunc(res.Cookies(), func(c *http.Cookie) bool { return c.Name == reader.HintCookieName && c.MaxAge < 0 }) {
			t.Errorf("logout does not clear the %s cookie: %v", reader.HintCookieName, res.Header["Set-Cookie"])
		}
		// The article page around the menu stays one cached page for all.
		if _, page := ts.get(t, a.URL()); !strings.Contains(page, "account-menu.js") {
			t.Error("the article page does not load the account menu")
		}
	})
}

func TestCommentBlock_pluralsAndThePolicyLine(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		author, fan := ts.newCommenter(t, "Tae-yang", true), ts.newCommenter(t, "Bo-ra", true)
		_, body := author.post(t, a.ID, "Count me")
		id := decodeJSON[commentJSON](t, body).ID
		fan.api(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/reaction", id), map[string]any{"value": 1})
		_, block := author.page(t, a.URL()+"/comments?partial=1")
		if !strings.Contains(block, "1 like · 0 dislikes") {
			t.Errorf("the author's counts are not in the plural rules: %s", between(block, `class="reactions"`, "</span>"))
		}
		_, block = author.page(t, a.URL()+"/comments?partial=1&lang=ko")
		if !strings.Contains(block, "좋아요 1 · 싫어요 0") {
			t.Errorf("Korean counts: %s", between(block, `class="reactions"`, "</span>"))
		}
		_, block = ts.get(t, a.URL()+"/comments?partial=1&lang=ko")
		if !strings.Contains(block, `<a href="/page/standards-board-policy?lang=ko">편집위원회 댓글 정책</a>`) || !strings.Contains(block, "(0/250자)") {
			t.Error("the logged-out block lacks the policy line with (0/250자)")
		}
		ts.raiseLimits(t, map[string]string{"comments_max_length": "400"})
		if _, block = ts.get(t, a.URL()+"/comments?partial=1"); !strings.Contains(block, "(0/400)") {
			t.Error("the logged-out counter does not follow the configured limit")
		}
	})
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func TestCommentPolicy_acceptedInTheBlock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Ga-eun", false)
		_, block := c.page(t, a.URL()+"/comments?partial=1")
		_, rest, _ := strings.Cut(block, `name="version" value="`)
		version, _, _ := strings.Cut(rest, `"`)
		if !strings.Contains(block, `class="policy-accept"`) || strings.Count(block, "<li value=") != 10 || version == "" {
			t.Fatalf("the block does not offer the policy's rules to accept in place")
		}
		if !strings.Contains(block, `name="next" value="`+a.URL()+`#comments"`) {
			t.Error("accepting without a script does not return to the article's comments")
		}
		if status, out := c.script(t, "/account/policy", url.Values{"version": {"stale"}}); status != 409 || out.Error == "" {
			t.Errorf("accepting a stale version: %d %+v, want 409 with a sentence", status, out)
		}
		if status, out := c.script(t, "/account/policy", url.Values{"version": {version}}); status != 200 || out.Notice == "" {
			t.Fatalf("accepting: %d %+v", status, out)
		}
		if _, block = c.page(t, a.URL()+"/comments?partial=1"); !strings.Contains(block, `class="comment-form"`) {
			t.Error("after accepting, the block has no comment box")
		}
	})
}

func TestCommentBlock_quietCounterAndAnEmptyLiveRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Da-som", true)
		for _, path := range []string{a.URL() + "/comments?partial=1", a.URL() + "/comments?lang=ko"} {
			_, block := c.page(t, path)
			// The counter changes at every keystroke: read out each time,
			// it would drown the page.
			if counter := between(block, `id="comment-counter"`, ">"); counter == "" || strings.Contains(counter, "aria-live") {
				t.Errorf("%s: the counter %q is a live region, or missing", path, counter)
			}
			// The script writes its notices into a region that is already on
			// the page, empty, when it does.
			if !strings.Contains(block, `<p class="comment-live visually-hidden" role="status"></p>`) {
				t.Errorf("%s: the block has no empty live region", path)
			}
		}
	})
}
