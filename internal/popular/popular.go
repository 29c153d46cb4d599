// Package popular counts article views for the most-read lists on our
// own server: no third-party script, and nothing on the page's path but
// an increment in memory. Counts are added to the database in batches,
// one row per article per hour, so several instances add up and a
// restart loses at most one batch.
package popular

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Store keeps the counts.
type Store interface {
	AddViews(ctx context.Context, hour time.Time, views map[int64]int64) error
	PruneViews(ctx context.Context, before time.Time) error
}

// Counter counts views in memory until Flush.
type Counter struct {
	mu     sync.Mutex
	counts map[int64]int64
	store  Store
	now    func() time.Time
	logger *slog.Logger
}

// New builds a Counter; now may be nil for the wall clock.
func New(store Store, logger *slog.Logger, now func() time.Time) *Counter {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Counter{counts: map[int64]int64{}, store: store, now: now, logger: logger}
}

// Count notes one view of an article.
func (c *Counter) Count(articleID int64) {
	c.mu.Lock()
	c.counts[articleID]++
	c.mu.Unlock()
}

// Keep is how long hourly rows are kept: the longest list is a week.
const Keep = 8 * 24 * time.Hour

// Flush adds the counts so far to the database, in the current hour. A
// failed write puts the counts back for the next flush.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	batch := c.counts
	c.counts = map[int64]int64{}
	c.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	now := c.now().UTC()
	if err := c.store.AddViews(ctx, now.Truncate(time.Hour), batch); err != nil {
		c.mu.Lock()
		for id, n := range batch {
			c.counts[id] += n
		}
		c.mu.Unlock()
		return err
	}
	return c.store.PruneViews(ctx, now.Add(-Keep))
}

// Run flushes every interval until ctx ends, then once more.
func (c *Counter) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// The site is stopping: a short deadline of its own, since ctx
			// is already done.
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := c.Flush(fctx); err != nil {
				c.logger.Error("article views: last flush failed", "err", err)
			}
			cancel()
			return
		case <-t.C:
			// A deadline of its own: a database that stopped answering must
			// not hold the flusher for good. A failed batch is kept for the
			// next round.
			fctx, cancel := context.WithTimeout(ctx, time.Minute)
			if err := c.Flush(fctx); err != nil && ctx.Err() == nil {
				c.logger.Error("article views: flush failed", "err", err)
			}
			cancel()
		}
	}
}

// botWords appear in the user agents of crawlers, link previewers and
// monitoring tools, whose visits are not readers'.
var botWords = []string{"bot", "crawl", "spider", "slurp", "preview", "facebookexternalhit", "embedly",
	"curl", "wget", "python-requests", "go-http-client", "httpclient", "monitor", "headless", "lighthouse", "wrk"}

// IsBot reports a request that does not come from a reader's browser.
func IsBot(r *http.Request) bool {
	ua := strings.ToLower(r.UserAgent())
	if ua == "" {
		return true
	}
	for _, w := range botWords {
		if strings.Contains(ua, w) {
			return true
		}
	}
	return r.Header.Get("Purpose") == "prefetch" || r.Header.Get("Sec-Purpose") != ""
}
