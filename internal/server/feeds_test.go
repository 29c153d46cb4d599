package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/section"
	"broadsheet/internal/store/storetest"
)

// feedFormats are the three formats by extension, with the media type
// each must be served as.
var feedFormats = map[string]string{
	"xml":  "application/rss+xml",
	"atom": "application/atom+xml",
	"json": "application/feed+json",
}

// feedScope is one feed's path without the extension, and the query of
// the articles it must list.
type feedScope struct {
	path  string
	query article.ListQuery
}

// demoFeedScopes is one feed of each level on the demo paper: the site, a
// top section with subsections, a subsection, an author and a tag.
func demoFeedScopes(t *testing.T, ts *testServer) []feedScope {
	t.Helper()
	ctx := context.Background()
	secs, err := ts.db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tree := section.NewTree(secs)
	national, _ := tree.ByPath("national")
	politics, _ := tree.ByPath("national/politics")
	kim, err := ts.db.AuthorBySlug(ctx, "kim-minji")
	if err != nil {
		t.Fatal(err)
	}
	budget, err := ts.db.TagBySlug(ctx, "budget")
	if err != nil {
		t.Fatal(err)
	}
	return []feedScope{
		{"/feed", article.ListQuery{Scope: article.SystemScope()}},
		{"/section/national/feed", article.ListQuery{Scope: article.SystemScope(), SectionIDs: tree.Subtree(national.ID)}},
		{"/section/national/politics/feed", article.ListQuery{Scope: article.SystemScope(), SectionIDs: tree.Subtree(politics.ID)}},
		{"/author/kim-minji/feed", article.ListQuery{Scope: article.SystemScope(), AuthorID: kim.ID}},
		{"/tag/budget/feed", article.ListQuery{Scope: article.SystemScope(), TagID: budget.ID}},
	}
}

// fetchFeed gets and parses a feed, failing unless it is served as its format.
func fetchFeed(t *testing.T, ts *testServer, path, ext string) *gofeed.Feed {
	t.Helper()
	res, body := ts.get(t, path+"."+ext)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), feedFormats[ext]) {
		t.Fatalf("GET %s.%s: %d %q, want 200 %s", path, ext, res.StatusCode, res.Header.Get("Content-Type"), feedFormats[ext])
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("%s.%s does not parse: %v", path, ext, err)
	}
	return f
}

// Every feed of every level, in every format, lists the newest published
// articles of its scope from the database: same count (30 at most), order,
// titles, links, dates, authors, section and tags.
func TestFeeds_everyKindAtEveryLevelMatchesTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ctx := context.Background()
		secs, _ := ts.db.Sections(ctx)
		tree := section.NewTree(secs)
		for _, sc := range demoFeedScopes(t, ts) {
			q := sc.query
			q.Status, q.Limit = article.Published, 100
			want, err := ts.db.ListArticles(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) > 30 {
				want = want[:30]
			}
			if sc.path == "/feed" && len(want) != 30 {
				t.Fatalf("the demo has %d articles; the site feed test needs more than 30", len(want))
			}
			for ext := range feedFormats {
				f := fetchFeed(t, ts, sc.path, ext)
				where := sc.path + "." + ext
				if len(f.Items) != len(want) {
					t.Errorf("%s: %d items, want %d", where, len(f.Items), len(want))
					continue
				}
				if f.Language != "en" || f.Title == "" {
					t.Errorf("%s: language %q title %q", where, f.Language, f.Title)
				}
				for i, it := range f.Items {
					a, err := ts.db.Article(ctx, want[i].ID)
					if err != nil {
						t.Fatal(err)
					}
					link := "http://paper.test" + (&url.URL{Path: a.URL()}).EscapedPath()
					if it.Title != a.Headline || it.Link != link || it.GUID != link {
						t.Errorf("%s item %d: %q %s %s; want %q %s", where, i, it.Title, it.Link, it.GUID, a.Headline, link)
					}
					if it.PublishedParsed == nil || !it.PublishedParsed.Equal(a.PublishedAt.Truncate(time.Second)) {
						t.Errorf("%s item %d: published %v, want %v", where, i, it.PublishedParsed, a.PublishedAt)
					}
					if ext != "xml" && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(a.UpdatedAt.Truncate(time.Second))) {
						t.Errorf("%s item %d: updated %v, want %v", where, i, it.UpdatedParsed, a.UpdatedAt)
					}
					var gotAuthors, wantAuthors []string
					if ext == "xml" {
						gotAuthors = it.DublinCoreExt.Creator
					} else {
						for _, p := range it.Authors {
							gotAuthors = append(gotAuthors, p.Name)
						}
					}
					for _, au := range a.Authors {
						wantAuthors = append(wantAuthors, au.Name)
					}
					if !slices.Equal(gotAuthors, wantAuthors) {
						t.Errorf("%s item %d: authors %q, want %q", where, i, gotAuthors, wantAuthors)
					}
					chain := tree.Chain(a.SectionID)
					wantCats := []string{chain[len(chain)-1].Name}
					for _, tg := range a.Tags {
						wantCats = append(wantCats, tg.Name)
					}
					if !slices.Equal(it.Categories, wantCats) {
						t.Errorf("%s item %d: categories %q, want %q", where, i, it.Categories, wantCats)
					}
					if summary := it.Description; ext != "json" && summary != a.Deck {
						t.Errorf("%s item %d: summary %q, want the deck %q", where, i, summary, a.Deck)
					}
				}
			}
		}
	})
}

