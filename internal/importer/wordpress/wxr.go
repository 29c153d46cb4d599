// Package wordpress reads a WordPress export (WXR 1.0 to 1.2, the XML
// file Tools → Export writes) as the importer's records. The file is read
// as a stream of XML tokens, one item at a time, never whole.
package wordpress

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"broadsheet/internal/importer"
)

// Source reads one WXR file.
type Source struct {
	path string
	// known is what a first reading of the file found, kept for the next
	// Scan: attachments (featured images) and the authors, categories and
	// tags the posts use without the header listing them.
	known *catalog
}

// Open names the WXR file to read; it is read by Scan.
func Open(path string) (*Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a file", path)
	}
	return &Source{path: path}, nil
}

// Name is the key of the source's ids.
func (s *Source) Name() string { return "wordpress" }

// wpNamespace matches WXR's namespaces, over http or https, 1.0 to 1.2.
var wpNamespace = regexp.MustCompile(`^https?://wordpress\.org/export/1\.[0-2]/$`)

// text is an element's text with its namespace, for the local names two
// namespaces share (content:encoded, excerpt:encoded). CDATA sections,
// "]]>" split across two of them included, join into Text.
type text struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

type meta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

type category struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

type wxrComment struct {
	ID       string `xml:"comment_id"`
	Author   string `xml:"comment_author"`
	Email    string `xml:"comment_author_email"`
	URL      string `xml:"comment_author_url"`
	Date     string `xml:"comment_date"`
	DateGMT  string `xml:"comment_date_gmt"`
	Content  string `xml:"comment_content"`
	Approved string `xml:"comment_approved"`
	Type     string `xml:"comment_type"`
	Parent   string `xml:"comment_parent"`
}

type item struct {
	Title         string       `xml:"title"`
	Link          string       `xml:"link"`
	PubDate       string       `xml:"pubDate"`
	Creator       string       `xml:"creator"`
	GUID          string       `xml:"guid"`
	Encoded       []text       `xml:"encoded"`
	PostID        string       `xml:"post_id"`
	PostDate      string       `xml:"post_date"`
	PostDateGMT   string       `xml:"post_date_gmt"`
	ModifiedGMT   string       `xml:"post_modified_gmt"`
	Name          string       `xml:"post_name"`
	Status        string       `xml:"status"`
	Parent        string       `xml:"post_parent"`
	Type          string       `xml:"post_type"`
	Password      string       `xml:"post_password"`
	AttachmentURL string       `xml:"attachment_url"`
	Categories    []category   `xml:"category"`
	Meta          []meta       `xml:"postmeta"`
	Comments      []wxrComment `xml:"comment"`
}

// content and excerpt tell content:encoded from excerpt:encoded.
func (it *item) content() string { return it.encoded("content") }
func (it *item) excerpt() string { return it.encoded("excerpt") }

func (it *item) encoded(kind string) string {
	for _, e := range it.Encoded {
		if kind == "excerpt" && strings.HasSuffix(e.XMLName.Space, "/excerpt/") ||
			kind == "content" && strings.Contains(e.XMLName.Space, "purl.org/rss/1.0/modules/content") {
			return e.Text
		}
	}
	return ""
}

func (it *item) metaValue(key string) string {
	for _, m := range it.Meta {
		if strings.TrimSpace(m.Key) == key {
			return strings.TrimSpace(m.Value)
		}
	}
	return ""
}

type wxrAuthor struct {
	ID          string `xml:"author_id"`
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	First       string `xml:"author_first_name"`
	Last        string `xml:"author_last_name"`
}

type wxrCategory struct {
	Nicename    string `xml:"category_nicename"`
	Parent      string `xml:"category_parent"`
	Name        string `xml:"cat_name"`
	Description string `xml:"category_description"`
}

type wxrTag struct {
	Slug        string `xml:"tag_slug"`
	Name        string `xml:"tag_name"`
	Description string `xml:"tag_description"`
}

