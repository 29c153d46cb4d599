package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/comment"
	"broadsheet/internal/config"
	"broadsheet/internal/reader"
	"broadsheet/internal/store/storetest"
)

func TestNewsroom_loginStartsAStrictSessionAndRotatesIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e, func(c *config.Config) { c.BaseURL = "https://paper.test" })
		old := ts.signIn(t, "moderator@paper.example")

		token, csrfCookie := ts.loginForm(t)
		res, _ := ts.postForm(t, "/newsroom/login",
			url.Values{"email": {"Moderator@Paper.example"}, "password": {staffPassword}, "csrf": {token}, "next": {"/newsroom/moderation/log"}},
			"Cookie", "bs_login_csrf="+csrfCookie+"; bs_staff="+old.cookie)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/newsroom/moderation/log" {
			t.Fatalf("login: %d to %q, want 303 to the next page", res.StatusCode, res.Header.Get("Location"))
		}
		c := sessionCookie(t, res)
		if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/newsroom" {
			t.Errorf("session cookie: HttpOnly %v Secure %v SameSite %v Path %q; want HttpOnly, Secure behind https, Strict, /newsroom",
				c.HttpOnly, c.Secure, c.SameSite, c.Path)
		}
		if c.Value == old.cookie {
			t.Error("the session id was not rotated on login")
		}
		if _, err := ts.db.Session(context.Background(), reader.HashToken(old.cookie)); err == nil {
			t.Error("the session the browser had before logging in still works")
		}
		b := &staffBrowser{ts: ts, cookie: c.Value}
		res, page := b.get(t, "/newsroom/")
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "private, no-store" || !strings.Contains(page, "You are logged in as moderator") {
			t.Errorf("start page: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
		}
		if m := csrfField.FindStringSubmatch(page); m != nil {
			b.csrf = m[1]
		}

		// Only newsroom paths of this site are followed after logging in.
		for _, next := range []string{"//evil.example/newsroom/", "https://evil.example/newsroom/", "/\\evil.example", "/article/1", "/newsroom/../api/v1/articles"} {
			token, cookie := ts.loginForm(t)
			res, _ := ts.postForm(t, "/newsroom/login", url.Values{"email": {"editor@paper.example"}, "password": {staffPassword}, "csrf": {token}, "next": {next}},
				"Cookie", "bs_login_csrf="+cookie)
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/newsroom/" {
				t.Errorf("next=%q: %d to %q, want 303 to /newsroom/", next, res.StatusCode, loc)
			}
		}

		// Signed out, a page sends the browser to the login with the way back.
		res, _ = ts.get(t, "/newsroom/moderation?show=held")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/newsroom/login?next="+url.QueryEscape("/newsroom/moderation?show=held") {
			t.Errorf("signed out: %d to %q", res.StatusCode, loc)
		}

		// Log out here, then everywhere.
		other := ts.signIn(t, "moderator@paper.example")
		res, _ = b.post(t, "/newsroom/logout", nil)
		if res.StatusCode != http.StatusSeeOther || sessionCookie(t, res).MaxAge >= 0 {
			t.Errorf("logout: %d, cookie %v; want 303 clearing the cookie", res.StatusCode, res.Header["Set-Cookie"])
		}
		if res, _ := b.get(t, "/newsroom/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout the session still works: %d", res.StatusCode)
		}
		third := ts.signIn(t, "moderator@paper.example")
		if res, _ := third.post(t, "/newsroom/logout-everywhere", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("logout everywhere: %d", res.StatusCode)
		}
		for _, br := range []*staffBrowser{other, third} {
			if res, _ := br.get(t, "/newsroom/"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("a session survived logging out everywhere: %d", res.StatusCode)
			}
		}
	})
}

