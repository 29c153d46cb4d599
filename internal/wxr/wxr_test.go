package wxr_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/demo"
	"broadsheet/internal/page"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
	"broadsheet/internal/wxr"
)

func TestMain(m *testing.M) {
	storetest.Migrated = true
	code := m.Run()
	storetest.RemoveTemplates()
	os.Exit(code)
}

const base = "https://paper.example"

// The file as encoding/xml reads it, by namespace, the way any WXR
// reader would.
type file struct {
	Channel struct {
		Title      string       `xml:"title"`
		Link       string       `xml:"link"`
		Version    string       `xml:"http://wordpress.org/export/1.2/ wxr_version"`
		BaseSite   string       `xml:"http://wordpress.org/export/1.2/ base_site_url"`
		BaseBlog   string       `xml:"http://wordpress.org/export/1.2/ base_blog_url"`
		Authors    []wpAuthor   `xml:"http://wordpress.org/export/1.2/ author"`
		Categories []wpCategory `xml:"http://wordpress.org/export/1.2/ category"`
		Tags       []wpTag      `xml:"http://wordpress.org/export/1.2/ tag"`
		Items      []item       `xml:"item"`
	} `xml:"channel"`
}

type wpAuthor struct {
	ID      int64  `xml:"http://wordpress.org/export/1.2/ author_id"`
	Login   string `xml:"http://wordpress.org/export/1.2/ author_login"`
	Email   string `xml:"http://wordpress.org/export/1.2/ author_email"`
	Display string `xml:"http://wordpress.org/export/1.2/ author_display_name"`
}

type wpCategory struct {
	TermID   int64  `xml:"http://wordpress.org/export/1.2/ term_id"`
	Nicename string `xml:"http://wordpress.org/export/1.2/ category_nicename"`
	Parent   string `xml:"http://wordpress.org/export/1.2/ category_parent"`
	Name     string `xml:"http://wordpress.org/export/1.2/ cat_name"`
}

type wpTag struct {
	TermID int64  `xml:"http://wordpress.org/export/1.2/ term_id"`
	Slug   string `xml:"http://wordpress.org/export/1.2/ tag_slug"`
	Name   string `xml:"http://wordpress.org/export/1.2/ tag_name"`
}

type item struct {
	Title   string `xml:"title"`
	Link    string `xml:"link"`
	PubDate string `xml:"pubDate"`
	Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
	GUID    struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		URL         string `xml:",chardata"`
	} `xml:"guid"`
	Content       string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	Excerpt       string `xml:"http://wordpress.org/export/1.2/excerpt/ encoded"`
	PostID        int64  `xml:"http://wordpress.org/export/1.2/ post_id"`
	PostDate      string `xml:"http://wordpress.org/export/1.2/ post_date"`
	PostDateGMT   string `xml:"http://wordpress.org/export/1.2/ post_date_gmt"`
	PostName      string `xml:"http://wordpress.org/export/1.2/ post_name"`
	Status        string `xml:"http://wordpress.org/export/1.2/ status"`
	PostParent    int64  `xml:"http://wordpress.org/export/1.2/ post_parent"`
	PostType      string `xml:"http://wordpress.org/export/1.2/ post_type"`
	AttachmentURL string `xml:"http://wordpress.org/export/1.2/ attachment_url"`
	Categories    []struct {
		Domain   string `xml:"domain,attr"`
		Nicename string `xml:"nicename,attr"`
		Name     string `xml:",chardata"`
	} `xml:"category"`
	Meta []struct {
		Key   string `xml:"http://wordpress.org/export/1.2/ meta_key"`
		Value string `xml:"http://wordpress.org/export/1.2/ meta_value"`
	} `xml:"http://wordpress.org/export/1.2/ postmeta"`
	Comments []wpComment `xml:"http://wordpress.org/export/1.2/ comment"`
}

