package wxr_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/reader"
	"broadsheet/internal/section"
	"broadsheet/internal/store"
	"broadsheet/internal/wxr"
)

// BenchmarkWrite exports an archive of BROADSHEET_BENCH_ARTICLES articles
// (default 2,000) on SQLite, each with a 6 KB body, two tags, a lead image
// and, on every tenth, five comments. It reports the file's size and the
// highest heap seen while writing, which should not grow with the archive.
//
//	BROADSHEET_BENCH_ARTICLES=20000 go test -run '^$' -bench Write -benchtime 3x ./internal/wxr/
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("BROADSHEET_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	sec := section.Section{Slug: "news", Path: "news", Name: "News"}
	if err := db.CreateSection(ctx, &sec); err != nil {
		b.Fatal(err)
	}
	r, err := db.SignInReader(ctx, reader.Reader{Provider: "google", Subject: "bench", DisplayName: "Bench Reader"})
	if err != nil {
		b.Fatal(err)
	}
	body := "<p>" + strings.Repeat("The assembly met again on Thursday to debate the budget. ", 100) + "</p>"
	when := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := when.Add(time.Duration(i) * time.Hour)
		a := article.Article{
			Slug: "story-" + strconv.Itoa(i), Headline: "Story " + strconv.Itoa(i), Deck: "A deck", Body: "x", BodyHTML: body,
			SectionID: sec.ID, Status: article.Published, PublishedAt: at, CreatedAt: at, UpdatedAt: at,
			LeadImage: article.Image{URL: "/media/u/ab/" + strconv.Itoa(i) + ".jpg", Alt: "alt", Caption: "caption"},
			Authors:   []author.Author{{Name: "Kim Min-ji", Email: "kim@paper.example"}},
			Tags:      []article.Tag{{Slug: "t" + strconv.Itoa(i%50), Name: "T"}, {Slug: "budget", Name: "Budget"}},
		}
		if err := db.CreateArticle(ctx, &a); err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			for j := range 5 {
				c := comment.Comment{ArticleID: a.ID, ReaderID: r.ID, Body: "Comment " + strconv.Itoa(j), Status: comment.Visible, CreatedAt: at}
				if err := db.InsertComment(ctx, &c, "", strconv.Itoa(i*10+j), comment.PostQuery{}, func(comment.PostStats) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ResetTimer()
	var w *peakWriter
	for range b.N {
		w = &peakWriter{}
		got, err := wxr.Write(ctx, w, db, wxr.Options{BaseURL: "https://paper.example", Now: when})
		if err != nil {
			b.Fatal(err)
		}
		if got.Posts != n {
			b.Fatalf("posts: got %d, want %d", got.Posts, n)
		}
	}
	b.ReportMetric(float64(w.bytes)/(1<<20), "file-MB")
	b.ReportMetric(float64(w.peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/article")
}

// peakWriter discards what it is given and notes the highest heap in use,
// every megabyte.
type peakWriter struct {
	bytes, next int
	peak        uint64
}

func (w *peakWriter) Write(p []byte) (int, error) {
	w.bytes += len(p)
	if w.bytes >= w.next {
		w.next = w.bytes + 1<<20
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.peak = max(w.peak, m.HeapInuse)
	}
	return len(p), nil
}

var _ io.Writer = (*peakWriter)(nil)
