package cache

import (
	"strconv"
	"time"
)

// Keys name what a cached page was built from. A page records every key it
// depends on; a change invalidates the keys of what it touched, and every
// page that carries one of them is dropped. They double as surrogate keys
// for a CDN.
const (
	KeyHome     = "home"
	KeyArticles = "articles" // every list of all articles: the site feeds and the sitemaps
	KeyNav      = "nav"      // section list and static page links in every layout
	KeySettings = "settings"
	KeyAll      = "*" // every cached page
)

// ArticleKey names one article.
func ArticleKey(id int64) string { return "a" + strconv.FormatInt(id, 10) }

// SectionKey names the list of articles in one section.
func SectionKey(id int64) string { return "s" + strconv.FormatInt(id, 10) }

// AuthorKey names one author and the list of their articles.
func AuthorKey(id int64) string { return "u" + strconv.FormatInt(id, 10) }

// TagKey names one tag's list of articles.
func TagKey(id int64) string { return "t" + strconv.FormatInt(id, 10) }

// PageKey names one static page.
func PageKey(slug string) string { return "p-" + slug }

// MonthKey names the sitemap of the articles published in t's month (UTC).
// It is not among an article's own keys: editing one article must not drop
// the pages of every other article of its month.
func MonthKey(t time.Time) string { return "m" + t.UTC().Format("2006-01") }