type wpComment struct {
	ID       int64  `xml:"http://wordpress.org/export/1.2/ comment_id"`
	Author   string `xml:"http://wordpress.org/export/1.2/ comment_author"`
	Date     string `xml:"http://wordpress.org/export/1.2/ comment_date_gmt"`
	Content  string `xml:"http://wordpress.org/export/1.2/ comment_content"`
	Approved string `xml:"http://wordpress.org/export/1.2/ comment_approved"`
	Parent   int64  `xml:"http://wordpress.org/export/1.2/ comment_parent"`
}

func (it item) meta(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// The bodies the tests store: a CDATA end inside one, twice, and at the
// very end; Korean and emoji; a control character XML cannot carry.
const (
	trickyBody = "<p>x]]>y</p><pre>a]]]]>b ]]></pre><p>end]]>"
	koreanBody = "<p>서울의 봄 🌸 — 독자 여러분 👋🏽</p>"
)

// paper is the demo paper with what the demo lacks: articles in every
// status, comments and replies, and nested pages.
type paper struct {
	draft, review, scheduled, korean, commented int64
	visible, reply, orphan, held                int64
	about, team, lonely                         int64
}

func loadPaper(t *testing.T, db *store.DB) paper {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, db, t.TempDir(), now); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	list, err := db.ArticlesAfter(ctx, 0, 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("first article: %v, %d", err, len(list))
	}
	model := list[0]
	sections, err := db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var p paper
	add := func(slug string, status article.Status, published time.Time, headline, body string, alsoIn []int64) int64 {
		a := article.Article{
			Slug: slug, Headline: headline, Deck: "Deck of " + headline, Body: "body", BodyHTML: body,
			SectionID: model.SectionID, AlsoIn: alsoIn, Status: status, PublishedAt: published,
			CreatedAt: now.Add(-time.Hour), UpdatedAt: now, Authors: model.Authors,
			Tags: []article.Tag{{Slug: "export-test", Name: "Export test"}},
		}
		if err := db.CreateArticle(ctx, &a); err != nil {
			t.Fatalf("create %s: %v", slug, err)
		}
		return a.ID
	}
	var other []int64
	for _, s := range sections {
		if s.ID != model.SectionID {
			other = append(other, s.ID)
			break
		}
	}
	p.draft = add("draft-one", article.Draft, time.Time{}, "A draft", trickyBody, nil)
	p.review = add("in-review", article.Review, time.Time{}, "In review", "<p>r</p>", nil)
	p.scheduled = add("tomorrow", article.Scheduled, now.Add(24*time.Hour), "Tomorrow", "<p>s</p>", nil)
	p.korean = add("korean", article.Published, now.Add(-2*time.Hour), "봄이 왔다 🌸", koreanBody, other)
	p.commented = model.ID

	r, err := db.SignInReader(ctx, reader.Reader{Provider: "google", Subject: "s1", DisplayName: "김독자 ✍️"})
	if err != nil {
		t.Fatal(err)
	}
	post := func(parent int64, status comment.Status, body string) int64 {
		c := comment.Comment{ArticleID: model.ID, ParentID: parent, ReaderID: r.ID, Body: body, Status: status, CreatedAt: now}
		err := db.InsertComment(ctx, &c, "", body, comment.PostQuery{}, func(comment.PostStats) error { return nil })
		if err != nil {
			t.Fatalf("comment: %v", err)
		}
		return c.ID
	}
	p.visible = post(0, comment.Visible, "First <b>&</b> 좋아요 👍")
	p.reply = post(p.visible, comment.Visible, "A reply")
	p.held = post(0, comment.Held, "Held back")
	p.orphan = post(p.held, comment.Visible, "Reply to a held comment")

	for _, pg := range []page.Page{
		{Slug: "about/team", Title: "The team", Body: "t", BodyHTML: "<p>Team</p>", UpdatedAt: now},
		{Slug: "nowhere/lonely", Title: "Lonely", Body: "l", BodyHTML: "<p>Lonely</p>", UpdatedAt: now},
	} {
		if err := db.SavePage(ctx, &pg); err != nil {
			t.Fatal(err)
		}
		if pg.Slug == "about/team" {
			p.team = pg.ID
		} else {
			p.lonely = pg.ID
		}
	}
	about, err := db.PageBySlug(ctx, "about")
	if err != nil {
		t.Fatalf("the demo has an about page: %v", err)
	}
	p.about = about.ID
	return p
}

