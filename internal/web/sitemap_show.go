package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/sitemap"
)

// The sitemaps: /sitemap.xml is an index of
//
//	/sitemaps/pages.xml        home, section fronts, static pages, authors
//	/sitemaps/tags.xml         tag pages (tags-2.xml, … past the URL limit)
//	/sitemaps/news.xml         Google News: articles of the last 48 hours
//	/sitemaps/2026-11.xml      the articles published in a month (UTC);
//	                           2026-11-2.xml, … past the URL limit
//
// A month's articles always stay in its file, so a crawler re-reads only
// the months whose <lastmod> moved.

const xmlType = "application/xml; charset=utf-8"

// sitemapBatch is how many rows one query reads while a month's sitemap
// is written.
const sitemapBatch = 5000

// showSitemapIndex is /sitemap.xml.
func (h *Handler) showSitemapIndex(r *http.Request, base layout) (result, error) {
	ctx := r.Context()
	months, err := h.store.PublishedMonths(ctx)
	if err != nil {
		return result{}, err
	}
	tags, err := h.store.TaggedCount(ctx)
	if err != nil {
		return result{}, err
	}
	var newest time.Time
	for _, m := range months {
		newest = latest(newest, m.LastModified)
	}
	loc := func(name string) string { return base.Site.BaseURL + "/sitemaps/" + name + ".xml" }
	list := []sitemap.URL{{Loc: loc("pages"), LastMod: newest}, {Loc: loc("news"), LastMod: newest}}
	for part := 1; part <= parts(tags, h.cfg.SitemapURLs); part++ {
		list = append(list, sitemap.URL{Loc: loc(partName("tags", part)), LastMod: newest})
	}
	for i := len(months) - 1; i >= 0; i-- { // newest month first
		m := months[i]
		for part := 1; part <= parts(m.Count, h.cfg.SitemapURLs); part++ {
			list = append(list, sitemap.URL{Loc: loc(partName(m.Start.Format("2006-01"), part)), LastMod: m.LastModified})
		}
	}
	body, err := sitemap.Index(list)
	if err != nil {
		return result{}, err
	}
	return result{body: body, contentType: xmlType, keys: []string{cache.KeyArticles}, lastModified: newest}, nil
}

// showSitemap is one file under /sitemaps/. A name that is not one of
// ours, a month that does not exist or has no articles, and a part past
// the last are all 404.
func (h *Handler) showSitemap(r *http.Request, base layout) (result, error) {
	name := r.PathValue("name")
	switch name {
	case "news.xml":
		return h.newsSitemap(r, base)
	case "pages.xml":
		return h.pagesSitemap(r, base)
	}
	stem, part, ok := parseSitemapName(name)
	if !ok {
		return result{}, fmt.Errorf("%w: no sitemap %q", errNotFound, name)
	}
	if stem == "tags" {
		return h.tagsSitemap(r, base, part)
	}
	month, err := time.Parse("2006-01", stem)
	if err != nil || month.Year() < 1 || month.Format("2006-01") != stem {
		return result{}, fmt.Errorf("%w: no sitemap %q", errNotFound, name)
	}
	return h.monthSitemap(r, base, month, part)
}

