package web

import (
	"context"
	"fmt"
	"sync"

	"broadsheet/internal/cache"
)

// A write drops the cached pages that show what it changed; without this,
// every reader waiting for such a page would render it at once and hold
// the database's few connections between them. A flight is one render of
// a page that every request for the same page shares: the first request
// renders it, the others wait for it and are served what it produced.
//
// A flight is keyed by the page and the cache generation its requests
// read before they joined. An invalidation bumps the generation, so a
// request that arrives after it starts a new render rather than joining
// one that may have read the content before the change; the requests
// already waiting asked before the change, like a request in flight, and
// are served the earlier render, which the cache refuses to store.
type flights struct {
	mu sync.Mutex
	m  map[flightKey]*flight
}

type flightKey struct {
	page string
	gen  uint64
}

// flight is one render in progress; done closes when out is set.
type flight struct {
	done    chan struct{}
	out     rendered
	waiters int // requests that joined it after its leader, under flights.mu
}

// rendered is what a render produced: a page, a redirect or an error.
type rendered struct {
	page     *cache.Page
	redirect string
	err      error
}

// join returns the flight for k, and whether the caller leads it: the
// leader renders and must call land, the others wait on done.
func (fs *flights) join(k flightKey) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[k]; ok {
		f.waiters++
		return f, false
	}
	if fs.m == nil {
		fs.m = map[flightKey]*flight{}
	}
	f := &flight{done: make(chan struct{})}
	fs.m[k] = f
	return f, true
}

// land hands out to the flight's waiters and ends it: the next request
// for the page reads the cache or starts a new flight.
func (fs *flights) land(k flightKey, f *flight, out rendered) {
	fs.mu.Lock()
	delete(fs.m, k)
	fs.mu.Unlock()
	f.out = out
	close(f.done)
}

// lead runs render for the flight's waiters. A panic still lands the
// flight, as an error, so that no waiter is left waiting, and goes on up.
func (fs *flights) lead(k flightKey, f *flight, render func() rendered) (out rendered) {
	landed := false
	defer func() {
		if !landed {
			fs.land(k, f, rendered{err: fmt.Errorf("rendering %s panicked", k.page)})
		}
	}()
	out = render()
	fs.land(k, f, out)
	landed = true
	return out
}

// shared is the context a shared render runs with: the leader's values
// and deadline, but not its cancellation, since the client that started
// the render going away must not fail it for the readers waiting on it.
// The deadline (outage.Deadline's) still bounds the database work.
func shared(ctx context.Context) (context.Context, context.CancelFunc) {
	detached := context.WithoutCancel(ctx)
	if end, ok := ctx.Deadline(); ok {
		return context.WithDeadline(detached, end)
	}
	return detached, func() {}
}
