package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

func TestComments_lengthIsCountedInUserPerceivedCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Min-jun", true)
		family := "👨\u200d👩\u200d👧\u200d👦"
		for _, unit := range []string{"a", "가", family, "e\u0301", "🇰🇷"} {
			t.Run(fmt.Sprintf("%q", unit), func(t *testing.T) {
				res, body := c.post(t, a.ID, strings.Repeat(unit, 250))
				if res.StatusCode != 201 {
					t.Fatalf("250 × %q: %d %s", unit, res.StatusCode, body)
				}
				res, body = c.post(t, a.ID, strings.Repeat(unit, 251))
				r := decodeJSON[refusalJSON](t, body)
				if res.StatusCode != 422 || r.Reason != "too_long" || r.Limit != 250 || !strings.Contains(r.Error, "251") {
					t.Errorf("251 × %q: %d %+v, want 422 too_long naming 251 and 250", unit, res.StatusCode, r)
				}
			})
		}
		for _, empty := range []string{"", "   ", "\n\t\n", "\u200b\u200b", "\u3164"} {
			res, body := c.post(t, a.ID, empty)
			if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 422 || r.Reason != "empty" {
				t.Errorf("post %q: %d %+v, want 422 empty", empty, res.StatusCode, r)
			}
		}
		res, body := c.post(t, a.ID, "bell\x07")
		if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 422 || r.Reason != "control_character" {
			t.Errorf("control character: %d %+v", res.StatusCode, r)
		}
	})
}

func TestComments_limitIsASiteSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, map[string]string{"comments_max_length": "10"})
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Ji-woo", true)
		if res, body := c.post(t, a.ID, "0123456789"); res.StatusCode != 201 {
			t.Fatalf("10 characters: %d %s", res.StatusCode, body)
		}
		if res, _ := c.post(t, a.ID, "01234567890"); res.StatusCode != 422 {
			t.Errorf("11 characters with a limit of 10: %d, want 422", res.StatusCode)
		}
		_, page := c.page(t, a.URL()+"/comments")
		if !strings.Contains(page, "(0/10)") {
			t.Errorf("the counter does not show the site's limit (0/10)")
		}
		_, page = c.page(t, a.URL()+"/comments?lang=ko")
		if !strings.Contains(page, "(0/10자)") {
			t.Errorf("the Korean counter does not read (0/10자)")
		}
	})
}

