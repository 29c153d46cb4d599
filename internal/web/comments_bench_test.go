package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/demo"
	"broadsheet/internal/i18n"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
)

// The comments block of an article (GET /article/{id}/{slug}/comments?partial=1,
// which the article page loads into itself) is rendered on every request:
// it differs for each signed-in reader and changes by the second, so it
// never enters the page cache. These benchmarks render it for an article
// with 20 top-level comments and 3 replies each, on a temp SQLite file
// with the demo content.
//
//	go test -run '^$' -bench CommentsBlock -benchmem ./internal/web/

// commentsBench is the site under benchmark with a commented article.
type commentsBench struct {
	h      *Handler
	url    string // the block: the article's comments with ?partial=1
	cookie string // the session of a reader who wrote some of the comments
}

const (
	benchTopComments = 20
	benchReplies     = 3
)

// benchBodies are comment texts of the usual kinds: short, long, with a
// line break, with a link.
var benchBodies = []string{
	"Good reporting. The council should publish the whole bridge report before the vote, not a summary.",
	"I live two streets from the site and nobody asked us. The consultation closed in August, when half the street was away; " +
		"the article is right that the timetable was the real problem, not the design.",
	"Two questions.\nWho pays for the maintenance after ten years?\nAnd why is the cycle lane on the narrow side?",
	"The full minutes are at https://council.example/minutes/2026-11 for anyone who wants to check the numbers.",
	"Agreed.",
}

func newCommentsBench(b *testing.B) commentsBench {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	mediaDir := filepath.Join(dir, "media")
	if _, err := demo.Load(ctx, db, mediaDir, time.Now()); err != nil {
		b.Fatal(err)
	}
	// The readers below post many comments and reactions within a second.
	for k, v := range map[string]string{
		"comments_per_article": "1000", "comments_interval_seconds": "0", "comments_per_day": "1000",
		"reactions_interval_seconds": "0",
	} {
		if err := db.SetSetting(ctx, k, v); err != nil {
			b.Fatal(err)
		}
	}
	catalog, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	h, err := NewHandler(Config{
		BaseURL: "http://bench.example", PageCache: true, CacheBytes: 64 << 20, MediaDir: mediaDir, MaxAge: 60,
	}, slog.New(slog.DiscardHandler), db, catalog)
	if err != nil {
		b.Fatal(err)
	}
	svc := comment.NewService(db, nil)
	h.EnableComments(&Comments{Service: svc, Sessions: reader.NewSessions(db, false), Readers: db})

	list, err := db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	if len(list) == 0 {
		b.Fatal("the demo content has no published article")
	}
	a := list[0]
	readers := benchReaders(b, db, 10)
	viewer := readers[0]
	for i := range benchTopComments {
		top, err := svc.Post(ctx, readers[i%len(readers)], comment.PostInput{ArticleID: a.ID,
			Body: fmt.Sprintf("%s (%d)", benchBodies[i%len(benchBodies)], i)})
		if err != nil {
			b.Fatal(err)
		}
		for j := range benchReplies {
			rp, err := svc.Post(ctx, readers[(i+j+1)%len(readers)], comment.PostInput{ArticleID: a.ID, ParentID: top.ID,
				Body: fmt.Sprintf("%s (%d.%d)", benchBodies[(i+j+1)%len(benchBodies)], i, j)})
			if err != nil {
				b.Fatal(err)
			}
			// The viewer has liked some replies: their reactions are
			// looked up and shown.
			if j == 0 && rp.ReaderID != viewer.ID {
				if _, _, err := svc.React(ctx, viewer, rp.ID, 1, ""); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	cookie, s := reader.NewSession(time.Now())
	s.ReaderID = viewer.ID
	if err := db.CreateSession(ctx, s); err != nil {
		b.Fatal(err)
	}
	cb := commentsBench{h: h, url: a.URL() + "/comments?partial=1", cookie: cookie}
	// Check the block and warm up the navigation memo and the service's
	// settings cache.
	for _, hd := range []http.Header{nil, cb.signedIn()} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, cb.url, nil)
		for k, v := range hd {
			req.Header[k] = v
		}
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d, want 200", cb.url, rec.Code)
		}
	}
	return cb
}

