package article

import (
	"golang.org/x/net/html"
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Assembly passes budget after all-night session", "assembly-passes-budget-after-all-night-session"},
		{"  Café owners — and 'bakers' — rejoice!  ", "cafe-owners-and-bakers-rejoice"},
		{"서울시의회, 예산안 통과", "서울시의회-예산안-통과"},
		{"!!!", "article"},
		{strings.Repeat("word ", 40), strings.TrimRight(strings.Repeat("word-", 16), "-")},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRenderMarkdown_isSafe(t *testing.T) {
	tests := []struct{ in, mustNot, must string }{
		{"<script>alert(1)</script>", "<script", ""},
		{"[click](javascript:alert(1))", "javascript:", "click"},
		{`<img src=x onerror="alert(1)">`, "onerror", ""},
		{"## Subhead\n\n> A quote\n\nText with [a link](https://example.org/).", "", `<a href="https://example.org/"`},
		{"<iframe src='https://evil.example'></iframe>", "<iframe", ""},
		{"## Main", `id="main"`, "<h2>Main</h2>"},
	}
	for _, tt := range tests {
		got, err := RenderMarkdown(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if tt.mustNot != "" && strings.Contains(strings.ToLower(got), tt.mustNot) {
			t.Errorf("RenderMarkdown(%q) = %q, contains %q", tt.in, got, tt.mustNot)
		}
		if tt.must != "" && !strings.Contains(got, tt.must) {
			t.Errorf("RenderMarkdown(%q) = %q, lacks %q", tt.in, got, tt.must)
		}
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	for _, s := range []string{"# Head", "<script>x</script>", "[a](javascript:b)", "> q\n\n- a\n- b", "<a href=\"javas&#99;ript:x\">y</a>", "![i](x onerror=y)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := RenderMarkdown(src)
		if err != nil {
			return
		}
		if bad := unsafeMarkup(out); bad != "" {
			t.Fatalf("RenderMarkdown(%q) = %q: %s", src, out, bad)
		}
	})
}

// unsafeMarkup parses HTML and names the first element or attribute that
// could run script, or returns "".
func unsafeMarkup(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "object", "embed", "style", "form", "svg", "math", "base", "meta", "link":
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" ||
					((a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:"))) {
					return "attribute " + a.Key + "=" + a.Val
				}
			}
		}
	}
}

func TestInputNormalize(t *testing.T) {
	valid := func() Input {
		return Input{Headline: " Headline ", Body: "Body", Section: "/national/politics/",
			Authors: []Byline{{Name: " Kim ", Email: "Kim@Paper.Example"}}, Tags: []string{"Budget", "budget", " ", "Housing"}}
	}
	in := valid()
	if err := in.Normalize(); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
	if in.Headline != "Headline" || in.Section != "national/politics" || in.Authors[0].Email != "kim@paper.example" ||
		in.Status != Draft || len(in.Tags) != 2 {
		t.Errorf("normalized = %+v", in)
	}
	tests := []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"empty headline", func(in *Input) { in.Headline = "" }, "headline"},
		{"long headline", func(in *Input) { in.Headline = strings.Repeat("가", MaxHeadline+1) }, "headline"},
		{"multi-line headline", func(in *Input) { in.Headline = "a\nb" }, "headline"},
		{"empty body", func(in *Input) { in.Body = " \n " }, "body"},
		{"huge body", func(in *Input) { in.Body = strings.Repeat("x", MaxBody+1) }, "body"},
		{"invalid UTF-8", func(in *Input) { in.Body = "\xff\xfe" }, "body"},
		{"no section", func(in *Input) { in.Section = "" }, "section"},
		{"bad status", func(in *Input) { in.Status = "live" }, "status"},
		{"no authors", func(in *Input) { in.Authors = nil }, "authors"},
		{"duplicate author", func(in *Input) { in.Authors = append(in.Authors, Byline{Name: "K", Email: "kim@paper.example"}) }, "authors"},
		{"too many tags", func(in *Input) { in.Tags = make([]string, MaxTags+1) }, "tags"},
		{"image without alt", func(in *Input) { in.LeadImage = Image{URL: "/media/a.png"} }, "lead_image.alt"},
		{"protocol-relative image", func(in *Input) { in.LeadImage = Image{URL: "//evil.example/a.png", Alt: "a"} }, "lead_image.url"},
		{"caption without image", func(in *Input) { in.LeadImage = Image{Caption: "c"} }, "lead_image.url"},
		{"year 0", func(in *Input) { in.PublishedAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) }, "published_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(&in)
			err := in.Normalize()
			v, ok := err.(ValidationError)
			if !ok || v[tt.field] == "" {
				t.Errorf("got %v, want a message for %q", err, tt.field)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{PublishedAt: time.UnixMilli(1764000000123).UTC(), ID: 42}
	got, err := ParseCursor(c.String())
	if err != nil || got != c {
		t.Errorf("ParseCursor(%q) = %v, %v; want %v", c.String(), got, err, c)
	}
	for _, bad := range []string{"", "x", "1-", "-1", "1-0", "a-b", "1-2-3", "-5-1"} {
		if _, err := ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
}