func TestNewsroom_failedLoginsLockTheEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		_, hashBefore, _ := ts.db.StaffByEmail(ctx, "editor@paper.example")

		// The same answer for an unknown email, a wrong password and an
		// account without a password.
		generic := "The email address or the password is not right."
		if _, err := ts.db.CreateStaff(ctx, account.Staff{Email: "new@paper.example", Name: "New", Role: account.Moderator}); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"nobody@paper.example", "new@paper.example"} {
			res, body := ts.login(t, email, staffPassword)
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, generic) {
				t.Errorf("login as %s: %d, want 401 with the generic message", email, res.StatusCode)
			}
		}

		for i := 1; i <= 11; i++ {
			res, body := ts.login(t, "editor@paper.example", fmt.Sprintf("wrong password %d", i))
			for _, c := range res.Cookies() {
				if c.Name == "bs_staff" {
					t.Fatalf("attempt %d set a session cookie", i)
				}
			}
			switch {
			case i < 10 && (res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, generic)):
				t.Errorf("attempt %d: %d, want 401 with the generic message", i, res.StatusCode)
			case i >= 10 && res.StatusCode != http.StatusTooManyRequests:
				t.Errorf("attempt %d: %d, want 429", i, res.StatusCode)
			case i == 11:
				if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
					t.Errorf("locked answer without Retry-After: %q", ra)
				}
				if !strings.Contains(body, "Too many failed logins for this email address. It is locked for 15 minutes") {
					t.Errorf("locked answer does not say why:\n%s", body)
				}
			}
		}
		// Locked means locked: the right password does not get in either.
		if res, _ := ts.login(t, "editor@paper.example", staffPassword); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("right password while locked: %d, want 429", res.StatusCode)
		}
		if _, hashAfter, _ := ts.db.StaffByEmail(ctx, "editor@paper.example"); hashAfter != hashBefore {
			t.Error("failed logins changed the stored password hash")
		}
		// The lock is the email's: another member still logs in.
		ts.signIn(t, "admin@paper.example")
	})
}

func TestNewsroom_csrfIsChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		token, cookie := ts.loginForm(t)
		form := url.Values{"email": {"admin@paper.example"}, "password": {staffPassword}, "csrf": {token}}
		for name, header := range map[string][]string{
			"no cookie":    nil,
			"other cookie": {"Cookie", "bs_login_csrf=" + strings.Repeat("A", 43)},
		} {
			if res, _ := ts.postForm(t, "/newsroom/login", form, header...); res.StatusCode != http.StatusForbidden {
				t.Errorf("login with %s: %d, want 403", name, res.StatusCode)
			}
		}
		form.Del("csrf")
		if res, _ := ts.postForm(t, "/newsroom/login", form, "Cookie", "bs_login_csrf="+cookie); res.StatusCode != http.StatusForbidden {
			t.Errorf("login without the form's token: %d, want 403", res.StatusCode)
		}

		ts.raiseLimits(t, nil)
		c := ts.newCommenter(t, "Target", true)
		mod := ts.signIn(t, "moderator@paper.example")
		ban := url.Values{"days": {"7"}, "rule": {"1"}, "reason": {"forged"}}
		for _, token := range []string{"", "forged", mod.csrf + "x"} {
			v := url.Values{"csrf": {token}}
			for k, vs := range ban {
				v[k] = vs
			}
			res, body := mod.post(t, fmt.Sprintf("/newsroom/moderation/readers/%d/ban", c.id), v)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form expired or was sent from another page") {
				t.Errorf("ban with CSRF token %q: %d, want 403 with a clear page", token, res.StatusCode)
			}
		}
		if rd, _ := ts.db.Reader(context.Background(), c.id); !rd.BannedUntil.IsZero() {
			t.Error("a forged form banned the reader")
		}
	})
}

