package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"broadsheet/internal/http/middleware"
)

// frontOf is what server.New puts in front of the site: middleware.Front
// answering cached pages through ServeCached, access lines as JSON to
// io.Discard (written by the request itself unless run is set, then by
// the access log's own goroutine, as in a server).
func frontOf(b *testing.B, h *Handler, run bool) http.Handler {
	access := middleware.NewAccessLog(slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { access.Run(ctx); close(done) }()
		b.Cleanup(func() { cancel(); <-done })
	}
	return &middleware.Front{Access: access, Hot: h.ServeCached, Next: h}
}

// BenchmarkArticlePage_hot serves the cached article page through the
// server's front (the hot path), beside the chain it replaced.
//
//	go test -run '^$' -bench ArticlePage_hot -benchmem ./internal/web/
func BenchmarkArticlePage_hot(b *testing.B) {
	s := newBenchSite(b, true)
	b.Run("discard/chain", func(b *testing.B) { benchDiscard(b, withMiddleware(s.h), s.articleURL) })
	b.Run("discard/front", func(b *testing.B) { benchDiscard(b, frontOf(b, s.h, false), s.articleURL) })
	b.Run("discard/frontAsyncLog", func(b *testing.B) { benchDiscard(b, frontOf(b, s.h, true), s.articleURL) })
	b.Run("tcp/chain", func(b *testing.B) { benchTCP(b, withMiddleware(s.h), s.articleURL) })
	b.Run("tcp/front", func(b *testing.B) { benchTCP(b, frontOf(b, s.h, false), s.articleURL) })
	b.Run("tcp/frontAsyncLog", func(b *testing.B) { benchTCP(b, frontOf(b, s.h, true), s.articleURL) })
}

// BenchmarkAccessLine is the cost of one access line, formatted as the
// server formats it (JSON through the logsafe handler), on whichever
// goroutine writes it.
func BenchmarkArticlePage_hotNoLog(b *testing.B) {
	s := newBenchSite(b, true)
	b.Run("discard/frontNoLog", func(b *testing.B) {
		benchDiscard(b, &middleware.Front{Hot: s.h.ServeCached, Next: s.h}, s.articleURL)
	})
	b.Run("discard/front", func(b *testing.B) { benchDiscard(b, frontOf(b, s.h, false), s.articleURL) })
}
