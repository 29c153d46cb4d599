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
	"broadsheet/internal/audit"
	"broadsheet/internal/store/storetest"
)

// The lock of an email is kept in the database: failures sent to two
// instances of the site add up, and the second instance refuses the
// eleventh attempt even with the right password.
func TestNewsroomStaff_lockoutIsSharedBetweenInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		one := staffTestServer(t, e)
		two := one.secondInstance(t)
		for i := 1; i <= 10; i++ {
			ts := one
			if i%2 == 0 {
				ts = two
			}
			res, _ := ts.login(t, "editor@paper.example", fmt.Sprintf("wrong password %d", i))
			if want := map[bool]int{true: 401, false: 429}[i < 10]; res.StatusCode != want {
				t.Fatalf("attempt %d on instance %d: %d, want %d", i, 2-i%2, res.StatusCode, want)
			}
		}
		for _, ts := range []*testServer{one, two} {
			res, body := ts.login(t, "editor@paper.example", staffPassword)
			if res.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("11th attempt with the right password: %d, want 429", res.StatusCode)
			}
			if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
				t.Errorf("no Retry-After: %q", ra)
			}
			if !strings.Contains(body, "It is locked for 15 minutes; please try again in 15 minutes") {
				t.Errorf("the refusal does not say when to try again:\n%s", body)
			}
		}
		// Other emails are not locked, on either instance.
		one.signIn(t, "admin@paper.example")
		two.signIn(t, "moderator@paper.example")
	})
}

// A successful login clears the email's failures: nine more failures
// after it do not lock the account.
func TestNewsroomStaff_successClearsTheFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		one := staffTestServer(t, e)
		two := one.secondInstance(t)
		for i := 0; i < 9; i++ {
			one.login(t, "reporter@paper.example", "wrong password")
		}
		two.signIn(t, "reporter@paper.example")
		for i := 1; i <= 9; i++ {
			if res, _ := one.login(t, "reporter@paper.example", "wrong password"); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d after a success: %d, want 401", i, res.StatusCode)
			}
		}
		one.signIn(t, "reporter@paper.example")
	})
}