// Every newsroom handler, as every role and signed out, answers what the
// role allows.
func TestNewsroom_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ts.raiseLimits(t, nil)
		a := ts.publishedArticle(t, 0)
		c := ts.newCommenter(t, "Matrix", true)
		_, body := c.post(t, a.ID, "A comment to decide on")
		cm := decodeJSON[commentJSON](t, body)
		ctx := context.Background()
		n := 0
		newWord := func() int64 {
			n++
			w, _, err := comment.NewService(ts.db, nil).SaveBannedWord(ctx, comment.BannedWord{Word: fmt.Sprintf("matrixword%d", n), Lang: "en", Action: comment.Hold})
			if err != nil {
				t.Fatal(err)
			}
			return w.ID
		}
		secs, err := ts.db.Sections(ctx)
		if err != nil || len(secs) == 0 {
			t.Fatal(err)
		}
		readerPath := fmt.Sprintf("/newsroom/moderation/readers/%d", c.id)
		type call struct {
			method, path string
			form         url.Values
		}
		all := map[account.Role]int{account.Reporter: 200, account.Moderator: 200, account.Editor: 200, account.Admin: 200}
		mods := map[account.Role]int{account.Reporter: 403, account.Moderator: 200, account.Editor: 200, account.Admin: 200}
		modPosts := map[account.Role]int{account.Reporter: 403, account.Moderator: 303, account.Editor: 303, account.Admin: 303}
		managerPosts := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 303, account.Admin: 303}
		tests := []struct {
			name string
			call func() call
			want map[account.Role]int
		}{
			{"start page", func() call { return call{"GET", "/newsroom/", nil} }, all},
			{"queue", func() call { return call{"GET", "/newsroom/moderation", nil} }, mods},
			{"reader file", func() call { return call{"GET", readerPath, nil} }, mods},
			{"log", func() call { return call{"GET", "/newsroom/moderation/log", nil} }, mods},
			{"words", func() call { return call{"GET", "/newsroom/moderation/words", nil} }, mods},
			{"settings", func() call { return call{"GET", "/newsroom/moderation/settings", nil} }, mods},
			{"decide", func() call {
				return call{"POST", fmt.Sprintf("/newsroom/moderation/comments/%d", cm.ID), url.Values{"action": {"approve"}}}
			}, modPosts},
			{"ban", func() call {
				return call{"POST", readerPath + "/ban", url.Values{"days": {"1"}, "rule": {"9"}, "reason": {"matrix"}}}
			}, modPosts},
			{"unban", func() call { return call{"POST", readerPath + "/unban", url.Values{"reason": {"matrix"}}} }, modPosts},
			{"add word", func() call {
				n++
				return call{"POST", "/newsroom/moderation/words", url.Values{"word": {fmt.Sprintf("added%d", n)}, "lang": {"en"}, "action": {"hold"}}}
			}, modPosts},
			{"delete word", func() call {
				return call{"POST", fmt.Sprintf("/newsroom/moderation/words/%d/delete", newWord()), nil}
			}, modPosts},
			{"set mode", func() call {
				return call{"POST", "/newsroom/moderation/modes", url.Values{"scope": {"section"}, "id": {fmt.Sprint(secs[0].ID)}, "mode": {"post"}}}
			}, modPosts},
			{"change settings", func() call {
				return call{"POST", "/newsroom/moderation/settings", url.Values{"comments_per_day": {"100000"}}}
			}, managerPosts},
		}
		roles := []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin}
		browsers := map[account.Role]*staffBrowser{}
		for _, r := range roles {
			browsers[r] = ts.signIn(t, string(r)+"@paper.example")
		}
		for _, tt := range tests {
			for _, r := range roles {
				cl := tt.call()
				var res *http.Response
				if cl.method == "GET" {
					res, _ = browsers[r].get(t, cl.path)
				} else {
					res, _ = browsers[r].post(t, cl.path, cl.form)
				}
				if res.StatusCode != tt.want[r] {
					t.Errorf("%s as %s: %d, want %d", tt.name, r, res.StatusCode, tt.want[r])
				}
			}
			cl := tt.call()
			var res *http.Response
			if cl.method == "GET" {
				res, _ = ts.get(t, cl.path)
			} else {
				res, _ = ts.postForm(t, cl.path, cl.form)
			}
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/newsroom/login") {
				t.Errorf("%s signed out: %d to %q, want 303 to the login", tt.name, res.StatusCode, loc)
			}
		}
		// Logging out works for every role; signed out it leads to the login.
		for _, r := range roles {
			for _, path := range []string{"/newsroom/logout", "/newsroom/logout-everywhere"} {
				b := ts.signIn(t, string(r)+"@paper.example")
				if res, _ := b.post(t, path, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/newsroom/login" {
					t.Errorf("%s as %s: %d to %q", path, r, res.StatusCode, res.Header.Get("Location"))
				}
				if res, _ := ts.postForm(t, path, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/newsroom/login" {
					t.Errorf("%s signed out: %d", path, res.StatusCode)
				}
			}
		}
	})
}

