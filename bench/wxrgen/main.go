// Command wxrgen writes a WordPress export (WXR 1.2) of generated posts,
// to measure `broadsheet import wordpress` at the size of a long-running
// site:
//
//	go run ./bench/wxrgen -n 100000 -o /tmp/wxr/site.xml
//
// The site has 20 authors, 40 categories two levels deep and 600 tags;
// each post has 3 to 12 classic-editor paragraphs (blank lines, the odd
// link, emphasis and a [caption] in one post of ten), one category and
// up to four tags, and one to three comments in one post of three (a
// reply among them), and one post in ten has a featured image whose file
// is not in any uploads folder. One post in twenty is in Korean. The
// same seed gives the same file.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 100_000, "posts to write")
	out := flag.String("o", "", "file to write (required)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" || *n <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "wxrgen:", err)
		os.Exit(1)
	}
}

var words = strings.Fields(`the city council budget vote river bridge harbour school teachers parents market
	prices housing rent transport bus line station museum library festival music theatre football match season
	coach players weather storm rain summer winter hospital doctors nurses clinic police court judge case report
	election candidates mayor district residents neighbours street park trees water power plant factory jobs
	workers union strike talks agreement plan project delay cost million year month week morning evening`)

var korean = strings.Fields(`서울 부산 정부 국회 예산 선거 시민 경제 시장 기업 수출 물가 금리 학교 교육 병원 의료 날씨 폭염 태풍
	교통 지하철 버스 항구 축구 야구 경기 선수 문화 영화 음악 전시 도서관 작가 환경 에너지 주택 청년 노인 복지 일자리`)

func write(path string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(seed, 7))
	g := gen{r: r, w: w}
	g.header()
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(16 * 365 * 24 * time.Hour)
	comment := 1
	for i := 1; i <= n; i++ {
		id := 1000 + 2*i // posts even, their featured images odd
		at := start.Add(time.Duration(span / int64(n) * int64(i)))
		thumb := 0
		if i%10 == 0 {
			thumb = id + 1
			g.attachment(thumb, at)
		}
		comment = g.post(id, at, thumb, comment)
	}
	fmt.Fprint(w, "</channel>\n</rss>\n")
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

type gen struct {
	r *rand.Rand
	w *bufio.Writer
}

func (g gen) sentence(lo, hi int, ko bool) string {
	n := lo + g.r.IntN(hi-lo+1)
	ws := make([]string, n)
	for i := range ws {
		if ko {
			ws[i] = korean[g.r.IntN(len(korean))]
		} else {
			ws[i] = words[g.r.IntN(len(words))]
		}
	}
	if !ko {
		ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	}
	return strings.Join(ws, " ") + "."
}

