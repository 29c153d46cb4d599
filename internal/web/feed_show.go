package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/feed"
)

// feedItems is how many of the newest articles a feed lists.
const feedItems = 30

// feedScope is what one feed lists and how it describes itself.
type feedScope struct {
	title       string
	description string
	page        string // path of the HTML page the feed follows
	query       article.ListQuery
	key         string // cache key of the whole list: KeyArticles, or the section's, author's or tag's
}

// showSiteFeed is the newest articles of the whole paper:
// /feed.xml (RSS), /feed.atom, /feed.json.
func (h *Handler) showSiteFeed(r *http.Request, base layout) (result, error) {
	f, _, err := feedFormat(r.URL.Path)
	if err != nil {
		return result{}, err
	}
	return h.feed(r, base, f, feedScope{
		title: base.Site.Name, description: base.L.T("feed_site", "Site", base.Site.Name), page: "/", key: cache.KeyArticles,
	})
}

// showSectionFeed is a section's feed, /section/{path}/feed.{xml,atom,json},
// with the articles of its subsections as on its front.
func (h *Handler) showSectionFeed(r *http.Request, base layout) (result, error) {
	f, path, err := feedFormat(r.PathValue("path"))
	if err != nil {
		return result{}, err
	}
	s, ok := base.tree.ByPath(path)
	if !ok {
		return result{}, fmt.Errorf("%w: section %q", errNotFound, path)
	}
	desc := s.Description
	if desc == "" {
		desc = base.L.T("feed_section", "Section", s.Name, "Site", base.Site.Name)
	}
	return h.feed(r, base, f, feedScope{
		title: s.Name + " | " + base.Site.Name, description: desc, page: sectionURL(s.Path),
		query: article.ListQuery{SectionIDs: base.tree.Subtree(s.ID)}, key: cache.SectionKey(s.ID),
	})
}

// showAuthorFeed is an author's feed, /author/{slug}/feed.{xml,atom,json}.
func (h *Handler) showAuthorFeed(r *http.Request, base layout) (result, error) {
	f, _, err := feedFormat(r.URL.Path)
	if err != nil {
		return result{}, err
	}
	au, err := h.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return result{}, err
	}
	return h.feed(r, base, f, feedScope{
		title: au.Name + " | " + base.Site.Name, description: base.L.T("articles_by", "Name", au.Name),
		page: "/author/" + au.Slug, query: article.ListQuery{AuthorID: au.ID}, key: cache.AuthorKey(au.ID),
	})
}

// showTagFeed is a tag's feed, /tag/{slug}/feed.{xml,atom,json}.
func (h *Handler) showTagFeed(r *http.Request, base layout) (result, error) {
	f, _, err := feedFormat(r.URL.Path)
	if err != nil {
		return result{}, err
	}
	t, err := h.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return result{}, err
	}
	return h.feed(r, base, f, feedScope{
		title: t.Name + " | " + base.Site.Name, description: base.L.T("articles_tagged", "Name", t.Name),
		page: "/tag/" + t.Slug, query: article.ListQuery{TagID: t.ID}, key: cache.TagKey(t.ID),
	})
}

// feed lists the scope's newest published articles in format f. The page
// carries the keys of every article listed (their sections, authors and
// tags, whose names it shows) besides the scope's own, so a change to any
// of them drops it, and a new article drops it through the scope's key.
func (h *Handler) feed(r *http.Request, base layout, f feed.Format, sc feedScope) (result, error) {
	ctx := r.Context()
	q := sc.query
	q.Status, q.Limit, q.Scope = article.Published, feedItems, article.PublicScope()
	list, err := h.store.ListArticles(ctx, q)
	if err != nil {
		return result{}, err
	}
	if err := h.store.LoadBylinesAndTags(ctx, list); err != nil {
		return result{}, err
	}
	abs := base.Site.BaseURL
	fd := feed.Feed{
		Title: sc.title, Description: sc.description, Link: abs + escapePath(sc.page), Self: abs + escapePath(r.URL.Path),
		Language: base.L.Lang, Publisher: base.Site.Name,
	}
	keys := []string{sc.key}
	var newest time.Time
	for _, a := range list {
		chain := base.tree.Chain(a.SectionID)
		link := abs + escapePath(a.URL())
		it := feed.Item{
			ID: link, Link: link, Title: a.Headline, Summary: a.Deck, Image: absURL(abs, a.LeadImage.URL),
			Published: a.PublishedAt, Updated: latest(a.PublishedAt, a.UpdatedAt),
		}
		for _, au := range a.Authors {
			it.Authors = append(it.Authors, feed.Person{Name: au.Name, URL: abs + "/author/" + au.Slug})
		}
		if len(chain) > 0 {
			s := chain[len(chain)-1]
			it.Categories = append(it.Categories, feed.Category{Term: s.Path, Label: s.Name, Scheme: abs + "/section/"})
		}
		for _, t := range a.Tags {
			it.Categories = append(it.Categories, feed.Category{Term: t.Slug, Label: t.Name, Scheme: abs + "/tag/"})
		}
		fd.Items = append(fd.Items, it)
		newest = latest(newest, it.Updated)
		keys = append(keys, article.CacheKeys(a, chain)...)
	}
	fd.Updated = newest
	if newest.IsZero() {
		fd.Updated = base.Now // Atom needs a time even for a feed with no entries yet
	}
	body, err := feed.Render(f, fd)
	if err != nil {
		return result{}, fmt.Errorf("web: feed %s: %w", r.URL.Path, err)
	}
	return result{body: body, contentType: f.ContentType(), keys: dedupe(keys), lastModified: newest}, nil
}

// feedFormat reads a feed URL's last segment, feed.xml, feed.atom or
// feed.json, and returns the format and what comes before "/feed.…".
func feedFormat(p string) (feed.Format, string, error) {
	i := strings.LastIndex(p, "feed.")
	if i < 0 || (i > 0 && p[i-1] != '/') {
		return 0, "", fmt.Errorf("%w: %q is not a feed", errNotFound, p)
	}
	f, err := feed.ParseFormat(p[i+len("feed."):])
	if err != nil {
		return 0, "", fmt.Errorf("%w: %q is not a feed", errNotFound, p)
	}
	return f, strings.TrimSuffix(p[:i], "/"), nil
}

// isFeedPath reports a section path that ends in a feed's name. Section
// slugs have no dots, so no section front can end like that.
func isFeedPath(p string) bool {
	for _, f := range feed.Formats {
		if p == "feed."+f.Ext() || strings.HasSuffix(p, "/feed."+f.Ext()) {
			return true
		}
	}
	return false
}

// feedLink is a feed as a page's <head> advertises it.
type feedLink struct {
	Title string
	URL   string // absolute
	Type  string
}

// feedLinks lists the feeds of the page at path ("/" for the site's) in
// every format.
func feedLinks(abs, title, path string) []feedLink {
	prefix := strings.TrimSuffix(path, "/")
	out := make([]feedLink, 0, len(feed.Formats))
	for _, f := range feed.Formats {
		out = append(out, feedLink{Title: title + " (" + f.Name() + ")", URL: abs + escapePath(prefix+"/feed."+f.Ext()), Type: f.MediaType()})
	}
	return out
}

// escapePath percent-encodes a path for documents that need plain URLs
// (feeds, sitemaps): Korean slugs are IRIs as they are.
func escapePath(p string) string { return (&url.URL{Path: p}).EscapedPath() }

// absURL makes a site-relative URL absolute; "" stays "".
func absURL(abs, u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return abs + u
	}
	return u
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// dedupe drops repeated keys, keeping the first of each.
func dedupe(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := keys[:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