// The moderators' whole day through the HTML forms: approve a held
// comment, delete another under rule 6, ban a reader for a week, add
// banned words and see them work, then find every decision in the log.
func TestNewsroom_moderationThroughTheForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		ts.raiseLimits(t, nil)
		if _, err := ts.db.CreateStaff(ctx, account.Staff{Email: "park@paper.example", Name: "Park Ji-min", Role: account.Moderator}); err != nil {
			t.Fatal(err)
		}
		ts.setPassword(t, "park@paper.example")
		mod, editor := ts.signIn(t, "park@paper.example"), ts.signIn(t, "editor@paper.example")
		a := ts.publishedArticle(t, 0)

		// Pre-moderation for the whole site, set through the settings form.
		if res, body := editor.post(t, "/newsroom/moderation/settings", url.Values{"comments_mode": {"pre"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings: %d\n%s", res.StatusCode, body)
		}
		author, other := ts.newCommenter(t, "Min-seo", true), ts.newCommenter(t, "Troll", true)
		_, body := author.post(t, a.ID, "Held until approved")
		good := decodeJSON[commentJSON](t, body)
		_, body = other.post(t, a.ID, "Call him on 010-1234-5678")
		bad := decodeJSON[commentJSON](t, body)
		if good.Status != "held" || bad.Status != "held" {
			t.Fatalf("statuses %q, %q; want both held under pre-moderation", good.Status, bad.Status)
		}

		res, queue := mod.get(t, "/newsroom/moderation?show=held")
		for _, want := range []string{"Held until approved", "Call him on 010-1234-5678", a.Headline, a.URL(),
			fmt.Sprintf("/newsroom/moderation/readers/%d", other.id), `<option value="6">6. Protect the privacy of others.</option>`} {
			if !strings.Contains(queue, want) {
				t.Errorf("the queue (%d) lacks %q", res.StatusCode, want)
			}
		}

		decide := func(id int64) string { return fmt.Sprintf("/newsroom/moderation/comments/%d", id) }
		if res, _ := mod.post(t, decide(good.ID), url.Values{"action": {"approve"}, "rule": {""}, "reason": {"fine"}, "show": {"held"}}); res.StatusCode != http.StatusSeeOther ||
			res.Header.Get("Location") != "/newsroom/moderation?show=held" {
			t.Errorf("approve: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		// Deleting without naming the rule is refused next to the rule field.
		res, page := mod.post(t, decide(bad.ID), url.Values{"action": {"delete"}, "reason": {"a phone number"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="c`+fmt.Sprint(bad.ID)+`-rule-error"`) ||
			!strings.Contains(page, "Choose the rule of the Standards Board Policy that applies.") || !strings.Contains(page, `value="a phone number"`) {
			t.Errorf("delete without a rule: %d; want 422 with the error at the rule and the reason kept", res.StatusCode)
		}
		if res, _ := mod.post(t, decide(bad.ID), url.Values{"action": {"delete"}, "rule": {"6"}, "reason": {"a phone number"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete under rule 6: %d", res.StatusCode)
		}
		if c, _ := ts.db.Comment(ctx, good.ID); c.Status != comment.Visible {
			t.Errorf("approved comment is %s", c.Status)
		}
		if c, _ := ts.db.Comment(ctx, bad.ID); c.Status != comment.Deleted || c.Rule != 6 || c.Body != "" {
			t.Errorf("deleted comment: status %s rule %d body %q", c.Status, c.Rule, c.Body)
		}

		// A week's ban; the reader's next post through the API is refused.
		readerPath := fmt.Sprintf("/newsroom/moderation/readers/%d", other.id)
		if res, page := mod.post(t, readerPath+"/ban", url.Values{"days": {"0"}, "rule": {"2"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, "Enter a number of days from 1 to 3650") {
			t.Errorf("ban for 0 days: %d, want 422 naming the days", res.StatusCode)
		}
		if res, _ := mod.post(t, readerPath+"/ban", url.Values{"days": {"7"}, "rule": {"9"}, "reason": {"flooding"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ban: %d", res.StatusCode)
		}
		if rd, _ := ts.db.Reader(ctx, other.id); rd.BannedUntil.Sub(timeNow()) < 6*24*time.Hour || rd.BannedUntil.Sub(timeNow()) > 7*24*time.Hour {
			t.Errorf("banned until %v, want a week from now", rd.BannedUntil)
		}
		if res, body := other.post(t, ts.publishedArticle(t, 1).ID, "still here"); res.StatusCode != http.StatusForbidden {
			t.Errorf("banned reader posts: %d %s, want 403", res.StatusCode, body)
		}
		_, file := mod.get(t, readerPath)
		for _, want := range []string{"Banned until", "text removed", "deleted", "Rule 9: No repeated posting.", "Rule 6: Protect the privacy of others."} {
			if !strings.Contains(file, want) {
				t.Errorf("the reader's file lacks %q", want)
			}
		}

		// Banned words, back in post-moderation.
		if res, _ := editor.post(t, "/newsroom/moderation/settings", url.Values{"comments_mode": {"post"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings: %d", res.StatusCode)
		}
		if res, page := mod.post(t, "/newsroom/moderation/words", url.Values{"word": {""}, "lang": {"fr"}, "action": {"hold"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, "Enter a word of 1 to 100 characters") || !strings.Contains(page, "Choose English or Korean.") {
			t.Errorf("an empty French word: %d, want 422 with both fields' errors", res.StatusCode)
		}
		for _, w := range []url.Values{
			{"word": {"Blorpish"}, "lang": {"en"}, "action": {"reject"}, "rule": {"1"}},
			{"word": {"바보"}, "lang": {"ko"}, "action": {"hold"}, "rule": {"1"}},
		} {
			if res, _ := mod.post(t, "/newsroom/moderation/words", w); res.StatusCode != http.StatusSeeOther {
				t.Errorf("add word %q: %d", w.Get("word"), res.StatusCode)
			}
		}
		_, words := mod.get(t, "/newsroom/moderation/words")
		if !strings.Contains(words, "blorpish") || !strings.Contains(words, "바보") {
			t.Error("the words page does not list the new words")
		}
		if res, body := author.post(t, a.ID, "What a blorpish idea"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "against_policy") {
			t.Errorf("a rejected word: %d %s, want 422 against_policy", res.StatusCode, body)
		}
		_, body = author.post(t, a.ID, "너 바보야")
		if held := decodeJSON[commentJSON](t, body); held.Status != "held" {
			t.Errorf("a held Korean word: status %q, want held", held.Status)
		}

		// The log shows every decision with the moderator's name and rule.
		_, log := mod.get(t, "/newsroom/moderation/log")
		for _, want := range []string{"Park Ji-min", "approved", "deleted", "Rule 6: Protect the privacy of others.", "a phone number",
			"banned", "Rule 9: No repeated posting.", "flooding", "refused by a banned word", "automatic"} {
			if !strings.Contains(log, want) {
				t.Errorf("the log lacks %q", want)
			}
		}
		entries, err := comment.NewService(ts.db, nil).Log(ctx, 0, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		staffActions := map[string]int{}
		for _, en := range entries {
			if en.StaffName == "Park Ji-min" {
				staffActions[en.Action] = en.Rule
			}
		}
		if staffActions["delete"] != 6 || staffActions["ban"] != 9 || len(staffActions) != 3 {
			t.Errorf("logged decisions by the moderator: %v, want approve, delete under 6 and ban under 9", staffActions)
		}
	})
}

// Every page, error pages included, is drawn in English and in Korean
// without a missing message (a missing one shows up as its id).
func TestNewsroom_everyPageInBothLanguages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ts.raiseLimits(t, map[string]string{"comments_mode": "pre"})
		c := ts.newCommenter(t, "Bilingual", true)
		c.post(t, ts.publishedArticle(t, 0).ID, "Both languages")
		editor, reporter := ts.signIn(t, "editor@paper.example"), ts.signIn(t, "reporter@paper.example")
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/moderation/readers/%d/ban", c.id), url.Values{"days": {"3"}, "rule": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ban: %d", res.StatusCode)
		}
		pages := []struct {
			b      *staffBrowser
			path   string
			status int
		}{
			{nil, "/newsroom/login", 200},
			{editor, "/newsroom/", 200},
			{reporter, "/newsroom/", 200},
			{editor, "/newsroom/moderation", 200},
			{editor, fmt.Sprintf("/newsroom/moderation/readers/%d", c.id), 200},
			{editor, "/newsroom/moderation/log", 200},
			{editor, "/newsroom/moderation/words", 200},
			{editor, "/newsroom/moderation/settings", 200},
			{reporter, "/newsroom/moderation", 403},
			{editor, "/newsroom/moderation/readers/999999", 404},
			{editor, "/newsroom/moderation/log?before=x", 400},
			{nil, "/newsroom/nothing-here", 404},
		}
		for _, p := range pages {
			for _, lang := range []string{"en", "ko"} {
				path := p.path + "?lang=" + lang
				if strings.Contains(p.path, "?") {
					path = p.path + "&lang=" + lang
				}
				var res *http.Response
				var body string
				if p.b == nil {
					res, body = ts.get(t, path)
				} else {
					res, body = p.b.get(t, path)
				}
				if res.StatusCode != p.status || !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s: %d, want %d in %s", path, res.StatusCode, p.status, lang)
				}
				if i := strings.Index(body, "newsroom_"); i >= 0 {
					t.Errorf("%s shows a message id: …%s…", path, body[i:min(len(body), i+60)])
				}
				if res.Header.Get("Cache-Control") != "private, no-store" {
					t.Errorf("%s: Cache-Control %q, want private, no-store", path, res.Header.Get("Cache-Control"))
				}
			}
		}
		// Without ?lang= the browser's language is used.
		if _, body := editor.ts.get(t, "/newsroom/login", "Accept-Language", "ko-KR,ko;q=0.9"); !strings.Contains(body, "뉴스룸 로그인") {
			t.Error("Accept-Language: ko does not give the Korean login page")
		}
	})
}

// Malformed input to any form is a 4xx with the reason shown, never a
// 500, and changes nothing.
func TestNewsroom_badInputIsRefusedAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		c := ts.newCommenter(t, "Subject", true)
		admin := ts.signIn(t, "admin@paper.example")
		before, err := comment.NewService(ts.db, nil).Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		readerPath := fmt.Sprintf("/newsroom/moderation/readers/%d", c.id)
		long := strings.Repeat("x", 1001)
		tests := []struct {
			path   string
			form   url.Values
			status int
			says   string
		}{
			{"/newsroom/moderation/settings", url.Values{"comments_per_day": {"lots"}, "comments_max_length": {"0"}}, 422, "Enter a whole number from 1 to 1000000."},
			{"/newsroom/moderation/settings", url.Values{"comments_mode": {"anarchy"}}, 422, "Choose post-moderation, pre-moderation or closed."},
			{"/newsroom/moderation/comments/999999", url.Values{"action": {"approve"}}, 404, "There is no such comment"},
			{"/newsroom/moderation/comments/abc", url.Values{"action": {"approve"}}, 404, ""},
			{"/newsroom/moderation/comments/999999", url.Values{"action": {"approve"}, "rule": {"six"}}, 422, "Choose the rule"},
			{"/newsroom/moderation/comments/1", url.Values{"action": {"explode"}}, 422, "Press Approve, Reject or Delete."},
			{readerPath + "/ban", url.Values{"days": {"-3"}, "rule": {"1"}}, 422, "Enter a number of days"},
			{readerPath + "/ban", url.Values{"days": {"99999999999999999999"}, "rule": {"1"}}, 422, "Enter a number of days"},
			{readerPath + "/ban", url.Values{"days": {"2"}, "rule": {"42"}}, 422, "Choose the rule"},
			{readerPath + "/ban", url.Values{"days": {"2"}, "rule": {""}, "reason": {"no rule named"}}, 422, "Choose the rule"},
			{readerPath + "/ban", url.Values{"days": {"2"}, "rule": {"1"}, "reason": {long}}, 422, "at most 1,000 characters"},
			{"/newsroom/moderation/readers/999999/ban", url.Values{"days": {"2"}, "rule": {"1"}}, 404, ""},
			{readerPath + "/unban", url.Values{"reason": {"bell\a"}}, 422, "plain text"},
			{"/newsroom/moderation/words", url.Values{"word": {"ok"}, "lang": {"en"}, "action": {"shout"}}, 422, "Choose hold or reject."},
			{"/newsroom/moderation/words/999999/delete", nil, 404, ""},
			{"/newsroom/moderation/modes", url.Values{"scope": {"planet"}, "id": {"1"}, "mode": {"pre"}}, 422, "Set the mode of a section or of an article."},
			{"/newsroom/moderation/modes", url.Values{"scope": {"article"}, "id": {"999999"}, "mode": {"pre"}}, 422, "There is no article with this number."},
			{"/newsroom/moderation/modes", url.Values{"scope": {"section"}, "id": {"1"}, "mode": {"sometimes"}}, 422, "Choose a mode from the list."},
			{"/newsroom/moderation/settings", url.Values{"comments_per_day": {strings.Repeat("9", 70<<10)}}, 413, ""},
		}
		for _, tt := range tests {
			res, body := admin.post(t, tt.path, tt.form)
			if res.StatusCode != tt.status || !strings.Contains(body, tt.says) {
				t.Errorf("POST %s %v: %d, want %d saying %q", tt.path, tt.form, res.StatusCode, tt.status, tt.says)
			}
		}
		after, err := comment.NewService(ts.db, nil).Settings(ctx)
		if err != nil || after != before {
			t.Errorf("refused forms changed the settings: %+v → %+v (%v)", before, after, err)
		}
		if rd, _ := ts.db.Reader(ctx, c.id); !rd.BannedUntil.IsZero() {
			t.Error("a refused ban banned the reader")
		}
		if words, _ := ts.db.BannedWords(ctx); len(words) != 0 {
			t.Errorf("a refused word was stored: %+v", words)
		}
	})
}
