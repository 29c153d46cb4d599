package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// A switched-off account answers a login exactly as a wrong password
// does, whether the password is right or not, so the login form cannot
// be used to test guesses against it; and every attempt counts towards
// the lockout like any failure.
func TestNewsroomLogin_switchedOffAccountSaysNothingOfItsPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		id := ts.newMember(t, "kim@paper.example", account.Reporter)
		if err := ts.db.SetStaffDisabled(context.Background(), id, true); err != nil {
			t.Fatal(err)
		}
		// One login form for every attempt, so the pages carry the same
		// CSRF token and can be compared whole.
		token, cookie := ts.loginForm(t)
		post := func(email, password string) (*http.Response, string) {
			t.Helper()
			return ts.postForm(t, "/newsroom/login", url.Values{"email": {email}, "password": {password}, "csrf": {token}},
				"Cookie", "bs_login_csrf="+cookie)
		}
		right, rightBody := post("kim@paper.example", staffPassword)
		wrong, wrongBody := post("kim@paper.example", "wrong password")
		if right.StatusCode != http.StatusUnauthorized || wrong.StatusCode != http.StatusUnauthorized {
			t.Errorf("right password: %d, wrong password: %d; want 401 for both", right.StatusCode, wrong.StatusCode)
		}
		if rightBody != wrongBody {
			t.Errorf("the right and the wrong password get different pages:\n%s\n----\n%s", rightBody, wrongBody)
		}
		unknown, unknownBody := post("nobody@paper.example", staffPassword)
		if unknown.StatusCode != wrong.StatusCode || strings.ReplaceAll(unknownBody, "nobody@", "kim@") != wrongBody {
			t.Errorf("an unknown email gets another answer: %d\n%s", unknown.StatusCode, unknownBody)
		}
		for _, res := range []*http.Response{right, wrong} {
			for _, c := range res.Cookies() {
				if c.Name == "bs_staff" || c.Name == "bs_login_pending" {
					t.Errorf("a refused login set %s", c.Name)
				}
			}
		}
		// Two failures so far; eight more with the right password lock the
		// email, as wrong passwords would.
		for i := 3; i <= 10; i++ {
			res, _ := post("kim@paper.example", staffPassword)
			if want := map[bool]int{true: 401, false: 429}[i < 10]; res.StatusCode != want {
				t.Fatalf("attempt %d with the right password: %d, want %d", i, res.StatusCode, want)
			}
		}
	})
}
