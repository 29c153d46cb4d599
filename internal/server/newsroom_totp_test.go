package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
)

// withTime runs the site on clock, which the test moves by hand.
func withTime(clock *testClock) option {
	return func(c *config.Config) { c.Clock = clock.Now }
}

// A second-factor code works once, on every instance of the site: the
// code that turned the factor on, or signed in, or was sent twice at
// once to two instances, is refused afterwards with the answer a wrong
// code gets, and the next period's code works.
func TestNewsroomTOTP_aCodeWorksOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		clock := &testClock{now: time.Now().UTC()}
		one := staffTestServer(t, e, withTime(clock))
		two := one.secondInstance(t, withTime(clock))
		b := one.signIn(t, "reporter@paper.example")
		secret := b.turnOnTOTP(t)
		code := func() string { return totpCode(t, secret, clock.Now()) }

		// refusedLikeAWrongCode sends a wrong code and then used, on the
		// same pending login, and compares the answers.
		refusedLikeAWrongCode := func(ts *testServer, used string) *codeLogin {
			t.Helper()
			_, _, pending := ts.startLogin(t, "reporter@paper.example", staffPassword)
			if pending == nil {
				t.Fatal("the password step did not ask for a code")
			}
			wres, wbody := pending.send(t, wrongCode(t, secret, clock.Now()))
			ures, ubody := pending.send(t, used)
			if ures.StatusCode != http.StatusUnauthorized || ures.StatusCode != wres.StatusCode || ubody != wbody {
				t.Errorf("a used code: %d, a wrong one: %d; want the same 401 page\n%s", ures.StatusCode, wres.StatusCode, ubody)
			}
			return pending
		}

		// The code that turned the factor on does not sign in.
		pending := refusedLikeAWrongCode(one, code())
		clock.Advance(30 * time.Second)
		used := code()
		if res, _ := pending.send(t, used); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a new code: %d, want 303", res.StatusCode)
		}
		// Nor a second time, on either instance.
		refusedLikeAWrongCode(one, used)
		refusedLikeAWrongCode(two, used)

		// The same new code sent to both instances at once signs in once.
		clock.Advance(30 * time.Second)
		used = code()
		logins := []*codeLogin{}
		for _, ts := range []*testServer{one, two} {
			_, _, p := ts.startLogin(t, "reporter@paper.example", staffPassword)
			logins = append(logins, p)
		}
		statuses := make([]int, len(logins))
		var wg sync.WaitGroup
		for i, p := range logins {
			wg.Go(func() { statuses[i] = sendQuietly(p, used) })
		}
		wg.Wait()
		var winners int
		var loser *codeLogin
		for i, st := range statuses {
			switch st {
			case http.StatusSeeOther:
				winners++
			case http.StatusUnauthorized:
				loser = logins[i]
			}
		}
		if winners != 1 || loser == nil {
			t.Fatalf("the same code sent to two instances at once: %v, want one 303 and one 401", statuses)
		}
		// The loser goes on with the next code.
		clock.Advance(30 * time.Second)
		used = code()
		if res, _ := loser.send(t, used); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the next code after the race: %d, want 303", res.StatusCode)
		}

		// Turning the factor off takes an unused code too.
		res, body := b.post(t, "/newsroom/account/totp/off", url.Values{"password": {staffPassword}, "code": {used}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The code is not right") {
			t.Errorf("off with a used code: %d, want 422", res.StatusCode)
		}
		clock.Advance(30 * time.Second)
		if res, _ := b.post(t, "/newsroom/account/totp/off", url.Values{"password": {staffPassword}, "code": {code()}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("off with a new code: %d, want 303", res.StatusCode)
		}
	})
}

// sendQuietly posts a code from a goroutine other than the test's, where
// t.Fatal may not be called: a failed request is status 0.
func sendQuietly(c *codeLogin, code string) int {
	req, err := http.NewRequest("POST", c.ts.URL+"/newsroom/login/code", strings.NewReader(url.Values{"code": {code}, "csrf": {c.csrf}}.Encode()))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", c.cookies)
	res, err := noRedirect.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
