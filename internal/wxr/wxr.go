// Package wxr writes a paper as a WordPress eXtended RSS (WXR) 1.2 file,
// the file WordPress's own importer (Tools → Import → WordPress) reads:
// the authors, the sections as categories, the tags, every article as a
// post with its lead image as an attachment and its visible comments, and
// the static pages. The file is written as the archive is read, one
// article at a time; the whole archive is never in memory.
package wxr

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/comment"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
)

// Store is what an export reads.
type Store interface {
	Settings(ctx context.Context) (map[string]string, error)
	Authors(ctx context.Context) ([]author.Author, error)
	Sections(ctx context.Context) ([]section.Section, error)
	MaxIDs(ctx context.Context) (articleID, pageID int64, err error)
	TagsAfter(ctx context.Context, afterID int64, limit int) ([]article.Tag, error)
	ArticlesAfter(ctx context.Context, afterID int64, limit int) ([]article.Article, error)
	VisibleCommentsAfter(ctx context.Context, articleID, afterID int64, limit int) ([]comment.Comment, error)
	PagesAfter(ctx context.Context, afterID int64, limit int) ([]page.Page, error)
	PageBySlug(ctx context.Context, slug string) (page.Page, error)
}

// The namespaces of WXR 1.2, as WordPress writes them.
const (
	NSExcerpt = "http://wordpress.org/export/1.2/excerpt/"
	NSContent = "http://purl.org/rss/1.0/modules/content/"
	NSWfw     = "http://wellformedweb.org/CommentAPI/"
	NSDC      = "http://purl.org/dc/elements/1.1/"
	NSWP      = "http://wordpress.org/export/1.2/"
)

// Page sizes of the reads: an export holds at most this many articles
// (and then comments of one article) at once.
const (
	articlesPerRead = 100
	rowsPerRead     = 500
)

// Options set what the file says about the site.
type Options struct {
	// BaseURL is the site's public origin, such as https://paper.example:
	// every link in the file is absolute, made from it.
	BaseURL string
	// Now is the file's date.
	Now time.Time
}

// Counts says what a file holds.
type Counts struct {
	Authors, Categories, Tags           int
	Posts, Pages, Attachments, Comments int
}

// Ids. WordPress numbers posts, pages and attachments in one series, and
// its importer matches a featured image and a page's parent by those
// numbers, so they must not collide: an article keeps its id, a page
// becomes the highest article id plus its own, and an article's lead
// image the highest article id plus the highest page id plus the
// article's id. Categories and tags share one series of term ids the
// same way: a tag is the highest section id plus its own.
type ids struct {
	maxArticle, maxPage, maxSection int64
}

func (n ids) page(id int64) int64       { return n.maxArticle + id }
func (n ids) attachment(id int64) int64 { return n.maxArticle + n.maxPage + id }
func (n ids) tag(id int64) int64        { return n.maxSection + id }

// Write writes the paper in db to w as a WXR 1.2 file. Articles saved
// while it runs may or may not be in the file; none is written twice.
func Write(ctx context.Context, w io.Writer, db Store, o Options) (Counts, error) {
	var n Counts
	base, err := checkBase(o.BaseURL)
	if err != nil {
		return n, err
	}
	settings, err := db.Settings(ctx)
	if err != nil {
		return n, err
	}
	s := site.FromMap(settings)
	authors, err := db.Authors(ctx)
	if err != nil {
		return n, err
	}
	sections, err := db.Sections(ctx)
	if err != nil {
		return n, err
	}
	maxArticle, maxPage, err := db.MaxIDs(ctx)
	if err != nil {
		return n, err
	}
	x := &exporter{
		ctx: ctx, db: db, base: base, tz: s.TimeZone, n: &n,
		ids:      ids{maxArticle: maxArticle, maxPage: maxPage},
		sections: map[int64]term{},
	}
	for _, sec := range sections {
		x.ids.maxSection = max(x.ids.maxSection, sec.ID)
	}
	x.nameSections(sections)
	x.enc = xml.NewEncoder(w)
	x.enc.Indent("", "\t")

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return n, fmt.Errorf("wxr: %w", err)
	}
	x.start("rss", attr("version", "2.0"), attr("xmlns:excerpt", NSExcerpt), attr("xmlns:content", NSContent),
		attr("xmlns:wfw", NSWfw), attr("xmlns:dc", NSDC), attr("xmlns:wp", NSWP))
	x.start("channel")
	x.text("title", s.Name)
	x.text("link", base)
	x.text("description", "")
	x.text("pubDate", rfc822(o.Now))
	x.text("language", s.Locale)
	x.text("wp:wxr_version", "1.2")
	x.text("wp:base_site_url", base)
	x.text("wp:base_blog_url", base)
	for _, a := range authors {
		x.author(a)
	}
	x.categories(sections)
	x.tags()
	x.text("generator", "Broadsheet")
	x.articles()
	x.pages()
	x.end("channel")
	x.end("rss")
	if x.err == nil {
		x.err = x.enc.Flush()
	}
	if x.err == nil {
		_, x.err = io.WriteString(w, "\n")
	}
	if x.err != nil {
		return n, fmt.Errorf("wxr: %w", x.err)
	}
	return n, nil
}