// An admin's whole round through the forms: add a member (whose name is
// script, shown as text), change the role, make a reset link that the
// member uses once, switch the account off and on, and find each action
// in the audit log.
func TestNewsroomStaff_adminManagesStaffThroughTheForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		admin := ts.signIn(t, "admin@paper.example")
		name := `<script>alert("kim")</script> Kim`

		res, body := admin.post(t, "/newsroom/staff", url.Values{"name": {""}, "email": {"not an address"}, "role": {"chief"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Type the staff member&#39;s name.") ||
			!strings.Contains(body, "Type a valid email address") || !strings.Contains(body, "Choose one of the roles in the list.") {
			t.Errorf("bad new member: %d\n%s", res.StatusCode, body)
		}
		res, _ = admin.post(t, "/newsroom/staff", url.Values{"name": {name}, "email": {"Kim@Paper.example"}, "role": {"reporter"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("new member: %d", res.StatusCode)
		}
		res, body = admin.post(t, "/newsroom/staff", url.Values{"name": {"Again"}, "email": {"kim@paper.example"}, "role": {"reporter"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "exists already") {
			t.Errorf("same email twice: %d", res.StatusCode)
		}
		kim, _, err := ts.db.StaffByEmail(ctx, "kim@paper.example")
		if err != nil || kim.Name != name || kim.Role != account.Reporter {
			t.Fatalf("stored member: %+v, %v", kim, err)
		}
		_, body = admin.get(t, "/newsroom/staff")
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(&#34;kim&#34;)&lt;/script&gt; Kim") {
			t.Errorf("the name is not shown as inert text")
		}

		id := itoa(kim.ID)
		if res, _ := admin.post(t, "/newsroom/staff/"+id+"/role", url.Values{"role": {"editor"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("role change: %d", res.StatusCode)
		}
		if res, _ := admin.post(t, "/newsroom/staff/"+id+"/role", url.Values{"role": {"owner"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown role: %d", res.StatusCode)
		}
		if res, _ := admin.post(t, "/newsroom/staff/99999/role", url.Values{"role": {"editor"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("role of nobody: %d", res.StatusCode)
		}
		if kim, _ = ts.db.StaffByID(ctx, kim.ID); kim.Role != account.Editor {
			t.Errorf("role after the change: %s", kim.Role)
		}

		// The reset link: the member sets a password with it, once.
		link := admin.resetLink(t, kim.ID)
		if res, body := ts.get(t, link); res.StatusCode != http.StatusOK || !strings.Contains(body, `name="password_again"`) {
			t.Fatalf("reset page: %d", res.StatusCode)
		}
		if res, body := ts.postForm(t, link, url.Values{"password": {"short"}, "password_again": {"short"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "at least 12 characters") {
			t.Errorf("short password: %d", res.StatusCode)
		}
		if res, _ := ts.postForm(t, link, url.Values{"password": {staffPassword}, "password_again": {staffPassword + "x"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("passwords that differ: %d", res.StatusCode)
		}
		if res, _ := ts.login(t, "kim@paper.example", staffPassword); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a refused reset set the password: %d", res.StatusCode)
		}
		if res, body := ts.postForm(t, link, url.Values{"password": {staffPassword}, "password_again": {staffPassword}}); res.StatusCode != http.StatusOK ||
			!strings.Contains(body, "Your new password is set") {
			t.Fatalf("reset: %d\n%s", res.StatusCode, body)
		}
		member := ts.signIn(t, "kim@paper.example")
		for _, method := range []string{"GET", "POST"} {
			var res *http.Response
			var body string
			if method == "GET" {
				res, body = ts.get(t, link)
			} else {
				res, body = ts.postForm(t, link, url.Values{"password": {"another long password"}, "password_again": {"another long password"}})
			}
			if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "it was used already") {
				t.Errorf("used link, %s: %d", method, res.StatusCode)
			}
		}
		// A second reset ends the member's other sessions.
		link = admin.resetLink(t, kim.ID)
		ts.postForm(t, link, url.Values{"password": {staffPassword}, "password_again": {staffPassword}})
		if res, _ := member.get(t, "/newsroom/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a session outlived the reset: %d", res.StatusCode)
		}

		// Switched off: the session ends and the right password is refused
		// like a wrong one.
		member = ts.signIn(t, "kim@paper.example")
		if res, _ := admin.post(t, "/newsroom/staff/"+id+"/disable", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %d", res.StatusCode)
		}
		if res, _ := member.get(t, "/newsroom/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a switched-off account's session still works: %d", res.StatusCode)
		}
		if res, body := ts.login(t, "kim@paper.example", staffPassword); res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "switched off") {
			t.Errorf("switched-off login: %d", res.StatusCode)
		}
		if _, body := admin.get(t, "/newsroom/staff"); !strings.Contains(body, "Switched off") {
			t.Error("the list does not show the account switched off")
		}
		if res, _ := admin.post(t, "/newsroom/staff/"+id+"/enable", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable: %d", res.StatusCode)
		}
		ts.signIn(t, "kim@paper.example")

		// An admin keeps their own role and account.
		self := itoa(ts.staffID(t, "admin@paper.example"))
		if res, body := admin.post(t, "/newsroom/staff/"+self+"/role", url.Values{"role": {"editor"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "You cannot take the admin role from yourself") {
			t.Errorf("own role: %d", res.StatusCode)
		}
		if res, body := admin.post(t, "/newsroom/staff/"+self+"/disable", nil); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "You cannot switch off your own account") {
			t.Errorf("own account: %d", res.StatusCode)
		}
		if st, _ := ts.db.StaffByID(ctx, ts.staffID(t, "admin@paper.example")); st.Role != account.Admin {
			t.Errorf("the admin lost the role: %s", st.Role)
		}
		ts.signIn(t, "admin@paper.example")

		// The audit log has every action, newest first, the name inert.
		res, body = admin.get(t, "/newsroom/audit?type=staff")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("audit log: %d", res.StatusCode)
		}
		last := -1
		for _, action := range []string{"staff.enable", "staff.disable", "staff.password", "staff.reset-link", "staff.role", "staff.create"} {
			i := strings.Index(body, "<code>"+action+"</code>")
			if i < 0 || i < last {
				t.Errorf("audit log: %s missing or out of order", action)
			}
			last = i
		}
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
			t.Error("the audit log does not show the name as inert text")
		}
		if !strings.Contains(body, "{&#34;role&#34;:&#34;editor&#34;}") {
			t.Error("the audit log does not show the state after as text")
		}
		_, body = admin.get(t, "/newsroom/audit?staff="+itoa(kim.ID))
		if strings.Contains(body, "staff.role") || !strings.Contains(body, "staff.password") {
			t.Error("the filter by staff member does not work")
		}
		if _, body := admin.get(t, "/newsroom/audit?type=article"); strings.Contains(body, "staff.create") {
			t.Error("the filter by kind does not work")
		}
		for _, q := range []string{"?staff=x", "?before=-1", "?type=%3Cb%3E"} {
			if res, _ := admin.get(t, "/newsroom/audit"+q); res.StatusCode != http.StatusBadRequest {
				t.Errorf("audit log %s: %d, want 400", q, res.StatusCode)
			}
		}
	})
}

// The audit log pages with ?before=, fifty entries at a time.
func TestNewsroomStaff_auditLogPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		log := audit.New(ts.db, nil, nil)
		actor, _ := ts.db.StaffByID(ctx, ts.staffID(t, "editor@paper.example"))
		for i := 1; i <= 60; i++ {
			log.Record(ctx, actor, "section.update", "section", int64(i), fmt.Sprintf("entry number %d.", i), nil, map[string]int{"n": i})
		}
		admin := ts.signIn(t, "admin@paper.example")
		_, body := admin.get(t, "/newsroom/audit?type=section")
		if !strings.Contains(body, "entry number 60.") || !strings.Contains(body, "entry number 11.") || strings.Contains(body, "entry number 10.") {
			t.Fatal("the first page is not the 50 newest entries")
		}
		m := strings.Index(body, `rel="next"`)
		if m < 0 {
			t.Fatal("no link to older entries")
		}
		start := strings.LastIndex(body[:m], `href="`) + len(`href="`)
		next := strings.ReplaceAll(body[start:strings.Index(body[start:], `"`)+start], "&amp;", "&")
		_, body = admin.get(t, next)
		if !strings.Contains(body, "entry number 10.") || !strings.Contains(body, "entry number 1.") || strings.Contains(body, "entry number 11.") ||
			strings.Contains(body, `rel="next"`) {
			t.Errorf("the second page (%s) is not the 10 oldest entries", next)
		}
	})
}

// An expired reset link is refused and changes nothing.
func TestNewsroomStaff_resetLinkExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		id := ts.staffID(t, "reporter@paper.example")
		token := strings.Repeat("a", 43)
		now := time.Now()
		if err := ts.db.CreatePasswordReset(ctx, account.HashToken(token), id, 0, now.Add(-25*time.Hour), now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if res, body := ts.get(t, "/newsroom/reset/"+token); res.StatusCode != http.StatusGone || !strings.Contains(body, "This link has expired") {
			t.Errorf("expired link: %d", res.StatusCode)
		}
		if res, _ := ts.postForm(t, "/newsroom/reset/"+token, url.Values{"password": {"a new long password"}, "password_again": {"a new long password"}}); res.StatusCode != http.StatusGone {
			t.Errorf("expired link, posted: %d", res.StatusCode)
		}
		if res, _ := ts.login(t, "reporter@paper.example", "a new long password"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("an expired link set the password: %d", res.StatusCode)
		}
		ts.signIn(t, "reporter@paper.example")
		if res, _ := ts.get(t, "/newsroom/reset/"+strings.Repeat("b", 43)); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown link: %d", res.StatusCode)
		}
		if res, _ := ts.get(t, "/newsroom/reset/short"); res.StatusCode != http.StatusNotFound {
			t.Errorf("malformed link: %d", res.StatusCode)
		}
	})
}

// The second factor: turned on with a right code only, asked for after
// the password, wrong codes refused and counted towards the lockout, and
// turned off with the password and a code.
func TestNewsroomStaff_totpLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		clock := &testClock{now: time.Now().UTC()}
		ts := staffTestServer(t, e, withTime(clock))
		ctx := context.Background()
		b := ts.signIn(t, "reporter@paper.example")
		_, body := b.get(t, "/newsroom/account")
		m := secretField.FindStringSubmatch(body)
		if m == nil || !strings.Contains(body, "otpauth://totp/") || !strings.Contains(body, `src="data:image/png;base64,`) {
			t.Fatalf("the account page offers no key to set up:\n%s", body)
		}
		if res, body := b.post(t, "/newsroom/account/totp", url.Values{"secret": {m[1]}, "code": {wrongCode(t, m[1], clock.Now())}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "The code is not right") {
			t.Errorf("turning on with a wrong code: %d", res.StatusCode)
		}
		if res, _ := b.post(t, "/newsroom/account/totp", url.Values{"secret": {"not a secret"}, "code": {"123456"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("turning on with a bad secret: %d", res.StatusCode)
		}
		id := ts.staffID(t, "reporter@paper.example")
		if _, secret, _ := ts.db.StaffSecurity(ctx, id); secret != "" {
			t.Fatal("a refused code turned the second factor on")
		}
		secret := b.turnOnTOTP(t)
		if _, stored, _ := ts.db.StaffSecurity(ctx, id); stored != secret {
			t.Fatal("the secret was not stored")
		}
		if _, body := b.get(t, "/newsroom/account"); !strings.Contains(body, "The second factor is on") {
			t.Error("the account page does not say the factor is on")
		}
		clock.Advance(30 * time.Second) // a code works once: the next one is of the next period

		// The password alone does not sign in.
		res, body, pending := ts.startLogin(t, "reporter@paper.example", staffPassword)
		if res.StatusCode != http.StatusOK || pending == nil || !strings.Contains(body, `name="code"`) {
			t.Fatalf("password step: %d, pending %v", res.StatusCode, pending != nil)
		}
		for _, c := range res.Cookies() {
			if c.Name == "bs_staff" && c.Value != "" {
				t.Fatal("the password alone set a session cookie")
			}
		}
		if res, body := pending.send(t, wrongCode(t, secret, clock.Now())); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "The code is not right") {
			t.Errorf("wrong code: %d", res.StatusCode)
		}
		res, _ = pending.send(t, totpCode(t, secret, clock.Now()))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("right code: %d", res.StatusCode)
		}
		sessionCookie(t, res)
		// A code without a pending login, or with a forged one, is refused.
		token, cookie := ts.loginForm(t)
		for _, c := range []string{"", "; bs_login_pending=cmVwb3J0ZXJAcGFwZXIuZXhhbXBsZQo5OTk5OTk5OTk5.AAAA"} {
			res, _ := ts.postForm(t, "/newsroom/login/code", url.Values{"code": {totpCode(t, secret, clock.Now())}, "csrf": {token}}, "Cookie", "bs_login_csrf="+cookie+c)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("code without a valid pending login (%q): %d", c, res.StatusCode)
			}
		}

		// Wrong codes count towards the lockout.
		_, _, pending = ts.startLogin(t, "reporter@paper.example", staffPassword)
		for i := 1; i <= 10; i++ {
			res, _ := pending.send(t, wrongCode(t, secret, clock.Now()))
			if want := map[bool]int{true: 401, false: 429}[i < 10]; res.StatusCode != want {
				t.Fatalf("wrong code %d: %d, want %d", i, res.StatusCode, want)
			}
		}
		if res, _ := ts.login(t, "reporter@paper.example", staffPassword); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("after ten wrong codes: %d, want 429", res.StatusCode)
		}

		// While the email is locked, turning the second factor off is
		// refused too: its password check would otherwise go on guessing.
		if res, _ := b.post(t, "/newsroom/account/totp/off", url.Values{"password": {staffPassword}, "code": {totpCode(t, secret, clock.Now())}}); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("off while locked: %d, want 429", res.StatusCode)
		}
		if err := ts.db.ClearLoginFailures(ctx, "reporter@paper.example"); err != nil {
			t.Fatal(err)
		}

		// Turning it off needs the password and a code, each code once.
		if res, _ := b.post(t, "/newsroom/account/totp/off", url.Values{"password": {"wrong password"}, "code": {totpCode(t, secret, clock.Now())}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("off with a wrong password: %d", res.StatusCode)
		}
		if res, _ := b.post(t, "/newsroom/account/totp/off", url.Values{"password": {staffPassword}, "code": {wrongCode(t, secret, clock.Now())}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("off with a wrong code: %d", res.StatusCode)
		}
		if _, stored, _ := ts.db.StaffSecurity(ctx, id); stored != secret {
			t.Fatal("a refused form turned the second factor off")
		}
		clock.Advance(30 * time.Second)
		if res, _ := b.post(t, "/newsroom/account/totp/off", url.Values{"password": {staffPassword}, "code": {totpCode(t, secret, clock.Now())}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("off: %d", res.StatusCode)
		}
		if _, stored, _ := ts.db.StaffSecurity(ctx, id); stored != "" {
			t.Error("the second factor is still on")
		}
		entries, err := audit.New(ts.db, nil, nil).Entries(ctx, audit.Query{StaffID: id, TargetType: "staff"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, " "); !strings.HasPrefix(got, "staff.totp-off staff.login staff.totp-on") {
			t.Errorf("audit entries: %s", got)
		}
	})
}

// A wrong CSRF token stores nothing, on every form of these pages.
func TestNewsroomStaff_wrongCSRFStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		admin := ts.signIn(t, "admin@paper.example")
		id := itoa(ts.staffID(t, "reporter@paper.example"))
		_, body := admin.get(t, "/newsroom/account")
		secret := secretField.FindStringSubmatch(body)[1]
		for path, form := range map[string]url.Values{
			"/newsroom/staff":                       {"name": {"Forged"}, "email": {"forged@paper.example"}, "role": {"admin"}},
			"/newsroom/staff/" + id + "/role":       {"role": {"admin"}},
			"/newsroom/staff/" + id + "/disable":    {},
			"/newsroom/staff/" + id + "/reset-link": {},
			"/newsroom/account/totp":                {"secret": {secret}, "code": {totpCode(t, secret, time.Now())}},
		} {
			form.Set("csrf", "forged")
			if res, _ := admin.post(t, path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s with a wrong token: %d, want 403", path, res.StatusCode)
			}
		}
		if _, _, err := ts.db.StaffByEmail(ctx, "forged@paper.example"); err == nil {
			t.Error("a forged form added a member")
		}
		members, _ := ts.db.ListStaff(ctx)
		for _, m := range members {
			if m.Email == "reporter@paper.example" && (m.Role != account.Reporter || m.Disabled) {
				t.Errorf("a forged form changed the reporter: %+v", m)
			}
			if m.Email == "admin@paper.example" && m.TOTP {
				t.Error("a forged form turned the second factor on")
			}
		}
		if entries, _ := audit.New(ts.db, nil, nil).Entries(ctx, audit.Query{Action: "staff.reset-link"}); len(entries) != 0 {
			t.Error("a forged form made a reset link")
		}
	})
}

// A switched-off account's API tokens stop working too, and work again
// when it is switched on.
func TestNewsroomStaff_switchedOffAccountsTokensStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		admin := ts.signIn(t, "admin@paper.example")
		id := itoa(ts.staffID(t, "reporter@paper.example"))
		if res, _ := ts.do(t, "GET", "/api/v1/articles", ts.tokens[account.Reporter], ""); res.StatusCode != http.StatusOK {
			t.Fatalf("token before: %d", res.StatusCode)
		}
		admin.post(t, "/newsroom/staff/"+id+"/disable", nil)
		if res, _ := ts.do(t, "GET", "/api/v1/articles", ts.tokens[account.Reporter], ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("token of a switched-off account: %d, want 401", res.StatusCode)
		}
		admin.post(t, "/newsroom/staff/"+id+"/enable", nil)
		if res, _ := ts.do(t, "GET", "/api/v1/articles", ts.tokens[account.Reporter], ""); res.StatusCode != http.StatusOK {
			t.Errorf("token after switching on: %d", res.StatusCode)
		}
	})
}
