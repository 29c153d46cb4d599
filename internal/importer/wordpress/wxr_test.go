package wordpress

import (
	"context"
	"errors"
	"strings"
	"testing"

	"broadsheet/internal/importer"
)

func scanAll(t *testing.T, path string) ([]importer.Record, error) {
	t.Helper()
	src, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []importer.Record
	err = src.Scan(context.Background(), func(r importer.Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

func posts(recs []importer.Record) map[string]*importer.Post {
	out := map[string]*importer.Post{}
	for _, r := range recs {
		if p, ok := r.(*importer.Post); ok {
			out[p.SourceID] = p
		}
	}
	return out
}

func TestScan_readsEveryKindOfRecord(t *testing.T) {
	recs, err := scanAll(t, "testdata/paper.xml")
	if err != nil {
		t.Fatal(err)
	}
	var authors, sections, tags int
	order := map[string]int{}
	for i, r := range recs {
		switch r := r.(type) {
		case *importer.Author:
			authors++
		case *importer.Section:
			sections++
			order[r.SourceID] = i
			if r.ParentSourceID != "" {
				if _, ok := order[r.ParentSourceID]; !ok {
					t.Errorf("section %s came before its parent %s", r.SourceID, r.ParentSourceID)
				}
			}
		case *importer.Tag:
			tags++
		}
	}
	if authors != 2 || sections != 4 || tags != 2 {
		t.Errorf("got %d authors, %d sections, %d tags; want 2, 4, 2", authors, sections, tags)
	}
	ps := posts(recs)
	want := map[string]importer.Status{"101": importer.StatusPublished, "102": importer.StatusPublished, "103": importer.StatusScheduled,
		"104": importer.StatusDraft, "105": importer.StatusReview, "106": importer.StatusPrivate, "107": importer.StatusPrivate,
		"108": importer.StatusPublished, "301": importer.StatusPublished, "302": importer.StatusPublished, "303": importer.StatusDraft}
	if len(ps) != len(want) {
		t.Errorf("got %d posts, want %d (attachments, revisions and menu items are not posts)", len(ps), len(want))
	}
	for id, st := range want {
		if p := ps[id]; p == nil || p.Status != st {
			t.Errorf("post %s: got %+v, want status %s", id, p, st)
		}
	}
	p := ps["101"]
	if len(p.Comments) != 4 {
		t.Errorf("post 101 has %d comments, want 4 (no pingback, no spam)", len(p.Comments))
	}
	if p.LeadImage == nil || p.LeadImage.File != "2019/03/harbour.png" || p.LeadImage.Alt != "Fishing boats in the harbour at dawn" {
		t.Errorf("lead image: got %+v", p.LeadImage)
	}
	if strings.Join(p.OldPaths, " ") != "/2019/03/%ec%98%88%ec%82%b0-budget/ /?p=101" {
		t.Errorf("old paths: got %q", p.OldPaths)
	}
	if !strings.Contains(p.HTML, "<p>Members said they needed more time.<br>\nA second line") {
		t.Errorf("paragraphs: got %q", p.HTML)
	}
	if ps["302"].Slug != "about/team" || ps["302"].Kind != importer.KindPage {
		t.Errorf("page 302: got slug %q kind %s", ps["302"].Slug, ps["302"].Kind)
	}
	if ps["104"].PublishedAt.IsZero() == false {
		t.Errorf("a draft has a publication time: %v", ps["104"].PublishedAt)
	}
}

func TestContent_expandsShortcodesAndKeepsCDATA(t *testing.T) {
	recs, err := scanAll(t, "testdata/paper.xml")
	if err != nil {
		t.Fatal(err)
	}
	h := posts(recs)["102"].HTML
	for _, want := range []string{"]]>", `title="The harbour at dawn"`, "https://video.example/watch/42", "clip.mp4", "inside text", "[sic]", "lost.jpg"} {
		if !strings.Contains(h, want) {
			t.Errorf("content lacks %q:\n%s", want, h)
		}
	}
	for _, bad := range []string{"[caption", "[/caption]", "[gallery", "[embed", "[unknown_widget", "[another-one", "<!-- wp:"} {
		if strings.Contains(h, bad) {
			t.Errorf("content still has %q:\n%s", bad, h)
		}
	}
}

func TestScan_oldFormatOverHTTPS(t *testing.T) {
	recs, err := scanAll(t, "testdata/old.xml")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range recs {
		switch r := r.(type) {
		case *importer.Author:
			kinds = append(kinds, "author:"+r.SourceID)
		case *importer.Section:
			kinds = append(kinds, "section:"+r.SourceID)
		case *importer.Tag:
			kinds = append(kinds, "tag:"+r.SourceID)
		case *importer.Post:
			kinds = append(kinds, "post:"+r.SourceID+":"+r.Title)
		}
	}
	if got := strings.Join(kinds, " | "); got != "author:oldhand | section:history | tag:old | post:7:An old story & its \u00a0 entity" {
		t.Errorf("got %s", got)
	}
}

func TestScan_refusesMalformedFiles(t *testing.T) {
	for _, tc := range []struct{ file, reason string }{
		{"notitle.xml", "neither a title nor any content"},
		{"baddate.xml", "not a date"},
		{"broken.xml", "XML is broken"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := scanAll(t, "testdata/"+tc.file)
			var e *importer.Error
			if !errors.As(err, &e) || !strings.Contains(e.Reason, tc.reason) || e.Record == 0 {
				t.Fatalf("got %v, want a record error saying %q", err, tc.reason)
			}
		})
	}
}

func TestScan_refusesOtherXML(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"feed.xml":  `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`,
		"html.xml":  `<html><body>hi</body></html>`,
		"latin.xml": `<?xml version="1.0" encoding="ISO-8859-1"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel></channel></rss>`,
	} {
		path := dir + "/" + name
		if err := writeFile(path, body); err != nil {
			t.Fatal(err)
		}
		if _, err := scanAll(t, path); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
}

// wxr is a small export around items.
func wxr(items string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>t</title>
<wp:author><wp:author_login>ed</wp:author_login><wp:author_email>ed@x.example</wp:author_email></wp:author>
` + items + `
</channel></rss>`
}

func TestScan_refusesAnItemOverTheLimit(t *testing.T) {
	defer func(old int64) { MaxItem = old }(MaxItem)
	MaxItem = 200 << 10
	path := t.TempDir() + "/big.xml"
	item := `<item><title>Big</title><dc:creator>ed</dc:creator><content:encoded><![CDATA[` + strings.Repeat("word ", 100<<10) +
		`]]></content:encoded><wp:post_id>9</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`
	if err := writeFile(path, wxr(`<item><title>Small</title><dc:creator>ed</dc:creator><content:encoded>ok</content:encoded><wp:post_id>8</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`+item)); err != nil {
		t.Fatal(err)
	}
	_, err := scanAll(t, path)
	var e *importer.Error
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "larger than 0 MiB") || e.Record != 3 {
		t.Fatalf("got %v, want record 3 refused as too large", err)
	}
}

func TestContent_deepShortcodesEnd(t *testing.T) {
	s := strings.Repeat("[a_b x=1]", 5000) + "text" + strings.Repeat("[/a_b]", 5000)
	got := Content(s, nil)
	if !strings.Contains(got, "text") {
		t.Errorf("text lost: %.200q", got)
	}
	unclosed := strings.Repeat("[caption ", 20000)
	if got := Content(unclosed, nil); !strings.Contains(got, "[caption") {
		t.Errorf("brackets that are no shortcode: got %.100q", got)
	}
}

func TestPostTime_refusesYearsOutOfRange(t *testing.T) {
	for _, pub := range []string{"Fri, 31 Dec 9999 23:00:00 -0500", "Mon, 01 Jan 1800 00:00:00 +0000"} {
		if got, err := postTime("", "", pub); err == nil || !strings.Contains(err.Error(), "between 1900 and 9999") {
			t.Errorf("postTime(%q) = %v, %v; want refused", pub, got, err)
		}
	}
	if got, err := postTime("", "", "Fri, 31 Dec 9999 23:00:00 +0100"); err != nil || got.Year() != 9999 {
		t.Errorf("the last hour of 9999: %v, %v", got, err)
	}
}

func TestContent_manyBracketedWordsAreText(t *testing.T) {
	// Code: a bracketed word at every few bytes, none a shortcode.
	body := strings.Repeat("x = arr[i] + b[j_k];\n", MaxContent/24) + "[/j]"
	got := Content(body, nil)
	if strings.Count(got, "arr[i]") != MaxContent/24 {
		t.Errorf("bracketed words lost: %d of %d kept", strings.Count(got, "arr[i]"), MaxContent/24)
	}
	if got := Content("a [note]enclosed[/note] b", nil); !strings.Contains(got, "a enclosed b") {
		t.Errorf("an enclosing shortcode: got %q", got)
	}
}

func TestScan_refusesContentOverTheLimit(t *testing.T) {
	path := t.TempDir() + "/code.xml"
	item := `<item><title>Code</title><dc:creator>ed</dc:creator><content:encoded><![CDATA[` + strings.Repeat("arr[i]", MaxContent/6+1) +
		`]]></content:encoded><wp:post_id>9</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`
	if err := writeFile(path, wxr(item)); err != nil {
		t.Fatal(err)
	}
	_, err := scanAll(t, path)
	var e *importer.Error
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "a post can have") || e.ID != "9" {
		t.Fatalf("got %v, want post 9 refused as too large", err)
	}
}

func TestScan_termNamesAreText(t *testing.T) {
	path := t.TempDir() + "/names.xml"
	body := strings.Replace(wxr(`<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>arts</wp:category_nicename><wp:cat_name><![CDATA[Arts &amp; Culture]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>2</wp:term_id><wp:tag_slug>q-a</wp:tag_slug><wp:tag_name><![CDATA[Q&amp;A]]></wp:tag_name></wp:tag>`),
		"<wp:author_email>", "<wp:author_display_name><![CDATA[Ed &quot;Scoop&quot; O&#039;Neil]]></wp:author_display_name><wp:author_email>", 1)
	if err := writeFile(path, body); err != nil {
		t.Fatal(err)
	}
	recs, err := scanAll(t, path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		switch r := r.(type) {
		case *importer.Author:
			names = append(names, r.Name)
		case *importer.Section:
			names = append(names, r.Name)
		case *importer.Tag:
			names = append(names, r.Name)
		}
	}
	if got := strings.Join(names, "|"); got != `Ed "Scoop" O'Neil|Arts & Culture|Q&A` {
		t.Errorf("names %s", got)
	}
}
