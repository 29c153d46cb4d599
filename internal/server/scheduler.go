package server

import (
	"context"
	"log/slog"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
)

// scheduler publishes scheduled articles when their time comes. It sleeps
// until the next one is due, and wakes early when the schedule may have
// changed: every article change invalidates cache.KeyArticles, here or
// on another instance (the broadcast brings it), and the scheduler is
// one of the invalidator's local parts. A round every safety interval
// stays, for a wake-up lost or a clock that jumped.
//
// The schedule lives in the database, so nothing is lost across
// restarts, and every instance runs a scheduler: all of them wake at the
// due time, and an article's version lets only one of them publish it.
type scheduler struct {
	wake chan struct{}
}

// schedule is what the scheduler reads and does.
type schedule struct {
	publishDue func(ctx context.Context) (int, error)
	// nextDue is the time of the next scheduled article; ok is false
	// when none is scheduled.
	nextDue func(ctx context.Context) (at time.Time, ok bool, err error)
	now     func() time.Time
	every   time.Duration // the safety round
}

// minSleep keeps a story that stays due (another instance is publishing
// it this instant, or it fails) from spinning the scheduler.
const minSleep = 50 * time.Millisecond

func newScheduler() *scheduler { return &scheduler{wake: make(chan struct{}, 1)} }

// Invalidate wakes the scheduler when keys may mean a change of schedule.
func (s *scheduler) Invalidate(keys ...string) {
	for _, k := range keys {
		if k == cache.KeyArticles || k == cache.KeyAll {
			select {
			case s.wake <- struct{}{}:
			default:
			}
			return
		}
	}
}

// run publishes what is due, then sleeps until the next due time, a
// wake-up or the safety round, until ctx ends.
//
// After a failed round it tries again soon, then less and less often: a
// single passing database error must not hold a story due now until the
// safety round (ten seconds by default), nor a database that stays away
// be asked every few milliseconds.
func (s *scheduler) run(ctx context.Context, logger *slog.Logger, sc schedule) {
	retry := minSleep
	for {
		wait, failed := s.round(ctx, logger, sc)
		if failed {
			wait = min(retry, sc.every)
			retry = min(2*retry, sc.every)
		} else {
			retry = minSleep
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-s.wake:
			t.Stop()
		}
	}
}

// round publishes what is due and returns how long to sleep, or that it
// failed (run then decides how long to wait before retrying). Each round
// has a deadline: a database that stopped answering must not hold the
// scheduler for good; the next round tries again.
func (s *scheduler) round(ctx context.Context, logger *slog.Logger, sc schedule) (wait time.Duration, failed bool) {
	runCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n, err := sc.publishDue(runCtx)
	if n > 0 {
		logger.Info("published scheduled articles", "count", n)
	}
	if err != nil {
		if ctx.Err() == nil {
			logger.Error("scheduled publishing failed", "err", err)
		}
		return 0, true
	}
	if n > 0 {
		return 0, false // a batch may have left more behind it
	}
	at, ok, err := sc.nextDue(runCtx)
	if err != nil {
		if ctx.Err() == nil {
			logger.Error("reading the next scheduled article failed", "err", err)
		}
		return 0, true
	}
	if !ok {
		return sc.every, false
	}
	// Times are kept in milliseconds: wake on the millisecond after, not
	// a hair before it is due.
	wait = at.Sub(sc.now()) + time.Millisecond
	return min(max(wait, minSleep), sc.every), false
}

// scheduleOf is the schedule of articles on db.
func scheduleOf(articles *article.Service, nextDue func(ctx context.Context) (time.Time, bool, error), now func() time.Time, every time.Duration) schedule {
	if now == nil {
		now = time.Now
	}
	return schedule{publishDue: articles.PublishDue, nextDue: nextDue, now: now, every: every}
}