// monthSitemap lists part (from 1) of the articles published in month,
// oldest first, reading them by keyset in batches.
func (h *Handler) monthSitemap(r *http.Request, base layout, month time.Time, part int) (result, error) {
	ctx := r.Context()
	from, to, limit := month, month.AddDate(0, 1, 0), h.cfg.SitemapURLs
	var after article.Cursor
	if part > 1 {
		var err error
		if after, err = h.store.PublishedPosition(ctx, from, to, (part-1)*limit-1); err != nil {
			return result{}, err // fewer articles than the parts before this one: 404
		}
	}
	urls := make([]sitemap.URL, 0, min(limit, 256))
	var newest time.Time
	for len(urls) < limit {
		n := min(sitemapBatch, limit-len(urls))
		list, err := h.store.PublishedBetween(ctx, from, to, after, n)
		if err != nil {
			return result{}, err
		}
		for _, a := range list {
			urls = append(urls, sitemap.URL{Loc: base.Site.BaseURL + escapePath(a.URL()), LastMod: a.UpdatedAt})
			newest = latest(newest, a.UpdatedAt)
		}
		if len(list) < n {
			break
		}
		last := list[len(list)-1]
		after = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	if len(urls) == 0 {
		return result{}, fmt.Errorf("%w: no articles published in %s", errNotFound, month.Format("2006-01"))
	}
	body, err := sitemap.URLSet(urls)
	if err != nil {
		return result{}, err
	}
	return result{body: body, contentType: xmlType, keys: []string{cache.MonthKey(month)}, lastModified: newest}, nil
}

// newsSitemap lists the articles published in the last 48 hours, newest
// first, as Google News reads them. The page expires when its oldest
// article leaves the window, since no change to content announces that.
func (h *Handler) newsSitemap(r *http.Request, base layout) (result, error) {
	now := h.now()
	since := now.Add(-sitemap.NewsWindow)
	var urls []sitemap.NewsURL
	var oldest, newest time.Time
	q := article.ListQuery{Scope: article.PublicScope(), Status: article.Published, Limit: 100}
	for len(urls) < sitemap.MaxNewsURLs {
		list, err := h.store.ListArticles(r.Context(), q)
		if err != nil {
			return result{}, err
		}
		for _, a := range list {
			if !a.PublishedAt.After(since) || len(urls) == sitemap.MaxNewsURLs {
				list = nil
				break
			}
			urls = append(urls, sitemap.NewsURL{Loc: base.Site.BaseURL + escapePath(a.URL()), Title: a.Headline, Published: a.PublishedAt})
			oldest, newest = a.PublishedAt, latest(newest, a.UpdatedAt)
		}
		if len(list) < q.Limit {
			break
		}
		last := list[len(list)-1]
		q.After = article.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	body, err := sitemap.News(sitemap.Publication{Name: base.Site.Name, Language: base.L.Lang}, urls)
	if err != nil {
		return result{}, err
	}
	res := result{body: body, contentType: xmlType, keys: []string{cache.KeyArticles}, lastModified: newest}
	if !oldest.IsZero() {
		res.expires = oldest.Add(sitemap.NewsWindow)
	}
	return res, nil
}

// pagesSitemap lists the pages that are not articles or tags: the home
// page, every section front, the static pages and the author pages.
func (h *Handler) pagesSitemap(r *http.Request, base layout) (result, error) {
	abs := base.Site.BaseURL
	urls := []sitemap.URL{{Loc: abs + "/"}}
	for _, id := range base.tree.Subtree(0)[1:] {
		if s, ok := base.tree.ByID(id); ok {
			urls = append(urls, sitemap.URL{Loc: abs + escapePath(sectionURL(s.Path))})
		}
	}
	for _, p := range base.Pages {
		urls = append(urls, sitemap.URL{Loc: abs + escapePath("/page/"+p.Slug), LastMod: p.UpdatedAt})
	}
	authors, err := h.store.Authors(r.Context())
	if err != nil {
		return result{}, err
	}
	keys := []string{cache.KeyArticles}
	for _, au := range authors {
		urls = append(urls, sitemap.URL{Loc: abs + escapePath("/author/"+au.Slug)})
		keys = append(keys, cache.AuthorKey(au.ID))
	}
	if len(urls) > h.cfg.SitemapURLs {
		urls = urls[:h.cfg.SitemapURLs] // thousands of sections and authors are not a newspaper's
	}
	body, err := sitemap.URLSet(urls)
	if err != nil {
		return result{}, err
	}
	return result{body: body, contentType: xmlType, keys: keys}, nil
}

// tagsSitemap lists part (from 1) of the tags that have published
// articles, by id.
func (h *Handler) tagsSitemap(r *http.Request, base layout, part int) (result, error) {
	limit := h.cfg.SitemapURLs
	var afterID int64
	for skip := part - 1; skip > 0; skip-- { // parts past the first are rare: walk to the start
		tags, err := h.store.TaggedAfter(r.Context(), afterID, limit)
		if err != nil {
			return result{}, err
		}
		if len(tags) < limit {
			return result{}, fmt.Errorf("%w: tags sitemap part %d", errNotFound, part)
		}
		afterID = tags[len(tags)-1].ID
	}
	tags, err := h.store.TaggedAfter(r.Context(), afterID, limit)
	if err != nil {
		return result{}, err
	}
	if len(tags) == 0 && part > 1 {
		return result{}, fmt.Errorf("%w: tags sitemap part %d", errNotFound, part)
	}
	urls := make([]sitemap.URL, len(tags))
	for i, t := range tags {
		urls[i] = sitemap.URL{Loc: base.Site.BaseURL + escapePath("/tag/"+t.Slug)}
	}
	body, err := sitemap.URLSet(urls)
	if err != nil {
		return result{}, err
	}
	return result{body: body, contentType: xmlType, keys: []string{cache.KeyArticles}}, nil
}

// parts is how many files of at most limit URLs hold n.
func parts(n, limit int) int { return (n + limit - 1) / limit }

// partName names part (from 1) of a sitemap: the first has no number.
func partName(stem string, part int) string {
	if part == 1 {
		return stem
	}
	return stem + "-" + strconv.Itoa(part)
}

// parseSitemapName reads "STEM.xml" or "STEM-N.xml" with 2 ≤ N ≤
// maxSitemapPart written without leading zeros, so that each file has
// exactly one name. A stem is "tags" or "YYYY-MM" (checked by the caller).
func parseSitemapName(name string) (stem string, part int, ok bool) {
	base, found := strings.CutSuffix(name, ".xml")
	if !found {
		return "", 0, false
	}
	stem, part = base, 1
	if n := strings.Count(base, "-"); n == 2 || (n == 1 && strings.HasPrefix(base, "tags-")) {
		i := strings.LastIndexByte(base, '-')
		num := base[i+1:]
		p, err := strconv.Atoi(num)
		if err != nil || p < 2 || p > maxSitemapPart || strconv.Itoa(p) != num {
			return "", 0, false
		}
		stem, part = base[:i], p
	}
	if stem != "tags" && len(stem) != len("2006-01") {
		return "", 0, false
	}
	return stem, part, true
}

// maxSitemapPart bounds part numbers far above any real month (it would
// take 50 billion articles) and keeps offsets from overflowing.
const maxSitemapPart = 1_000_000
