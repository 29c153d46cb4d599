package wordpress_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/config"
	"broadsheet/internal/demo"
	"broadsheet/internal/importer"
	"broadsheet/internal/importer/wordpress"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
	"broadsheet/internal/wxr"
)

const roundTripBase = "https://paper.example"

// TestRoundTrip_demoPaperThroughWXR writes the demo paper as WXR, imports
// the file into an empty database, and compares what arrived with what
// left. What a round trip loses is listed in docs/export-wxr.md.
func TestRoundTrip_demoPaperThroughWXR(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		src := e.Open(t)
		if _, err := demo.Load(ctx, src, t.TempDir(), now); err != nil {
			t.Fatal(err)
		}
		all, err := src.ArticlesAfter(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var published []article.Article
		for _, a := range all {
			if a.Status == article.Published {
				published = append(published, a)
			}
		}
		if len(published) < 10 {
			t.Fatalf("the demo has %d published articles", len(published))
		}
		// A thread on the first article: a comment, a reply, and a held
		// comment the file leaves out.
		commented := published[0]
		thread := make([]comment.Comment, 0, 3)
		for i, c := range []struct {
			body   string
			status comment.Status
			reply  bool
		}{{"Good reporting. 좋은 기사입니다.", comment.Visible, false}, {"I agree — and thanks.", comment.Visible, true}, {"Held for a moderator.", comment.Held, false}} {
			rid, err := src.ImportReader(ctx, "import:test", "r"+strconv.Itoa(i), "Reader "+strconv.Itoa(i), now)
			if err != nil {
				t.Fatal(err)
			}
			cm := comment.Comment{ArticleID: commented.ID, ReaderID: rid, Body: c.body, Status: c.status, CreatedAt: now.Add(time.Duration(i) * time.Minute)}
			if c.reply {
				cm.ParentID = thread[0].ID
			}
			if err := src.ImportComment(ctx, &cm); err != nil {
				t.Fatal(err)
			}
			thread = append(thread, cm)
		}

		path := filepath.Join(t.TempDir(), "paper.xml")
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := wxr.Write(ctx, out, src, wxr.Options{BaseURL: roundTripBase, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}

		dst := e.Open(t)
		wp, err := wordpress.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := importer.Run(ctx, dst, wp, importer.Options{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Articles.Added != len(all) || rep.Pages.Added != counts.Pages || rep.Comments.Added != 2 || rep.RedirectsBad != 0 {
			t.Errorf("import of the export: %+v; the file held %+v, the paper %d articles", rep, counts, len(all))
		}
		local := func(kind string, id int64) int64 {
			t.Helper()
			n, _, found, err := dst.ImportID(ctx, "wordpress", kind, strconv.FormatInt(id, 10))
			if err != nil || !found {
				t.Fatalf("%s %d did not arrive (%v)", kind, id, err)
			}
			return n
		}

		imported := map[int64]article.Article{}
		for _, a := range all {
			b, err := dst.Article(ctx, local("article", a.ID))
			if err != nil {
				t.Fatal(err)
			}
			imported[a.ID] = b
			if b.Status != a.Status {
				t.Errorf("article %d: status %s, was %s", a.ID, b.Status, a.Status)
			}
		}
		for _, a := range published {
			b := imported[a.ID]
			if b.Headline != a.Headline || b.Slug != a.Slug || b.Deck != a.Deck {
				t.Errorf("article %d: got %q /%s %q, want %q /%s %q", a.ID, b.Headline, b.Slug, b.Deck, a.Headline, a.Slug, a.Deck)
			}
			if !b.PublishedAt.Equal(a.PublishedAt.Truncate(time.Second)) {
				t.Errorf("article %d: published %v, was %v", a.ID, b.PublishedAt, a.PublishedAt)
			}
			if got, want := sectionPath(t, dst, b.SectionID), sectionPath(t, src, a.SectionID); got != want {
				t.Errorf("article %d: section %s, was %s", a.ID, got, want)
			}
			if got, want := tagNames(b.Tags), tagNames(a.Tags); !slices.Equal(got, want) {
				t.Errorf("article %d: tags %q, were %q", a.ID, got, want)
			}
			// WordPress has one author per post: the first byline.
			if len(b.Authors) != 1 || b.Authors[0].Name != a.Authors[0].Name {
				t.Errorf("article %d: authors %+v, first was %q", a.ID, b.Authors, a.Authors[0].Name)
			}
			if got, want := visibleText(t, b.BodyHTML), visibleText(t, a.BodyHTML); got != want {
				t.Errorf("article %d: the body's text changed: %s", a.ID, firstDifference(got, want))
			}
			if got, want := links(t, b.BodyHTML, "a", "href"), links(t, a.BodyHTML, "a", "href"); !slices.Equal(got, want) {
				t.Errorf("article %d: links %q, were %q", a.ID, got, want)
			}
			if got, want := links(t, b.BodyHTML, "img", "src"), links(t, a.BodyHTML, "img", "src"); !slices.Equal(got, want) {
				t.Errorf("article %d: images %q, were %q", a.ID, got, want)
			}
			if got, want := strings.Count(b.BodyHTML, "<figure"), strings.Count(a.BodyHTML, "<figure"); got != want {
				t.Errorf("article %d: %d figures, were %d", a.ID, got, want)
			}
			if got, want := captions(t, b.BodyHTML), captions(t, a.BodyHTML); !slices.Equal(got, want) {
				t.Errorf("article %d: captions %q, were %q", a.ID, got, want)
			}
			if a.LeadImage.URL != "" && (b.LeadImage.URL != roundTripBase+a.LeadImage.URL || b.LeadImage.Alt != a.LeadImage.Alt) {
				t.Errorf("article %d: lead image %+v, was %+v", a.ID, b.LeadImage, a.LeadImage)
			}
		}

		t.Run("pages", func(t *testing.T) {
			pages, err := src.Pages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) == 0 || len(pages) != counts.Pages {
				t.Fatalf("%d pages, %d in the file", len(pages), counts.Pages)
			}
			for _, listed := range pages {
				p, err := src.PageBySlug(ctx, listed.Slug) // the list leaves the bodies out
				if err != nil {
					t.Fatal(err)
				}
				// The paper's page addresses are flat (one slug, no
				// slashes), so the hierarchy that comes back is flat too.
				q, err := dst.PageBySlug(ctx, p.Slug)
				if err != nil {
					t.Errorf("page /page/%s did not arrive at the same address: %v", p.Slug, err)
					continue
				}
				if q.Title != p.Title {
					t.Errorf("page %s: title %q, was %q", p.Slug, q.Title, p.Title)
				}
				if got, want := visibleText(t, q.BodyHTML), visibleText(t, p.BodyHTML); got != want {
					t.Errorf("page %s: the body's text changed: %s", p.Slug, firstDifference(got, want))
				}
			}
		})

		t.Run("comments", func(t *testing.T) {
			first, err := dst.Comment(ctx, local("comment", thread[0].ID))
			if err != nil {
				t.Fatal(err)
			}
			reply, err := dst.Comment(ctx, local("comment", thread[1].ID))
			if err != nil {
				t.Fatal(err)
			}
			if first.ArticleID != imported[commented.ID].ID || first.ParentID != 0 || first.Body != thread[0].Body || first.Status != comment.Visible {
				t.Errorf("first comment: %+v", first)
			}
			if reply.ParentID != first.ID || reply.Body != thread[1].Body || !reply.CreatedAt.Equal(thread[1].CreatedAt) {
				t.Errorf("reply: %+v, want a reply to %d", reply, first.ID)
			}
			if _, _, found, _ := dst.ImportID(ctx, "wordpress", "comment", strconv.FormatInt(thread[2].ID, 10)); found {
				t.Error("a held comment travelled")
			}
		})

		t.Run("old addresses", func(t *testing.T) {
			// Into an empty database the articles keep their ids, and so
			// their addresses; into a paper that already has an article,
			// every one moves, and the old address answers 301.
			dst := e.Open(t)
			first := writeWXR(t, `<item><title>Already here</title><dc:creator>ed</dc:creator><content:encoded>Body.</content:encoded><wp:post_id>900001</wp:post_id>`+
				`<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`)
			for _, file := range []string{first, path} {
				wp, err := wordpress.Open(file)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := importer.Run(ctx, dst, wp, importer.Options{Now: func() time.Time { return now }}); err != nil {
					t.Fatal(err)
				}
			}
			moved := map[int64]article.Article{}
			for _, a := range published {
				_, _, found, err := dst.ImportID(ctx, "wordpress", "article", strconv.FormatInt(a.ID, 10))
				if err != nil || !found {
					t.Fatalf("article %d: %v", a.ID, err)
				}
			}
			for _, a := range all {
				id, _, _, err := dst.ImportID(ctx, "wordpress", "article", strconv.FormatInt(a.ID, 10))
				if err != nil {
					t.Fatal(err)
				}
				if moved[a.ID], err = dst.Article(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
			ts := readerSite(t, dst)
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			get := func(path string) *http.Response {
				t.Helper()
				res, err := client.Get(ts.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				return res
			}
			for _, a := range published {
				b := moved[a.ID]
				old, now := escaped(t, a.URL()), escaped(t, b.URL())
				if old == now {
					t.Fatalf("article %d kept its address %s", a.ID, old)
				}
				if res := get(old); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != now {
					t.Errorf("GET %s: %d to %q, want 301 to %s", old, res.StatusCode, res.Header.Get("Location"), now)
				}
				// The file's guid, the old paper's short address.
				if res := get("/article/" + strconv.FormatInt(a.ID, 10)); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != now {
					t.Errorf("GET /article/%d: %d to %q, want 301 to %s", a.ID, res.StatusCode, res.Header.Get("Location"), now)
				}
				if res := get("/?p=" + strconv.FormatInt(a.ID, 10)); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != now {
					t.Errorf("GET /?p=%d: %d to %q, want 301 to %s", a.ID, res.StatusCode, res.Header.Get("Location"), now)
				}
				if res := get(now); res.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %d", now, res.StatusCode)
				}
			}
		})
	})
}

func readerSite(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: "unused", BaseURL: "http://paper.test",
		PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: t.TempDir()}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Wait() })
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(ts.Close)
	return ts
}

func sectionPath(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	s, err := db.SectionByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s.Path
}

func tagNames(tags []article.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Name)
	}
	return out
}

func parse(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// visibleText is the text a reader sees, its white space normalised.
func visibleText(t *testing.T, body string) string {
	t.Helper()
	var b strings.Builder
	for n := range parse(t, body).Descendants() {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// links are the addresses of a body's elements of one kind, with the
// paper's own origin (which the export makes absolute) taken off.
func links(t *testing.T, body, tag, attr string) []string {
	t.Helper()
	var out []string
	for n := range parse(t, body).Descendants() {
		if n.Type == html.ElementNode && n.Data == tag {
			for _, a := range n.Attr {
				if a.Key == attr {
					out = append(out, strings.TrimPrefix(a.Val, roundTripBase))
				}
			}
		}
	}
	return out
}

// firstDifference shows where two texts part.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("at byte %d:\n got: …%s\nwant: …%s", i, got[from:min(len(got), i+60)], want[from:min(len(want), i+60)])
}

func captions(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for n := range parse(t, body).Descendants() {
		if n.Type == html.ElementNode && n.Data == "figcaption" {
			var b strings.Builder
			for c := range n.Descendants() {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			out = append(out, b.String())
		}
	}
	return out
}
