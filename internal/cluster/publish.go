package cluster

import (
	"context"
	"fmt"
	"sort"
	"time"
)

const (
	connectTimeout = 5 * time.Second // as the store's pool
	sendTimeout    = 5 * time.Second // one batch of NOTIFYs
	retryMin       = 100 * time.Millisecond
	retryMax       = 2 * time.Second
	// shutdownFlush bounds sending the last keys when the instance stops:
	// a change made just before must still reach the others.
	shutdownFlush = 2 * time.Second
)

// publish sends the queued keys until ctx ends, on a session of its own.
// Keys are sent as soon as they are queued: every moment they wait is a
// moment in which this instance dying would leave the others serving the
// old pages (for up to PageLifetime). Keys queued while a send is in
// flight gather and go out together after it, so a burst of changes
// costs a few messages, not one per change. Keys it fails to send stay
// queued and are tried again.
func (b *Broadcaster) publish(ctx context.Context) {
	var conn *session
	defer func() { conn.close() }()
	wait := retryMin
	for {
		select {
		case <-ctx.Done():
		case <-b.kick:
		}
		if ctx.Err() != nil {
			flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownFlush)
			if keys := b.take(); len(keys) > 0 {
				var err error
				if conn, err = b.send(flushCtx, conn, keys); err != nil {
					b.logger.Error("invalidation not sent to the other instances at shutdown; they may serve the old pages until their lifetime ends",
						"keys", len(keys), "lifetime", PageLifetime.String(), "err", err)
				}
			}
			cancel()
			return
		}
		keys := b.take()
		if len(keys) == 0 {
			continue
		}
		var err error
		if conn, err = b.send(ctx, conn, keys); err != nil {
			b.requeue(keys)
			if ctx.Err() == nil {
				b.logger.Warn("invalidation not sent to the other instances; trying again", "keys", len(keys), "err", err)
				sleep(ctx, wait)
				wait = min(2*wait, retryMax)
			}
			continue
		}
		wait = retryMin
	}
}

// take empties the queue and returns its keys, sorted.
func (b *Broadcaster) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) == 0 {
		return nil
	}
	keys := make([]string, 0, len(b.pending))
	for k := range b.pending {
		keys = append(keys, k)
	}
	clear(b.pending)
	sort.Strings(keys)
	return keys
}

// requeue puts back keys that were not sent, and wakes publish for them.
func (b *Broadcaster) requeue(keys []string) {
	b.queue(keys)
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// send notifies the other instances of keys on s, connecting first if
// need be, and returns the session to use next time (nil after an error:
// it may be broken).
func (b *Broadcaster) send(ctx context.Context, s *session, keys []string) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if s == nil || s.conn.IsClosed() {
		var err error
		if s, err = b.connect(ctx, b.app+"-notify"); err != nil {
			return nil, err
		}
	}
	for _, p := range payloads(b.id, keys) {
		if _, err := s.conn.Exec(ctx, `SELECT pg_notify($1, $2)`, s.channel, p); err != nil {
			s.close()
			return nil, fmt.Errorf("cluster: notify: %w", err)
		}
	}
	return s, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