// attachment is a media item, for featured images and galleries.
type attachment struct {
	URL, File, Alt, Caption string
}

// catalog is what the first reading gathers.
type catalog struct {
	attachments map[string]attachment
	authors     map[string]bool // logins the header lists
	usedAuthors []string        // logins posts name that the header does not list, in order
	categories  map[string]string
	usedCats    []category
	tags        map[string]string
	usedTags    []category
	baseURL     string
	// broadsheet is a file Broadsheet's export wrote: a page's address
	// there is /page/{slug}, and its slug is the page's name.
	broadsheet bool
}

// MaxItem bounds one item of the file (a post with its comments), which
// is read whole: beyond it the file is refused rather than held in
// memory.
var MaxItem int64 = 64 << 20

// errItemTooLarge stops reading an item larger than MaxItem.
var errItemTooLarge = errors.New("item too large")

// meter counts the bytes read from the file and refuses to read past
// stop, when stop is set.
type meter struct {
	r    io.Reader
	read int64
	stop int64 // 0: no bound
}

func (m *meter) Read(p []byte) (int, error) {
	if m.stop > 0 && m.read >= m.stop {
		return 0, errItemTooLarge
	}
	n, err := m.r.Read(p)
	m.read += int64(n)
	return n, err
}

// decoder is a streaming reader of the file with the settings WXR needs:
// HTML's named entities (&nbsp; outside CDATA), UTF-8 only.
func decoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8") {
			return input, nil
		}
		return nil, fmt.Errorf("the file is in %s; only UTF-8 exports can be read", charset)
	}
	return d
}

// walk reads the file, calling fn with each element directly inside
// <channel> (its start; fn decodes or skips it). It checks the file is an
// RSS document with WordPress's namespace.
func (s *Source) walk(ctx context.Context, fn func(d *xml.Decoder, start xml.StartElement) error) error {
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read only
	m := &meter{r: f}
	d := decoder(m)
	depth := 0
	sawRSS, sawWP, sawChannel := false, false, false
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if t.Name.Local != "rss" {
					return &importer.Error{Record: 1, Reason: fmt.Sprintf("the file is not a WordPress export: its root element is <%s>, not <rss>", t.Name.Local)}
				}
				sawRSS = true
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" && wpNamespace.MatchString(a.Value) {
						sawWP = true
					}
				}
				if !sawWP {
					return &importer.Error{Record: 1, Reason: "the file is not a WordPress export: it declares no wordpress.org/export/1.0 to 1.2 namespace"}
				}
			case 2:
				if t.Name.Local == "channel" {
					sawChannel = true
				}
			case 3:
				// The decoder reads ahead by its buffer at most.
				m.stop = m.read + MaxItem + 64<<10
				err := fn(d, t)
				m.stop = 0
				if errors.Is(err, errItemTooLarge) {
					return &importer.Error{Reason: fmt.Sprintf("an element <%s> larger than %d MiB; no post is that large", t.Name.Local, MaxItem>>20)}
				}
				if err != nil {
					return err
				}
				depth-- // fn consumed the element and its end
			}
		case xml.EndElement:
			depth--
		}
	}
	if !sawRSS || !sawChannel {
		return &importer.Error{Record: 1, Reason: "the file is not a WordPress export: it has no <rss><channel>"}
	}
	return nil
}

func syntaxError(err error) error {
	if errors.Is(err, errItemTooLarge) {
		return err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &importer.Error{Reason: fmt.Sprintf("the XML is broken at line %d: %s", se.Line, se.Msg)}
	}
	return &importer.Error{Reason: "the file cannot be read as XML: " + err.Error()}
}

// decode reads the element that start opened into v, or skips it when v
// is nil.
func decode(d *xml.Decoder, start xml.StartElement, v any) error {
	var err error
	if v == nil {
		err = d.Skip()
	} else {
		err = d.DecodeElement(v, &start)
	}
	if err != nil {
		return syntaxError(err)
	}
	return nil
}

