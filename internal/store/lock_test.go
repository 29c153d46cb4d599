package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// postgresEngine is the PostgreSQL engine, or skips the test without one
// (storetest.Engines fails it in CI instead).
func postgresEngine(t *testing.T) storetest.Engine {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		if e.Name == "postgres" {
			return e
		}
	}
	t.Skip("needs PostgreSQL")
	return storetest.Engine{}
}

// TestOpen_concurrentOnEmptySchema opens one empty PostgreSQL schema from
// several processes' worth of handles at once, as instances started
// together do: without the migration lock all but one failed, creating
// the same types and columns twice.
func TestOpen_concurrentOnEmptySchema(t *testing.T) {
	e := postgresEngine(t)
	dsn := e.DSN(t)
	const n = 4
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			db, err := store.Open(context.Background(), dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open #%d: %v", i+1, err)
		}
	}
}

// TestWithLock_oneAtATimePerSite holds a site's lock and checks that a
// second instance of the same site waits for it, while a site in another
// schema of the same database does not.
func TestWithLock_oneAtATimePerSite(t *testing.T) {
	e := postgresEngine(t)
	ctx := context.Background()
	dsn := e.DSN(t)
	open := func(dsn string) *store.DB {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first, second, other := open(dsn), open(dsn), open(e.DSN(t))

	held, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- first.WithLock(ctx, store.LockDemo, func(context.Context) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held

	// Another schema's site is not held up.
	otherCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := other.WithLock(otherCtx, store.LockDemo, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("a site in another schema waited for this one's lock: %v", err)
	}

	// The same site waits: it enters only after the holder is done.
	var mu sync.Mutex
	released := false
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- second.WithLock(ctx, store.LockDemo, func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			if !released {
				t.Error("the second holder entered while the first still held the lock")
			}
			return nil
		})
	}()
	// Give the second a fair chance to get in wrongly before releasing.
	select {
	case err := <-secondDone:
		t.Fatalf("the second holder finished while the first held the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	mu.Lock()
	released = true
	mu.Unlock()
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}

	// A holder whose context ends while it waits gives up with an error.
	heldAgain, hold := make(chan struct{}), make(chan struct{})
	go func() {
		_ = first.WithLock(ctx, store.LockDemo, func(context.Context) error { close(heldAgain); <-hold; return nil })
	}()
	defer close(hold)
	<-heldAgain
	waitCtx, cancelWait := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancelWait()
	if err := second.WithLock(waitCtx, store.LockDemo, func(context.Context) error { return nil }); err == nil {
		t.Error("WithLock returned nil although the lock stayed held past its context")
	}
}

// TestWithLock_onAPoolOfOneConnection runs work that needs the pool under
// the lock, as loading the demo does, with --db-max-conns 1: the lock is
// held on a session of its own, so the work does not wait for it. The
// lock is given back after a failure as after a success.
func TestWithLock_onAPoolOfOneConnection(t *testing.T) {
	e := postgresEngine(t)
	ctx := context.Background()
	dsn := e.DSN(t)
	db, err := store.OpenWith(ctx, dsn, store.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	other, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	failed := errors.New("the work failed")
	for _, result := range []error{nil, failed} {
		workCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := db.WithLock(workCtx, store.LockDemo, func(ctx context.Context) error {
			if _, err := db.SchemaVersion(ctx); err != nil {
				return fmt.Errorf("the pool's only connection, under the lock: %w", err)
			}
			return result
		})
		cancel()
		if !errors.Is(err, result) || (result == nil && err != nil) {
			t.Fatalf("WithLock: %v, want %v", err, result)
		}
		// Given back: another instance takes it at once.
		otherCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = other.WithLock(otherCtx, store.LockDemo, func(context.Context) error { return nil })
		cancel()
		if err != nil {
			t.Fatalf("after work ending with %v, the lock was not given back: %v", result, err)
		}
	}
}