// checkBase returns the origin without a trailing slash, or says what is
// wrong with it.
func checkBase(s string) (string, error) {
	s = strings.TrimRight(s, "/")
	u, err := url.Parse(s)
	if s == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
		return "", fmt.Errorf("wxr: base URL %q: want the site's origin, such as https://paper.example", s)
	}
	return s, nil
}

// term is how a section is named in the file.
type term struct {
	nicename, name string
}

type exporter struct {
	ctx      context.Context
	db       Store
	enc      *xml.Encoder
	base     string
	tz       *time.Location
	ids      ids
	sections map[int64]term
	n        *Counts
	err      error // the first error; every write after it does nothing
}

// nameSections gives each section its WordPress nicename: the last part
// of its slug, or, when another section already has that name (national
// and world both with a "politics"), its whole path joined with hyphens.
func (x *exporter) nameSections(sections []section.Section) {
	taken := map[string]bool{}
	for _, sec := range byDepth(sections) {
		name := lastPart(sec.Slug)
		if name == "" || taken[name] {
			name = strings.ReplaceAll(sec.Path, "/", "-")
		}
		for i := 2; taken[name]; i++ {
			name = strings.ReplaceAll(sec.Path, "/", "-") + "-" + strconv.Itoa(i)
		}
		taken[name] = true
		x.sections[sec.ID] = term{nicename: name, name: sec.Name}
	}
}

// byDepth orders sections parents first, as the importer needs a parent
// category made before its children.
func byDepth(sections []section.Section) []section.Section {
	out := make([]section.Section, 0, len(sections))
	placed := map[int64]bool{0: true}
	for len(out) < len(sections) {
		before := len(out)
		for _, sec := range sections {
			if !placed[sec.ID] && placed[sec.ParentID] {
				out = append(out, sec)
				placed[sec.ID] = true
			}
		}
		if len(out) == before { // a parent that is not in the list: keep the rest as they come
			for _, sec := range sections {
				if !placed[sec.ID] {
					out = append(out, sec)
					placed[sec.ID] = true
				}
			}
		}
	}
	return out
}

func lastPart(s string) string { return s[strings.LastIndex(s, "/")+1:] }

func (x *exporter) author(a author.Author) {
	x.start("wp:author")
	x.text("wp:author_id", strconv.FormatInt(a.ID, 10))
	x.cdata("wp:author_login", a.Slug)
	x.cdata("wp:author_email", a.Email)
	x.cdata("wp:author_display_name", a.Name)
	x.cdata("wp:author_first_name", "")
	x.cdata("wp:author_last_name", "")
	x.end("wp:author")
	x.n.Authors++
}

func (x *exporter) categories(sections []section.Section) {
	for _, sec := range byDepth(sections) {
		t := x.sections[sec.ID]
		x.start("wp:category")
		x.text("wp:term_id", strconv.FormatInt(sec.ID, 10))
		x.cdata("wp:category_nicename", t.nicename)
		x.cdata("wp:category_parent", x.sections[sec.ParentID].nicename)
		x.cdata("wp:cat_name", sec.Name)
		if sec.Description != "" {
			x.cdata("wp:category_description", sec.Description)
		}
		x.end("wp:category")
		x.n.Categories++
	}
}

