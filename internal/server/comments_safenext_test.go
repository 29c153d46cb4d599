package server_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/reader"
	"broadsheet/internal/store/storetest"
)

// unsafeNext are return addresses a browser could read as another site,
// or that are not text at all; every form of the site turns them away.
var unsafeNext = []string{
	"//evil.example/article/1",
	"/\\evil.example/article/1",
	"/article/1\\..\\..\\evil",
	"\\\\evil.example/article/1",
	"/\t/evil.example/article/1",
	"/article/1/x\r\nLocation: https://evil.example",
	"/article/1/\x00x",
	"/article/1/\x7fx",
	"/article/1/\xff\xfe",
	"/article/1/\xc3",
	"https://evil.example/article/1",
}

func TestReturnAddresses_oneRuleForTheCommentFormAndTheMenu(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		author, fan := ts.newCommenter(t, "Ye-jin", true), ts.newCommenter(t, "Si-woo", true)
		_, body := author.post(t, a.ID, "Where do I go back to")
		id := decodeJSON[commentJSON](t, body).ID
		for i, bad := range unsafeNext {
			// The logout button of the menu posts next back.
			leaving := ts.newCommenter(t, fmt.Sprint("Leaving ", i), true)
			res, _ := leaving.form(t, "/auth/logout", url.Values{"csrf": {leaving.csrf}, "next": {bad}})
			if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/" {
				t.Errorf("logout next %q: %d Location %q, want 303 to /", bad, res.StatusCode, loc)
			}
			res, _ = fan.form(t, fmt.Sprintf("/comments/%d/reaction", id), url.Values{"value": {"1"}, "back": {bad}, "csrf": {fan.csrf}})
			if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/" {
				t.Errorf("comment form back %q: %d Location %q, want 303 to /", bad, res.StatusCode, loc)
			}
			// The site refuses a query that is not text before any page
			// sees it; anything else the menu turns into /.
			res, menu := fan.page(t, "/account/menu?next="+url.QueryEscape(bad))
			if res.StatusCode != 400 && !strings.Contains(menu, `name="next" value="/"`) {
				t.Errorf("menu next %q: %d %s, want the logout to return to /", bad, res.StatusCode, between(menu, `name="next"`, ">"))
			}
			res, menu = ts.get(t, "/account/menu?next="+url.QueryEscape(bad))
			if res.StatusCode != 400 && !strings.Contains(menu, `href="/account?next=%2F"`) {
				t.Errorf("signed-out menu next %q: %d %s, want the login to return to /", bad, res.StatusCode, between(menu, "href=", ">"))
			}
		}
		// A plain page of the site is kept, its query too.
		good := a.URL() + "?lang=ko"
		res, _ := fan.form(t, fmt.Sprintf("/comments/%d/reaction", id), url.Values{"value": {"0"}, "back": {good}, "csrf": {fan.csrf}})
		if loc := res.Header.Get("Location"); loc != good+fmt.Sprintf("#c%d", id) {
			t.Errorf("comment form back %q: Location %q", good, loc)
		}
		if _, menu := fan.page(t, "/account/menu?next="+url.QueryEscape(good)); !strings.Contains(menu, `name="next" value="`+html.EscapeString(good)+`"`) {
			t.Errorf("menu next %q: %s", good, between(menu, `name="next"`, ">"))
		}
	})
}

// hint is the signed-in hint cookie a response set, or nil.
func hint(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == reader.HintCookieName {
			return c
		}
	}
	return nil
}

func TestSignedInHint_setForSessionsThatPredateIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		a := ts.publishedArticle(t, 0)
		// A session made without going through the login, as every session
		// made before the hint existed, and no hint in the browser.
		c := ts.newCommenter(t, "Ha-rin", true)
		for _, path := range []string{a.URL() + "/comments?partial=1", a.URL() + "/comments", "/account", "/account/menu?next=%2F"} {
			res, _ := c.page(t, path)
			if h := hint(res); h == nil || h.Value != "1" || h.MaxAge <= 0 || h.HttpOnly || h.Path != "/" {
				t.Errorf("%s: hint %v, want %s=1 for the whole site, readable by scripts", path, h, reader.HintCookieName)
			}
		}
		// A browser that has it is not sent it again.
		res, _ := ts.get(t, a.URL()+"/comments?partial=1", "Cookie", reader.CookieName+"="+c.cookie+"; "+reader.HintCookieName+"=1")
		if h := hint(res); h != nil {
			t.Errorf("the hint is set again for a browser that has it: %v", h)
		}
		// Signed out, no hint is set.
		if res, _ := ts.get(t, a.URL()+"/comments?partial=1"); hint(res) != nil {
			t.Errorf("a signed-out block sets the hint: %v", hint(res))
		}
	})
}
