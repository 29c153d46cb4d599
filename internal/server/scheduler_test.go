package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/cache"
)

// fakeSchedule is a schedule whose next due time the test sets, and
// which counts the scheduler's rounds.
type fakeSchedule struct {
	mu     sync.Mutex
	next   time.Time // zero: nothing scheduled
	rounds int
	ran    chan struct{}
}

func (f *fakeSchedule) publishDue(context.Context) (int, error) {
	f.mu.Lock()
	f.rounds++
	f.mu.Unlock()
	select {
	case f.ran <- struct{}{}:
	default:
	}
	return 0, nil
}

func (f *fakeSchedule) nextDue(context.Context) (time.Time, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.next, !f.next.IsZero(), nil
}

func (f *fakeSchedule) setNext(t time.Time) {
	f.mu.Lock()
	f.next = t
	f.mu.Unlock()
}

// runFake runs a scheduler whose safety round is an hour, so that any
// round within the test's waits comes from a due time or a wake-up.
func runFake(t *testing.T) (*scheduler, *fakeSchedule) {
	t.Helper()
	s, f := newScheduler(), &fakeSchedule{ran: make(chan struct{}, 16)}
	f.setNext(time.Now().Add(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.run(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)),
			schedule{publishDue: f.publishDue, nextDue: f.nextDue, now: time.Now, every: time.Hour})
		close(done)
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitRound(t, f, "the first round at start")
	return s, f
}

func waitRound(t *testing.T, f *fakeSchedule, what string) {
	t.Helper()
	select {
	case <-f.ran:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no round within 10 s", what)
	}
}

// TestScheduler_wakesWhenTheScheduleChanges: an article change (the
// invalidation of cache.KeyArticles, made here or arriving from another
// instance) wakes a scheduler sleeping for an hour, which then sleeps
// only until the new due time.
func TestScheduler_wakesWhenTheScheduleChanges(t *testing.T) {
	s, f := runFake(t)

	s.Invalidate(cache.ArticleKey(1), cache.KeyHome) // not a change of schedule alone…
	select {
	case <-f.ran:
		t.Fatal("woke for keys that do not include the article lists")
	case <-time.After(200 * time.Millisecond):
	}

	due := time.Now().Add(300 * time.Millisecond)
	f.setNext(due)
	s.Invalidate(cache.KeyHome, cache.KeyArticles, cache.ArticleKey(1)) // …an article change is
	waitRound(t, f, "the wake-up")
	waitRound(t, f, "the due time")
	if late := time.Since(due); late < 0 {
		t.Errorf("the round for the due time came %s early", -late)
	}
}

// TestScheduler_sleepsUntilTheNextDueTime: without any wake-up, a story
// due soon is published on time, not at the next safety round.
func TestScheduler_sleepsUntilTheNextDueTime(t *testing.T) {
	s, f := newScheduler(), &fakeSchedule{ran: make(chan struct{}, 16)}
	due := time.Now().Add(400 * time.Millisecond)
	f.setNext(due)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.run(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)),
		schedule{publishDue: f.publishDue, nextDue: f.nextDue, now: time.Now, every: time.Hour})
	waitRound(t, f, "the first round at start")
	waitRound(t, f, "the due time")
	if late := time.Since(due); late < 0 {
		t.Errorf("the round came %s before the due time", -late)
	}
}

// flakySchedule fails its first rounds, as a database that drops a
// connection or restarts would, then publishes.
type flakySchedule struct {
	mu       sync.Mutex
	failures int // rounds still to fail
	at       []time.Time
	ran      chan struct{}
}

func (f *flakySchedule) publishDue(context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.at = append(f.at, time.Now())
	select {
	case f.ran <- struct{}{}:
	default:
	}
	if f.failures > 0 {
		f.failures--
		return 0, errors.New("connection reset by peer")
	}
	return 0, nil
}

func (f *flakySchedule) nextDue(context.Context) (time.Time, bool, error) {
	return time.Time{}, false, nil
}

// TestScheduler_retriesSoonAfterAFailure: a failed round is tried again
// after the scheduler's shortest sleep, then after twice as long each
// time, not after the safety round (an hour here); once a round succeeds
// the scheduler sleeps until the safety round again.
func TestScheduler_retriesSoonAfterAFailure(t *testing.T) {
	s, f := newScheduler(), &flakySchedule{failures: 3, ran: make(chan struct{}, 16)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.run(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)),
			schedule{publishDue: f.publishDue, nextDue: f.nextDue, now: time.Now, every: time.Hour})
		close(done)
	}()
	defer func() { cancel(); <-done }()
	for i := range 4 { // three failures and the success after them
		select {
		case <-f.ran:
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d after a failure did not come within 10 s; the scheduler waits for its safety round", i+1)
		}
	}
	select {
	case <-f.ran:
		t.Fatal("another round came after a successful one; the backoff was not reset")
	case <-time.After(500 * time.Millisecond):
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 1; i < len(f.at); i++ {
		want := minSleep << (i - 1) // 50, 100, 200 ms
		if gap := f.at[i].Sub(f.at[i-1]); gap < want {
			t.Errorf("retry %d came %s after the failure, want at least %s (doubling from %s)", i, gap, want, minSleep)
		}
	}
}
