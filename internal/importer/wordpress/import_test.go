package wordpress_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/config"
	"broadsheet/internal/importer"
	"broadsheet/internal/importer/wordpress"
	"broadsheet/internal/media"
	"broadsheet/internal/reader"
	"broadsheet/internal/redirect"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// fixture is a paper on a real database with the old site's uploads
// folder beside it, holding one of the two featured images.
type fixture struct {
	db       *store.DB
	uploads  string
	mediaDir string
	images   *media.Library
}

func newFixture(t *testing.T, e storetest.Engine) *fixture {
	t.Helper()
	f := &fixture{db: e.Open(t), uploads: t.TempDir(), mediaDir: t.TempDir()}
	writePNG(t, filepath.Join(f.uploads, "2019", "03", "harbour.png"), 800, 600)
	f.images = media.NewLibrary(f.db, media.NewLocalDisk(f.mediaDir), media.Limits{})
	return f
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(out, img); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) run(t *testing.T, file string, dry bool) (importer.Report, error) {
	t.Helper()
	src, err := wordpress.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	return importer.Run(context.Background(), f.db, src, importer.Options{DryRun: dry, MediaDir: f.uploads, Images: f.images,
		Now: func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }})
}

func (f *fixture) mustRun(t *testing.T, file string) importer.Report {
	t.Helper()
	rep, err := f.run(t, file, false)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// local is the local id the import recorded for a source record.
func (f *fixture) local(t *testing.T, kind, id string) int64 {
	t.Helper()
	n, _, found, err := f.db.ImportID(context.Background(), "wordpress", kind, id)
	if err != nil || !found {
		t.Fatalf("%s %s was not imported (%v)", kind, id, err)
	}
	return n
}

func (f *fixture) article(t *testing.T, id string) article.Article {
	t.Helper()
	a, err := f.db.Article(context.Background(), f.local(t, "article", id))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) rows(t *testing.T) map[string]int {
	t.Helper()
	n, err := f.db.CountRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImport_bringsInThePaper(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		desk := author.Author{Name: "News Desk", Email: "desk@paper.example"}
		if err := f.db.SaveAuthor(ctx, &desk); err != nil {
			t.Fatal(err)
		}
		rep := f.mustRun(t, "testdata/paper.xml")
		if rep.Articles != (importer.Counts{Added: 8}) || rep.Pages != (importer.Counts{Added: 2}) || rep.PagesSkipped != 1 ||
			rep.Sections.Added != 4 || rep.Comments != (importer.Counts{Added: 4}) || rep.ImagesStored != 1 || len(rep.ImagesMissing) != 1 {
			t.Errorf("report: got %+v", rep)
		}

		t.Run("statuses", func(t *testing.T) {
			for id, want := range map[string]article.Status{"101": article.Published, "102": article.Published, "103": article.Scheduled,
				"104": article.Draft, "105": article.Review, "106": article.Draft, "107": article.Draft, "108": article.Published} {
				if got := f.article(t, id).Status; got != want {
					t.Errorf("post %s: got %s, want %s", id, got, want)
				}
			}
			a := f.article(t, "101")
			if want := time.Date(2019, 3, 1, 10, 0, 0, 0, time.UTC); !a.PublishedAt.Equal(want) {
				t.Errorf("published at: got %v, want the source's %v", a.PublishedAt, want)
			}
			if want := time.Date(2036, 5, 1, 0, 0, 0, 0, time.UTC); !f.article(t, "103").PublishedAt.Equal(want) {
				t.Errorf("scheduled for %v, want %v", f.article(t, "103").PublishedAt, want)
			}
			if h := f.article(t, "108").Headline; !strings.HasPrefix(h, "A note with no title") {
				t.Errorf("untitled post's headline: got %q", h)
			}
		})

		t.Run("sections tree", func(t *testing.T) {
			s, err := f.db.SectionByPath(ctx, "news/local/seoul")
			if err != nil {
				t.Fatal(err)
			}
			if got := f.article(t, "101").SectionID; got != s.ID {
				t.Errorf("post 101 in section %d, want news/local/seoul (%d)", got, s.ID)
			}
			arch, err := f.db.SectionByPath(ctx, "archive")
			if err != nil || f.article(t, "108").SectionID != arch.ID {
				t.Errorf("a post without a category is not in the archive section: %v", err)
			}
		})

		t.Run("authors", func(t *testing.T) {
			a := f.article(t, "102")
			if len(a.Authors) != 1 || a.Authors[0].ID != desk.ID || a.Authors[0].Name != "News Desk" {
				t.Errorf("byline of 102: got %+v, want the paper's own desk author %d", a.Authors, desk.ID)
			}
			b := f.article(t, "101")
			if len(b.Authors) != 1 || b.Authors[0].Name != "김민지 Kim Min-ji" || b.Authors[0].Email != "minji@oldpaper.example" {
				t.Errorf("byline of 101: got %+v", b.Authors)
			}
		})

		t.Run("bodies", func(t *testing.T) {
			a := f.article(t, "102")
			for _, bad := range []string{"<script", "onerror", "onclick", "javascript:", "document.cookie", "[caption", "[gallery", "unknown_widget"} {
				if strings.Contains(a.Body, bad) || strings.Contains(a.BodyHTML, bad) {
					t.Errorf("%q survived:\n%s\n%s", bad, a.Body, a.BodyHTML)
				}
			}
			for _, want := range []string{"مرحبا بكم في المدينة", "שלום לכולם", "]]>", "https://river.example/", "<figcaption>", "The harbour at dawn", "[sic]"} {
				if !strings.Contains(a.BodyHTML, strings.ReplaceAll(want, ">", "&gt;")) && !strings.Contains(a.BodyHTML, want) {
					t.Errorf("%q lost:\n%s", want, a.BodyHTML)
				}
			}
			k := f.article(t, "101")
			if !strings.Contains(k.Headline, "예산안 표결 연기") || !strings.Contains(k.Headline, "🎉") || !strings.Contains(k.BodyHTML, "😊") ||
				!strings.Contains(k.BodyHTML, "<p>Members said they needed more time.<br>") {
				t.Errorf("Korean, emoji or paragraphs lost: %q\n%s", k.Headline, k.BodyHTML)
			}
			if k.Deck != "The council wants more time." {
				t.Errorf("deck: got %q", k.Deck)
			}
			if len(k.Tags) != 2 || k.Tags[1].Name != "한국어" {
				t.Errorf("tags: got %+v", k.Tags)
			}
		})

		t.Run("images", func(t *testing.T) {
			k := f.article(t, "101")
			if !strings.HasPrefix(k.LeadImage.URL, "/media/u/") || k.LeadImage.Srcset == "" || k.LeadImage.Width != 800 ||
				k.LeadImage.Alt != "Fishing boats in the harbour at dawn" {
				t.Errorf("a featured image in --media-dir: got %+v, want it stored as an upload", k.LeadImage)
			}
			v := f.article(t, "102")
			if v.LeadImage.URL != "https://oldpaper.example/wp-content/uploads/2018/11/lost.jpg" || v.LeadImage.Srcset != "" {
				t.Errorf("a featured image not found: got %+v, want its original address", v.LeadImage)
			}
			if rep.ImagesMissing[0] != v.LeadImage.URL {
				t.Errorf("missing images: got %q", rep.ImagesMissing)
			}
		})

		t.Run("comments", func(t *testing.T) {
			one, err := f.db.Comment(ctx, f.local(t, "comment", "1"))
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"2", "3"} {
				c, err := f.db.Comment(ctx, f.local(t, "comment", id))
				if err != nil {
					t.Fatal(err)
				}
				if c.ParentID != one.ID || c.Status != comment.Visible {
					t.Errorf("comment %s: parent %d status %s; want a visible reply to %d (threads flattened)", id, c.ParentID, c.Status, one.ID)
				}
				if strings.Contains(c.Body, "<script") {
					t.Errorf("comment %s keeps markup: %q", id, c.Body)
				}
			}
			if one.Body != "First! Good piece. 좋아요" || one.Replies != 2 {
				t.Errorf("first comment: body %q, %d replies", one.Body, one.Replies)
			}
			held, err := f.db.Comment(ctx, f.local(t, "comment", "4"))
			if err != nil || held.Status != comment.Held {
				t.Errorf("an unapproved comment: got %s (%v), want held", held.Status, err)
			}
			for _, id := range []string{"5", "6"} {
				if _, _, found, _ := f.db.ImportID(ctx, "wordpress", "comment", id); found {
					t.Errorf("comment %s (a pingback or spam) was imported", id)
				}
			}
			r, err := f.db.Reader(ctx, one.ReaderID)
			if err != nil || r.Provider != "import:wordpress" {
				t.Fatalf("commenter: got %+v (%v)", r, err)
			}
			err = f.db.CreateSession(ctx, reader.Session{TokenHash: "t1", ReaderID: r.ID, CSRF: "c", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)})
			if !errors.Is(err, store.ErrImportedReader) {
				t.Errorf("a session for an imported commenter: got %v, want ErrImportedReader", err)
			}
			if _, err := f.db.SignInReader(ctx, reader.Reader{Provider: "import:wordpress", Subject: r.Subject, DisplayName: "x"}); !errors.Is(err, store.ErrImportedReader) {
				t.Errorf("a login as an imported commenter: got %v, want ErrImportedReader", err)
			}
		})

		t.Run("redirects", func(t *testing.T) {
			k := escaped(t, f.article(t, "101").URL())
			for from, want := range map[string]string{
				"/2019/03/%ec%98%88%ec%82%b0-budget": k,
				"/?p=101":                            k,
				"/?p=103":                            escaped(t, f.article(t, "103").URL()),
				"/about/team":                        "/page/about-team",
				"/?page_id=302":                      "/page/about-team",
				"/about":                             "/page/about",
			} {
				if got, err := f.db.RedirectTarget(ctx, from); err != nil || got != want {
					t.Errorf("redirect from %s: got %q (%v), want %q", from, got, err, want)
				}
			}
		})

		t.Run("one audit entry", func(t *testing.T) {
			es, err := f.db.AuditEntries(ctx, audit.Query{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range es {
				if strings.HasPrefix(e.Action, "import.") {
					n++
				} else if strings.HasPrefix(e.Action, "article.") {
					t.Errorf("an audit entry per article: %+v", e)
				}
			}
			if n != 1 {
				t.Errorf("got %d import entries, want 1", n)
			}
		})
	})
}

