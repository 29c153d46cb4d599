package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// flushWriter buffers log lines and writes them out every interval and
// on Close. A crash can lose at most one interval of access lines; the
// data itself is never behind this buffer.
type flushWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newFlushWriter(w io.Writer, every time.Duration) *flushWriter {
	f := &flushWriter{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				f.flush()
			case <-f.stop:
				f.flush()
				return
			}
		}
	}()
	return f
}

func (f *flushWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.Write(p)
}

func (f *flushWriter) flush() {
	f.mu.Lock()
	_ = f.buf.Flush()
	f.mu.Unlock()
}

// Close flushes what is left and stops the flusher.
func (f *flushWriter) Close() error {
	close(f.stop)
	<-f.done
	return nil
}
