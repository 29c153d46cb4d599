package server_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// sitemapDoc reads both sitemap roots, <sitemapindex> and <urlset>, with
// the Google News extension, in the protocol's namespaces.
type sitemapDoc struct {
	XMLName xml.Name
	Entries []struct {
		XMLName xml.Name
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		News    *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:",any"`
}

const nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"

// fetchSitemap gets a sitemap and checks what the protocol requires of
// every file: XML served as XML, the expected root, at most 50,000 entries
// and 50 MB, and absolute, well-formed URLs on this site.
func fetchSitemap(t *testing.T, ts *testServer, path, root string) sitemapDoc {
	t.Helper()
	res, body := ts.get(t, path)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("GET %s: %d %q", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if len(body) > 50*1024*1024 {
		t.Errorf("%s: %d bytes, over the 50 MB limit", path, len(body))
	}
	var doc sitemapDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%s is not XML: %v", path, err)
	}
	if doc.XMLName != (xml.Name{Space: nsSitemap, Local: root}) {
		t.Fatalf("%s: root %v, want %s in the sitemap namespace", path, doc.XMLName, root)
	}
	if len(doc.Entries) > 50_000 {
		t.Errorf("%s: %d entries, over the 50,000 limit", path, len(doc.Entries))
	}
	for _, e := range doc.Entries {
		u, err := url.Parse(e.Loc)
		if err != nil || !u.IsAbs() || u.Host != "paper.test" || u.RawQuery != "" || u.String() != e.Loc {
			t.Errorf("%s: <loc>%s</loc> is not an absolute, escaped URL on the site", path, e.Loc)
		}
	}
	return doc
}

// The index lists every sitemap with a <lastmod>; together the month
// files list every published article exactly once, with its last change.
func TestSitemap_indexAndMonthsListEveryPublishedArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ctx := context.Background()
		// A Korean headline makes a slug that must be percent-encoded, and a
		// draft must be listed nowhere.
		var korean articleOut
		in := politicsArticle("국회, 교통 법안 통과")
		ts.api(t, "POST", "/api/v1/articles", account.Editor, in, &korean)
		draft := politicsArticle("Draft only")
		draft["status"] = "draft"
		ts.api(t, "POST", "/api/v1/articles", account.Editor, draft, nil)

		index := fetchSitemap(t, ts, "/sitemap.xml", "sitemapindex")
		got := map[string]string{} // loc → lastmod
		var names []string
		for _, s := range index.Entries {
			if s.XMLName.Local != "sitemap" || s.LastMod == "" {
				t.Errorf("index entry %+v: want <sitemap> with <lastmod>", s)
			}
			if _, err := time.Parse(time.RFC3339, s.LastMod); err != nil {
				t.Errorf("index entry %s: lastmod %q is not a W3C datetime", s.Loc, s.LastMod)
			}
			name := strings.TrimPrefix(s.Loc, "http://paper.test/sitemaps/")
			names = append(names, name)
			if len(name) != len("2006-01.xml") {
				continue
			}
			for _, u := range fetchSitemap(t, ts, "/sitemaps/"+name, "urlset").Entries {
				if _, dup := got[u.Loc]; dup {
					t.Errorf("%s listed twice", u.Loc)
				}
				got[u.Loc] = u.LastMod
			}
		}
		for _, want := range []string{"pages.xml", "news.xml", "tags.xml"} {
			if !slices.Contains(names, want) {
				t.Errorf("the index does not list %s: %q", want, names)
			}
		}
		all, err := ts.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(all) {
			t.Errorf("the month sitemaps list %d URLs; %d articles are published", len(got), len(all))
		}
		for _, a := range all {
			loc := "http://paper.test" + (&url.URL{Path: a.URL()}).EscapedPath()
			if lm, ok := got[loc]; !ok || lm != a.UpdatedAt.UTC().Format(time.RFC3339) {
				t.Errorf("%s: listed %v with lastmod %q, want %s", loc, ok, lm, a.UpdatedAt.UTC().Format(time.RFC3339))
			}
		}
		if !strings.Contains(korean.URL, "국회") {
			t.Fatalf("the Korean article's URL %q has no Hangul to escape", korean.URL)
		}
	})
}

// The news sitemap lists exactly the articles published in the last 48
// hours, newest first, with the publication, language, date and title.
func TestSitemap_newsListsTheLast48Hours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ctx := context.Background()
		now := time.Now()
		for _, c := range []struct {
			headline string
			age      time.Duration
		}{{"Just inside <the> window & more", 47*time.Hour + 50*time.Minute}, {"Just outside the window", 48*time.Hour + 10*time.Minute}} {
			in := politicsArticle(c.headline)
			in["published_at"] = now.Add(-c.age).UTC().Format(time.RFC3339)
			if res := ts.api(t, "POST", "/api/v1/articles", account.Editor, in, nil); res.StatusCode != http.StatusCreated {
				t.Fatalf("create %q: %d", c.headline, res.StatusCode)
			}
		}
		doc := fetchSitemap(t, ts, "/sitemaps/news.xml", "urlset")
		all, err := ts.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var want []article.Article
		for _, a := range all {
			if now.Sub(a.PublishedAt) < 48*time.Hour {
				want = append(want, a)
			}
		}
		if len(doc.Entries) != len(want) || len(want) < 2 {
			t.Fatalf("news sitemap has %d entries; %d articles are under 48 hours old", len(doc.Entries), len(want))
		}
		for i, u := range doc.Entries {
			a := want[i]
			n := u.News
			if n == nil {
				t.Fatalf("entry %d has no <news:news>", i)
			}
			wantLoc := "http://paper.test" + (&url.URL{Path: a.URL()}).EscapedPath()
			got := []string{u.Loc, n.Name, n.Language, n.Date, n.Title}
			exp := []string{wantLoc, "Broadsheet Daily", "en", a.PublishedAt.UTC().Format(time.RFC3339), a.Headline}
			if !slices.Equal(got, exp) {
				t.Errorf("entry %d: %q, want %q", i, got, exp)
			}
		}
		if doc.Entries[len(doc.Entries)-1].News.Title != "Just inside <the> window & more" {
			t.Errorf("the oldest entry is %q, want the article 47h50m old", doc.Entries[len(doc.Entries)-1].News.Title)
		}
	})
}

// The pages sitemap lists the home page, every section front, the static
// pages and the authors; the tags sitemap the tags with articles.
func TestSitemap_pagesAndTags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ctx := context.Background()
		var locs []string
		for _, u := range fetchSitemap(t, ts, "/sitemaps/pages.xml", "urlset").Entries {
			locs = append(locs, strings.TrimPrefix(u.Loc, "http://paper.test"))
		}
		want := []string{"/", "/section/national", "/section/national/politics", "/page/standards-board-policy", "/author/kim-minji"}
		secs, _ := ts.db.Sections(ctx)
		authors, _ := ts.db.Authors(ctx)
		pages, _ := ts.db.Pages(ctx)
		if n := 1 + len(secs) + len(authors) + len(pages); len(locs) != n {
			t.Errorf("pages sitemap has %d URLs, want %d: %q", len(locs), n, locs)
		}
		for _, w := range want {
			if !slices.Contains(locs, w) {
				t.Errorf("pages sitemap lacks %s", w)
			}
		}
		tags := fetchSitemap(t, ts, "/sitemaps/tags.xml", "urlset").Entries
		n, err := ts.db.TaggedCount(ctx)
		if err != nil || len(tags) != n || n == 0 {
			t.Errorf("tags sitemap has %d URLs; %d tags have articles (%v)", len(tags), n, err)
		}
	})
}

func TestRobots_allowsThePaperAndNamesTheSitemaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		res, body := ts.get(t, "/robots.txt")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("robots.txt: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		lines := strings.Split(body, "\n")
		for _, want := range []string{"User-agent: *", "Disallow: /account", "Disallow: /api/",
			"Sitemap: http://paper.test/sitemap.xml", "Sitemap: http://paper.test/sitemaps/news.xml"} {
			if !slices.Contains(lines, want) {
				t.Errorf("robots.txt lacks the line %q:\n%s", want, body)
			}
		}
		for _, l := range lines {
			if l == "Disallow: /" || l == "Disallow: /article/" || l == "Disallow: /section/" {
				t.Errorf("robots.txt shuts crawlers out of the paper: %q", l)
			}
		}
	})
}

// Names that are not sitemaps — a month 13, a part that does not exist,
// a second spelling of one that does, a path out of the folder — are 404
// (or a redirect that ends in one), never a server error.
func TestSitemap_badNamesAre404(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, p := range []string{
			"/sitemaps/2026-13.xml", "/sitemaps/2026-00.xml", "/sitemaps/2026-1.xml", "/sitemaps/0000-01.xml",
			"/sitemaps/1999-01.xml", "/sitemaps/2026-11-1.xml", "/sitemaps/2026-11-02.xml", "/sitemaps/2026-11-2.xml",
			"/sitemaps/2026-11-99999999999999999999.xml", "/sitemaps/tags-1.xml", "/sitemaps/tags-2.xml",
			"/sitemaps/tags.txt", "/sitemaps/x.xml", "/sitemaps/..%2fx", "/sitemaps/%2e%2e%2fsitemap.xml", "/sitemaps/",
		} {
			if res, _ := ts.get(t, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
			}
		}
		res, err := http.Get(ts.URL + "/sitemaps/../x") // the router cleans the path and redirects
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /sitemaps/../x (following redirects): %d, want 404", res.StatusCode)
		}
	})
}
