package ghost_test

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
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

	"golang.org/x/net/html"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/config"
	"broadsheet/internal/importer"
	"broadsheet/internal/importer/ghost"
	"broadsheet/internal/media"
	"broadsheet/internal/redirect"
	"broadsheet/internal/server"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// The three exports of testdata, in the order the tests import them.
var exports = []string{"testdata/ghost-2.json", "testdata/ghost-4.json", "testdata/ghost-5.json"}

// fixture is a paper on a real database with the old site's content
// folder beside it, holding real images at two of the lead images'
// addresses (testdata/media holds placeholders, not images).
type fixture struct {
	db       *store.DB
	content  string
	mediaDir string
	images   *media.Library
}

func newFixture(t *testing.T, e storetest.Engine) *fixture {
	t.Helper()
	f := &fixture{db: e.Open(t), content: t.TempDir(), mediaDir: t.TempDir()}
	writeImage(t, filepath.Join(f.content, "images", "2021", "05", "harbour.jpg"), 900, 600)
	writeImage(t, filepath.Join(f.content, "2023", "08", "market.png"), 800, 600)
	f.images = media.NewLibrary(f.db, media.NewLocalDisk(f.mediaDir), media.Limits{})
	return f
}

func writeImage(t *testing.T, path string, w, h int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".png") {
		err = png.Encode(out, img)
	} else {
		err = jpeg.Encode(out, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) run(t *testing.T, file string, dry bool) (importer.Report, error) {
	t.Helper()
	src, err := ghost.Open(file, f.content)
	if err != nil {
		t.Fatal(err)
	}
	return importer.Run(context.Background(), f.db, src, importer.Options{DryRun: dry, MediaDir: f.content, Images: f.images,
		Now: func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }})
}

func (f *fixture) mustRun(t *testing.T, file string) importer.Report {
	t.Helper()
	rep, err := f.run(t, file, false)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return rep
}

func (f *fixture) local(t *testing.T, kind, id string) int64 {
	t.Helper()
	n, _, found, err := f.db.ImportID(context.Background(), "ghost", kind, id)
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

func sameRows(t *testing.T, what string, before, after map[string]int) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %s has %d rows, want %d", what, k, after[k], v)
		}
	}
}

// Ghost ids of the testdata's posts.
const (
	cranes    = "5c9e1f0a1b2c3d4e5f600001" // 2.x, published, Mobiledoc, primary tag City
	about     = "5c9e1f0a1b2c3d4e5f600002" // 2.x page, Korean
	hostile   = "5c9e1f0a1b2c3d4e5f600003" // 2.x draft with scripts
	festival  = "6100000000000000000000a1" // 4.x, published, emoji, image in the folder
	arabic    = "6100000000000000000000a2" // 4.x, members only
	budget    = "6100000000000000000000a3" // 4.x, scheduled, image elsewhere
	letter    = "6100000000000000000000a4" // 4.x, sent to paid members
	market    = "6500000000000000000000b1" // 5.x, Lexical, image in the folder
	briefing  = "6500000000000000000000b2" // 5.x, tiers, image missing
	masthead  = "6500000000000000000000b3" // 5.x page
	contactPg = "6100000000000000000000a5" // 4.x draft page: left out
)

