package social

import (
	"sync"
	"time"
)

// Defaults for Options.FailureThreshold and Options.Cooldown.
const (
	defaultFailureThreshold = 3
	defaultCooldown         = 60 * time.Second
)

// ProviderStatus is how a provider is doing, for /readyz and the
// moderators' pages.
type ProviderStatus struct {
	Provider  string
	Label     string
	Available bool
	Failures  int       // outages in a row; a completed login resets it
	LastError string    // the latest outage of this run, safe to show (no secrets or tokens)
	Since     time.Time // when this run of failures began; zero when Failures is 0
}

// health is a small circuit breaker for one provider.
//
// After threshold outages in a row the provider is skipped for cooldown,
// so readers are told at once to pick another provider instead of
// waiting on a timeout. When the cooldown ends the next login tries
// again; if that fails too, the provider is skipped for another cooldown
// (the count is still at or past the threshold), and any success resets it.
type health struct {
	mu        sync.Mutex
	failures  int
	lastError string
	since     time.Time
	downUntil time.Time
}

func (h *health) available(now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !now.Before(h.downUntil)
}

func (h *health) fail(now time.Time, threshold int, cooldown time.Duration, why string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failures == 0 {
		h.since = now
	}
	h.failures++
	h.lastError = why
	if h.failures >= threshold {
		h.downUntil = now.Add(cooldown)
	}
}

func (h *health) succeed() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures = 0
	h.lastError = ""
	h.since = time.Time{}
	h.downUntil = time.Time{}
}

func (h *health) status(now time.Time) ProviderStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	return ProviderStatus{
		Available: !now.Before(h.downUntil),
		Failures:  h.failures,
		LastError: h.lastError,
		Since:     h.since,
	}
}
