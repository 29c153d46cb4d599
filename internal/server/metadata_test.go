package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// head is what a page's <head> says about it to other sites.
type head struct {
	meta   map[string][]string // property or name → content, in order
	links  []map[string]string // every <link>'s attributes
	jsonLD []map[string]any
}

func (h head) one(t *testing.T, page, key string) string {
	t.Helper()
	if v := h.meta[key]; len(v) == 1 {
		return v[0]
	}
	t.Errorf("%s: %s = %q, want exactly one", page, key, h.meta[key])
	return ""
}

func (h head) link(rel, attr, value string) map[string]string {
	for _, l := range h.links {
		if l["rel"] == rel && l[attr] == value {
			return l
		}
	}
	return nil
}

func parseHead(t *testing.T, page, body string) head {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	h := head{meta: map[string][]string{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			switch {
			case n.Data == "meta" && attrs["property"] != "":
				h.meta[attrs["property"]] = append(h.meta[attrs["property"]], attrs["content"])
			case n.Data == "meta" && attrs["name"] != "":
				h.meta[attrs["name"]] = append(h.meta[attrs["name"]], attrs["content"])
			case n.Data == "link":
				h.links = append(h.links, attrs)
			case n.Data == "script" && attrs["type"] == "application/ld+json" && n.FirstChild != nil:
				var v map[string]any
				if err := json.Unmarshal([]byte(n.FirstChild.Data), &v); err != nil {
					t.Errorf("%s: JSON-LD does not parse: %v", page, err)
				}
				h.jsonLD = append(h.jsonLD, v)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return h
}

// absolute fails unless u is an absolute URL on the test site.
func absolute(t *testing.T, page, what, u string) {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" || p.Host != "paper.test" {
		t.Errorf("%s: %s %q is not an absolute URL on the site", page, what, u)
	}
}

// An article page has complete OpenGraph, Twitter card and article tags,
// and NewsArticle and BreadcrumbList JSON-LD that agree with the database.
func TestMetadata_articlePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		ctx := context.Background()
		var created articleOut
		ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle(`Budget "deal" <struck> & signed`), &created)
		a, err := ts.db.Article(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, body := ts.get(t, a.URL())
		h := parseHead(t, a.URL(), body)
		canonical := "http://paper.test" + a.URL()
		for key, want := range map[string]string{
			"og:type": "article", "og:title": a.Headline, "og:description": a.Deck, "og:url": canonical,
			"og:site_name": "Broadsheet Daily", "og:locale": "en_US", "og:locale:alternate": "ko_KR",
			"og:image": "http://paper.test/media/demo/assembly.png", "og:image:alt": a.LeadImage.Alt,
			"twitter:card": "summary_large_image", "twitter:title": a.Headline, "twitter:description": a.Deck,
			"twitter:image": "http://paper.test/media/demo/assembly.png", "article:section": "Politics",
		} {
			if got := h.one(t, a.URL(), key); got != want {
				t.Errorf("%s = %q, want %q", key, got, want)
			}
		}
		for key, want := range map[string]time.Time{"article:published_time": a.PublishedAt, "article:modified_time": a.UpdatedAt} {
			got, err := time.Parse(time.RFC3339, h.one(t, a.URL(), key))
			if err != nil || !got.Equal(want.Truncate(time.Second)) {
				t.Errorf("%s = %v (%v), want %v", key, got, err, want)
			}
		}
		var tags, authors []string
		for _, tg := range a.Tags {
			tags = append(tags, tg.Name)
		}
		for _, au := range a.Authors {
			authors = append(authors, "http://paper.test/author/"+au.Slug)
		}
		if !slices.Equal(h.meta["article:tag"], tags) || !slices.Equal(h.meta["article:author"], authors) {
			t.Errorf("article:tag %q article:author %q; want %q %q", h.meta["article:tag"], h.meta["article:author"], tags, authors)
		}
		if l := h.link("canonical", "href", canonical); l == nil {
			t.Errorf("no <link rel=canonical href=%s>", canonical)
		}

		if len(h.jsonLD) != 2 || h.jsonLD[0]["@type"] != "NewsArticle" || h.jsonLD[1]["@type"] != "BreadcrumbList" {
			t.Fatalf("JSON-LD: %v; want a NewsArticle and a BreadcrumbList", h.jsonLD)
		}
		var ld struct {
			Context, Type, Headline, Description, URL, DatePublished, DateModified, ArticleSection string
			MainEntityOfPage                                                                       struct {
				ID string `json:"@id"`
			}
			Image     []string
			Author    []struct{ Type, Name, URL string }
			Publisher struct {
				Type, Name string
				Logo       struct{ Type, URL string }
			}
			Keywords []string
		}
		raw, _ := json.Marshal(h.jsonLD[0])
		if err := json.Unmarshal([]byte(strings.NewReplacer(`"@context"`, `"Context"`, `"@type"`, `"Type"`).Replace(string(raw))), &ld); err != nil {
			t.Fatal(err)
		}
		pub, err1 := time.Parse(time.RFC3339, ld.DatePublished)
		mod, err2 := time.Parse(time.RFC3339, ld.DateModified)
		if err1 != nil || err2 != nil || !pub.Equal(a.PublishedAt.Truncate(time.Second)) || !mod.Equal(a.UpdatedAt.Truncate(time.Second)) {
			t.Errorf("JSON-LD dates %q %q, want %v %v", ld.DatePublished, ld.DateModified, a.PublishedAt, a.UpdatedAt)
		}
		if ld.Context != "https://schema.org" || ld.Headline != a.Headline || ld.Description != a.Deck || ld.URL != canonical ||
			ld.MainEntityOfPage.ID != canonical || ld.ArticleSection != "Politics" || !slices.Equal(ld.Keywords, tags) {
			t.Errorf("NewsArticle: %+v", ld)
		}
		if len(ld.Image) != 1 || ld.Image[0] != "http://paper.test/media/demo/assembly.png" {
			t.Errorf("NewsArticle image %q, want the absolute lead image", ld.Image)
		}
		if len(ld.Author) != len(a.Authors) {
			t.Fatalf("NewsArticle has %d authors, want %d", len(ld.Author), len(a.Authors))
		}
		for i, au := range a.Authors {
			if got := ld.Author[i]; got.Type != "Person" || got.Name != au.Name || got.URL != authors[i] {
				t.Errorf("NewsArticle author %d: %+v, want Person %s %s", i, got, au.Name, authors[i])
			}
		}
		if ld.Publisher.Type != "Organization" || ld.Publisher.Name != "Broadsheet Daily" || ld.Publisher.Logo.Type != "ImageObject" {
			t.Errorf("NewsArticle publisher: %+v", ld.Publisher)
		}
		absolute(t, a.URL(), "publisher logo", ld.Publisher.Logo.URL)
		if res, _ := ts.get(t, strings.TrimPrefix(ld.Publisher.Logo.URL, "http://paper.test")); res.StatusCode != http.StatusOK {
			t.Errorf("publisher logo %s: %d", ld.Publisher.Logo.URL, res.StatusCode)
		}

		items := h.jsonLD[1]["itemListElement"].([]any)
		wantNames := []string{"Home", "National", "Politics"}
		wantItems := []string{"http://paper.test/", "http://paper.test/section/national", "http://paper.test/section/national/politics"}
		if len(items) != 3 {
			t.Fatalf("BreadcrumbList has %d items, want 3", len(items))
		}
		for i, it := range items {
			m := it.(map[string]any)
			if m["@type"] != "ListItem" || m["position"] != float64(i+1) || m["name"] != wantNames[i] || m["item"] != wantItems[i] {
				t.Errorf("breadcrumb %d: %v, want position %d %s %s", i, m, i+1, wantNames[i], wantItems[i])
			}
		}
	})
}

