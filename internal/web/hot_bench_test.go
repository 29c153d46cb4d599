package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"broadsheet/internal/http/middleware"
	"broadsheet/internal/logsafe"
)

// logMode is how a benchmark's front writes its access lines.
type logMode int

const (
	logNone   logMode = iota // --access-log=false
	logInline                // through slog, in the request (no Run)
	logAsync                 // through slog, on the access log's goroutine
	logJSON                  // written by the access log itself, as serve does with JSON logs
)

// frontOf is what server.New puts in front of the site: middleware.Front
// answering cached pages through ServeCached, access lines as JSON (through
// logsafe, as the server's logger) to io.Discard.
func frontOf(b *testing.B, h *Handler, mode logMode) http.Handler {
	var access *middleware.AccessLog
	if mode != logNone {
		access = middleware.NewAccessLog(slog.New(logsafe.NewHandler(slog.NewJSONHandler(io.Discard, nil))))
	}
	if mode == logJSON {
		access.WriteJSONTo(io.Discard)
	}
	if mode == logAsync || mode == logJSON {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { access.Run(ctx); close(done) }()
		b.Cleanup(func() { cancel(); <-done })
	}
	return &middleware.Front{Access: access, Hot: h.ServeCached, Next: h}
}

// BenchmarkArticlePage_hot serves the cached article page through the
// server's front (the hot path), beside the chain of middleware it
// replaced, with each way of writing the access line:
//
//	go test -run '^$' -bench ArticlePage_hot -benchmem ./internal/web/
func BenchmarkArticlePage_hot(b *testing.B) {
	s := newBenchSite(b, true)
	b.Run("discard/chain", func(b *testing.B) { benchDiscard(b, withMiddleware(s.h), s.articleURL) })
	for _, m := range []struct {
		name string
		mode logMode
	}{{"noLog", logNone}, {"slogInline", logInline}, {"slogAsync", logAsync}, {"json", logJSON}} {
		b.Run("discard/front/"+m.name, func(b *testing.B) { benchDiscard(b, frontOf(b, s.h, m.mode), s.articleURL) })
	}
	b.Run("tcp/chain", func(b *testing.B) { benchTCP(b, withMiddleware(s.h), s.articleURL) })
	b.Run("tcp/front/json", func(b *testing.B) { benchTCP(b, frontOf(b, s.h, logJSON), s.articleURL) })
}
