package newsroom

import (
	"sync"
	"time"
)

// loginLimiter bounds the failed logins from one network address, loosely,
// since a whole newsroom may share one address. It is the second guard:
// the first, the lock of an email after emailRule.max failures, is kept
// in the database (lockout.go) so that every instance sees it. Counting
// addresses in memory is enough: a guesser spread over instances is still
// stopped by the email's lock.
type loginLimiter struct {
	mu  sync.Mutex
	now func() time.Time
	ips map[string]*attempts
}

type attempts struct {
	failures    []time.Time // within the window, oldest first
	lockedUntil time.Time
}

type limitRule struct {
	max     int
	window  time.Duration
	lockFor time.Duration
}

var (
	emailRule = limitRule{max: 10, window: 15 * time.Minute, lockFor: 15 * time.Minute}
	ipRule    = limitRule{max: 50, window: 15 * time.Minute, lockFor: 15 * time.Minute}
)

// maxTracked bounds the map. When it is full of live entries (only a wide
// attack does that), new addresses are refused until entries expire.
const maxTracked = 50_000

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, ips: map[string]*attempts{}}
}

// blocked reports how long a login from ip must wait (0: it may go ahead).
func (l *loginLimiter) blocked(ip string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	a, ok := l.ips[ip]
	if !ok {
		if len(l.ips) >= maxTracked && !sweep(l.ips, now) {
			return time.Minute
		}
		return 0
	}
	if now.Before(a.lockedUntil) {
		return a.lockedUntil.Sub(now)
	}
	return 0
}

// fail records a failed login from ip and reports the lock it caused, if
// any. A success does not clear the count: a guesser who also knows one
// password must not be able to reset it.
func (l *loginLimiter) fail(ip string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	a, ok := l.ips[ip]
	if !ok {
		if len(l.ips) >= maxTracked && !sweep(l.ips, now) {
			return time.Minute
		}
		a = &attempts{}
		l.ips[ip] = a
	}
	since := now.Add(-ipRule.window)
	keep := a.failures[:0]
	for _, t := range a.failures {
		if t.After(since) {
			keep = append(keep, t)
		}
	}
	a.failures = append(keep, now)
	if len(a.failures) >= ipRule.max {
		a.lockedUntil, a.failures = now.Add(ipRule.lockFor), nil
		return ipRule.lockFor
	}
	return 0
}

// sweep drops entries with no recent failure and no lock, and reports
// whether there is room now.
func sweep(m map[string]*attempts, now time.Time) bool {
	for k, a := range m {
		last := time.Time{}
		if n := len(a.failures); n > 0 {
			last = a.failures[n-1]
		}
		if !now.Before(a.lockedUntil) && now.Sub(last) > ipRule.window {
			delete(m, k)
		}
	}
	return len(m) < maxTracked
}
