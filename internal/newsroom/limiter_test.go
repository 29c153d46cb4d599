package newsroom

import (
	"testing"
	"time"
)

func TestLoginLimiter_locksAnEmailAfterTenFailuresForFifteenMinutes(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := 1; i <= 9; i++ {
		if wait, _ := l.fail("ed@paper.example", "192.0.2.1"); wait != 0 {
			t.Fatalf("failure %d locked already (%v)", i, wait)
		}
		now = now.Add(time.Minute)
	}
	if wait, _ := l.blocked("ed@paper.example", "192.0.2.1"); wait != 0 {
		t.Fatalf("locked after 9 failures: %v", wait)
	}
	wait, byEmail := l.fail("ed@paper.example", "192.0.2.1")
	if wait != 15*time.Minute || !byEmail {
		t.Fatalf("10th failure: wait %v by email %v; want 15m by email", wait, byEmail)
	}
	now = now.Add(14 * time.Minute)
	if wait, byEmail := l.blocked("ed@paper.example", "198.51.100.7"); wait != time.Minute || !byEmail {
		t.Errorf("from another address 14 minutes on: wait %v by email %v; want 1m by email", wait, byEmail)
	}
	if wait, _ := l.blocked("ad@paper.example", "192.0.2.1"); wait != 0 {
		t.Errorf("another email is locked too: %v", wait)
	}
	now = now.Add(time.Minute)
	if wait, _ := l.blocked("ed@paper.example", "192.0.2.1"); wait != 0 {
		t.Errorf("still locked after 15 minutes: %v", wait)
	}
}

func TestLoginLimiter_oldFailuresLeaveTheWindow(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := 0; i < 30; i++ { // one failure every two minutes never reaches 10 in 15 minutes
		if wait, _ := l.fail("slow@paper.example", "192.0.2.1"); wait != 0 {
			t.Fatalf("failure %d, two minutes apart, locked the email", i+1)
		}
		now = now.Add(2 * time.Minute)
	}
}

func TestLoginLimiter_boundsAnAddressAndSuccessClearsOnlyTheEmail(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := 0; i < ipRule.max-1; i++ {
		l.fail(string(rune('a'+i%26))+"@paper.example", "203.0.113.5")
		if i%26 == 25 {
			now = now.Add(time.Second) // keep each email below its own limit
		}
	}
	if wait, byEmail := l.fail("z2@paper.example", "203.0.113.5"); wait != ipRule.lockFor || byEmail {
		t.Fatalf("failure %d from one address: wait %v by email %v; want the address locked", ipRule.max, wait, byEmail)
	}
	if wait, byEmail := l.blocked("fresh@paper.example", "203.0.113.5"); wait == 0 || byEmail {
		t.Errorf("a fresh email from the locked address: wait %v by email %v", wait, byEmail)
	}
	for i := 0; i < 5; i++ {
		l.fail("ed@paper.example", "192.0.2.9")
	}
	l.succeed("ed@paper.example")
	for i := 0; i < emailRule.max-1; i++ {
		if wait, _ := l.fail("ed@paper.example", "192.0.2.9"); wait != 0 {
			t.Fatalf("after a success, failure %d locked: earlier failures were not forgotten", i+1)
		}
	}
}