// survey is the first reading: attachments, and the authors, categories
// and tags posts name.
func (s *Source) survey(ctx context.Context) (*catalog, error) {
	if s.known != nil {
		return s.known, nil
	}
	c := &catalog{attachments: map[string]attachment{}, authors: map[string]bool{},
		categories: map[string]string{}, tags: map[string]string{}}
	usedAuthor := map[string]bool{}
	usedCat := map[string]bool{}
	usedTag := map[string]bool{}
	err := s.walk(ctx, func(d *xml.Decoder, start xml.StartElement) error {
		switch start.Name.Local {
		case "base_site_url":
			var t text
			if err := decode(d, start, &t); err != nil {
				return err
			}
			c.baseURL = strings.TrimSpace(t.Text)
		case "generator":
			var t text
			if err := decode(d, start, &t); err != nil {
				return err
			}
			c.broadsheet = strings.TrimSpace(t.Text) == "Broadsheet"
		case "author":
			var a wxrAuthor
			if err := decode(d, start, &a); err != nil {
				return err
			}
			c.authors[strings.TrimSpace(a.Login)] = true
		case "category":
			var w wxrCategory
			if err := decode(d, start, &w); err != nil {
				return err
			}
			c.categories[strings.TrimSpace(w.Nicename)] = w.Name
		case "tag":
			var w wxrTag
			if err := decode(d, start, &w); err != nil {
				return err
			}
			c.tags[strings.TrimSpace(w.Slug)] = w.Name
		case "item":
			var it item
			if err := decode(d, start, &it); err != nil {
				return err
			}
			if strings.TrimSpace(it.Type) == "attachment" {
				c.attachments[strings.TrimSpace(it.PostID)] = attachmentOf(&it)
				return nil
			}
			if login := strings.TrimSpace(it.Creator); login != "" && !usedAuthor[login] {
				usedAuthor[login] = true
				c.usedAuthors = append(c.usedAuthors, login)
			}
			for _, cat := range it.Categories {
				cat.Nicename = strings.TrimSpace(cat.Nicename)
				switch {
				case cat.Domain == "category" && !usedCat[cat.Nicename]:
					usedCat[cat.Nicename] = true
					c.usedCats = append(c.usedCats, cat)
				case (cat.Domain == "post_tag" || cat.Domain == "tag") && !usedTag[cat.Nicename]:
					usedTag[cat.Nicename] = true
					c.usedTags = append(c.usedTags, cat)
				}
			}
		default:
			return decode(d, start, nil)
		}
		return nil
	})
	if err != nil {
		// What was read so far: the second reading meets the same error
		// and numbers the record it is in.
		return c, err
	}
	s.known = c
	return c, nil
}

func attachmentOf(it *item) attachment {
	a := attachment{URL: strings.TrimSpace(it.AttachmentURL), Alt: it.metaValue("_wp_attachment_image_alt"),
		Caption: strings.TrimSpace(stripTags(it.excerpt()))}
	if a.URL == "" {
		a.URL = strings.TrimSpace(it.GUID)
	}
	a.File = it.metaValue("_wp_attached_file")
	if a.File == "" {
		a.File = uploadsPath(a.URL)
	}
	return a
}

// uploadsPath is the part of an upload's address after
// "wp-content/uploads/": where the file is in a copy of that folder.
func uploadsPath(u string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	if _, after, ok := strings.Cut(p, "/wp-content/uploads/"); ok {
		return after
	}
	return ""
}

