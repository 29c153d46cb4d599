package newsroom

import (
	"testing"
	"time"
)

func TestLoginLimiter_locksAnAddressAfterItsLimitForFifteenMinutes(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := 1; i < ipRule.max; i++ {
		if wait := l.fail("203.0.113.5"); wait != 0 {
			t.Fatalf("failure %d locked already (%v)", i, wait)
		}
	}
	if wait := l.fail("203.0.113.5"); wait != ipRule.lockFor {
		t.Fatalf("failure %d: wait %v, want %v", ipRule.max, wait, ipRule.lockFor)
	}
	now = now.Add(14 * time.Minute)
	if wait := l.blocked("203.0.113.5"); wait != time.Minute {
		t.Errorf("14 minutes on: wait %v, want 1m", wait)
	}
	if wait := l.blocked("192.0.2.1"); wait != 0 {
		t.Errorf("another address is locked too: %v", wait)
	}
	now = now.Add(time.Minute)
	if wait := l.blocked("203.0.113.5"); wait != 0 {
		t.Errorf("still locked after 15 minutes: %v", wait)
	}
}

func TestLoginLimiter_oldFailuresLeaveTheWindow(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := 0; i < 3*ipRule.max; i++ { // one failure a minute never reaches 50 in 15 minutes
		if wait := l.fail("192.0.2.1"); wait != 0 {
			t.Fatalf("failure %d, a minute apart, locked the address", i+1)
		}
		now = now.Add(time.Minute)
	}
}
