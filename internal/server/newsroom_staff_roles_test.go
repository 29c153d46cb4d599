package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// Every staff-account page as every role and signed out: the staff list,
// its changes and the audit log are the admins'; the account page and
// its second factor are everyone's own.
func TestNewsroomStaff_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		ts := m.ts
		n := 0
		target := func() string {
			n++
			return itoa(ts.newMember(t, fmt.Sprintf("target%d@paper.example", n), account.Reporter))
		}
		type call = matrixCall
		all, allPosts, allRefused := statuses(200, 200, 200, 200), statuses(303, 303, 303, 303), statuses(422, 422, 422, 422)
		admin, adminPosts := statuses(403, 403, 403, 200), statuses(403, 403, 403, 303)
		m.run(t, []roleCase{
			{"account", func(*testing.T) call { return call{method: "GET", path: "/newsroom/account"} }, all},
			// A wrong code reaches the handler, which refuses it: the role let it through.
			{"totp on", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/account/totp", form: url.Values{"secret": {strings.Repeat("A", 32)}, "code": {"12345"}}}
			}, allRefused},
			{"totp off", func(*testing.T) call { return call{method: "POST", path: "/newsroom/account/totp/off"} }, allPosts},
			{"staff list", func(*testing.T) call { return call{method: "GET", path: "/newsroom/staff"} }, admin},
			{"audit log", func(*testing.T) call { return call{method: "GET", path: "/newsroom/audit"} }, admin},
			{"create", func(*testing.T) call {
				n++
				return call{method: "POST", path: "/newsroom/staff", form: url.Values{"name": {"New"}, "email": {fmt.Sprintf("new%d@paper.example", n)}, "role": {"reporter"}}}
			}, adminPosts},
			{"role", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/staff/" + target() + "/role", form: url.Values{"role": {"editor"}}}
			}, adminPosts},
			{"disable", func(*testing.T) call { return call{method: "POST", path: "/newsroom/staff/" + target() + "/disable"} }, adminPosts},
			{"enable", func(*testing.T) call { return call{method: "POST", path: "/newsroom/staff/" + target() + "/enable"} }, adminPosts},
			{"reset link", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/staff/" + target() + "/reset-link"}
			}, admin},
		})
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
			if res, body := m.browsers[account.Admin].get(t, path); res.StatusCode != http.StatusOK || !strings.Contains(body, title) {
				t.Errorf("%s: %d, without %q", path, res.StatusCode, title)
			}
		}
		// The start page links each role to what it may use.
		for _, r := range article.Roles {
			_, body := m.browsers[r].get(t, "/newsroom/")
			hasStaff := strings.Contains(body, `href="/newsroom/staff"`) && strings.Contains(body, `href="/newsroom/audit"`)
			if hasStaff != (r == account.Admin) || !strings.Contains(body, `href="/newsroom/account"`) {
				t.Errorf("start page of %s: staff links %v", r, hasStaff)
			}
		}
	})
}
