package ghost

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestRenderMobiledoc(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{
			"nested markups close in order",
			`{"markups":[["strong"],["em"]],"sections":[[1,"p",[[0,[0],0,"a"],[0,[1],2,"b"],[0,[],0,"c"]]]]}`,
			"<p><strong>a<em>b</em></strong>c</p>\n",
		},
		{
			"unclosed markups are closed at the end",
			`{"markups":[["strong"]],"sections":[[1,"p",[[0,[0],0,"a"]]]]}`,
			"<p><strong>a</strong></p>\n",
		},
		{
			"unknown markup keeps its text only",
			`{"markups":[["span",["style","color:red"]],["script"]],"sections":[[1,"p",[[0,[0],1,"a"],[0,[1],1,"b"]]]]}`,
			"<p>ab</p>\n",
		},
		{
			"unknown section tag is a paragraph",
			`{"sections":[[1,"div",[[0,[],0,"x"]]],[1,"H3",[[0,[],0,"y"]]],[1,"pull-quote",[[0,[],0,"z"]]]]}`,
			"<p>x</p>\n<h3>y</h3>\n<aside>z</aside>\n",
		},
		{
			"ordered list",
			`{"sections":[[3,"ol",[[[0,[],0,"1 < 2"]]]]]}`,
			"<ol><li>1 &lt; 2</li></ol>\n",
		},
		{
			"image section",
			`{"sections":[[2,"/content/images/a.jpg\" onerror=\"x"]]}`,
			`<figure><img src="/content/images/a.jpg&#34; onerror=&#34;x" alt=""></figure>` + "\n",
		},
		{
			"atoms",
			`{"atoms":[["soft-return","",{}],["mention","@<b>",{}]],"sections":[[1,"p",[[1,[],0,0],[1,[],0,1]]]]}`,
			"<p><br>@&lt;b&gt;</p>\n",
		},
		{
			"cards",
			`{"cards":[["code",{"code":"if a < b {}","language":"go\" x=\"y"}],["embed",{"url":"https://v.example/1"}],["bookmark",{"url":"https://b.example/","metadata":{"title":"<Title>","description":"D & d"}}],["gallery",{"images":[{"src":"/i/1.jpg","alt":"one"}]}],["card-markdown",{"markdown":"*old*"}],["paywall",{}],["email-cta",{"html":"<p>secret</p>"}],["callout",{"calloutText":"x"}]],"sections":[[10,0],[10,1],[10,2],[10,3],[10,4],[10,5],[10,6],[10,7]]}`,
			`<pre><code class="language-go&#34; x=&#34;y">if a &lt; b {}</code></pre>` + "\n" +
				`<figure><a href="https://v.example/1">https://v.example/1</a></figure>` + "\n" +
				`<figure><a href="https://b.example/">&lt;Title&gt;</a><p>D &amp; d</p></figure>` + "\n" +
				`<figure><img src="/i/1.jpg" alt="one"></figure>` + "\n" +
				"<p><em>old</em></p>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderMobiledoc(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRenderMobiledoc_refusesBrokenDocuments(t *testing.T) {
	for _, doc := range []string{
		`not json`,
		`{"sections":[[1]]}`,
		`{"sections":[[10,3]],"cards":[]}`,
		`{"sections":[[1,"p",[[0,[7],0,"x"]]]]}`,
		`{"sections":[[1,"p",[[1,[],0,4]]]]}`,
		`{"sections":[[1,"p",[[5,[],0,"x"]]]]}`,
		`{"sections":[["p"]]}`,
	} {
		if _, err := renderMobiledoc(doc); !errors.Is(err, errMobiledoc) {
			t.Errorf("renderMobiledoc(%s) = %v, want errMobiledoc", doc, err)
		}
	}
}

func TestRenderLexical(t *testing.T) {
	text := func(s string, format int) map[string]any {
		return map[string]any{"type": "text", "text": s, "format": format}
	}
	tests := []struct {
		name string
		node any
		want string
	}{
		{"every format bit", map[string]any{"type": "paragraph", "format": "center", "children": []any{text("x", 255)}},
			"<p><strong><em><s><u><code><sub><sup><mark>x</mark></sup></sub></code></u></s></em></strong></p>\n"},
		{"heading level out of range", map[string]any{"type": "heading", "tag": "h9", "children": []any{text("t", 0)}}, "<h2>t</h2>\n"},
		{"numbered list with start", map[string]any{"type": "list", "listType": "number", "start": 3, "children": []any{
			map[string]any{"type": "listitem", "children": []any{text("c", 0)}}}}, `<ol start="3"><li>c</li></ol>` + "\n"},
		{"link escapes its address", map[string]any{"type": "paragraph", "children": []any{
			map[string]any{"type": "link", "url": `"><script>`, "children": []any{text("<i>", 0)}}}},
			`<p><a href="&#34;&gt;&lt;script&gt;">&lt;i&gt;</a></p>` + "\n"},
		{"unknown inline node keeps its text", map[string]any{"type": "paragraph", "children": []any{
			map[string]any{"type": "hashtag", "children": []any{text("#tag", 0)}}}}, "<p>#tag</p>\n"},
		{"unknown card is left out", map[string]any{"type": "product", "productTitle": "Buy", "html": "<p>x</p>"}, ""},
		{"image with link", map[string]any{"type": "image", "src": "/a.png", "altText": "A", "href": "https://e.example/"},
			`<figure><a href="https://e.example/"><img src="/a.png" alt="A"></a></figure>` + "\n"},
		{"bookmark without address is left out", map[string]any{"type": "bookmark"}, ""},
		{"aside", map[string]any{"type": "aside", "children": []any{text("pull", 0)}}, "<aside>pull</aside>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(map[string]any{"root": map[string]any{"type": "root", "children": []any{tt.node}}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := renderLexical(string(b))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRenderLexical_refusesBrokenDocuments(t *testing.T) {
	for _, doc := range []string{
		`not json`,
		`{}`,
		`{"root":{"children":[{"type":"paragraph","children":[{"type":"text","text":"x","format":{}}]}]}}`,
		`{"root":{"children":"x"}}`,
	} {
		if _, err := renderLexical(doc); !errors.Is(err, errLexical) {
			t.Errorf("renderLexical(%s) = %v, want errLexical", doc, err)
		}
	}
}

// A Markdown card is held to the newsroom's limits on Markdown before it
// is rendered: deep nesting would otherwise take minutes.
func TestMarkdownCard_isBounded(t *testing.T) {
	deep := strings.Repeat(">", 500) + " x"
	doc, err := json.Marshal(map[string]any{"cards": []any{[]any{"markdown", map[string]any{"markdown": deep}}}, "sections": []any{[]any{10, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = renderMobiledoc(string(doc))
	if err == nil || !strings.Contains(err.Error(), "Markdown card cannot be rendered") {
		t.Errorf("got %v, want the card refused", err)
	}
}

// A body that renders past the article limit is refused, not built.
func TestRender_refusesAnOversizedBody(t *testing.T) {
	para := map[string]any{"type": "paragraph", "children": []any{map[string]any{"type": "text", "text": strings.Repeat("<", 1<<20), "format": 0}}}
	children := []any{}
	for range 3 { // 3 MiB of "<" is 12 MiB escaped
		children = append(children, para)
	}
	b, err := json.Marshal(map[string]any{"root": map[string]any{"children": children}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := renderLexical(string(b)); !errors.Is(err, errBodyTooLarge) {
		t.Errorf("got %v, want errBodyTooLarge", err)
	}
}