func TestImport_ghostExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newFixture(t, e)
		// The paper already has Jon: his Ghost byline is matched by email.
		jon := author.Author{Name: "Jonathan Reyes", Email: "jon@paper.example"}
		if err := f.db.SaveAuthor(ctx, &jon); err != nil {
			t.Fatal(err)
		}
		want := []struct {
			articles, pages, skipped, sections, tags, authors, stored, missing int
		}{
			{2, 1, 0, 1, 2, 2, 0, 1}, // crane.jpg is not in the folder
			{4, 0, 1, 1, 1, 2, 1, 1}, // harbour.jpg found; the CDN's budget.png not
			{2, 1, 0, 1, 1, 1, 1, 1}, // market.png found; missing.jpg not
		}
		for i, file := range exports {
			rep := f.mustRun(t, file)
			w := want[i]
			if rep.Articles != (importer.Counts{Added: w.articles}) || rep.Pages != (importer.Counts{Added: w.pages}) || rep.PagesSkipped != w.skipped ||
				rep.Sections != (importer.Counts{Added: w.sections}) || rep.Tags != w.tags || rep.Authors != w.authors ||
				rep.ImagesStored != w.stored || len(rep.ImagesMissing) != w.missing || rep.RedirectsBad != 0 {
				t.Errorf("%s: report %+v, want %+v", file, rep, w)
			}
		}
		n := f.rows(t)
		if n["articles"] != 8 || n["pages"] != 2 || n["images"] != 2 {
			t.Errorf("rows: %v", n)
		}
		if _, _, found, _ := f.db.ImportID(ctx, "ghost", "page", contactPg); found {
			t.Error("a draft page was imported: a static page is always public")
		}

		t.Run("statuses", func(t *testing.T) {
			for id, want := range map[string]article.Status{cranes: article.Published, hostile: article.Draft, festival: article.Published,
				arabic: article.Draft, budget: article.Scheduled, letter: article.Draft, market: article.Published, briefing: article.Draft} {
				if got := f.article(t, id).Status; got != want {
					t.Errorf("post %s: got %s, want %s", id, got, want)
				}
			}
			if got, want := f.article(t, cranes).PublishedAt, time.Date(2019, 3, 4, 10, 20, 30, 0, time.UTC); !got.Equal(want) {
				t.Errorf("2.x published_at: got %v, want %v", got, want)
			}
			if got, want := f.article(t, budget).PublishedAt, time.Date(2021, 6, 1, 6, 0, 0, 0, time.UTC); !got.Equal(want) {
				t.Errorf("scheduled for %v, want %v", got, want)
			}
		})

		t.Run("sections and tags", func(t *testing.T) {
			for id, path := range map[string]string{cranes: "city", festival: "culture", market: "markets", arabic: "archive", hostile: "archive"} {
				s, err := f.db.SectionByPath(ctx, path)
				if err != nil {
					t.Fatalf("section %s: %v", path, err)
				}
				if got := f.article(t, id).SectionID; got != s.ID {
					t.Errorf("post %s in section %d, want %s (%d)", id, got, path, s.ID)
				}
			}
			var names []string
			for _, tg := range f.article(t, cranes).Tags {
				names = append(names, tg.Name)
			}
			if strings.Join(names, ",") != "City,Harbour" {
				t.Errorf("tags of the cranes post: %q, want City,Harbour (sort_order, no #feature)", names)
			}
			if tags := f.article(t, arabic).Tags; len(tags) != 1 || tags[0].Name != "Culture" {
				t.Errorf("tags of a post whose first tag is internal: %+v", tags)
			}
		})

		t.Run("authors", func(t *testing.T) {
			a := f.article(t, festival)
			if len(a.Authors) != 2 || a.Authors[0].ID != jon.ID || a.Authors[0].Name != "Jonathan Reyes" || a.Authors[1].Name != "Sara Lindqvist" {
				t.Errorf("byline of the festival post: %+v, want the paper's Jon first, then Sara", a.Authors)
			}
			// Mina is user 5c9e…101 in the 2.x export and user 1 in the
			// 5.x one: the same email, the same author.
			b, c := f.article(t, cranes), f.article(t, market)
			if len(b.Authors) != 1 || len(c.Authors) != 1 || b.Authors[0].ID != c.Authors[0].ID || b.Authors[0].Name != "Mina Park" {
				t.Errorf("Mina from two exports: %+v and %+v", b.Authors, c.Authors)
			}
			all, err := f.db.Authors(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 4 { // Jon, Sara, Mina, ghost-writer
				t.Errorf("got %d authors, want 4: %+v", len(all), all)
			}
		})

		t.Run("lead images", func(t *testing.T) {
			for id, w := range map[string]int{festival: 900, market: 800} {
				li := f.article(t, id).LeadImage
				if !strings.HasPrefix(li.URL, "/media/u/") || li.Srcset == "" || li.Width != w {
					t.Errorf("post %s: a lead image in --media-dir: got %+v, want it stored as an upload", id, li)
				}
			}
			if li := f.article(t, market).LeadImage; li.Alt != "Stalls at dawn" {
				t.Errorf("alt text from posts_meta: got %q", li.Alt)
			}
			if li := f.article(t, budget).LeadImage; li.URL != "https://cdn.example.org/img/budget.png" || li.Srcset != "" {
				t.Errorf("an image elsewhere: got %+v, want its address kept", li)
			}
			if li := f.article(t, briefing).LeadImage; li.URL != "/content/images/2023/08/missing.jpg" {
				t.Errorf("an image not in the folder: got %+v, want its address kept", li)
			}
			entries, err := os.ReadDir(f.mediaDir)
			if err != nil || len(entries) == 0 {
				t.Errorf("no files in the media folder (%v)", err)
			}
		})

		t.Run("bodies", func(t *testing.T) {
			for _, id := range []string{cranes, hostile, market} {
				a := f.article(t, id)
				unsafe(t, id, a.BodyHTML)
				if strings.Contains(a.Body, "javascript:") || strings.Contains(a.BodyHTML, "never shown") {
					t.Errorf("post %s: a javascript: link or a signup card survived:\n%s", id, a.Body)
				}
			}
			// Markup typed as text stays text, escaped.
			if b := f.article(t, market).BodyHTML; !strings.Contains(b, "&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("text that looks like markup: %s", b)
			}
			for id, wants := range map[string][]string{
				cranes:   {"<h2>What changed</h2>", `href="https://example.org/harbour"`, `<figcaption><span class="caption">The east crane</span></figcaption>`, "We are back, said the foreman."},
				festival: {"Fireworks 🎆 over the bay 🌊.", `href="/harbour-cranes-return/"`},
				arabic:   {"שלום, this line mixes עברית and English.", "عنوان فرعي"},
				market: {"시장 소식", "<strong>bold</strong>", `href="https://example.org/market"`, "after the break", "<table>", "<th>raw</th>",
					`<figcaption><span class="caption">Dawn at the market</span></figcaption>`},
			} {
				a := f.article(t, id)
				for _, w := range wants {
					if !strings.Contains(a.BodyHTML, w) {
						t.Errorf("post %s: %q lost:\n%s", id, w, a.BodyHTML)
					}
				}
			}
			if h := f.article(t, festival).Headline; h != "Festival night 🎆🎉" {
				t.Errorf("emoji headline: %q", h)
			}
			if h := f.article(t, arabic).Headline; h != "مهرجان الميناء" {
				t.Errorf("right-to-left headline: %q", h)
			}
			if d := f.article(t, market).Deck; d != "Stalls and voices." {
				t.Errorf("deck from custom_excerpt: %q", d)
			}
			p, err := f.db.PageByID(ctx, f.local(t, "page", about))
			if err != nil || p.Title != "회사 소개" || !strings.Contains(p.BodyHTML, "우리는 작은 신문입니다.") {
				t.Errorf("Korean page: %+v (%v)", p, err)
			}
		})

		t.Run("redirects", func(t *testing.T) {
			for id, from := range map[string]string{cranes: "/harbour-cranes-return", festival: "/festival-night", market: "/market-day"} {
				want := escaped(t, f.article(t, id).URL())
				if got, err := f.db.RedirectTarget(ctx, from); err != nil || got != want {
					t.Errorf("redirect from %s: got %q (%v), want %q", from, got, err, want)
				}
			}
			p, err := f.db.PageByID(ctx, f.local(t, "page", masthead))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := f.db.RedirectTarget(ctx, "/masthead"); err != nil || got != "/page/"+p.Slug {
				t.Errorf("page redirect: got %q (%v), want /page/%s", got, err, p.Slug)
			}
		})
	})
}