func (g gen) header() {
	fmt.Fprint(g.w, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Generated Gazette</title>
	<link>https://gazette.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://gazette.example</wp:base_site_url>
`)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(g.w, "\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login><![CDATA[writer%02d]]></wp:author_login><wp:author_email><![CDATA[writer%02d@gazette.example]]></wp:author_email><wp:author_display_name><![CDATA[Writer %02d]]></wp:author_display_name></wp:author>\n", i+1, i, i, i)
	}
	for i := 0; i < 40; i++ {
		parent := ""
		if i >= 8 {
			parent = fmt.Sprintf("desk-%d", i%8)
		}
		fmt.Fprintf(g.w, "\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename><![CDATA[desk-%d]]></wp:category_nicename><wp:category_parent><![CDATA[%s]]></wp:category_parent><wp:cat_name><![CDATA[Desk %d]]></wp:cat_name></wp:category>\n", i+1, i, parent, i)
	}
	for i := 0; i < 600; i++ {
		fmt.Fprintf(g.w, "\t<wp:tag><wp:term_id>%d</wp:term_id><wp:tag_slug><![CDATA[topic-%d]]></wp:tag_slug><wp:tag_name><![CDATA[Topic %d]]></wp:tag_name></wp:tag>\n", 100+i, i, i)
	}
}

func (g gen) attachment(id int, at time.Time) {
	fmt.Fprintf(g.w, `	<item>
		<title>Photo %d</title>
		<wp:post_id>%d</wp:post_id>
		<wp:post_date_gmt>%s</wp:post_date_gmt>
		<wp:status>inherit</wp:status>
		<wp:post_type>attachment</wp:post_type>
		<wp:attachment_url>https://gazette.example/wp-content/uploads/%s/photo-%d.jpg</wp:attachment_url>
		<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[A generated photo]]></wp:meta_value></wp:postmeta>
	</item>
`, id, id, at.Format(time.DateTime), at.Format("2006/01"), id)
}

func (g gen) post(id int, at time.Time, thumb, comment int) int {
	ko := g.r.IntN(20) == 0
	title := strings.TrimSuffix(g.sentence(5, 10, ko), ".")
	slug := fmt.Sprintf("post-%d", id)
	var body strings.Builder
	for p := 0; p < 3+g.r.IntN(10); p++ {
		if p > 0 {
			body.WriteString("\n\n")
		}
		for s := 0; s < 2+g.r.IntN(4); s++ {
			if s > 0 {
				body.WriteString(" ")
			}
			body.WriteString(g.sentence(8, 18, ko))
		}
		switch g.r.IntN(8) {
		case 0:
			body.WriteString(` See <a href="https://gazette.example/archive/">the archive</a>.`)
		case 1:
			body.WriteString(" <em>Updated</em> with <strong>new figures</strong>.")
		}
	}
	if g.r.IntN(10) == 0 {
		body.WriteString(`

[caption id="attachment_1" align="aligncenter" width="640"]<img src="https://gazette.example/wp-content/uploads/photo.jpg" alt="A photo" width="640" height="480" /> A caption[/caption]`)
	}
	fmt.Fprintf(g.w, `	<item>
		<title><![CDATA[%s]]></title>
		<link>https://gazette.example/%s/%s/</link>
		<dc:creator><![CDATA[writer%02d]]></dc:creator>
		<guid isPermaLink="false">https://gazette.example/?p=%d</guid>
		<content:encoded><![CDATA[%s]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>%d</wp:post_id>
		<wp:post_date_gmt>%s</wp:post_date_gmt>
		<wp:post_name><![CDATA[%s]]></wp:post_name>
		<wp:status>publish</wp:status>
		<wp:post_type>post</wp:post_type>
		<category domain="category" nicename="desk-%d"><![CDATA[Desk]]></category>
`, title, at.Format("2006/01"), slug, g.r.IntN(20), id, body.String(), id, at.Format(time.DateTime), slug, g.r.IntN(40))
	for t := 0; t < g.r.IntN(5); t++ {
		fmt.Fprintf(g.w, "\t\t<category domain=\"post_tag\" nicename=\"topic-%d\"><![CDATA[Topic]]></category>\n", g.r.IntN(600))
	}
	if thumb != 0 {
		fmt.Fprintf(g.w, "\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>%d</wp:meta_value></wp:postmeta>\n", thumb)
	}
	if g.r.IntN(3) == 0 {
		first := comment
		for c := 0; c < 1+g.r.IntN(3); c++ {
			parent := 0
			if c > 0 {
				parent = first
			}
			fmt.Fprintf(g.w, "\t\t<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author><![CDATA[Reader %d]]></wp:comment_author><wp:comment_author_email>reader%d@mail.example</wp:comment_author_email><wp:comment_date_gmt>%s</wp:comment_date_gmt><wp:comment_content><![CDATA[%s]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>%d</wp:comment_parent></wp:comment>\n",
				comment, comment%500, comment%500, at.Add(time.Hour).Format(time.DateTime), g.sentence(5, 20, false), parent)
			comment++
		}
	}
	fmt.Fprint(g.w, "\t</item>\n")
	return comment
}
