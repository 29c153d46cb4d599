package cluster

import (
	"fmt"
	"time"
)

// Ready describes the listener for /readyz: line is what to show (empty
// when there are no other instances), ok whether the instance should
// take readers.
//
// While the listener is away this instance misses the other instances'
// changes. It does not serve them stale — its page cache is bypassed and
// every page rendered from the database — but every reader costs a
// render, and the comment rules and the scheduler's wake-ups lag, so a
// load balancer should send readers elsewhere: the instance is not ready
// once the gap outlasts the grace (5 s by default). A shorter gap is the ordinary
// reconnection after a dropped session, which takes a fraction of a
// second; failing for it would take instances out of the pool at every
// database restart. If the whole database is away, no instance can
// change anything (and /readyz fails on its ping anyway).
func (b *Broadcaster) Ready(now time.Time) (line string, ok bool) {
	if b.pg == nil {
		return "", true
	}
	b.stateMu.Lock()
	defer b.stateMu.Unlock()
	at := b.since.UTC().Format(time.RFC3339)
	if b.listening {
		return "invalidation: listening since " + at, true
	}
	gap := now.Sub(b.since).Round(100 * time.Millisecond)
	state := "disconnected"
	if !b.everListened {
		state = "not connected yet"
	}
	line = fmt.Sprintf("invalidation: listener %s since %s (%s); changes made on other instances may not show here", state, at, gap)
	return line, gap < b.grace
}