// Scan reads the file: authors, categories (parents first) and tags, then
// the posts and pages with their comments. Attachments, revisions, menu
// items and posts in the bin are not records; pingbacks, trackbacks and
// spam are left out.
func (s *Source) Scan(ctx context.Context, fn func(importer.Record) error) error {
	c, surveyErr := s.survey(ctx)
	var malformed *importer.Error
	if surveyErr != nil && !errors.As(surveyErr, &malformed) {
		return surveyErr
	}
	n := 0
	emit := func(r importer.Record) error {
		n++
		return fn(r)
	}
	var authors []*importer.Author
	var cats []wxrCategory
	var tags []*importer.Tag
	headerDone := false
	flushHeader := func() error {
		if headerDone {
			return nil
		}
		headerDone = true
		declared := map[string]bool{}
		for _, a := range authors {
			declared[a.SourceID] = true
		}
		for _, login := range c.usedAuthors {
			if !declared[login] {
				// WXR 1.0 lists no authors: the login is all there is.
				authors = append(authors, &importer.Author{SourceID: login, Name: login, Slug: login})
			}
		}
		for _, a := range authors {
			if err := emit(a); err != nil {
				return err
			}
		}
		for _, cat := range c.usedCats {
			if _, ok := c.categories[cat.Nicename]; !ok {
				cats = append(cats, wxrCategory{Nicename: cat.Nicename, Name: cat.Name})
			}
		}
		for _, sec := range orderCategories(cats) {
			if err := emit(sec); err != nil {
				return err
			}
		}
		for _, t := range c.usedTags {
			if _, ok := c.tags[t.Nicename]; !ok {
				tags = append(tags, &importer.Tag{SourceID: t.Nicename, Slug: t.Nicename, Name: termName(t.Name)})
			}
		}
		for _, t := range tags {
			if err := emit(t); err != nil {
				return err
			}
		}
		return nil
	}
	err := s.walk(ctx, func(d *xml.Decoder, start xml.StartElement) error {
		switch start.Name.Local {
		case "author":
			var a wxrAuthor
			if err := decode(d, start, &a); err != nil {
				return err
			}
			name := termName(a.DisplayName)
			if name == "" {
				name = strings.TrimSpace(termName(a.First) + " " + termName(a.Last))
			}
			if name == "" {
				name = strings.TrimSpace(a.Login)
			}
			authors = append(authors, &importer.Author{SourceID: strings.TrimSpace(a.Login), Name: name,
				Email: strings.TrimSpace(a.Email), Slug: strings.TrimSpace(a.Login)})
		case "category":
			var w wxrCategory
			if err := decode(d, start, &w); err != nil {
				return err
			}
			cats = append(cats, w)
		case "tag":
			var w wxrTag
			if err := decode(d, start, &w); err != nil {
				return err
			}
			tags = append(tags, &importer.Tag{SourceID: strings.TrimSpace(w.Slug), Slug: strings.TrimSpace(w.Slug), Name: termName(w.Name)})
		case "item":
			if err := flushHeader(); err != nil {
				return err
			}
			var it item
			if err := decode(d, start, &it); err != nil {
				var e *importer.Error
				if errors.As(err, &e) {
					e.Record = n + 1
				}
				return err
			}
			p, err := s.post(c, &it)
			if err != nil {
				return &importer.Error{Record: n + 1, ID: strings.TrimSpace(it.PostID), Reason: err.Error()}
			}
			if p == nil {
				return nil
			}
			return emit(p)
		default:
			return decode(d, start, nil)
		}
		return nil
	})
	if err != nil {
		var e *importer.Error
		if errors.As(err, &e) && e.Record == 0 {
			e.Record = n + 1
		}
		return err
	}
	if surveyErr != nil {
		return surveyErr
	}
	return flushHeader()
}

// orderCategories makes sections of categories, each parent before its
// children; a category whose parent is not in the file is at the top.
func orderCategories(cats []wxrCategory) []*importer.Section {
	byName := map[string]wxrCategory{}
	for _, c := range cats {
		c.Nicename = strings.TrimSpace(c.Nicename)
		if _, dup := byName[c.Nicename]; !dup {
			byName[c.Nicename] = c
		}
	}
	var out []*importer.Section
	done := map[string]bool{}
	var add func(name string, depth int)
	add = func(name string, depth int) {
		c, ok := byName[name]
		if !ok || done[name] {
			return
		}
		done[name] = true
		parent := strings.TrimSpace(c.Parent)
		if _, ok := byName[parent]; !ok || depth > 50 || parent == name {
			parent = ""
		}
		if parent != "" {
			if !done[parent] {
				add(parent, depth+1)
			}
			if !contains(out, parent) {
				parent = "" // a loop: this one goes to the top
			}
		}
		out = append(out, &importer.Section{SourceID: name, Slug: name, Name: termName(c.Name),
			Description: strings.TrimSpace(c.Description), ParentSourceID: parent})
	}
	for _, c := range cats {
		add(strings.TrimSpace(c.Nicename), 0)
	}
	return out
}