func TestImport_ghostSecondRunAndEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		f.mustRun(t, "testdata/ghost-5.json")
		before := f.rows(t)
		rep := f.mustRun(t, "testdata/ghost-5.json")
		if rep.Articles != (importer.Counts{Unchanged: 2}) || rep.Pages != (importer.Counts{Unchanged: 1}) ||
			rep.Sections != (importer.Counts{Unchanged: 1}) || rep.ImagesStored != 0 {
			t.Errorf("second run: got %+v, want everything unchanged", rep)
		}
		before["audit_log"]++ // the run's own entry
		sameRows(t, "second run", before, f.rows(t))
		if entries, _ := os.ReadDir(f.mediaDir); len(entries) == 0 {
			t.Fatal("no images stored by the first run")
		}

		b, err := os.ReadFile("testdata/ghost-5.json")
		if err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(string(b), `\"text\": \"A quoted line.\"`, `\"text\": \"A line quoted again.\"`, 1)
		if changed == string(b) {
			t.Fatal("the edit did not apply")
		}
		path := filepath.Join(t.TempDir(), "edited.json")
		if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
		before = f.rows(t)
		// Run without the content folder this time: the lead image
		// stored by the first run stays the article's.
		f.content = ""
		dry, err := f.run(t, path, true)
		if err != nil || dry.Articles != (importer.Counts{Updated: 1, Unchanged: 1}) || dry.ImagesStored != 0 || len(dry.ImagesMissing) != 0 {
			t.Errorf("dry run of the edited file: %+v (%v), want the run below", dry, err)
		}
		rep = f.mustRun(t, path)
		if rep.Articles != (importer.Counts{Updated: 1, Unchanged: 1}) || rep.Pages != (importer.Counts{Unchanged: 1}) || rep.ImagesStored != 0 ||
			len(rep.ImagesMissing) != 0 {
			t.Errorf("edited file: got %+v", rep)
		}
		a := f.article(t, market)
		if !strings.Contains(a.BodyHTML, "A line quoted again.") || a.Version != 2 || !strings.HasPrefix(a.LeadImage.URL, "/media/u/") {
			t.Errorf("edited post: version %d, lead image %q, body:\n%s", a.Version, a.LeadImage.URL, a.BodyHTML)
		}
		if b := f.article(t, briefing); b.Version != 1 {
			t.Errorf("the unchanged post was rewritten: version %d", b.Version)
		}
		after := f.rows(t)
		if after["articles"] != before["articles"] || after["images"] != before["images"] || after["redirects"] != before["redirects"] {
			t.Errorf("the edit added rows: %v, before %v", after, before)
		}
	})
}

