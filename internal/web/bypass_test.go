package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"broadsheet/internal/cache"
)

// TestAdapt_bypassedCacheIsNeitherReadNorFilled: while the cache is
// bypassed (the instance may be missing other instances' changes), every
// request renders the page from the database: the stored copy is not
// served, nothing rendered meanwhile is stored, and neither is the
// navigation memo.
func TestAdapt_bypassedCacheIsNeitherReadNorFilled(t *testing.T) {
	s := newFlightSite(t)
	s.hold = func(int32) bool { return false }
	ctx := context.Background()
	if _, body := s.get(ctx); body != "render 1" {
		t.Fatalf("first reader got %q", body)
	}
	if _, body := s.get(ctx); body != "render 1" {
		t.Fatalf("the page is not cached: second reader got %q", body)
	}

	s.h.BypassCache(true)
	s.h.nav.Store(nil) // the memo goes, as on a lost listener (the pages stay, to see they are not read)
	for _, want := range []string{"render 2", "render 3"} {
		if code, body := s.get(ctx); code != http.StatusOK || body != want {
			t.Errorf("a reader while bypassed got %d %q, want a render of its own, %q", code, body, want)
		}
	}
	if s.h.nav.Load() != nil {
		t.Error("the navigation memo was kept while bypassed")
	}

	// Trusted again without emptying: the copy from before is all the
	// cache holds, so nothing rendered while bypassed was stored.
	s.h.BypassCache(false)
	if _, body := s.get(ctx); body != "render 1" {
		t.Errorf("after the bypass the cache served %q, want the copy from before, \"render 1\": a bypassed render was stored", body)
	}
	if s.h.nav.Load() == nil {
		t.Error("the navigation memo is not kept once the cache is trusted again")
	}
}

// TestAdapt_pagePastItsLifetimeIsRenderedNotServedStale: a page past the
// lifetime the cluster sets is a miss. Readers wait for the new render
// rather than get the old copy meanwhile, which might show an article
// another instance has taken down; one render serves them all.
func TestAdapt_pagePastItsLifetimeIsRenderedNotServedStale(t *testing.T) {
	s := newFlightSite(t)
	s.hold = func(n int32) bool { return n == 2 }
	s.h.SetPageLifetime(50 * time.Millisecond)
	if _, body := s.get(context.Background()); body != "render 1" {
		t.Fatalf("first reader got %q", body)
	}
	time.Sleep(60 * time.Millisecond)
	const readers = 5
	answers := s.many(readers)
	s.waitFor(t, readers-1)
	close(s.release)
	for range readers {
		if a := <-answers; a.code != http.StatusOK || a.body != "render 2" {
			t.Errorf("a reader past the page's lifetime got %d %q, want the new render, \"render 2\"", a.code, a.body)
		}
	}
	if n := s.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2: one before, one shared after the lifetime", n)
	}
}

// TestAdapt_bypassedCacheStillServesItsCopyWhenTheDatabaseIsDown: while
// the cache is bypassed, a page that cannot be rendered because the
// database does not answer is served from the copy the cache kept (as
// stale-if-error), not as a 503: nobody can change anything while the
// database does not answer. A page with no copy is still a 503, and a
// fault other than an outage is not covered up.
func TestAdapt_bypassedCacheStillServesItsCopyWhenTheDatabaseIsDown(t *testing.T) {
	s := newFlightSite(t)
	s.hold = func(int32) bool { return false }
	ctx := context.Background()
	if _, body := s.get(ctx); body != "render 1" {
		t.Fatalf("first reader got %q", body)
	}
	s.h.BypassCache(true)
	s.fail = fmt.Errorf("list articles: %w", context.DeadlineExceeded)
	if code, body := s.get(ctx); code != http.StatusOK || body != "render 1" {
		t.Errorf("bypassed with the database down, a reader got %d %q, want the kept copy", code, body)
	}
	s.h.Invalidate(cache.KeyAll) // a change made here drops the copy, bypass or not
	if code, _ := s.get(ctx); code != http.StatusServiceUnavailable {
		t.Errorf("with no copy kept and the database down, a reader got %d, want 503", code)
	}
	s.fail = nil
	if _, body := s.get(ctx); body == "render 1" || body == "" {
		t.Fatalf("with the database back a reader got %q, want a new render", body)
	}
	s.h.BypassCache(false)
	_, _ = s.get(ctx) // stored
	s.h.BypassCache(true)
	s.fail = errNotFound
	if code, _ := s.get(ctx); code != http.StatusNotFound {
		t.Errorf("a page that is gone was answered %d from the kept copy, want 404", code)
	}
}
