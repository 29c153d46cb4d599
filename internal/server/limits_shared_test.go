package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
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