func (x *exporter) tags() {
	var after int64
	for x.err == nil {
		list, err := x.db.TagsAfter(x.ctx, after, rowsPerRead)
		if err != nil {
			x.err = err
			return
		}
		for _, t := range list {
			x.start("wp:tag")
			x.text("wp:term_id", strconv.FormatInt(x.ids.tag(t.ID), 10))
			x.cdata("wp:tag_slug", t.Slug)
			x.cdata("wp:tag_name", t.Name)
			x.end("wp:tag")
			x.n.Tags++
			after = t.ID
		}
		if len(list) < rowsPerRead {
			return
		}
	}
}

// The statuses of WordPress posts, by the paper's.
var statuses = map[article.Status]string{
	article.Published: "publish",
	article.Scheduled: "future",
	article.Draft:     "draft",
	article.Review:    "pending",
}

func (x *exporter) articles() {
	var after int64
	for x.err == nil {
		if x.err = x.ctx.Err(); x.err != nil {
			return
		}
		list, err := x.db.ArticlesAfter(x.ctx, after, articlesPerRead)
		if err != nil {
			x.err = err
			return
		}
		for _, a := range list {
			// An article saved after the export began would take an id the
			// pages' series already uses.
			if a.ID > x.ids.maxArticle {
				return
			}
			x.article(a)
			after = a.ID
		}
		if len(list) < articlesPerRead {
			return
		}
	}
}

func (x *exporter) article(a article.Article) {
	status, ok := statuses[a.Status]
	if !ok {
		x.err = fmt.Errorf("article %d has the unknown status %q", a.ID, a.Status)
		return
	}
	creator := ""
	if len(a.Authors) > 0 {
		creator = a.Authors[0].Slug
	}
	commentStatus := "open"
	if a.CommentMode == string(comment.Closed) {
		commentStatus = "closed"
	}
	var image string
	if a.LeadImage.URL != "" {
		image = x.absolute(a.LeadImage.URL)
	}
	x.start("item")
	x.cdata("title", a.Headline)
	x.text("link", x.base+a.URL())
	x.postDates(a.PublishedAt, a.CreatedAt, a.UpdatedAt, func() {
		x.cdata("dc:creator", creator)
		x.el("guid", guid{IsPermaLink: "false", URL: clean(x.base + "/article/" + strconv.FormatInt(a.ID, 10))})
		x.text("description", "")
		x.cdata("content:encoded", x.absoluteLinks(a.BodyHTML))
		x.cdata("excerpt:encoded", a.Deck)
		x.text("wp:post_id", strconv.FormatInt(a.ID, 10))
	})
	x.cdata("wp:comment_status", commentStatus)
	x.cdata("wp:ping_status", "closed")
	x.cdata("wp:post_name", a.Slug)
	x.cdata("wp:status", status)
	x.text("wp:post_parent", "0")
	x.text("wp:menu_order", "0")
	x.cdata("wp:post_type", "post")
	x.cdata("wp:post_password", "")
	x.text("wp:is_sticky", "0")
	for _, id := range append([]int64{a.SectionID}, a.AlsoIn...) {
		if t, ok := x.sections[id]; ok {
			x.el("category", category{Domain: "category", Nicename: t.nicename, Name: clean(t.name)})
		}
	}
	for _, t := range a.Tags {
		x.el("category", category{Domain: "post_tag", Nicename: clean(t.Slug), Name: clean(t.Name)})
	}
	if image != "" {
		x.meta("_thumbnail_id", strconv.FormatInt(x.ids.attachment(a.ID), 10))
	}
	x.comments(a.ID)
	x.end("item")
	x.n.Posts++
	if image != "" {
		x.attachment(a, image, creator)
	}
}

// postDates writes pubDate, then what comes between it and the dates in
// WordPress's order (fn), then the dates. An article never published has
// no date in GMT, as in WordPress, and is dated by its creation.
func (x *exporter) postDates(published, created, updated time.Time, fn func()) {
	when, gmt := published, "0000-00-00 00:00:00"
	if published.IsZero() {
		when = created
	} else {
		gmt = mysqlTime(published.UTC())
	}
	x.text("pubDate", rfc822(when))
	fn()
	x.cdata("wp:post_date", mysqlTime(when.In(x.tz)))
	x.cdata("wp:post_date_gmt", gmt)
	x.cdata("wp:post_modified", mysqlTime(updated.In(x.tz)))
	x.cdata("wp:post_modified_gmt", mysqlTime(updated.UTC()))
}