// A new article appears at the top of the site feed and of its
// sections', authors' and tags' feeds at once; a feed that does not list
// it stays in the cache.
func TestFeeds_newArticleAppearsInExactlyTheFeedsThatListIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		in := politicsArticle("Transport bill clears committee")
		in["authors"] = []map[string]string{{"name": "Kim Min-ji", "email": "kim.minji@paper.example"}}
		in["tags"] = []string{"budget"}
		listing := []string{"/feed", "/section/national/feed", "/section/national/politics/feed", "/author/kim-minji/feed", "/tag/budget/feed"}
		unrelated := "/section/sports/feed.atom"
		for _, p := range listing {
			for ext := range feedFormats {
				ts.get(t, p+"."+ext)
			}
		}
		ts.get(t, unrelated)
		_, _, hitsBefore, _ := ts.site.Web.PageCacheStats()

		var created articleOut
		if res := ts.api(t, "POST", "/api/v1/articles", account.Editor, in, &created); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		if created.Authors[0].Email != "kim.minji@paper.example" {
			t.Fatalf("the article's author is %+v, not the demo's Kim Min-ji", created.Authors)
		}
		for _, p := range listing {
			for ext := range feedFormats {
				f := fetchFeed(t, ts, p, ext)
				if len(f.Items) == 0 || f.Items[0].Title != "Transport bill clears committee" {
					t.Errorf("%s.%s does not start with the new article", p, ext)
				}
			}
		}
		_, _, hitsMid, _ := ts.site.Web.PageCacheStats()
		if hitsMid != hitsBefore {
			t.Errorf("%d feeds that list the new article were served from the cache", hitsMid-hitsBefore)
		}
		ts.get(t, unrelated)
		if _, _, hitsAfter, _ := ts.site.Web.PageCacheStats(); hitsAfter != hitsMid+1 {
			t.Errorf("%s was dropped from the cache though it does not list the article", unrelated)
		}

		// Renaming an author changes the bylines in every feed that lists
		// one of their articles, the site feed among them.
		kim, _ := ts.db.AuthorBySlug(context.Background(), "kim-minji")
		if res := ts.api(t, "PATCH", fmt.Sprintf("/api/v1/authors/%d", kim.ID), account.Editor,
			map[string]any{"name": "Kim Min-ji Renamed"}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("rename author: %d", res.StatusCode)
		}
		if _, body := ts.get(t, "/feed.xml"); !strings.Contains(body, "Kim Min-ji Renamed") {
			t.Error("the site feed still shows the author's old name")
		}
	})
}

// Feeds answer conditional requests by ETag and by Last-Modified, with
// the page cache on and off, and a change makes old validators fail.
func TestFeeds_conditionalGet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		for _, cached := range []bool{true, false} {
			t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
				opts := []option{}
				if !cached {
					opts = append(opts, withoutPageCache)
				}
				ts := newTestServer(t, e, opts...)
				for ext := range feedFormats {
					path := "/section/national/feed." + ext
					res, _ := ts.get(t, path, "Accept-Encoding", "identity")
					etag, lastMod := res.Header.Get("Etag"), res.Header.Get("Last-Modified")
					if etag == "" || lastMod == "" {
						t.Fatalf("%s: ETag %q Last-Modified %q; want both", path, etag, lastMod)
					}
					if res.Header.Get("Vary") != "Accept-Encoding" {
						t.Errorf("%s: Vary %q; a feed is the same in every language", path, res.Header.Get("Vary"))
					}
					if res, _ := ts.get(t, path, "If-None-Match", etag, "Accept-Encoding", "identity"); res.StatusCode != http.StatusNotModified {
						t.Errorf("%s If-None-Match: %d, want 304", path, res.StatusCode)
					}
					if res, _ := ts.get(t, path, "If-Modified-Since", lastMod); res.StatusCode != http.StatusNotModified {
						t.Errorf("%s If-Modified-Since: %d, want 304", path, res.StatusCode)
					}
				}
				res, _ := ts.get(t, "/feed.xml", "Accept-Encoding", "identity")
				etag, lastMod := res.Header.Get("Etag"), res.Header.Get("Last-Modified")
				// The demo's newest article is an hour old, so the new one moves Last-Modified.
				if res := ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle("Fresh"), nil); res.StatusCode != http.StatusCreated {
					t.Fatalf("create: %d", res.StatusCode)
				}
				if res, _ := ts.get(t, "/feed.xml", "If-None-Match", etag, "Accept-Encoding", "identity"); res.StatusCode != http.StatusOK {
					t.Errorf("old ETag after a new article: %d, want 200", res.StatusCode)
				}
				if res, _ := ts.get(t, "/feed.xml", "If-Modified-Since", lastMod); res.StatusCode != http.StatusOK {
					t.Errorf("old Last-Modified after a new article: %d, want 200", res.StatusCode)
				}
			})
		}
	})
}

// Feeds of things that do not exist, and formats we do not have, are 404.
func TestFeeds_unknownScopeOrFormatIs404(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, p := range []string{
			"/section/nope/feed.xml", "/section/national/nope/feed.atom", "/section/feed.json",
			"/author/nobody/feed.xml", "/tag/no-such-tag/feed.json",
			"/feed.rss", "/feed.html", "/section/national/feed.html", "/tag/budget/feed.rss",
		} {
			if res, _ := ts.get(t, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
			}
		}
	})
}
