package media

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// When a save fails, its files are deleted; those the storage would not
// delete then (it is down: the likely reason the save failed) wait in a
// bounded queue, and one worker (RunCleanup) tries them again at growing
// intervals for up to cleanupFor, so that no file of an image never
// recorded stays stored once the storage is back. Uploads refused while
// the storage is down add to the queue, never to the goroutines: beyond
// maxCleanup files, the rest are left stored and logged.

// maxCleanup bounds the files waiting to be deleted again.
const maxCleanup = 1000

// cleanupFor is how long a file is tried again: longer than a gateway's
// usual restart, short enough that retries of a storage gone for good do
// not pile up.
const cleanupFor = time.Hour

// maxCleanupWait bounds the wait between two tries of a file.
const maxCleanupWait = 30 * time.Second

type cleanupQueue struct {
	wake chan struct{} // holds one token when files were added

	mu      sync.Mutex
	logger  *slog.Logger // set by RunCleanup; slog.Default() before
	pending []cleanupFile
}

type cleanupFile struct {
	key  string
	next time.Time     // when to try it again
	wait time.Duration // after next, if it fails again
	end  time.Time     // when to give up
}

// queueCleanup queues keys, which the storage would not delete, to be
// deleted again after first wait; beyond maxCleanup, they are dropped
// with a warning.
func (l *Library) queueCleanup(keys []string) {
	q := &l.cleanup
	now := time.Now()
	q.mu.Lock()
	room := max(0, maxCleanup-len(q.pending))
	take := min(room, len(keys))
	for _, k := range keys[:take] {
		q.pending = append(q.pending, cleanupFile{key: k, next: now.Add(l.cleanupWait), wait: l.cleanupWait, end: now.Add(cleanupFor)})
	}
	logger := q.logger
	q.mu.Unlock()
	if dropped := keys[take:]; len(dropped) > 0 {
		if logger == nil {
			logger = slog.Default()
		}
		logger.Warn("media: too many files of failed uploads wait to be deleted; these stay stored", "keys", dropped, "waiting", maxCleanup)
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// RunCleanup deletes again, until ctx ends, the files of failed saves the
// storage would not delete at the time. Files still waiting when it
// returns are logged.
func (l *Library) RunCleanup(ctx context.Context, logger *slog.Logger) {
	q := &l.cleanup
	q.mu.Lock()
	q.logger = logger
	q.mu.Unlock()
	for {
		var timer <-chan time.Time
		if next, ok := q.nextTry(); ok {
			timer = time.After(time.Until(next))
		}
		select {
		case <-ctx.Done():
			q.mu.Lock()
			left := len(q.pending)
			q.mu.Unlock()
			if left > 0 {
				logger.Warn("media: stopping with files of failed uploads still stored", "files", left)
			}
			return
		case <-q.wake:
		case <-timer:
			l.retryDue(ctx, time.Now())
		}
	}
}

// nextTry is when the first file waiting is due.
func (q *cleanupQueue) nextTry() (time.Time, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var first time.Time
	for i, f := range q.pending {
		if i == 0 || f.next.Before(first) {
			first = f.next
		}
	}
	return first, len(q.pending) > 0
}

// retryDue tries to delete the files due by now, outside the lock, and
// puts back those that fail, until their time is up.
func (l *Library) retryDue(ctx context.Context, now time.Time) {
	q := &l.cleanup
	q.mu.Lock()
	var due []cleanupFile
	rest := q.pending[:0:0]
	for _, f := range q.pending {
		if f.next.After(now) {
			rest = append(rest, f)
		} else {
			due = append(due, f)
		}
	}
	q.pending = rest
	q.mu.Unlock()
	var again []cleanupFile
	for _, f := range due {
		if l.files.Delete(ctx, f.key) == nil || ctx.Err() != nil {
			continue // a stop ends the tries; RunCleanup logs what is left
		}
		f.wait = min(2*f.wait, maxCleanupWait)
		if f.next = time.Now().Add(f.wait); f.next.Before(f.end) {
			again = append(again, f)
		}
	}
	q.mu.Lock()
	q.pending = append(q.pending, again...)
	q.mu.Unlock()
}

// cleanupWaiting reports how many files wait to be deleted again.
func (l *Library) cleanupWaiting() int {
	l.cleanup.mu.Lock()
	defer l.cleanup.mu.Unlock()
	return len(l.cleanup.pending)
}
