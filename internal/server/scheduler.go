package server

import (
	"context"
	"log/slog"
	"time"

	"broadsheet/internal/article"
)

// runScheduler publishes scheduled articles when their time comes,
// checking every interval until ctx ends. The schedule lives in the
// database, so nothing is lost across restarts, and several instances may
// each run it: an article's version lets only one of them publish it.
func runScheduler(ctx context.Context, logger *slog.Logger, articles *article.Service, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		// Each round has a deadline: a database that stopped answering
		// must not hold the scheduler for good; the next round tries again.
		runCtx, cancel := context.WithTimeout(ctx, time.Minute)
		n, err := articles.PublishDue(runCtx)
		cancel()
		if err != nil && ctx.Err() == nil {
			logger.Error("scheduled publishing failed", "err", err)
		}
		if n > 0 {
			logger.Info("published scheduled articles", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