func TestImport_secondRunAddsNothingAndChangesUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		f.mustRun(t, "testdata/paper.xml")
		before := f.rows(t)
		rep := f.mustRun(t, "testdata/paper.xml")
		if rep.Articles != (importer.Counts{Unchanged: 8}) || rep.Pages != (importer.Counts{Unchanged: 2}) ||
			rep.Comments != (importer.Counts{Unchanged: 4}) || rep.Sections != (importer.Counts{Unchanged: 4}) || rep.ImagesStored != 0 {
			t.Errorf("second run: got %+v, want everything unchanged", rep)
		}
		after := f.rows(t)
		before["audit_log"]++ // the run's own entry
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s: %d rows after the second run, want %d", k, after[k], v)
			}
		}

		b, err := os.ReadFile("testdata/paper.xml")
		if err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(string(b), "Members said they needed more time.", "Members said they needed a week.", 1)
		changed = strings.Replace(changed, "<![CDATA[Not yet approved.]]>", "<![CDATA[Approved at last.]]>", 1)
		changed = strings.Replace(changed, "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>", "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>", 1)
		path := filepath.Join(t.TempDir(), "changed.xml")
		if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
		rep = f.mustRun(t, path)
		if rep.Articles != (importer.Counts{Updated: 1, Unchanged: 7}) || rep.Comments != (importer.Counts{Updated: 1, Unchanged: 3}) {
			t.Errorf("changed file: got %+v", rep)
		}
		if a := f.article(t, "101"); !strings.Contains(a.Body, "a week") || a.Version != 2 {
			t.Errorf("post 101 after the change: version %d, body %q", a.Version, a.Body)
		}
		// Approved on the old site since: the text follows, the status does
		// not (it is the paper's moderators' to change).
		c, err := f.db.Comment(context.Background(), f.local(t, "comment", "4"))
		if err != nil || c.Status != comment.Held || c.Body != "Approved at last." {
			t.Errorf("comment 4 after the change: %+v (%v)", c, err)
		}
	})
}

