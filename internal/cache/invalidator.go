// Package cache keeps rendered pages in memory and drops them precisely
// when the content they show changes.
package cache

// Invalidator drops cached pages that depend on any of the keys. Every
// content change goes through one, so that a broadcaster can later fan the
// same call out to other instances.
type Invalidator interface {
	Invalidate(keys ...string)
}

// Nop is an Invalidator that does nothing, for tools that write without a
// running site.
type Nop struct{}

// Invalidate does nothing.
func (Nop) Invalidate(...string) {}

// OrNop returns inv, or Nop when inv is nil: the services take a nil
// invalidator from tools and tests that keep no cache.
func OrNop(inv Invalidator) Invalidator {
	if inv == nil {
		return Nop{}
	}
	return inv
}

// Fanout passes every invalidation to each of its invalidators in turn:
// the site's own page cache, then the caches in front of it.
type Fanout []Invalidator

// Invalidate calls Invalidate on each invalidator with the same keys.
func (f Fanout) Invalidate(keys ...string) {
	for _, inv := range f {
		inv.Invalidate(keys...)
	}
}