// Lists and the home page describe themselves as websites, advertise
// their feeds (which exist), and link their versions in each language.
func TestMetadata_listPagesAdvertiseFeedsAndLanguages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		for _, p := range []string{"/", "/section/national/politics", "/author/kim-minji", "/tag/budget"} {
			_, body := ts.get(t, p)
			h := parseHead(t, p, body)
			if h.one(t, p, "og:type") != "website" || h.one(t, p, "twitter:card") != "summary" || h.one(t, p, "og:title") == "" {
				t.Errorf("%s: og:type %q twitter:card %q og:title %q", p, h.meta["og:type"], h.meta["twitter:card"], h.meta["og:title"])
			}
			absolute(t, p, "og:url", h.one(t, p, "og:url"))
			feedPath := strings.TrimSuffix(p, "/") + "/feed"
			for ext, typ := range feedFormats {
				l := h.link("alternate", "type", typ)
				if l == nil || l["href"] != "http://paper.test"+feedPath+"."+ext || l["title"] == "" {
					t.Errorf("%s: feed link for %s: %v, want %s.%s with a title", p, typ, l, feedPath, ext)
					continue
				}
				fetchFeed(t, ts, feedPath, ext)
			}
			versions := map[string]string{}
			for _, l := range h.links {
				if l["rel"] == "alternate" && l["hreflang"] != "" {
					versions[l["hreflang"]] = l["href"]
				}
			}
			base := "http://paper.test" + p
			want := map[string]string{"en": base + "?lang=en", "ko": base + "?lang=ko", "x-default": base}
			if len(versions) != 3 || versions["en"] != want["en"] || versions["ko"] != want["ko"] || versions["x-default"] != want["x-default"] {
				t.Errorf("%s: hreflang links %v, want %v", p, versions, want)
			}
			// The Korean version names itself canonical, as hreflang requires.
			_, ko := ts.get(t, p+"?lang=ko")
			if hk := parseHead(t, p, ko); hk.link("canonical", "href", want["ko"]) == nil || hk.one(t, p, "og:locale") != "ko_KR" {
				t.Errorf("%s?lang=ko: canonical or og:locale not the Korean version's", p)
			}
		}
		_, body := ts.get(t, "/")
		h := parseHead(t, "/", body)
		if len(h.jsonLD) != 1 || h.jsonLD[0]["@type"] != "WebSite" || h.jsonLD[0]["url"] != "http://paper.test/" {
			t.Errorf("home JSON-LD: %v, want a WebSite", h.jsonLD)
		}
	})
}
