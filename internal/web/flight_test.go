package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/i18n"
	"broadsheet/internal/store"
)

// flightSite is a reader site on a real SQLite file with the page cache
// on, and a page whose render is counted and held until released.
type flightSite struct {
	h       *Handler
	db      *store.DB
	renders atomic.Int32
	release chan struct{} // closed to let held renders finish
	hold    func(n int32) bool
	fail    error // returned by every render when set
	page    http.HandlerFunc
}

func newFlightSite(t *testing.T) *flightSite {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Config{BaseURL: "http://t.test", PageCache: true},
		slog.New(slog.NewTextHandler(io.Discard, nil)), db, cat)
	if err != nil {
		t.Fatal(err)
	}
	s := &flightSite{h: h, db: db, release: make(chan struct{}), hold: func(int32) bool { return true }}
	s.page = h.adapt(func(r *http.Request, base layout) (result, error) {
		n := s.renders.Add(1)
		if s.hold(n) {
			select {
			case <-s.release:
			case <-r.Context().Done():
				return result{}, fmt.Errorf("held render: %w", r.Context().Err())
			}
		}
		// A query with the request's context, as every page makes: it fails
		// if that context was cancelled.
		if _, err := db.ListArticles(r.Context(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1}); err != nil {
			return result{}, err
		}
		if s.fail != nil {
			return result{}, s.fail
		}
		return result{body: fmt.Appendf(nil, "render %d", n), contentType: "text/plain", keys: []string{"flight-test"}}, nil
	}, modePage)
	return s
}

// get serves one request for the page and returns its status and body.
func (s *flightSite) get(ctx context.Context) (int, string) {
	w := httptest.NewRecorder()
	s.page(w, httptest.NewRequest("GET", "/flight-test", nil).WithContext(ctx))
	return w.Code, w.Body.String()
}

// waitFor polls until the page has a flight with n waiters.
func (s *flightSite) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.h.flights.mu.Lock()
		got, flying := -1, 0
		for k, f := range s.h.flights.m {
			if strings.HasSuffix(k.page, "|/flight-test") {
				got, flying = f.waiters, flying+1
			}
		}
		s.h.flights.mu.Unlock()
		if flying == 1 && got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no flight with %d waiters after 10 s (%d flights, %d waiters, %d renders)", n, flying, got, s.renders.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type answer struct {
	code int
	body string
}

// many sends n requests at once and returns a channel of their answers.
func (s *flightSite) many(n int) <-chan answer {
	out := make(chan answer, n)
	for range n {
		go func() {
			code, body := s.get(context.Background())
			out <- answer{code, body}
		}()
	}
	return out
}

func TestAdapt_manyReadersOfAMissingPageShareOneRender(t *testing.T) {
	s := newFlightSite(t)
	const readers = 50
	answers := s.many(readers)
	s.waitFor(t, readers-1) // every request is in: one leads, the rest wait
	close(s.release)
	for range readers {
		if a := <-answers; a.code != http.StatusOK || a.body != "render 1" {
			t.Errorf("a reader got %d %q, want 200 \"render 1\"", a.code, a.body)
		}
	}
	if n := s.renders.Load(); n != 1 {
		t.Errorf("%d renders for %d readers, want 1", n, readers)
	}
	if code, body := s.get(context.Background()); code != http.StatusOK || body != "render 1" || s.renders.Load() != 1 {
		t.Errorf("the next reader got %d %q after %d renders, want the stored page", code, body, s.renders.Load())
	}
}

func TestAdapt_waitersGetTheRendersErrorStatus(t *testing.T) {
	s := newFlightSite(t)
	s.fail = errNotFound
	const readers = 10
	answers := s.many(readers)
	s.waitFor(t, readers-1)
	close(s.release)
	for range readers {
		if a := <-answers; a.code != http.StatusNotFound {
			t.Errorf("a reader got %d, want 404", a.code)
		}
	}
	if n := s.renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
}

// An invalidation during a render: the render may have read the content
// before the change, so it is not stored, and a request that comes after
// the change renders the page anew rather than waiting for the old one.
// The requests already waiting asked before the change and get it.
func TestAdapt_invalidationDuringARenderIsNotStoredNorJoined(t *testing.T) {
	s := newFlightSite(t)
	s.hold = func(n int32) bool { return n == 1 } // the second render goes straight through
	before := s.many(3)
	s.waitFor(t, 2)
	s.h.Invalidate("flight-test")
	if code, body := s.get(context.Background()); code != http.StatusOK || body != "render 2" {
		t.Errorf("a reader after the invalidation got %d %q, want a new render, \"render 2\"", code, body)
	}
	close(s.release)
	for range 3 {
		if a := <-before; a.code != http.StatusOK || a.body != "render 1" {
			t.Errorf("a reader from before the invalidation got %d %q, want \"render 1\"", a.code, a.body)
		}
	}
	if code, body := s.get(context.Background()); body != "render 2" || s.renders.Load() != 2 {
		t.Errorf("the next reader got %d %q after %d renders, want the stored \"render 2\": the render from before the invalidation must not be stored", code, body, s.renders.Load())
	}
	s.h.Invalidate("flight-test")
	if _, body := s.get(context.Background()); body != "render 3" {
		t.Errorf("after a second invalidation a reader got %q, want \"render 3\"", body)
	}
}

func TestAdapt_leaderGoingAwayDoesNotFailTheWaiters(t *testing.T) {
	s := newFlightSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	var leader sync.WaitGroup
	leader.Add(1)
	go func() {
		defer leader.Done()
		s.get(ctx)
	}()
	s.waitFor(t, 0)
	const readers = 5
	answers := s.many(readers)
	s.waitFor(t, readers)
	cancel() // the leader's client goes away mid-render
	close(s.release)
	for range readers {
		if a := <-answers; a.code != http.StatusOK || a.body != "render 1" {
			t.Errorf("a waiter got %d %q, want 200 \"render 1\"", a.code, a.body)
		}
	}
	leader.Wait()
	if code, body := s.get(context.Background()); body != "render 1" || s.renders.Load() != 1 {
		t.Errorf("the next reader got %d %q after %d renders, want the page the flight stored", code, body, s.renders.Load())
	}
}

// The render keeps the leader's deadline: a database that does not answer
// still ends it, for the leader and its waiters alike.
func TestShared_keepsTheDeadlineNotTheCancellation(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	ctx, done := shared(parent)
	defer done()
	cancel()
	if ctx.Err() != nil {
		t.Fatalf("cancelling the leader's request ended the shared render: %v", ctx.Err())
	}
	want, _ := parent.Deadline()
	if got, ok := ctx.Deadline(); !ok || !got.Equal(want) {
		t.Errorf("deadline %v %v, want %v", got, ok, want)
	}
}

// A waiter is bound by its own deadline: a render that outlasts it
// answers that reader 503, as a database that does not answer would,
// and the render goes on for the others.
func TestAdapt_waiterPastItsDeadlineIs503(t *testing.T) {
	s := newFlightSite(t)
	leader := s.many(1)
	s.waitFor(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if code, _ := s.get(ctx); code != http.StatusServiceUnavailable {
		t.Errorf("a waiter past its deadline got %d, want 503", code)
	}
	if n := s.renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1: the second reader should have waited for the first's", n)
	}
	close(s.release)
	if a := <-leader; a.code != http.StatusOK || a.body != "render 1" {
		t.Errorf("the leader got %d %q, want 200 \"render 1\"", a.code, a.body)
	}
}