func TestImport_malformedFileLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		before := f.rows(t)
		for _, tc := range []struct{ file, reason string }{
			{"notitle.xml", "neither a title nor any content"},
			{"baddate.xml", "not a date"},
			{"broken.xml", "XML is broken"},
		} {
			_, err := f.run(t, "testdata/"+tc.file, false)
			var ie *importer.Error
			if !errors.As(err, &ie) || ie.Record < 2 || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("%s: got %v, want a record error saying %q", tc.file, err, tc.reason)
			}
		}
		after := f.rows(t)
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s: %d rows after refused imports, want %d", k, after[k], v)
			}
		}
	})
}

func TestImport_dryRunWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		before := f.rows(t)
		rep, err := f.run(t, "testdata/paper.xml", true)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.DryRun || rep.Articles != (importer.Counts{Added: 8}) || rep.Pages.Added != 2 || rep.Comments.Added != 4 ||
			rep.ImagesStored != 1 || len(rep.ImagesMissing) != 1 || rep.Redirects == 0 {
			t.Errorf("dry run: got %+v", rep)
		}
		after := f.rows(t)
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s: %d rows after a dry run, want %d", k, after[k], v)
			}
		}
		if entries, _ := os.ReadDir(f.mediaDir); len(entries) != 0 {
			t.Errorf("a dry run stored images: %v", entries)
		}
	})
}

