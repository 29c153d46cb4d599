package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/store/storetest"
)

// The per-network comment limit is counted from the database: comments
// from one address sent to two instances of the site add up.
func TestComments_networkLimitIsSharedBetweenInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		one := newTestServer(t, e)
		one.raiseLimits(t, map[string]string{"comments_new_account_wait_seconds": "0", "comments_per_ip_hour": "3"})
		two := one.secondInstance(t)
		a := one.publishedArticle(t, 0)
		for i := 1; i <= 4; i++ {
			ts := one
			if i%2 == 0 {
				ts = two
			}
			res, body := ts.newCommenter(t, fmt.Sprintf("Reader %d", i), true).post(t, a.ID, fmt.Sprintf("comment %d from one network", i))
			want := map[bool]int{true: 201, false: 429}[i <= 3]
			if res.StatusCode != want {
				t.Fatalf("comment %d, on instance %d: %d %s, want %d", i, 2-i%2, res.StatusCode, body, want)
			}
			if i == 4 && decodeJSON[refusalJSON](t, body).Reason != "per_ip" {
				t.Errorf("fourth comment: %s, want reason per_ip", body)
			}
		}
		// The first instance refuses too: its count is the database's.
		if res, body := one.newCommenter(t, "Reader 5", true).post(t, a.ID, "one more"); res.StatusCode != 429 {
			t.Errorf("fifth comment on instance 1: %d %s, want 429", res.StatusCode, body)
		}
	})
}

// The per-network limit of failed newsroom logins is kept in the
// database: failures for many emails, none locked on its own, sent to two
// instances add up, and then both refuse the address even with a right
// password. The address is stored only hashed.
func TestNewsroomStaff_networkLimitIsSharedBetweenInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		one := staffTestServer(t, e)
		two := one.secondInstance(t)
		const limit = 50 // failures from one address in 15 minutes
		for i := 1; i <= limit; i++ {
			ts := one
			if i%2 == 0 {
				ts = two
			}
			email := fmt.Sprintf("guess%d@paper.example", i%7) // at most 8 failures each: no email is locked
			res, body := ts.login(t, email, "wrong password")
			if want := map[bool]int{true: 401, false: 429}[i < limit]; res.StatusCode != want {
				t.Fatalf("failure %d on instance %d: %d, want %d\n%s", i, 2-i%2, res.StatusCode, want, body)
			}
		}
		for n, ts := range []*testServer{one, two} {
			res, body := ts.login(t, "editor@paper.example", staffPassword)
			if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "network") {
				t.Errorf("instance %d let the address log in after %d failures: %d\n%s", n+1, limit, res.StatusCode, body)
			}
		}
		ctx := context.Background()
		if at, err := one.db.NthNetLoginFailure(ctx, "127.0.0.1", time.Now().Add(-time.Hour), 1); err != nil || !at.IsZero() {
			t.Errorf("a failure is stored under the address in the clear: %v %v", at, err)
		}
	})
}

// Wrong passwords sent all at once to two instances from one address are
// counted before their passwords are checked: no more than the limit of
// them are checked (and stored as failures); the rest are refused as
// limited without a check.
func TestNewsroomStaff_concurrentGuessesStopAtTheNetworkLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		one := staffTestServer(t, e)
		two := one.secondInstance(t)
		const limit = 50 // failures from one address in 15 minutes
		const senders = 16
		type answer struct{ status int }
		answers := make(chan answer, 2*limit)
		work := make(chan int)
		var wg sync.WaitGroup
		for range senders {
			wg.Go(func() {
				for i := range work {
					ts := []*testServer{one, two}[i%2]
					// One email each: no email is locked on its own.
					res, _ := ts.login(t, fmt.Sprintf("guess%d@paper.example", i), "wrong password")
					answers <- answer{res.StatusCode}
				}
			})
		}
		for i := range 2 * limit {
			work <- i
		}
		close(work)
		wg.Wait()
		close(answers)
		counts := map[int]int{}
		for a := range answers {
			counts[a.status]++
		}
		if counts[http.StatusUnauthorized] > limit-1 || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 2*limit {
			t.Errorf("answers %v to %d wrong passwords: want at most %d refused as wrong, the rest as limited", counts, 2*limit, limit-1)
		}
		ctx := context.Background()
		hash := netHash(t, one, "127.0.0.1")
		since := time.Now().Add(-time.Hour)
		if at, err := one.db.NthNetLoginFailure(ctx, hash, since, limit+1); err != nil || !at.IsZero() {
			t.Errorf("more than %d failures were checked and stored (%v %v)", limit, at, err)
		}
		if at, err := one.db.NthNetLoginFailure(ctx, hash, since, limit); err != nil || at.IsZero() {
			t.Errorf("fewer than %d failures stored (%v): the address was limited too early", limit, err)
		}
	})
}

// A right password from an address does not count against it: its
// attempt, counted before the check, is forgotten.
func TestNewsroomStaff_aRightPasswordIsNotCountedAgainstTheAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		for range 3 {
			if res, body := ts.login(t, "editor@paper.example", staffPassword); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d\n%s", res.StatusCode, body)
			}
		}
		if res, _ := ts.login(t, "nobody@paper.example", "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a wrong password: %d, want 401", res.StatusCode)
		}
		hash := netHash(t, ts, "127.0.0.1")
		since := time.Now().Add(-time.Hour)
		if at, err := ts.db.NthNetLoginFailure(context.Background(), hash, since, 2); err != nil || !at.IsZero() {
			t.Errorf("three good logins and one failure: two or more failures counted (%v %v), want one", at, err)
		}
		if at, err := ts.db.NthNetLoginFailure(context.Background(), hash, since, 1); err != nil || at.IsZero() {
			t.Errorf("the failure was not counted: %v", err)
		}
	})
}

// netHash is ip as the site stores it in its login counts: salted with
// the site's salt and hashed.
func netHash(t *testing.T, ts *testServer, ip string) string {
	t.Helper()
	salt, err := ts.db.SettingOrInit(context.Background(), "login_ip_salt", "")
	if err != nil || salt == "" {
		t.Fatalf("the site's address salt: %q, %v", salt, err)
	}
	sum := sha256.Sum256([]byte(salt + "|" + ip))
	return hex.EncodeToString(sum[:12])
}

// The failure that locks an email counts against the address too.
func TestNewsroomStaff_theFailureThatLocksAnEmailCountsAgainstTheAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		const emailLimit = 10
		for i := 1; i <= emailLimit; i++ {
			res, _ := ts.login(t, "editor@paper.example", "wrong password")
			if want := map[bool]int{true: 401, false: 429}[i < emailLimit]; res.StatusCode != want {
				t.Fatalf("failure %d: %d, want %d", i, res.StatusCode, want)
			}
		}
		hash := netHash(t, ts, "127.0.0.1")
		if at, err := ts.db.NthNetLoginFailure(context.Background(), hash, time.Now().Add(-time.Hour), emailLimit); err != nil || at.IsZero() {
			t.Errorf("fewer than %d failures counted against the address (%v)", emailLimit, err)
		}
	})
}
