package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"broadsheet/internal/config"
	"broadsheet/internal/demo"
	"broadsheet/internal/reader"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
)

// The benchmarks post comments in-process through the server's whole
// handler (server.New: middleware, JSON API, comment service, store) on a
// temp SQLite database with the demo content: the server's side of
// bench/comments.sh without the network and without the load client
// sharing the cores. With -cpuprofile they show where a comment's time goes.
//
//	go test -run '^$' -bench . -benchtime 5s -cpuprofile cpu.prof ./bench/commentload/
//	go tool pprof -top -cum cpu.prof

// benchServer is the site under benchmark with its readers.
type benchServer struct {
	h        http.Handler
	db       *store.DB
	readers  []benchReader
	articles []int64
	seq      atomic.Int64
}

func newBenchServer(b *testing.B, readers int) *benchServer {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	noEnv := func(string) string { return "" }
	cfg := config.Register(fs, noEnv)
	if err := fs.Parse([]string{"--data", dir, "--addr", "127.0.0.1:0", "--access-log=false",
		"--base-url", "http://bench.example"}); err != nil {
		b.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "broadsheet.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := demo.Load(ctx, db, cfg.MediaDir, time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := raiseLimits(ctx, db); err != nil {
		b.Fatal(err)
	}
	srvCtx, cancel := context.WithCancel(ctx)
	b.Cleanup(cancel)
	srv, err := server.New(srvCtx, cfg, slog.New(slog.DiscardHandler), db)
	if err != nil {
		b.Fatal(err)
	}
	s := &benchServer{h: srv.Handler, db: db}
	if s.readers, err = createReaders(ctx, db, readers, randomHex(4)); err != nil {
		b.Fatal(err)
	}
	if s.articles, _, err = openArticles(ctx, db); err != nil {
		b.Fatal(err)
	}
	return s
}

// post posts one new comment as reader i and reports the status. With
// ownAddress each reader posts from an address of its own; otherwise all
// share 127.0.0.1, as in bench/comments.sh.
func (s *benchServer) post(h http.Handler, i int, ownAddress bool) (int, string) {
	r := s.readers[i%len(s.readers)]
	n := s.seq.Add(1)
	art := s.articles[rand.IntN(len(s.articles))]
	payload, _ := json.Marshal(map[string]string{"body": "Benchmark comment " + strconv.FormatInt(n, 10) +
		": the council should publish the bridge report before it votes."})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/articles/"+strconv.FormatInt(art, 10)+"/comments", bytes.NewReader(payload))
	req.RemoteAddr = "127.0.0.1:40000"
	if ownAddress {
		req.RemoteAddr = fmt.Sprintf("198.18.%d.%d:40000", i%len(s.readers)/250, i%len(s.readers)%250+1)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", r.csrf)
	req.AddCookie(&http.Cookie{Name: reader.CookieName, Value: r.cookie})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// oneWriter lets one POST at a time into h. It is an experiment, not how
// the server works: it shows what queueing SQLite's writers in Go, instead
// of in SQLite's busy handler (which sleeps 1, 2, 5, 10 … ms between
// tries), would gain.
func oneWriter(h http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			defer mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// BenchmarkPostComment posts comments through the server's handler, each
// variant on a fresh database: one reader at a time (serial) and 200
// readers at once (parallel, as in bench/comments.sh), with all readers
// on one address or each on its own. ns/op of a parallel run is the
// handler's throughput: 1e9 / ns/op comments per second. The comments
// table grows during a run, and with it the cost of a post, so compare
// runs of the same -benchtime.
func BenchmarkPostComment(b *testing.B) {
	for _, v := range []struct {
		name       string
		ownAddress bool
		parallel   bool
		oneWriter  bool
	}{
		{"serial/oneAddress", false, false, false},
		{"serial/ownAddress", true, false, false},
		{"parallel/oneAddress", false, true, false},
		{"parallel/ownAddress", true, true, false},
		{"parallel/ownAddress/oneWriter", true, true, true},
	} {
		b.Run(v.name, func(b *testing.B) {
			s := newBenchServer(b, 200)
			h := s.h
			if v.oneWriter {
				h = oneWriter(h)
			}
			b.ReportAllocs()
			defer reportCPU(b)()
			if !v.parallel {
				for i := 0; b.Loop(); i++ {
					if code, body := s.post(h, i, v.ownAddress); code != http.StatusCreated {
						b.Fatalf("POST: status %d, want 201: %s", code, body)
					}
				}
				return
			}
			// 100 goroutines per GOMAXPROCS: 200 on 2 cores.
			b.SetParallelism(100)
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := int(next.Add(1) - 1)
				for pb.Next() {
					if code, body := s.post(h, i, v.ownAddress); code != http.StatusCreated {
						b.Errorf("POST: status %d, want 201: %s", code, body)
						return
					}
				}
			})
		})
	}
}

// reportCPU starts counting the process's CPU time (user + system, from
// /proc on Linux); the function it returns reports it per operation as
// cpu-µs/op. Unlike ns/op it hardly changes when other work shares the
// machine, and against ns/op it shows how many cores the handler kept
// busy. Where /proc is missing nothing is reported.
func reportCPU(b *testing.B) func() {
	before := procTicks("self")
	return func() {
		if after := procTicks("self"); before >= 0 && after >= 0 && b.N > 0 {
			b.ReportMetric(float64((time.Duration(after-before)*tick).Microseconds())/float64(b.N), "cpu-µs/op")
		}
	}
}

// BenchmarkListComments reads one article's public comments (the JSON
// the visibility probe polls) as the site's comments grow: the article's
// own page is always 20 threads, so a cost that grows with the site's
// total shows a query that reads more than the article's comments.
func BenchmarkListComments(b *testing.B) {
	s := newBenchServer(b, 200)
	posted := 0
	for _, total := range []int{1000, 10_000} {
		for ; posted < total; posted++ {
			if code, body := s.post(s.h, posted, true); code != http.StatusCreated {
				b.Fatalf("POST: status %d, want 201: %s", code, body)
			}
		}
		u := "/api/v1/articles/" + strconv.FormatInt(s.articles[0], 10) + "/comments"
		b.Run(fmt.Sprintf("siteComments=%d", total), func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", u, rec.Code)
				}
				_, _ = io.Copy(io.Discard, rec.Body)
			}
		})
	}
}