func export(t *testing.T, db *store.DB) (wxr.Counts, []byte, file) {
	t.Helper()
	var buf bytes.Buffer
	n, err := wxr.Write(context.Background(), &buf, db, wxr.Options{BaseURL: base, Now: time.Now()})
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	var f file
	if err := xml.Unmarshal(buf.Bytes(), &f); err != nil {
		t.Fatalf("the file does not parse: %v", err)
	}
	return n, buf.Bytes(), f
}

func TestWrite_demoPaper(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		ctx := context.Background()
		p := loadPaper(t, db)
		n, raw, f := export(t, db)
		ch := f.Channel

		if ch.Version != "1.2" || ch.Link != base || ch.BaseSite != base || ch.BaseBlog != base || ch.Title == "" {
			t.Errorf("channel: version %q link %q base %q/%q title %q", ch.Version, ch.Link, ch.BaseSite, ch.BaseBlog, ch.Title)
		}

		// Counts match the database.
		authors, _ := db.Authors(ctx)
		sections, _ := db.Sections(ctx)
		tags, _ := db.TagNames(ctx, 100000)
		if len(ch.Authors) != len(authors) || n.Authors != len(authors) {
			t.Errorf("authors: got %d (counted %d), want %d", len(ch.Authors), n.Authors, len(authors))
		}
		if len(ch.Categories) != len(sections) || n.Categories != len(sections) {
			t.Errorf("categories: got %d, want %d", len(ch.Categories), len(sections))
		}
		if len(ch.Tags) != len(tags) || n.Tags != len(tags) {
			t.Errorf("tags: got %d, want %d", len(ch.Tags), len(tags))
		}
		byType := map[string][]item{}
		byID := map[int64]item{}
		for _, it := range ch.Items {
			byType[it.PostType] = append(byType[it.PostType], it)
			if _, dup := byID[it.PostID]; dup {
				t.Errorf("post id %d is used twice", it.PostID)
			}
			byID[it.PostID] = it
		}
		articles, images := 0, 0
		visible := 0
		for after := int64(0); ; {
			list, err := db.ArticlesAfter(ctx, after, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				articles++
				if a.LeadImage.URL != "" {
					images++
				}
				pg, err := db.ListComments(ctx, comment.ListQuery{ArticleID: a.ID, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				visible += pg.Total
				after = a.ID
			}
			if len(list) < 7 {
				break
			}
		}
		pages, _ := db.Pages(ctx)
		if got := len(byType["post"]); got != articles || n.Posts != articles {
			t.Errorf("posts: got %d (counted %d), want %d", got, n.Posts, articles)
		}
		if got := len(byType["attachment"]); got != images || images == 0 || n.Attachments != images {
			t.Errorf("attachments: got %d, want %d (and more than none)", got, images)
		}
		if got := len(byType["page"]); got != len(pages) || n.Pages != len(pages) {
			t.Errorf("pages: got %d, want %d", got, len(pages))
		}
		comments := 0
		for _, it := range ch.Items {
			comments += len(it.Comments)
		}
		if comments != visible || n.Comments != visible || visible != 3 {
			t.Errorf("comments: got %d (counted %d), want the %d visible, 3", comments, n.Comments, visible)
		}

		// Statuses.
		for id, want := range map[int64]string{p.draft: "draft", p.review: "pending", p.scheduled: "future", p.korean: "publish"} {
			if got := byID[id].Status; got != want {
				t.Errorf("article %d: status %q, want %q", id, got, want)
			}
		}
		if got := byID[p.draft].PostDateGMT; got != "0000-00-00 00:00:00" {
			t.Errorf("draft's GMT date: got %q, want none", got)
		}

		// A CDATA end inside a body comes back exactly; the raw file
		// splits it the way WordPress does.
		if got := byID[p.draft].Content; got != trickyBody {
			t.Errorf("body with ]]>: got %q, want %q", got, trickyBody)
		}
		if !bytes.Contains(raw, []byte("x]]]]><![CDATA[>y")) {
			t.Error("the file does not split ]]> as WordPress does")
		}

		// Korean and emoji.
		k := byID[p.korean]
		if k.Title != "봄이 왔다 🌸" || k.Content != koreanBody || k.Excerpt != "Deck of 봄이 왔다 🌸" {
			t.Errorf("Korean article: title %q, content %q, excerpt %q", k.Title, k.Content, k.Excerpt)
		}
		var domains []string
		for _, c := range k.Categories {
			domains = append(domains, c.Domain+":"+c.Nicename)
		}
		if len(k.Categories) != 3 || k.Categories[0].Domain != "category" || k.Categories[1].Domain != "category" ||
			k.Categories[2].Domain != "post_tag" || k.Categories[2].Nicename != "export-test" {
			t.Errorf("Korean article's categories: %v, want its section, its other section, its tag", domains)
		}
		if want := base + "/article/" + strconv.FormatInt(p.korean, 10) + "/korean"; k.Link != want {
			t.Errorf("link: got %q, want %q", k.Link, want)
		}
		if k.GUID.IsPermaLink != "false" || !strings.HasPrefix(k.GUID.URL, base+"/") {
			t.Errorf("guid: %+v", k.GUID)
		}
		if k.Creator == "" {
			t.Error("no dc:creator")
		}
		logins := map[string]bool{}
		for _, a := range ch.Authors {
			logins[a.Login] = true
		}
		if !logins[k.Creator] {
			t.Errorf("dc:creator %q is not an author's login", k.Creator)
		}

		// Sections as categories: parents first, nicenames unique.
		seen := map[string]bool{}
		for _, c := range ch.Categories {
			if seen[c.Nicename] {
				t.Errorf("category nicename %q twice", c.Nicename)
			}
			if c.Parent != "" && !seen[c.Parent] {
				t.Errorf("category %q comes before its parent %q", c.Nicename, c.Parent)
			}
			seen[c.Nicename] = true
		}
		for _, s := range sections {
			if s.ParentID != 0 {
				found := false
				for _, c := range ch.Categories {
					found = found || (c.TermID == s.ID && c.Nicename == s.Slug[strings.LastIndex(s.Slug, "/")+1:] && c.Parent != "")
				}
				if !found {
					t.Errorf("section %s: no category named %q with a parent", s.Path, s.Slug)
				}
			}
		}

		// The lead image: an attachment under its article, the article's
		// featured image.
		for _, it := range byType["attachment"] {
			parent, ok := byID[it.PostParent]
			if !ok || parent.PostType != "post" {
				t.Errorf("attachment %d: parent %d is not a post", it.PostID, it.PostParent)
				continue
			}
			if !strings.HasPrefix(it.AttachmentURL, base+"/media/") || it.Status != "inherit" {
				t.Errorf("attachment %d: url %q, status %q", it.PostID, it.AttachmentURL, it.Status)
			}
			if got := parent.meta("_thumbnail_id"); got != strconv.FormatInt(it.PostID, 10) {
				t.Errorf("post %d: _thumbnail_id %q, want %d", parent.PostID, got, it.PostID)
			}
			if it.meta("_wp_attachment_image_alt") == "" {
				t.Errorf("attachment %d: no alt text", it.PostID)
			}
		}

		// Comments: the held one is left out, a reply names its parent, a
		// reply to a comment left out stands alone.
		cs := map[int64]wpComment{}
		for _, c := range byID[p.commented].Comments {
			cs[c.ID] = c
		}
		if _, ok := cs[p.held]; ok {
			t.Error("a held comment was exported")
		}
		if c := cs[p.visible]; c.Author != "김독자 ✍️" || c.Approved != "1" || c.Parent != 0 ||
			c.Content != "First &lt;b&gt;&amp;&lt;/b&gt; 좋아요 👍" || c.Date != "2026-03-14 09:30:00" {
			t.Errorf("comment: %+v", c)
		}
		if c := cs[p.reply]; c.Parent != p.visible {
			t.Errorf("reply: parent %d, want %d", c.Parent, p.visible)
		}
		if c, ok := cs[p.orphan]; !ok || c.Parent != 0 {
			t.Errorf("reply to a held comment: %+v (exported %v), want parent 0", c, ok)
		}

		// Pages: about/team is "team" under "about"; a page whose parent
		// path has no page stands at the top.
		about, team, lonely := findPage(byType["page"], "about"), findPage(byType["page"], "team"), findPage(byType["page"], "lonely")
		if about.PostID == 0 || team.PostParent != about.PostID || about.PostParent != 0 {
			t.Errorf("pages: about %d (parent %d), team's parent %d", about.PostID, about.PostParent, team.PostParent)
		}
		if lonely.PostID == 0 || lonely.PostParent != 0 {
			t.Errorf("lonely page: id %d, parent %d, want a page at the top", lonely.PostID, lonely.PostParent)
		}
		if team.Link != base+"/page/about/team" || team.Status != "publish" || team.Content != "<p>Team</p>" {
			t.Errorf("team page: %+v", team)
		}
	})
}

