package dictionary

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

// BenchmarkLookupInContext looks up the words of the evaluation set in
// their sentences, in turn, and reports the 99th-percentile latency of one
// look-up: p99-ns once every sense met has its signature built (the steady
// state of a running site), and p99-cold-ns over the first pass through the
// set on a freshly loaded dictionary, when every signature is built.
func BenchmarkLookupInContext(b *testing.B) {
	d, err := Load(bytes.NewReader(wordnetData))
	if err != nil {
		b.Fatal(err)
	}
	items := readEvalSet(b)
	cold := make([]time.Duration, 0, len(items))
	for _, it := range items {
		start := time.Now()
		d.LookupInContext(it.word, it.sentence)
		cold = append(cold, time.Since(start))
	}
	slices.Sort(cold)
	lat := make([]time.Duration, 0, 1<<16)
	i := 0
	for b.Loop() {
		it := items[i%len(items)]
		i++
		start := time.Now()
		d.LookupInContext(it.word, it.sentence)
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
	}
	b.ReportMetric(float64(cold[len(cold)*99/100].Nanoseconds()), "p99-cold-ns")
}

// BenchmarkLookupInContext_parallel and BenchmarkLookup_parallel give the
// look-ups per second of the whole machine, with and without a sentence,
// over the same words.
func BenchmarkLookupInContext_parallel(b *testing.B) {
	benchParallel(b, func(d *Dictionary, it evalItem) { d.LookupInContext(it.word, it.sentence) })
}

func BenchmarkLookup_parallel(b *testing.B) {
	benchParallel(b, func(d *Dictionary, it evalItem) { d.Lookup(it.word) })
}

func benchParallel(b *testing.B, lookup func(*Dictionary, evalItem)) {
	d := testDictionary(b)
	items := readEvalSet(b)
	for _, it := range items {
		lookup(d, it) // warm, as a running site is
	}
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			lookup(d, items[i%len(items)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lookups/s")
}
