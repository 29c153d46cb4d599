package newsroom

import (
	"sync"
	"time"
)

// loginLimiter slows down password guessing. After emailRule.max failed
// logins for one email within the window, that email is locked for
// lockFor, whoever tries it; failures from one network address are
// bounded the same way, more loosely, since a newsroom may share one
// address. Unknown emails are counted like known ones, so a lockout says
// nothing about whether an account exists.
//
// The counts live in memory: enough for one instance, and what the
// minimal login needs now. They are lost on restart, and each instance of
// a scaled-out site counts on its own; moving them into the database is
// left to the newsroom issue that grows this login.
type loginLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	emails map[string]*attempts
	ips    map[string]*attempts
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

// maxTracked bounds each map. When it is full of live entries (only a
// wide attack does that), new keys are refused until entries expire:
// failing closed keeps the per-email lock from being bypassed.
const maxTracked = 50_000

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, emails: map[string]*attempts{}, ips: map[string]*attempts{}}
}

// blocked reports how long a login for email from ip must wait (0: it
// may go ahead) and whether the email's lock is the reason.
func (l *loginLimiter) blocked(email, ip string) (wait time.Duration, byEmail bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if w := l.lockedFor(l.emails, email, now); w > 0 {
		return w, true
	}
	return l.lockedFor(l.ips, ip, now), false
}

func (l *loginLimiter) lockedFor(m map[string]*attempts, key string, now time.Time) time.Duration {
	a, ok := m[key]
	if !ok {
		if len(m) >= maxTracked && !sweep(m, now) {
			return time.Minute
		}
		return 0
	}
	if now.Before(a.lockedUntil) {
		return a.lockedUntil.Sub(now)
	}
	return 0
}

// fail records a failed login and reports the lock it caused, if any.
func (l *loginLimiter) fail(email, ip string) (wait time.Duration, byEmail bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	we := record(l.emails, email, emailRule, now)
	wi := record(l.ips, ip, ipRule, now)
	if we > 0 {
		return we, true
	}
	return wi, false
}

// succeed forgets an email's failures after a correct password. The
// address's count stays: a guesser who also knows one password must not
// be able to reset it.
func (l *loginLimiter) succeed(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.emails, email)
}

func record(m map[string]*attempts, key string, rule limitRule, now time.Time) time.Duration {
	a, ok := m[key]
	if !ok {
		if len(m) >= maxTracked && !sweep(m, now) {
			return time.Minute
		}
		a = &attempts{}
		m[key] = a
	}
	since := now.Add(-rule.window)
	keep := a.failures[:0]
	for _, t := range a.failures {
		if t.After(since) {
			keep = append(keep, t)
		}
	}
	a.failures = append(keep, now)
	if len(a.failures) >= rule.max {
		a.lockedUntil, a.failures = now.Add(rule.lockFor), nil
		return rule.lockFor
	}
	return 0
}

// sweep drops entries with no recent failure and no lock, and reports
// whether there is room now.
func sweep(m map[string]*attempts, now time.Time) bool {
	window := max(emailRule.window, ipRule.window)
	for k, a := range m {
		last := time.Time{}
		if n := len(a.failures); n > 0 {
			last = a.failures[n-1]
		}
		if !now.Before(a.lockedUntil) && now.Sub(last) > window {
			delete(m, k)
		}
	}
	return len(m) < maxTracked
}
