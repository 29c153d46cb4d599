package main

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func TestFlushWriter_losesNoLineOnClose(t *testing.T) {
	var out lockedBuffer
	f := newFlushWriter(&out, time.Hour) // only size and Close flush here
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5000; i++ {
				fmt.Fprintf(f, "line %d %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	f.Close()
	if n := bytes.Count(out.b.Bytes(), []byte("\n")); n != 20000 {
		t.Errorf("wrote %d lines, want 20000", n)
	}
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
