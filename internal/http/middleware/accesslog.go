package middleware

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"broadsheet/internal/logsafe"
)

// AccessLog writes one line per request, the same line Log writes, but
// turns lines into text on its own goroutine (Run) in batches, so that a
// request only appends a few words to a list: formatting a line costs
// more than serving a cached page. No line is dropped: when Run is not
// running (before it starts, after it stops) or has fallen far behind,
// the request writes its own line.
type AccessLog struct {
	logger  *slog.Logger
	mu      sync.Mutex
	pending []accessEntry
	running bool
	kick    chan struct{}
	json    io.Writer // set by WriteJSONTo: lines are formatted here, not by slog
}

// accessEntry is what one line says, as the request left it.
type accessEntry struct {
	id, method, path, query string
	status, bytes           int
	end                     time.Time
	took                    time.Duration
}

const (
	accessBatch   = 256     // wake the writer early past this many lines
	accessBacklog = 1 << 16 // past this many waiting, requests write their own
	accessEvery   = 20 * time.Millisecond
)

// NewAccessLog writes request lines to logger; nil logs nothing.
func NewAccessLog(logger *slog.Logger) *AccessLog {
	if logger == nil {
		return nil
	}
	return &AccessLog{logger: logger, kick: make(chan struct{}, 1)}
}

// Run writes the lines requests leave, until ctx ends; then it writes
// those left and requests write their own again.
func (a *AccessLog) Run(ctx context.Context) {
	a.mu.Lock()
	a.running = true
	a.mu.Unlock()
	t := time.NewTicker(accessEvery)
	defer t.Stop()
	var spare []accessEntry
	var lines []byte
	for {
		select {
		case <-t.C:
		case <-a.kick:
		case <-ctx.Done():
			// Lines left are written before requests start writing their
			// own, so the log keeps the order requests ended in.
			for {
				a.mu.Lock()
				last := a.pending
				a.pending = nil
				if len(last) == 0 {
					a.running = false
					a.mu.Unlock()
					return
				}
				a.mu.Unlock()
				lines = a.writeBatch(last, lines)
			}
		}
		a.mu.Lock()
		batch := a.pending
		a.pending = spare[:0]
		a.mu.Unlock()
		lines = a.writeBatch(batch, lines)
		clear(batch) // let the strings go
		spare = batch[:0]
	}
}

// writeBatch writes the lines of batch, in one write when the log is
// JSON written here; buf is reused from one batch to the next.
func (a *AccessLog) writeBatch(batch []accessEntry, buf []byte) []byte {
	a.mu.Lock()
	w := a.json
	a.mu.Unlock()
	if w == nil {
		for _, e := range batch {
			a.write(e)
		}
		return buf
	}
	buf = buf[:0]
	ctx := context.Background()
	info, errs := a.logger.Enabled(ctx, slog.LevelInfo), a.logger.Enabled(ctx, slog.LevelError)
	for i := range batch {
		e := &batch[i]
		switch {
		case e.status >= 500 && errs:
			buf = appendJSONLine(buf, e, "ERROR")
		case e.status < 500 && info:
			buf = appendJSONLine(buf, e, "INFO")
		}
	}
	if len(buf) > 0 {
		_, _ = w.Write(buf)
	}
	if cap(buf) > 1<<20 {
		buf = nil // a burst's buffer is not kept
	}
	return buf
}

func (a *AccessLog) record(e accessEntry) {
	if a == nil {
		return
	}
	a.mu.Lock()
	if !a.running || len(a.pending) >= accessBacklog {
		a.mu.Unlock()
		a.writeBatch([]accessEntry{e}, nil)
		return
	}
	a.pending = append(a.pending, e)
	n := len(a.pending)
	a.mu.Unlock()
	if n == accessBatch {
		select {
		case a.kick <- struct{}{}:
		default:
		}
	}
}

// write is Log's line for e, stamped with the time the request ended. The
// path and the query go through logsafe.String, as in Log.
func (a *AccessLog) write(e accessEntry) {
	level := slog.LevelInfo
	if e.status >= 500 {
		level = slog.LevelError
	}
	ctx := context.Background()
	if !a.logger.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(e.end, level, "request", 0)
	r.AddAttrs(
		slog.String("request_id", e.id),
		slog.String("method", e.method),
		slog.String("path", logsafe.String(e.path)),
		slog.Int("status", e.status),
		slog.Int("bytes", e.bytes),
		slog.Duration("duration", e.took),
	)
	if e.query != "" {
		r.AddAttrs(slog.String("query", logsafe.String(e.query)))
	}
	_ = a.logger.Handler().Handle(ctx, r)
}