func contains(secs []*importer.Section, id string) bool {
	for _, s := range secs {
		if s.SourceID == id {
			return true
		}
	}
	return false
}

// post makes a record of an item; nil for an item that is not one
// (attachments, revisions, menu items, auto-drafts, the bin).
func (s *Source) post(c *catalog, it *item) (*importer.Post, error) {
	kind := importer.KindArticle
	switch strings.TrimSpace(it.Type) {
	case "post", "":
	case "page":
		kind = importer.KindPage
	default:
		return nil, nil
	}
	id := strings.TrimSpace(it.PostID)
	if id == "" {
		return nil, errors.New("an item without a <wp:post_id>")
	}
	var status importer.Status
	switch strings.TrimSpace(it.Status) {
	case "publish":
		status = importer.StatusPublished
	case "future":
		status = importer.StatusScheduled
	case "draft":
		status = importer.StatusDraft
	case "pending":
		status = importer.StatusReview
	case "private":
		status = importer.StatusPrivate
	case "auto-draft", "trash", "inherit":
		return nil, nil
	default:
		return nil, fmt.Errorf("unknown status %q", it.Status)
	}
	if it.Password != "" {
		status = importer.StatusPrivate // password-protected: not for everyone
	}
	content := it.content()
	if len(content) > MaxContent {
		return nil, fmt.Errorf("its content is %d KiB, more than the %d KiB a post can have (four times an article's limit)", len(content)>>10, MaxContent>>10)
	}
	if strings.TrimSpace(it.Title) == "" && strings.TrimSpace(stripTags(content)) == "" {
		return nil, errors.New("a post with neither a title nor any content")
	}
	published, err := postTime(it.PostDateGMT, it.PostDate, it.PubDate)
	if err != nil {
		return nil, err
	}
	modified, err := wpTime(it.ModifiedGMT)
	if err != nil {
		return nil, fmt.Errorf("<wp:post_modified_gmt>: %v", err)
	}
	p := &importer.Post{SourceID: id, Kind: kind, Title: strings.TrimSpace(it.Title), Slug: strings.TrimSpace(it.Name),
		Excerpt: it.excerpt(), HTML: Content(content, c.attachments), Status: status,
		PublishedAt: published, UpdatedAt: modified}
	if status != importer.StatusPublished && status != importer.StatusScheduled {
		// Never published here: WordPress's date is when it was written.
		if p.UpdatedAt.IsZero() {
			p.UpdatedAt = p.PublishedAt
		}
		p.PublishedAt = time.Time{}
	}
	if login := strings.TrimSpace(it.Creator); login != "" {
		p.AuthorSourceIDs = []string{login}
	}
	for _, cat := range it.Categories {
		switch cat.Domain {
		case "category":
			if p.SectionSourceID == "" {
				p.SectionSourceID = strings.TrimSpace(cat.Nicename)
			}
		case "post_tag", "tag":
			p.TagSourceIDs = append(p.TagSourceIDs, strings.TrimSpace(cat.Nicename))
		}
	}
	if kind == importer.KindPage {
		p.Slug = strings.Trim(pathOf(it.Link), "/")
		if rest, ok := strings.CutPrefix(p.Slug, "page/"); ok && c.broadsheet {
			p.Slug = rest
		}
		if p.Slug == "" || strings.Contains(p.Slug, "?") {
			p.Slug = strings.TrimSpace(it.Name)
		}
		p.SectionSourceID, p.TagSourceIDs = "", nil
	}
	if thumb := it.metaValue("_thumbnail_id"); thumb != "" {
		if a, ok := c.attachments[thumb]; ok && a.URL != "" {
			p.LeadImage = &importer.Image{URL: a.URL, File: a.File, Alt: a.Alt, Caption: a.Caption}
		}
	}
	p.OldPaths = oldPaths(kind, id, it.Link, it.GUID)
	for _, cm := range it.Comments {
		switch strings.TrimSpace(cm.Type) {
		case "pingback", "trackback":
			continue
		}
		approved := strings.TrimSpace(cm.Approved)
		if approved == "spam" || approved == "trash" {
			continue
		}
		at, err := postTime(cm.DateGMT, cm.Date, "")
		if err != nil {
			return nil, fmt.Errorf("comment %s: %v", cm.ID, err)
		}
		parent := strings.TrimSpace(cm.Parent)
		if parent == "0" {
			parent = ""
		}
		p.Comments = append(p.Comments, importer.Comment{SourceID: strings.TrimSpace(cm.ID), ParentSourceID: parent,
			AuthorName: strings.TrimSpace(cm.Author), AuthorEmail: strings.TrimSpace(cm.Email), AuthorURL: strings.TrimSpace(cm.URL),
			Body: cm.Content, Approved: approved == "1", CreatedAt: at})
	}
	return p, nil
}

