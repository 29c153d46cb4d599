package social

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

const xUser = `{"data":{"id":"1","name":"Reader","username":"reader","profile_image_url":""}}`

// newHealthSite is an X login against a fake provider whose token
// endpoint the test can break.
func newHealthSite(t *testing.T, tweak ...func(*Options)) (*site, *fakeOAuth) {
	t.Helper()
	fp := startFakeOAuth(t, &fakeOAuth{basicAuth: true, pkce: true, userJSON: xUser})
	s := newSite(t, []ProviderConfig{fp.config("twitter")}, tweak...)
	fp.expectRedirect(s.srv.URL + "/auth/twitter/callback")
	return s, fp
}

func (s *site) failLogin() {
	s.t.Helper()
	s.wantRefused(s.finish(s.begin("twitter", "")), http.StatusServiceUnavailable)
}

func (s *site) succeedLogin() {
	s.t.Helper()
	s.forget()
	if a := s.finish(s.begin("twitter", "")); a.status != http.StatusSeeOther {
		s.t.Fatalf("login: got %d %q, want 303", a.status, a.body)
	}
	s.wantSignIn()
	s.forget()
}

func TestHealth_threeOutagesMakeProviderUnavailable(t *testing.T) {
	s, fp := newHealthSite(t)
	fp.setTokenStatus(http.StatusInternalServerError)

	for i := range defaultFailureThreshold {
		if b := s.logins.Buttons("/")[0]; !b.Available {
			t.Fatalf("unavailable after %d outages, want %d", i, defaultFailureThreshold)
		}
		s.failLogin()
	}

	if b := s.logins.Buttons("/")[0]; b.Available {
		t.Errorf("button %+v after 3 outages: want Available=false", b)
	}
	st := s.logins.Status()[0]
	if st.Available || st.Failures != 3 || st.Since.IsZero() || !strings.Contains(st.LastError, "500") {
		t.Errorf("status %+v: want unavailable, 3 failures, a Since and the 500 in LastError", st)
	}
	if strings.Contains(st.LastError, fakeSecret) {
		t.Errorf("LastError %q holds the client secret the provider echoed", st.LastError)
	}

	// While unavailable, the login page says so instead of redirecting.
	authorizes := fp.count("/authorize")
	msg := s.wantRefused(s.get(s.browser, s.loginURL("twitter", "next=%2F")), http.StatusServiceUnavailable)
	if !strings.Contains(msg, "X") || !strings.Contains(msg, "unavailable right now") || !strings.Contains(msg, "another way") {
		t.Errorf("Fail message %q: want it to name X, say it is unavailable right now and suggest another way", msg)
	}
	if fp.count("/authorize") != authorizes {
		t.Errorf("the browser was sent to the provider while it was unavailable")
	}
	if st := s.logins.Status()[0]; st.Failures != 3 {
		t.Errorf("a refused login counted as an outage: %d failures, want 3", st.Failures)
	}

	// After the cooldown the next login tries again, and a success resets.
	s.clock.advance(defaultCooldown + time.Second)
	if b := s.logins.Buttons("/")[0]; !b.Available {
		t.Errorf("button %+v after the cooldown: want Available", b)
	}
	fp.setTokenStatus(0)
	s.succeedLogin()
	if st := s.logins.Status()[0]; !st.Available || st.Failures != 0 || st.LastError != "" || !st.Since.IsZero() {
		t.Errorf("status after a good login: %+v, want available with no failures", st)
	}
}

func TestHealth_failureAfterCooldownClosesAgain(t *testing.T) {
	s, fp := newHealthSite(t)
	fp.setTokenStatus(http.StatusBadGateway)
	for range defaultFailureThreshold {
		s.failLogin()
	}
	s.clock.advance(defaultCooldown + time.Second)
	s.failLogin()
	if st := s.logins.Status()[0]; st.Available || st.Failures != 4 {
		t.Errorf("status %+v: one more outage after the cooldown should make it unavailable again", st)
	}
}

func TestHealth_successResetsCount(t *testing.T) {
	s, fp := newHealthSite(t)
	fp.setTokenStatus(http.StatusServiceUnavailable)
	s.failLogin()
	s.failLogin()
	fp.setTokenStatus(0)
	s.succeedLogin()
	fp.setTokenStatus(http.StatusServiceUnavailable)
	s.failLogin()
	s.failLogin()
	if st := s.logins.Status()[0]; !st.Available || st.Failures != 2 {
		t.Errorf("status %+v: want available with 2 failures (the success reset the count)", st)
	}
}

func TestHealth_unreachableProviderCounts(t *testing.T) {
	s, fp := newHealthSite(t, func(o *Options) { o.FailureThreshold = 1 })
	cb := s.begin("twitter", "")
	fp.srv.Close() // the provider's host goes away mid-login
	s.wantRefused(s.finish(cb), http.StatusServiceUnavailable)
	if st := s.logins.Status()[0]; st.Available || st.Failures != 1 {
		t.Errorf("status %+v: a network error should count as an outage", st)
	}
}

func TestHealth_thresholdAndCooldownOptions(t *testing.T) {
	s, fp := newHealthSite(t, func(o *Options) {
		o.FailureThreshold = 1
		o.Cooldown = 5 * time.Minute
	})
	fp.setTokenStatus(http.StatusInternalServerError)
	s.failLogin()
	if st := s.logins.Status()[0]; st.Available {
		t.Fatalf("status %+v: want unavailable after 1 outage with FailureThreshold 1", st)
	}
	s.clock.advance(2 * time.Minute)
	if st := s.logins.Status()[0]; st.Available {
		t.Errorf("status %+v: want still unavailable 2 minutes into a 5-minute cooldown", st)
	}
	s.clock.advance(3*time.Minute + time.Second)
	if st := s.logins.Status()[0]; !st.Available {
		t.Errorf("status %+v: want available after the 5-minute cooldown", st)
	}
}