// xssPayloads are stored as typed and shown as text, never as markup.
var xssPayloads = []string{
	`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `<svg onload=alert(1)>`, `<svg/onload=alert(1)>`,
	`<body onload=alert(1)>`, `<iframe src="javascript:alert(1)"></iframe>`, `<a href="javascript:alert(1)">x</a>`,
	`javascript:alert(1)`, `"><script>alert(1)</script>`, `'><script>alert(1)</script>`, `</textarea><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`, `<details open ontoggle=alert(1)>`, `<input autofocus onfocus=alert(1)>`,
	`<video><source onerror=alert(1)>`, `<audio src=x onerror=alert(1)>`, `<math><mtext><script>alert(1)</script>`,
	`<object data="javascript:alert(1)">`, `<embed src="javascript:alert(1)">`, `<form action="javascript:alert(1)"><button>x`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, `<link rel=stylesheet href=javascript:alert(1)>`,
	`<style>@import 'javascript:alert(1)';</style>`, `<div style="background:url(javascript:alert(1))">`,
	`<marquee onstart=alert(1)>`, `<select onfocus=alert(1) autofocus>`, `<keygen autofocus onfocus=alert(1)>`,
	`<isindex type=image src=1 onerror=alert(1)>`, `<base href="javascript:alert(1)//">`, `<table background="javascript:alert(1)">`,
	`{{7*7}}`, `${alert(1)}`, `<%= 7*7 %>`, `<scr<script>ipt>alert(1)</scr</script>ipt>`, `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src="x" onerror="&#97;lert(1)">`, `&lt;script&gt;alert(1)&lt;/script&gt;`, `%3Cscript%3Ealert(1)%3C/script%3E`,
	`<img src=x:alert(alt) onerror=eval(src) alt=0>`, `"onmouseover="alert(1)`, `' onmouseover='alert(1)`,
	`https://example.org/"><script>alert(1)</script>`, `https://example.org/?q=<script>alert(1)</script>`,
	`<a href="https://example.org" onclick="alert(1)">link</a>`, `<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
	`<x contenteditable onblur=alert(1)>lose focus`, `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<template><script>alert(1)</script></template>`, `<!--<img src="--><img src=x onerror=alert(1)//">`,
	`<xmp><img src=x onerror=alert(1)></xmp>`, `<plaintext><script>alert(1)`, `data:text/html,<script>alert(1)</script>`,
	"<scr\u0131pt>alert(1)</scr\u0131pt>", `<a href="jav&#x09;ascript:alert(1)">x</a>`,
}

func TestComments_markupFromReadersIsNeverRendered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, map[string]string{"comments_max_links": "10", "comments_duplicate_window_seconds": "0"})
		a := ts.publishedArticle(t, 1)
		c := ts.newCommenter(t, "Seo-yeon", true)
		if len(xssPayloads) < 50 {
			t.Fatalf("only %d payloads", len(xssPayloads))
		}
		for _, p := range xssPayloads {
			res, body := c.post(t, a.ID, p)
			if res.StatusCode != 201 {
				t.Fatalf("post %q: %d %s", p, res.StatusCode, body)
			}
			if got := decodeJSON[commentJSON](t, body).Body; got != p {
				t.Errorf("stored %q, want it exactly as typed %q", got, p)
			}
		}
		var links int
		for offset := 0; offset < len(xssPayloads); offset += 20 {
			_, page := ts.get(t, fmt.Sprintf("%s/comments?sort=oldest&offset=%d", a.URL(), offset))
			i, j := strings.Index(page, `<ol class="comment-list">`), strings.LastIndex(page, `</section>`)
			if i < 0 || j < i {
				t.Fatalf("no comment list at offset %d", offset)
			}
			links += checkInert(t, page[i:j])
		}
		if links == 0 {
			t.Error("web addresses in comments are not made into links")
		}
		_, page := ts.get(t, a.URL()+"/comments?sort=oldest")
		if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Error("the first payload is not shown as escaped text")
		}
	})
}

func TestComments_csrfIsRequired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Ha-eun", true)
		path := fmt.Sprintf("/api/v1/articles/%d/comments", a.ID)
		cookie := "bs_session=" + c.cookie
		for name, header := range map[string][]string{
			"missing": {"Cookie", cookie},
			"wrong":   {"Cookie", cookie, "X-CSRF-Token", c.csrf + "x"},
			"other":   {"Cookie", cookie, "X-CSRF-Token", ts.newCommenter(t, "Other", true).csrf},
		} {
			res, body := ts.do(t, "POST", path, "", `{"body":"hello"}`, header...)
			if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 403 || r.Code != "csrf_failed" {
				t.Errorf("%s token: %d %+v, want 403 csrf_failed", name, res.StatusCode, r)
			}
		}
		res, _ := ts.do(t, "POST", path, "", `{"body":"hello"}`, "X-CSRF-Token", c.csrf)
		if res.StatusCode != 401 {
			t.Errorf("no session: %d, want 401", res.StatusCode)
		}
		res, _ = c.form(t, a.URL()+"/comments", url.Values{"body": {"hello"}, "csrf": {"forged"}})
		if res.StatusCode != 403 {
			t.Errorf("form with a wrong token: %d, want 403", res.StatusCode)
		}
		if n := ts.commentCount(t, a.ID); n != 0 {
			t.Errorf("%d comments stored by refused requests", n)
		}
	})
}

func (ts *testServer) commentCount(t *testing.T, articleID int64) int {
	t.Helper()
	p, err := ts.db.ListComments(context.Background(), commentQuery(articleID))
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func TestComments_eachRefusalHasItsOwnClearError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)

		t.Run("rate limit", func(t *testing.T) {
			c := ts.newCommenter(t, "Quick", true)
			if res, body := c.post(t, a.ID, "first thoughts"); res.StatusCode != 201 {
				t.Fatalf("first: %d %s", res.StatusCode, body)
			}
			res, body := c.post(t, a.ID, "second thoughts")
			r := decodeJSON[refusalJSON](t, body)
			if res.StatusCode != 429 || r.Reason != "interval" || res.Header.Get("Retry-After") == "" || r.RetryAfter < 50 {
				t.Errorf("second within 60 s: %d %+v Retry-After %q, want 429 interval", res.StatusCode, r, res.Header.Get("Retry-After"))
			}
			if !strings.Contains(r.Error, "60 seconds") || r.Rule == nil {
				t.Errorf("message %q should name the limit and the rule", r.Error)
			}
		})

		t.Run("banned", func(t *testing.T) {
			c := ts.newCommenter(t, "Troll", true)
			res := ts.api(t, "POST", fmt.Sprintf("/api/v1/moderation/readers/%d/ban", c.id), account.Moderator,
				map[string]any{"days": 7, "rule": 2, "reason": "threats"}, nil)
			if res.StatusCode != 200 {
				t.Fatalf("ban: %d", res.StatusCode)
			}
			res, body := c.post(t, a.ID, "let me in")
			r := decodeJSON[refusalJSON](t, body)
			if res.StatusCode != 403 || r.Reason != "banned" || r.Rule == nil || r.Rule.Number != 2 || !strings.Contains(r.Error, "until") {
				t.Errorf("banned reader: %d %+v", res.StatusCode, r)
			}
		})

		t.Run("closed", func(t *testing.T) {
			closed := ts.publishedArticle(t, 2)
			res := ts.api(t, "PUT", fmt.Sprintf("/api/v1/moderation/modes/article/%d", closed.ID), account.Moderator,
				map[string]any{"mode": "closed"}, nil)
			if res.StatusCode != 200 {
				t.Fatalf("close: %d", res.StatusCode)
			}
			c := ts.newCommenter(t, "Late", true)
			res, body := c.post(t, closed.ID, "am I too late?")
			if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 403 || r.Reason != "closed" {
				t.Errorf("closed article: %d %+v", res.StatusCode, r)
			}
			_, page := c.page(t, closed.URL()+"/comments")
			if !strings.Contains(page, "Comments on this article are closed.") || strings.Contains(page, `class="comment-form"`) {
				t.Error("the closed article's comments page still offers the comment box")
			}
		})

		t.Run("policy not accepted", func(t *testing.T) {
			c := ts.newCommenter(t, "Newcomer", false)
			res, body := c.post(t, a.ID, "hello")
			if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 428 || r.Code != "policy_not_accepted" {
				t.Errorf("without the policy: %d %+v", res.StatusCode, r)
			}
		})

		t.Run("banned word", func(t *testing.T) {
			ts.api(t, "POST", "/api/v1/moderation/banned-words", account.Moderator,
				map[string]any{"word": "멍청이", "lang": "ko", "action": "reject", "rule": 1}, nil)
			c := ts.newCommenter(t, "Rude", true)
			res, body := c.post(t, a.ID, "이 멍청이야")
			r := decodeJSON[refusalJSON](t, body)
			if res.StatusCode != 422 || r.Reason != "against_policy" || r.Rule == nil || r.Rule.Number != 1 || r.Rule.Text != "Respect others." {
				t.Errorf("banned word: %d %+v", res.StatusCode, r)
			}
		})
	})
}

// checkInert parses the HTML of a comment list and fails on any element
// or attribute that could run script; it returns how many links it saw,
// each of which must be an http(s) link with rel="nofollow ugc noopener".
func checkInert(t *testing.T, fragment string) (links int) {
	t.Helper()
	allowed := map[string]bool{"ol": true, "li": true, "article": true, "header": true, "footer": true, "a": true, "time": true,
		"span": true, "div": true, "br": true, "p": true, "form": true, "input": true, "button": true, "details": true,
		"summary": true, "label": true, "textarea": true, "img": true}
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return links
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowed[tok.Data] {
				t.Errorf("element <%s> in the comment list", tok.Data)
			}
			for _, at := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(at.Val))
				if strings.HasPrefix(at.Key, "on") || at.Key == "style" || strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") {
					t.Errorf("attribute %s=%q on <%s> in the comment list", at.Key, at.Val, tok.Data)
				}
			}
			if tok.Data == "a" {
				attrs := map[string]string{}
				for _, at := range tok.Attr {
					attrs[at.Key] = at.Val
				}
				if strings.HasPrefix(attrs["href"], "http") {
					links++
					if attrs["rel"] != "nofollow ugc noopener" {
						t.Errorf("link %q has rel=%q", attrs["href"], attrs["rel"])
					}
				}
			}
		}
	}
}

func TestComments_newAccountWaitAndNetworkLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, map[string]string{"comments_new_account_wait_seconds": "3600"})
		a := ts.publishedArticle(t, 0)
		res, body := ts.newCommenter(t, "Brand new", true).post(t, a.ID, "my first words")
		if r := decodeJSON[refusalJSON](t, body); res.StatusCode != 429 || r.Reason != "new_account" || r.RetryAfter < 3500 {
			t.Errorf("new account: %d %+v, want 429 new_account with about an hour to wait", res.StatusCode, r)
		}

		ts.raiseLimits(t, map[string]string{"comments_new_account_wait_seconds": "0", "comments_per_ip_hour": "2"})
		for i, name := range []string{"Net one", "Net two", "Net three"} {
			res, body := ts.newCommenter(t, name, true).post(t, a.ID, "from the same network, "+name)
			want := 201
			if i == 2 {
				want = 429
			}
			if res.StatusCode != want {
				t.Errorf("comment %d from one address: %d %s, want %d", i+1, res.StatusCode, body, want)
			}
			if i == 2 && decodeJSON[refusalJSON](t, body).Reason != "per_ip" {
				t.Errorf("third comment from one address: %s, want reason per_ip", body)
			}
		}
	})
}
