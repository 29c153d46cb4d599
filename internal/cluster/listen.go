package cluster

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"broadsheet/internal/cache"
)

// livenessEvery is how long the listener waits in silence before it asks
// the server whether its session is still there: a connection cut without
// a word (a network partition) would otherwise go unnoticed, and every
// message sent meanwhile be lost.
const livenessEvery = 15 * time.Second

// Run sends this instance's keys to the others and listens for theirs
// until ctx ends. It returns at once when there are no others to tell.
func (b *Broadcaster) Run(ctx context.Context) {
	if b.pg == nil {
		return
	}
	b.logger.Info("invalidation broadcast", "instance", b.id)
	var wg sync.WaitGroup
	wg.Go(func() { b.publish(ctx) })
	wg.Go(func() { b.listen(ctx) })
	wg.Wait()
}

// listen keeps a listening session open, reconnecting when it drops.
func (b *Broadcaster) listen(ctx context.Context) {
	// Until the listener listens, the other instances' changes go unheard:
	// pages are served from the database, never from copies that may
	// miss them. (At start-up this lasts the first connection.)
	b.bypassPages(true)
	wait := retryMin
	for ctx.Err() == nil {
		connected, err := b.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if b.setDown() {
			// Bypassed, not emptied: pages are rendered from the database,
			// which holds every change, and the kept copies are served only
			// when the database itself does not answer (when nobody can
			// change anything either). They are dropped on reconnecting.
			b.bypassPages(true)
			b.logger.Warn("invalidation listener disconnected; pages are served from the database until it reconnects", "err", err)
		}
		if connected {
			wait = retryMin
		}
		sleep(ctx, wait)
		wait = min(2*wait, retryMax)
	}
}

// listenOnce connects, listens and invalidates what other instances send
// until the session fails; connected reports whether it got as far as
// listening.
func (b *Broadcaster) listenOnce(ctx context.Context) (connected bool, err error) {
	connCtx, cancel := context.WithTimeout(ctx, connectTimeout+sendTimeout)
	s, err := b.connect(connCtx, b.app)
	if err == nil {
		if _, err = s.conn.Exec(connCtx, `LISTEN `+pgx.Identifier{s.channel}.Sanitize()); err != nil {
			s.close()
		}
	}
	cancel()
	if err != nil {
		return false, err
	}
	defer s.close()
	// Messages sent while no session listened are lost, so everything
	// kept may be out of date: drop it, now that no further message can be
	// missed, and only then use the page cache again. (At start-up the
	// cache is empty and this costs nothing.)
	b.invalidateLocal(cache.KeyAll)
	b.bypassPages(false)
	if gap := b.setUp(); gap > 0 {
		b.logger.Info("invalidation listener reconnected; page cache emptied", "gap", gap.String())
	}
	for {
		waitCtx, cancel := context.WithTimeout(ctx, livenessEvery)
		n, err := s.conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			b.receive(n.Payload)
		case ctx.Err() != nil:
			return true, ctx.Err()
		case waitCtx.Err() != nil && !s.conn.IsClosed():
			// Silence: check the session is still there.
			pingCtx, cancel := context.WithTimeout(ctx, sendTimeout)
			err = s.conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return true, err
			}
		default:
			return true, err
		}
	}
}

// receive invalidates here what another instance changed.
func (b *Broadcaster) receive(payload string) {
	var m message
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		// Not ours to read: what changed is unknown, so drop everything.
		b.logger.Warn("invalidation message not understood; page cache emptied", "err", err)
		b.invalidateLocal(cache.KeyAll)
		return
	}
	if m.From == b.id {
		return // invalidated locally when it was sent
	}
	b.invalidateLocal(m.Keys...)
}

// setUp records that the listener listens, and returns how long it was
// away (zero the first time).
func (b *Broadcaster) setUp() time.Duration {
	b.stateMu.Lock()
	defer b.stateMu.Unlock()
	var gap time.Duration
	if b.everListened {
		gap = time.Since(b.since)
	}
	b.listening, b.everListened, b.since = true, true, time.Now()
	return gap
}

// setDown records that the listener is away, and reports whether it was
// listening until now (a failure to reconnect is not news).
func (b *Broadcaster) setDown() bool {
	b.stateMu.Lock()
	defer b.stateMu.Unlock()
	if !b.listening {
		return false
	}
	b.listening, b.since = false, time.Now()
	return true
}
