package media

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// runCleanup runs lib's cleanup worker for the test, logging into a
// buffer it returns.
func runCleanup(t *testing.T, lib *Library) *syncBuffer {
	t.Helper()
	var buf syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { lib.RunCleanup(ctx, slog.New(slog.NewTextHandler(&buf, nil))); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for started := false; !started; time.Sleep(time.Millisecond) { // it logs through buf from now on
		lib.cleanup.mu.Lock()
		started = lib.cleanup.logger != nil
		lib.cleanup.mu.Unlock()
	}
	return &buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// downStorage is Storage whose Deletes fail while it is down; it counts
// the Deletes that went through.
type downStorage struct {
	Storage
	mu      sync.Mutex
	down    bool
	deleted []string
}

func (d *downStorage) Delete(ctx context.Context, key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.down {
		return fmt.Errorf("delete %s: %w", key, ErrUnavailable)
	}
	d.deleted = append(d.deleted, key)
	return nil
}

func (d *downStorage) setDown(down bool) {
	d.mu.Lock()
	d.down = down
	d.mu.Unlock()
}

func (d *downStorage) deletedKeys() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.deleted...)
}

// Many saves failing while the storage is down start no goroutine each.
func TestLibraryRemoveAll_startsNoGoroutinePerFailedSave(t *testing.T) {
	lib := NewLibrary(&memStore{}, &downStorage{Storage: NewLocalDisk(t.TempDir()), down: true}, Limits{})
	before := runtime.NumGoroutine()
	for i := range 100 {
		lib.removeAll(context.Background(), []string{fmt.Sprintf("u/%d/640.jpg", i)})
	}
	if after := runtime.NumGoroutine(); after-before >= 50 {
		t.Errorf("%d goroutines after 100 failed saves, %d before: want the one worker, not one each", after, before)
	}
}

// The files waiting to be deleted again are bounded; those beyond are
// dropped with a warning naming them.
func TestLibraryCleanup_queueIsBounded(t *testing.T) {
	lib := NewLibrary(&memStore{}, &downStorage{Storage: NewLocalDisk(t.TempDir()), down: true}, Limits{})
	lib.cleanupWait = time.Hour
	log := runCleanup(t, lib)
	var keys []string
	for i := range maxCleanup + 2 {
		keys = append(keys, fmt.Sprintf("u/%d/640.jpg", i))
	}
	lib.removeAll(context.Background(), keys)
	lib.removeAll(context.Background(), []string{"u/last/640.jpg"})
	if n := lib.cleanupWaiting(); n != maxCleanup {
		t.Errorf("%d files waiting, want the bound of %d", n, maxCleanup)
	}
	for _, dropped := range []string{keys[maxCleanup], keys[maxCleanup+1], "u/last/640.jpg"} {
		if !strings.Contains(log.String(), dropped) {
			t.Errorf("dropped %s without saying so; log:\n%s", dropped, log.String())
		}
	}
}

// Once the storage is back, the files waiting are deleted; the worker
// stops with its context.
func TestLibraryRunCleanup_deletesWhenTheStorageIsBackAndStopsWithItsContext(t *testing.T) {
	files := &downStorage{Storage: NewLocalDisk(t.TempDir()), down: true}
	lib := NewLibrary(&memStore{}, files, Limits{})
	lib.cleanupWait = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { lib.RunCleanup(ctx, slog.New(slog.DiscardHandler)); close(done) }()
	lib.removeAll(context.Background(), []string{"u/a/640.jpg", "u/a/320.jpg"})
	time.Sleep(100 * time.Millisecond) // a few tries fail
	files.setDown(false)
	for deadline := time.Now().Add(10 * time.Second); lib.cleanupWaiting() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := files.deletedKeys(); len(got) != 2 || lib.cleanupWaiting() != 0 {
		t.Errorf("deleted %q, %d waiting; want both deleted", got, lib.cleanupWaiting())
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunCleanup did not return after its context ended")
	}
}