// TestImport_oldAddressesAnswer301 asks the whole site, over HTTP, for
// the old site's addresses.
func TestImport_oldAddressesAnswer301(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		f.mustRun(t, "testdata/paper.xml")
		dir := t.TempDir()
		cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "unused", BaseURL: "http://paper.test",
			PageCache: true, CacheMB: 16, LogFormat: "json", LogLevel: "error", MediaDir: f.mediaDir}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		srv, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), f.db)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		t.Cleanup(func() { cancel(); srv.Wait() })
		ts := httptest.NewServer(srv.Handler)
		t.Cleanup(ts.Close)
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
		a := f.article(t, "101")
		k := escaped(t, a.URL())
		get("/") // the home page cached: ?p= must still redirect
		for path, want := range map[string]string{
			"/2019/03/%EC%98%88%EC%82%B0-budget/": k,
			"/2019/03/%ec%98%88%ec%82%b0-budget":  k,
			"/2019/03/예산-budget/":                 k,
			"/?p=101":                             k,
			"/?p=0101&utm_source=x":               k,
			"/about/team/":                        "/page/about-team",
			"/?page_id=302":                       "/page/about-team",
		} {
			res := get(path)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("GET %s: got %d to %q, want 301 to %q", path, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
		for path, want := range map[string]int{"/2019/03/nothing-here/": 404, "/?p=999": 200, k: 200, "/page/about-team": 200} {
			if res := get(path); res.StatusCode != want {
				t.Errorf("GET %s: got %d, want %d", path, res.StatusCode, want)
			}
		}
	})
}

// escaped is a local address as a redirect stores and sends it: every
// byte outside ASCII percent-escaped.
func escaped(t *testing.T, path string) string {
	t.Helper()
	p, err := redirect.NormalizeTo(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeWXR(t *testing.T, items string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "site.xml")
	body := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>t</title>
<wp:author><wp:author_login>ed</wp:author_login><wp:author_email>ed@x.example</wp:author_email></wp:author>
` + items + `
</channel></rss>`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImport_limits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		before := f.rows(t)
		huge := writeWXR(t, `<item><title>Huge</title><dc:creator>ed</dc:creator><content:encoded><![CDATA[`+strings.Repeat("A long paragraph of words. ", 24<<10)+
			`]]></content:encoded><wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`)
		_, err := f.run(t, huge, false)
		var ie *importer.Error
		if !errors.As(err, &ie) || ie.ID != "1" || !strings.Contains(ie.Reason, "512 KiB") {
			t.Errorf("a body over the article limit: got %v", err)
		}
		for k, v := range before {
			if n := f.rows(t)[k]; n != v {
				t.Errorf("%s: %d rows, want %d", k, n, v)
			}
		}

		var tags strings.Builder
		for i := 0; i < 30; i++ {
			fmt.Fprintf(&tags, `<category domain="post_tag" nicename="t%d">Tag %d</category>`, i, i)
		}
		long := writeWXR(t, `<item><title>`+strings.Repeat("Headline ", 60)+`</title><dc:creator>ed</dc:creator><content:encoded>Body.</content:encoded>`+
			`<wp:post_id>2</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>`+tags.String()+`</item>`+
			`<item><title>Deep page</title><link>https://x.example/`+strings.Repeat("section-of-the-site/", 10)+`</link><content:encoded>Page.</content:encoded>`+
			`<wp:post_id>3</wp:post_id><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>`)
		f.mustRun(t, long)
		a := f.article(t, "2")
		if n := utf8.RuneCountInString(a.Headline); n > article.MaxHeadline || !strings.HasSuffix(a.Headline, "…") {
			t.Errorf("headline of %d characters: %q", n, a.Headline)
		}
		if len(a.Tags) != article.MaxTags {
			t.Errorf("got %d tags, want the first %d", len(a.Tags), article.MaxTags)
		}
		p, err := f.db.PageByID(context.Background(), f.local(t, "page", "3"))
		if err != nil || len(p.Slug) > 60 || !strings.HasPrefix(p.Slug, "section-of-the-site-section") {
			t.Errorf("deep page: slug %q (%v)", p.Slug, err)
		}
	})
}