func TestImport_ghostMalformedLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		f.mustRun(t, "testdata/ghost-2.json") // a paper with something in it
		before := f.rows(t)
		files, err := filepath.Glob("testdata/malformed/*.json")
		if err != nil || len(files) < 10 {
			t.Fatalf("malformed files: %v (%v)", files, err)
		}
		// A 5.x export whose last post is broken, after good ones.
		b, err := os.ReadFile("testdata/ghost-5.json")
		if err != nil {
			t.Fatal(err)
		}
		late := filepath.Join(t.TempDir(), "late.json")
		bad := strings.Replace(string(b), `"published_at": "2023-01-01T00:00:00.000Z"`, `"published_at": "yesterday"`, 1)
		if err := os.WriteFile(late, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, file := range append(files, late) {
			_, err := f.run(t, file, false)
			var ie *importer.Error
			if !errors.As(err, &ie) || ie.Reason == "" {
				t.Errorf("%s: got %v, want a record error", file, err)
			}
			if file == late && (ie == nil || ie.ID != masthead || !strings.Contains(ie.Reason, "not a date")) {
				t.Errorf("%s: got %v, want the masthead page refused for its date", file, err)
			}
		}
		sameRows(t, "refused imports", before, f.rows(t))
	})
}

func TestImport_ghostDryRunWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		before := f.rows(t)
		rep, err := f.run(t, "testdata/ghost-4.json", true)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.DryRun || rep.Articles != (importer.Counts{Added: 4}) || rep.PagesSkipped != 1 || rep.Sections.Added != 1 ||
			rep.ImagesStored != 1 || len(rep.ImagesMissing) != 1 || rep.Redirects != 4 {
			t.Errorf("dry run: got %+v", rep)
		}
		sameRows(t, "a dry run", before, f.rows(t))
		if entries, _ := os.ReadDir(f.mediaDir); len(entries) != 0 {
			t.Errorf("a dry run stored images: %v", entries)
		}
	})
}

// TestImport_ghostOldAddressesAnswer301 asks the whole site, over HTTP,
// for Ghost's addresses of the imported posts.
func TestImport_ghostOldAddressesAnswer301(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		for _, file := range exports {
			f.mustRun(t, file)
		}
		cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: "unused", BaseURL: "http://paper.test",
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
		p, err := f.db.PageByID(context.Background(), f.local(t, "page", masthead))
		if err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]string{
			"/harbour-cranes-return/": escaped(t, f.article(t, cranes).URL()),
			"/festival-night/":        escaped(t, f.article(t, festival).URL()),
			"/festival-night":         escaped(t, f.article(t, festival).URL()),
			"/market-day/":            escaped(t, f.article(t, market).URL()),
			"/masthead/":              "/page/" + p.Slug,
		} {
			res := get(path)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("GET %s: got %d to %q, want 301 to %q", path, res.StatusCode, res.Header.Get("Location"), want)
			}
			if res.StatusCode == http.StatusMovedPermanently {
				if next := get(want); next.StatusCode != http.StatusOK {
					t.Errorf("GET %s (from %s): %d", want, path, next.StatusCode)
				}
			}
		}
		// Members-only and draft posts are not public: their new address
		// is not served, wherever the old one points.
		for _, id := range []string{arabic, letter, briefing, hostile} {
			if res := get(f.article(t, id).URL()); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET the members-only or draft post %s: %d, want 404", id, res.StatusCode)
			}
		}
		if res := get("/no-such-post/"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET an unknown old address: %d", res.StatusCode)
		}
	})
}

// unsafe fails the test for any script, event attribute or javascript:
// address in body, read as a browser reads it.
func unsafe(t *testing.T, id, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "script" || n.Data == "iframe" || n.Data == "object" {
			t.Errorf("post %s: a <%s> survived:\n%s", id, n.Data, body)
		}
		for _, a := range n.Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(v, "javascript:") {
				t.Errorf("post %s: <%s %s=%q> survived:\n%s", id, n.Data, a.Key, a.Val, body)
			}
		}
	}
}

// escaped is a local address as a redirect stores and sends it.
func escaped(t *testing.T, path string) string {
	t.Helper()
	p, err := redirect.NormalizeTo(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
