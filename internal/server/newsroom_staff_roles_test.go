package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// Every staff-account page as every role and signed out: the staff list,
// its changes and the audit log are the admins'; the account page and
// its second factor are everyone's own.
func TestNewsroomStaff_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		n := 0
		target := func() string {
			n++
			return itoa(ts.newMember(t, fmt.Sprintf("target%d@paper.example", n), account.Reporter))
		}
		type call struct {
			method, path string
			form         url.Values
		}
		all := map[account.Role]int{account.Reporter: 200, account.Moderator: 200, account.Editor: 200, account.Admin: 200}
		admin := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 403, account.Admin: 200}
		adminPosts := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 403, account.Admin: 303}
		allPosts := map[account.Role]int{account.Reporter: 303, account.Moderator: 303, account.Editor: 303, account.Admin: 303}
		allRefused := map[account.Role]int{account.Reporter: 422, account.Moderator: 422, account.Editor: 422, account.Admin: 422}
		tests := []struct {
			name string
			call func() call
			want map[account.Role]int
		}{
			{"account", func() call { return call{"GET", "/newsroom/account", nil} }, all},
			// A wrong code reaches the handler, which refuses it: the role let it through.
			{"totp on", func() call {
				return call{"POST", "/newsroom/account/totp", url.Values{"secret": {strings.Repeat("A", 32)}, "code": {"12345"}}}
			}, allRefused},
			{"totp off", func() call { return call{"POST", "/newsroom/account/totp/off", nil} }, allPosts},
			{"staff list", func() call { return call{"GET", "/newsroom/staff", nil} }, admin},
			{"audit log", func() call { return call{"GET", "/newsroom/audit", nil} }, admin},
			{"create", func() call {
				n++
				return call{"POST", "/newsroom/staff", url.Values{"name": {"New"}, "email": {fmt.Sprintf("new%d@paper.example", n)}, "role": {"reporter"}}}
			}, adminPosts},
			{"role", func() call {
				return call{"POST", "/newsroom/staff/" + target() + "/role", url.Values{"role": {"editor"}}}
			}, adminPosts},
			{"disable", func() call { return call{"POST", "/newsroom/staff/" + target() + "/disable", nil} }, adminPosts},
			{"enable", func() call { return call{"POST", "/newsroom/staff/" + target() + "/enable", nil} }, adminPosts},
			{"reset link", func() call { return call{"POST", "/newsroom/staff/" + target() + "/reset-link", nil} }, admin},
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
		// The reset page and the login's second step need no session:
		// they answer anyone, and refuse what is not valid.
		if res, _ := ts.get(t, "/newsroom/reset/"+strings.Repeat("x", 43)); res.StatusCode != http.StatusNotFound {
			t.Errorf("reset page signed out, unknown link: %d", res.StatusCode)
		}
		token, cookie := ts.loginForm(t)
		if res, _ := ts.postForm(t, "/newsroom/login/code", url.Values{"code": {"123456"}, "csrf": {token}}, "Cookie", "bs_login_csrf="+cookie); res.StatusCode != http.StatusBadRequest {
			t.Errorf("second step without a pending login: %d", res.StatusCode)
		}
		if res, _ := ts.postForm(t, "/newsroom/login/code", url.Values{"code": {"123456"}, "csrf": {"forged"}}, "Cookie", "bs_login_csrf="+cookie); res.StatusCode != http.StatusForbidden {
			t.Errorf("second step with a forged token: %d", res.StatusCode)
		}
		// The pages in Korean.
		for path, title := range map[string]string{"/newsroom/staff?lang=ko": "직원과 역할", "/newsroom/audit?lang=ko": "감사 기록",
			"/newsroom/account?lang=ko": "내 계정", "/newsroom/?lang=ko": "감사 기록"} {
			if res, body := browsers[account.Admin].get(t, path); res.StatusCode != http.StatusOK || !strings.Contains(body, title) {
				t.Errorf("%s: %d, without %q", path, res.StatusCode, title)
			}
		}
		// The start page links each role to what it may use.
		for _, r := range roles {
			_, body := browsers[r].get(t, "/newsroom/")
			hasStaff := strings.Contains(body, `href="/newsroom/staff"`) && strings.Contains(body, `href="/newsroom/audit"`)
			if hasStaff != (r == account.Admin) || !strings.Contains(body, `href="/newsroom/account"`) {
				t.Errorf("start page of %s: staff links %v", r, hasStaff)
			}
		}
	})
}
