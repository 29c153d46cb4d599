package main

import (
	"io"
	"sync"
	"time"
)

// flushWriter collects log lines in memory and writes them out from its
// own goroutine every interval, or sooner when a lot has piled up, so a
// request never waits on a write system call. A crash can lose at most one
// interval of access lines; data is never behind this buffer.
type flushWriter struct {
	w    io.Writer
	mu   sync.Mutex
	buf  []byte
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

const (
	flushSoon = 64 << 10 // wake the flusher early past this many bytes
	flushNow  = 4 << 20  // write inline past this: the flusher is stuck
)

func newFlushWriter(w io.Writer, every time.Duration) *flushWriter {
	f := &flushWriter{w: w, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		t := time.NewTicker(every)
		defer t.Stop()
		spare := make([]byte, 0, flushSoon*2)
		for {
			select {
			case <-t.C:
			case <-f.kick:
			case <-f.stop:
				f.flush(spare)
				return
			}
			spare = f.flush(spare)
		}
	}()
	return f
}

func (f *flushWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	f.buf = append(f.buf, p...)
	n := len(f.buf)
	if n >= flushNow {
		_, err := f.w.Write(f.buf)
		f.buf = f.buf[:0]
		f.mu.Unlock()
		return len(p), err
	}
	f.mu.Unlock()
	if n >= flushSoon {
		select {
		case f.kick <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// flush swaps the full buffer for spare and writes it outside the lock;
// it returns the emptied buffer for the next swap.
func (f *flushWriter) flush(spare []byte) []byte {
	f.mu.Lock()
	full := f.buf
	f.buf = spare[:0]
	f.mu.Unlock()
	if len(full) > 0 {
		_, _ = f.w.Write(full)
	}
	return full[:0]
}

// Close writes what is left and stops the flusher.
func (f *flushWriter) Close() error {
	close(f.stop)
	<-f.done
	return nil
}