// attachment writes an article's lead image as a WordPress attachment
// whose parent is the article. WordPress keeps an image's caption as its
// excerpt, its alt text in _wp_attachment_image_alt, and has no credit:
// the credit becomes the description.
func (x *exporter) attachment(a article.Article, imageURL, creator string) {
	id := x.ids.attachment(a.ID)
	name := imageName(imageURL)
	title := name
	if title == "" {
		title = "image-" + strconv.FormatInt(id, 10)
	}
	x.start("item")
	x.cdata("title", title)
	x.text("link", imageURL)
	x.postDates(a.PublishedAt, a.CreatedAt, a.UpdatedAt, func() {
		x.cdata("dc:creator", creator)
		x.el("guid", guid{IsPermaLink: "false", URL: clean(imageURL)})
		x.text("description", "")
		x.cdata("content:encoded", a.LeadImage.Credit)
		x.cdata("excerpt:encoded", a.LeadImage.Caption)
		x.text("wp:post_id", strconv.FormatInt(id, 10))
	})
	x.cdata("wp:comment_status", "closed")
	x.cdata("wp:ping_status", "closed")
	x.cdata("wp:post_name", strings.ToLower(title))
	x.cdata("wp:status", "inherit")
	x.text("wp:post_parent", strconv.FormatInt(a.ID, 10))
	x.text("wp:menu_order", "0")
	x.cdata("wp:post_type", "attachment")
	x.cdata("wp:post_password", "")
	x.text("wp:is_sticky", "0")
	x.cdata("wp:attachment_url", imageURL)
	if a.LeadImage.Alt != "" {
		x.meta("_wp_attachment_image_alt", a.LeadImage.Alt)
	}
	x.end("item")
	x.n.Attachments++
}

// imageName is the file name of an image's URL without its extension:
// WordPress's title for an uploaded image.
func imageName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." {
		return ""
	}
	return strings.TrimSuffix(name, path.Ext(name))
}

// absolute makes a URL the paper stores ("/media/…" or "https://…")
// absolute.
func (x *exporter) absolute(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return x.base + u
	}
	return u
}

// The site-relative addresses of rendered HTML, which is sanitized and so
// always quotes its attributes with '"': a link or image ("/article/…",
// "/media/…") and each entry of a srcset; text's quotes are escaped.
var (
	relativeAttr   = regexp.MustCompile(`(\s(?:src|href)=")(/[^/])`)
	relativeSrcset = regexp.MustCompile(`\ssrcset="[^"]*"`)
	srcsetEntry    = regexp.MustCompile(`(^|, )(/[^/])`)
)

// absoluteLinks makes the site-relative links and images of rendered HTML
// absolute, so that they still lead to the paper from another site.
func (x *exporter) absoluteLinks(html string) string {
	if !strings.Contains(html, `="/`) {
		return html
	}
	html = relativeAttr.ReplaceAllString(html, "${1}"+strings.ReplaceAll(x.base, "$", "$$")+"${2}")
	return relativeSrcset.ReplaceAllStringFunc(html, func(attr string) string {
		const prefix = ` srcset="`
		value := attr[len(prefix) : len(attr)-1]
		return attr[:len(prefix)] + srcsetEntry.ReplaceAllString(value, "${1}"+strings.ReplaceAll(x.base, "$", "$$")+"${2}") + `"`
	})
}

