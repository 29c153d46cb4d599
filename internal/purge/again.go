package purge

import "time"

// againQueue holds the keys already purged once that are to be purged
// again, in batches of keys purged together, each with its own due time.
// Batches are added in the order they were purged, so the first is due
// first. Only Run's goroutine uses it.
type againQueue struct {
	batches []againBatch
	size    int // keys in all batches
}

type againBatch struct {
	keys []string
	due  time.Time
}

// add queues keys to be purged again at due. Beyond max keys waiting, the
// queue becomes one purge of everything at the latest due time: later
// than some keys needed, never sooner, and bounded.
func (q *againQueue) add(keys []string, due time.Time, max int) {
	if q.size+len(keys) > max {
		q.batches = []againBatch{{keys: []string{AllKey}, due: due}}
		q.size = 1
		return
	}
	q.batches = append(q.batches, againBatch{keys: keys, due: due})
	q.size += len(keys)
}

// timer fires when the first batch is due; nil (never) when none waits.
func (q *againQueue) timer() <-chan time.Time {
	if len(q.batches) == 0 {
		return nil
	}
	return time.After(time.Until(q.batches[0].due))
}

// takeDue removes and returns the keys of the batches due by now, each
// once.
func (q *againQueue) takeDue(now time.Time) []string {
	var keys []string
	seen := map[string]struct{}{}
	n := 0
	for ; n < len(q.batches) && !q.batches[n].due.After(now); n++ {
		for _, k := range q.batches[n].keys {
			if _, dup := seen[k]; !dup {
				seen[k] = struct{}{}
				keys = append(keys, k)
			}
		}
		q.size -= len(q.batches[n].keys)
	}
	q.batches = q.batches[n:]
	return keys
}

// lastDue is when the last batch is due.
func (q *againQueue) lastDue() (time.Time, bool) {
	if len(q.batches) == 0 {
		return time.Time{}, false
	}
	return q.batches[len(q.batches)-1].due, true
}
