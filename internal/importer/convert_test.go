package importer

import (
	"strings"
	"testing"
)

func TestToMarkdown_figuresAndTables(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Ghost's image card and WordPress's image block.
		{`<figure class="kg-card"><img src="/content/images/a.jpg" alt="A crane"><figcaption>The <em>east</em> crane</figcaption></figure>`,
			`![A crane](/content/images/a.jpg "The east crane")`},
		// The paper's own figure, caption and credit (a WXR export's body).
		{`<figure class="article-figure"><img src="https://p.example/media/u/1/800.jpg" alt="Boats" sizes="100vw" loading="lazy"><figcaption><span class="caption">Dawn</span><span class="visually-hidden">. </span><span class="credit">Photo: Mina</span></figcaption></figure>`,
			`![Boats](https://p.example/media/u/1/800.jpg "Dawn | Photo: Mina")`},
		// A figure whose image has no address is left to the sanitizer.
		{`<figure><img alt="x"><figcaption>Only words</figcaption></figure>`, "Only words"},
		// A caption cannot smuggle markup into the title.
		{`<figure><img src="/a.png" alt='q"uote'><figcaption>"<script>alert(1)</script>" &amp; more</figcaption></figure>`,
			`![q"uote](/a.png '"" & more')`},
		{`<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>`, "| a | b |\n|---|---|\n| 1 | 2 |"},
		{`<p><del>old</del> new</p>`, "~~old~~ new"},
	} {
		got, err := ToMarkdown(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("ToMarkdown(%s)\n got: %q\nwant: %q", tc.in, got, tc.want)
		}
		if strings.Contains(got, "<script") {
			t.Errorf("a script survived: %q", got)
		}
	}
}