// comments writes an article's visible comments, parents before replies.
// A reader's comment is plain text; WordPress keeps comments as HTML, so
// it is escaped.
func (x *exporter) comments(articleID int64) {
	var after int64
	for x.err == nil {
		list, err := x.db.VisibleCommentsAfter(x.ctx, articleID, after, rowsPerRead)
		if err != nil {
			x.err = err
			return
		}
		for _, c := range list {
			x.start("wp:comment")
			x.text("wp:comment_id", strconv.FormatInt(c.ID, 10))
			x.cdata("wp:comment_author", c.ReaderName)
			x.cdata("wp:comment_author_email", "")
			x.text("wp:comment_author_url", "")
			x.cdata("wp:comment_author_IP", "")
			x.cdata("wp:comment_date", mysqlTime(c.CreatedAt.In(x.tz)))
			x.cdata("wp:comment_date_gmt", mysqlTime(c.CreatedAt.UTC()))
			x.cdata("wp:comment_content", escapeHTML(c.Body))
			x.cdata("wp:comment_approved", "1")
			x.cdata("wp:comment_type", "comment")
			x.text("wp:comment_parent", strconv.FormatInt(c.ParentID, 10))
			x.text("wp:comment_user_id", "0")
			x.end("wp:comment")
			x.n.Comments++
			after = c.ID
		}
		if len(list) < rowsPerRead {
			return
		}
	}
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// pages writes the static pages. A page whose slug is a path ("about/team")
// is named by its last part, under the page of the rest ("about") when
// there is one.
func (x *exporter) pages() {
	var after int64
	for x.err == nil {
		list, err := x.db.PagesAfter(x.ctx, after, rowsPerRead)
		if err != nil {
			x.err = err
			return
		}
		for _, p := range list {
			if p.ID > x.ids.maxPage {
				return
			}
			x.page(p)
			after = p.ID
		}
		if len(list) < rowsPerRead {
			return
		}
	}
}

func (x *exporter) page(p page.Page) {
	var parent int64
	if i := strings.LastIndex(p.Slug, "/"); i > 0 {
		switch up, err := x.db.PageBySlug(x.ctx, p.Slug[:i]); {
		case err == nil && up.ID <= x.ids.maxPage:
			parent = x.ids.page(up.ID)
		case err != nil && !errors.Is(err, page.ErrNotFound):
			x.err = err
			return
		}
	}
	id := x.ids.page(p.ID)
	x.start("item")
	x.cdata("title", p.Title)
	x.text("link", x.base+"/page/"+p.Slug)
	x.postDates(p.UpdatedAt, p.UpdatedAt, p.UpdatedAt, func() {
		x.cdata("dc:creator", "")
		x.el("guid", guid{IsPermaLink: "false", URL: clean(x.base + "/page/" + p.Slug)})
		x.text("description", "")
		x.cdata("content:encoded", x.absoluteLinks(p.BodyHTML))
		x.cdata("excerpt:encoded", "")
		x.text("wp:post_id", strconv.FormatInt(id, 10))
	})
	x.cdata("wp:comment_status", "closed")
	x.cdata("wp:ping_status", "closed")
	x.cdata("wp:post_name", lastPart(p.Slug))
	x.cdata("wp:status", "publish")
	x.text("wp:post_parent", strconv.FormatInt(parent, 10))
	x.text("wp:menu_order", "0")
	x.cdata("wp:post_type", "page")
	x.cdata("wp:post_password", "")
	x.text("wp:is_sticky", "0")
	x.end("item")
	x.n.Pages++
}

func (x *exporter) meta(key, value string) {
	x.start("wp:postmeta")
	x.cdata("wp:meta_key", key)
	x.cdata("wp:meta_value", value)
	x.end("wp:postmeta")
}

// The shapes below are written with their prefixes spelled out, as
// WordPress writes them; the namespaces are declared on <rss>.

type cdataText struct {
	Text string `xml:",cdata"`
}

type guid struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	URL         string `xml:",chardata"`
}

type category struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",cdata"`
}

func attr(name, value string) xml.Attr { return xml.Attr{Name: xml.Name{Local: name}, Value: value} }

func (x *exporter) start(name string, attrs ...xml.Attr) {
	if x.err == nil {
		x.err = x.enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
	}
}

func (x *exporter) end(name string) {
	if x.err == nil {
		x.err = x.enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}})
	}
}

func (x *exporter) el(name string, v any) {
	if x.err == nil {
		x.err = x.enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
	}
}

// text writes an element of escaped text.
func (x *exporter) text(name, s string) { x.el(name, clean(s)) }

// cdata writes an element whose text is one or more CDATA sections: a
// "]]>" in s ends one section and starts the next, as WordPress does.
func (x *exporter) cdata(name, s string) { x.el(name, cdataText{Text: clean(s)}) }

// clean replaces what XML 1.0 cannot carry (invalid UTF-8, most control
// characters, U+FFFE and U+FFFF) with U+FFFD, so that the file always
// parses.
func clean(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if !xmlChar(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if !xmlChar(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// mysqlTime is a time as WordPress's database writes it.
func mysqlTime(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

func rfc822(t time.Time) string { return t.UTC().Format("Mon, 02 Jan 2006 15:04:05 +0000") }
