package ghost

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"broadsheet/internal/importer"
)

// writeLarge writes a Ghost 5.x export of n posts, each with paras
// paragraphs of about 400 bytes of HTML, 2 tags, an author and a
// posts_meta row, and a revisions table as large as the posts, which the
// import skips. It returns the file's size.
func writeLarge(tb testing.TB, path string, n, paras int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	para := strings.Repeat("The council met again and the harbour stayed open. ", 8)
	body := strings.Repeat("<p>"+para+"</p>", paras)
	fmt.Fprint(w, `{"db":[{"meta":{"exported_on":1700000000000,"version":"5.75.1"},"data":{"posts":[`)
	for i := range n {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"id":"p%d","uuid":"u%d","title":"Story number %d","slug":"story-%d","type":"post","html":%q,"lexical":null,"status":"published","visibility":"public","feature_image":"__GHOST_URL__/content/images/2023/%d.jpg","created_at":"2023-01-01T00:00:00.000Z","updated_at":"2023-01-02T00:00:00.000Z","published_at":"2023-01-01T06:00:00.000Z"}`, i, i, i, i, body, i)
	}
	fmt.Fprint(w, `],"post_revisions":[`)
	for i := range n {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"id":"r%d","post_id":"p%d","lexical":%q}`, i, i, body)
	}
	fmt.Fprint(w, `],"tags":[`)
	for i := range 50 {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"id":"t%d","name":"Topic %d","slug":"topic-%d","visibility":"public"}`, i, i, i)
	}
	fmt.Fprint(w, `],"users":[{"id":"1","name":"Mina Park","slug":"mina","email":"mina@paper.example"}],"posts_tags":[`)
	for i := range n {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"id":"pt%d","post_id":"p%d","tag_id":"t%d","sort_order":0},{"id":"pu%d","post_id":"p%d","tag_id":"t%d","sort_order":1}`, i, i, i%50, i, i, (i+1)%50)
	}
	fmt.Fprint(w, `],"posts_authors":[`)
	for i := range n {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"id":"pa%d","post_id":"p%d","author_id":"1","sort_order":0}`, i, i)
	}
	fmt.Fprint(w, `],"posts_meta":[`)
	for i := range n {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"id":"m%d","post_id":"p%d","feature_image_alt":"Photo %d","feature_image_caption":null}`, i, i, i)
	}
	fmt.Fprint(w, `]}}]}`)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}

// TestScan_largeExportInBoundedMemory reads 2,000 posts of 8 KB (about
// 35 MB with their revisions) and checks that the heap never grows by
// more than a quarter of the file: the posts are streamed, not loaded.
// What it grows by is the tables of the first pass, under 1 KB a
// post, and the garbage between two collections. BenchmarkScan reads
// 20,000.
func TestScan_largeExportInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 35 MB file")
	}
	const n = 2_000
	path := filepath.Join(t.TempDir(), "large.json")
	size := writeLarge(t, path, n, 20)
	s, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	peak := uint64(0)
	posts := 0
	err = s.Scan(context.Background(), func(r importer.Record) error {
		p, ok := r.(*importer.Post)
		if !ok {
			return nil
		}
		posts++
		if len(p.TagSourceIDs) != 2 || p.LeadImage == nil || p.LeadImage.Alt == "" {
			return fmt.Errorf("post %s: tags %v, image %+v", p.SourceID, p.TagSourceIDs, p.LeadImage)
		}
		if posts%100 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if posts != n {
		t.Errorf("got %d posts, want %d", posts, n)
	}
	t.Logf("file %d MB, heap above the start at most %d MB", size>>20, peak>>20)
	if peak > uint64(size)/4 {
		t.Errorf("heap grew by %d MB reading a %d MB file; want under a quarter of the file", peak>>20, size>>20)
	}
}

// BenchmarkScan reads a 20,000-post export of 92 MB (2 KB of HTML a
// post, and as much again in revisions); bytes allocated per scan and
// the file's size are reported, and the most the heap grew by during a
// scan (sampled every 1,000 records) as peak-heap-MB.
func BenchmarkScan(b *testing.B) {
	path := filepath.Join(b.TempDir(), "large.json")
	size := writeLarge(b, path, 20_000, 5)
	s, err := Open(path, "")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak, n := ms.HeapAlloc, uint64(0), 0
	for b.Loop() {
		if err := s.Scan(context.Background(), func(importer.Record) error {
			if n++; n%1000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