// benchReaders signs in n readers who have accepted the policy in force.
func benchReaders(b *testing.B, db *store.DB, n int) []reader.Reader {
	b.Helper()
	ctx := context.Background()
	version := ""
	if pg, err := db.PageBySlug(ctx, comment.PolicySlug); err == nil {
		version = comment.ParsePolicy(pg.Body).Version
	} else if !errors.Is(err, page.ErrNotFound) {
		b.Fatal(err)
	}
	out := make([]reader.Reader, n)
	for i := range out {
		r, err := db.SignInReader(ctx, reader.Reader{Provider: "bench", Subject: fmt.Sprint(i), DisplayName: fmt.Sprintf("Reader %d", i+1)})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.AcceptPolicy(ctx, r.ID, version); err != nil {
			b.Fatal(err)
		}
		r.PolicyVersion = version
		out[i] = r
	}
	return out
}

func (cb commentsBench) signedIn() http.Header {
	return http.Header{"Cookie": {reader.CookieName + "=" + cb.cookie}}
}

// BenchmarkCommentsBlock serves the comments block through the site's
// handler: to an anonymous reader (login prompt, no forms under the
// comments) and to a signed-in reader who wrote some of the comments
// (the comment box, reply, reaction, report, edit and delete forms, and
// their own reactions, which cost a query more).
func BenchmarkCommentsBlock(b *testing.B) {
	cb := newCommentsBench(b)
	b.Run("anonymous", func(b *testing.B) {
		defer reportCPU(b)()
		benchGet(b, cb.h, cb.url, nil)
	})
	b.Run("signedIn", func(b *testing.B) {
		defer reportCPU(b)()
		benchGet(b, cb.h, cb.url, cb.signedIn())
	})
	b.Run("anonymous/parallel", func(b *testing.B) {
		defer reportCPU(b)()
		benchGetParallel(b, cb.h, cb.url)
	})
}

// BenchmarkCommentsBlock_parts splits the block's cost: data is what
// commentsData gathers (session, policy, settings, mode, the comment
// list from the database); template is html/template executing
// "comments_block" on that data, with no database.
func BenchmarkCommentsBlock_parts(b *testing.B) {
	cb := newCommentsBench(b)
	for _, v := range []struct {
		name   string
		header http.Header
	}{{"anonymous", nil}, {"signedIn", cb.signedIn()}} {
		req := httptest.NewRequest(http.MethodGet, cb.url, nil)
		for k, hv := range v.header {
			req.Header[k] = hv
		}
		lang, _ := cb.h.chosenLang(req)
		base, err := cb.h.layout(req, lang)
		if err != nil {
			b.Fatal(err)
		}
		a, err := cb.h.store.Article(req.Context(), mustPathID(b, cb.url))
		if err != nil {
			b.Fatal(err)
		}
		d, err := cb.h.commentsData(req, base, a)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(d.Page.Comments); n != benchTopComments {
			b.Fatalf("got %d top-level comments, want %d", n, benchTopComments)
		}
		b.Run("data/"+v.name, func(b *testing.B) {
			defer reportCPU(b)()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cb.h.commentsData(req, base, a); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("template/"+v.name, func(b *testing.B) {
			defer reportCPU(b)()
			b.ReportAllocs()
			var size int
			for b.Loop() {
				body, err := cb.h.tmpl.renderBlock("comments", "comments_block", d)
				if err != nil {
					b.Fatal(err)
				}
				size = len(body)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// reportCPU starts counting the process's CPU time (user + system, from
// /proc on Linux); the function it returns reports it per operation as
// cpu-µs/op. It moves far less than ns/op when other work shares the
// machine. Where /proc is missing nothing is reported.
func reportCPU(b *testing.B) func() {
	before, ok := processCPU()
	return func() {
		after, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64((after-before).Microseconds())/float64(b.N), "cpu-µs/op")
		}
	}
}

// processCPU reads utime + stime (fields 14 and 15, in 10 ms ticks) of
// /proc/self/stat.
func processCPU() (time.Duration, bool) {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces: count from its ")".
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+s) * 10 * time.Millisecond, true
}

// mustPathID is the article id in an /article/{id}/… URL.
func mustPathID(b *testing.B, u string) int64 {
	var id int64
	if _, err := fmt.Sscanf(u, "/article/%d/", &id); err != nil {
		b.Fatalf("no article id in %s: %v", u, err)
	}
	return id
}
