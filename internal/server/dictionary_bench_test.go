package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/config"
	"broadsheet/internal/dictionary"
	"broadsheet/internal/glossary"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
)

// BenchmarkAPI_dictionaryLookup is GET /api/v1/dictionary through the
// whole handler (middleware, WordNet, the glossary query on SQLite, JSON),
// without the network: the server's cost per look-up. It reports the 99th
// percentile as p99-ns. PRODUCT.md's budget: ≥ 50,000 look-ups/s, p99 < 1 ms.
//
//	go test -run '^$' -bench API_dictionary -benchmem ./internal/server/
func BenchmarkAPI_dictionaryLookup(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	now := time.Now()
	var entries []glossary.Entry
	for _, w := range [][2]string{{"denuclearization", "비핵화"}, {"sanction", "제재"}, {"summit", "정상회담"}, {"ceasefire", "휴전"}} {
		entries = append(entries, glossary.Entry{Headword: w[0], Lang: "ko", Translation: w[1], CreatedAt: now, UpdatedAt: now})
	}
	if _, err := db.ImportGlossary(ctx, entries); err != nil {
		b.Fatal(err)
	}
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "unused", BaseURL: "http://bench.example",
		PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: filepath.Join(dir, "media")}
	srv, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := dictionary.Default(); err != nil {
		b.Fatal(err)
	}
	words := []string{"signals", "departed", "sanctions", "summit", "interest rates", "lawmakers", "held", "mice",
		"denuclearization", "economy", "budget", "Workers’", "negotiators", "heat-wave", "better", "qwzxv"}
	for _, w := range words { // warm the prepared statements
		lookupOnce(b, srv.Handler, w)
	}
	for _, parallel := range []bool{false, true} {
		name := "serial"
		if parallel {
			name = "parallel"
		}
		b.Run(name, func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			record := func(d []time.Duration) {
				mu.Lock()
				lat = append(lat, d...)
				mu.Unlock()
			}
			if !parallel {
				var mine []time.Duration
				i := 0
				for b.Loop() {
					start := time.Now()
					lookupOnce(b, srv.Handler, words[i%len(words)])
					mine = append(mine, time.Since(start))
					i++
				}
				record(mine)
			} else {
				b.RunParallel(func(pb *testing.PB) {
					var mine []time.Duration
					i := 0
					for pb.Next() {
						start := time.Now()
						lookupOnce(b, srv.Handler, words[i%len(words)])
						mine = append(mine, time.Since(start))
						i++
					}
					record(mine)
				})
			}
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
			}
		})
	}
}

func lookupOnce(b *testing.B, h http.Handler, word string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/dictionary?q="+url.QueryEscape(word), nil))
	if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound {
		b.Errorf("look-up %q: status %d", word, rec.Code)
	}
}