func findPage(list []item, name string) item {
	for _, it := range list {
		if it.PostName == name {
			return it
		}
	}
	return item{}
}

func TestWrite_replacesWhatXMLCannotCarry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		ctx := context.Background()
		loadPaper(t, db)
		list, _ := db.ArticlesAfter(ctx, 0, 1)
		a := list[0]
		// PostgreSQL's text holds neither NUL nor invalid UTF-8; SQLite's does.
		body, want := "<p>bell\x07 tab\t ffff\uffff</p>", "<p>bell\uFFFD tab\t ffff\uFFFD</p>"
		if e.Name == "sqlite" {
			body, want = body+"nul\x00 bad\xff", want+"nul\uFFFD bad\uFFFD"
		}
		a.BodyHTML = body
		a.Headline = "vertical\x0btab"
		if err := db.UpdateArticle(ctx, &a, a.Version); err != nil {
			t.Fatal(err)
		}
		_, _, f := export(t, db)
		for _, it := range f.Channel.Items {
			if it.PostID == a.ID {
				if it.Content != want {
					t.Errorf("content: got %q, want %q", it.Content, want)
				}
				if it.Title != "vertical\uFFFDtab" {
					t.Errorf("title: got %q", it.Title)
				}
				return
			}
		}
		t.Error("the article is not in the file")
	})
}