// oldPaths are the addresses a post answered at: its permalink, "/?p=ID"
// (or "/?page_id=ID"), and its guid when that is an address too.
func oldPaths(kind importer.Kind, id, link, guid string) []string {
	var out []string
	add := func(p string) {
		if p == "" || p == "/" {
			return
		}
		for _, o := range out {
			if o == p {
				return
			}
		}
		out = append(out, p)
	}
	add(pathOf(link))
	if kind == importer.KindPage {
		add("/?page_id=" + id)
	} else {
		add("/?p=" + id)
	}
	add(pathOf(guid))
	return out
}

// pathOf is the path, and query, of an address: what the old site's
// links will ask this one for.
func pathOf(u string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return ""
	}
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "" && pu.Scheme != "http" && pu.Scheme != "https") {
		return ""
	}
	p := pu.EscapedPath()
	if p == "" {
		p = "/"
	}
	if pu.RawQuery != "" {
		p += "?" + pu.RawQuery
	}
	return p
}

// postTime is the first of the given WordPress times that is set: the
// GMT time, the local time (taken as UTC), or an RSS pubDate. All unset
// ("0000-00-00 00:00:00", a draft's) is the zero time.
func postTime(gmt, local, pub string) (time.Time, error) {
	t, err := wpTime(gmt)
	if err != nil {
		return time.Time{}, fmt.Errorf("<wp:post_date_gmt>: %v", err)
	}
	if !t.IsZero() {
		return t, nil
	}
	if t, err = wpTime(local); err != nil {
		return time.Time{}, fmt.Errorf("<wp:post_date>: %v", err)
	}
	if !t.IsZero() {
		return t, nil
	}
	if pub = strings.TrimSpace(pub); pub != "" {
		t, err := time.Parse(time.RFC1123Z, pub)
		if err != nil {
			if t, err = time.Parse(time.RFC1123, pub); err != nil {
				return time.Time{}, fmt.Errorf("<pubDate> %q is not a date", pub)
			}
		}
		if y := t.UTC().Year(); y < 1900 || y > 9999 {
			return time.Time{}, fmt.Errorf("<pubDate> %q is not a date between 1900 and 9999", pub)
		}
		return t.UTC(), nil
	}
	return time.Time{}, nil
}

// termName is a category's, tag's or author's name as WordPress stores
// it, HTML-escaped ("Arts &amp; Culture"), as text.
func termName(s string) string {
	return strings.TrimSpace(html.UnescapeString(s))
}

func wpTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date like 2019-03-01 10:00:00", s)
	}
	if t.Year() < 1900 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("%q is not a date between 1900 and 9999", s)
	}
	return t, nil
}