func TestWrite_rejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "paper.example", "ftp://paper.example", "https://paper.example/news", "https://"} {
		var buf bytes.Buffer
		_, err := wxr.Write(context.Background(), &buf, nil, wxr.Options{BaseURL: u})
		if err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("base URL %q: got %v, want an error naming it", u, err)
		}
		if buf.Len() != 0 {
			t.Errorf("base URL %q: %d bytes written", u, buf.Len())
		}
	}
}

// failing is a writer that breaks after some bytes, as a full disk does.
type failing struct{ left int }

var errFull = errors.New("disk full")

func (w *failing) Write(b []byte) (int, error) {
	if len(b) > w.left {
		n := w.left
		w.left = 0
		return n, errFull
	}
	w.left -= len(b)
	return len(b), nil
}

func TestWrite_reportsWriteError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		loadPaper(t, db)
		for _, at := range []int{0, 100, 50000} {
			_, err := wxr.Write(context.Background(), &failing{left: at}, db, wxr.Options{BaseURL: base})
			if !errors.Is(err, errFull) {
				t.Errorf("failing after %d bytes: got %v, want %v", at, err, errFull)
			}
		}
	})
}

func TestWrite_stopsWhenCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		loadPaper(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := wxr.Write(ctx, &bytes.Buffer{}, db, wxr.Options{BaseURL: base})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want %v", err, context.Canceled)
		}
	})
}
