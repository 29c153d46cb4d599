package wxr

import "testing"

func TestAbsoluteLinks(t *testing.T) {
	x := &exporter{base: "https://paper.example"}
	for _, tc := range []struct{ in, want string }{
		{`<p>plain</p>`, `<p>plain</p>`},
		{`<a href="/article/3/x">a</a>`, `<a href="https://paper.example/article/3/x">a</a>`},
		{`<img src="/media/u/ab/640.jpg" alt="x">`, `<img src="https://paper.example/media/u/ab/640.jpg" alt="x">`},
		{`<img src="/media/u/ab/640.jpg" srcset="/media/u/ab/320.jpg 320w, /media/u/ab/640.jpg 640w">`,
			`<img src="https://paper.example/media/u/ab/640.jpg" srcset="https://paper.example/media/u/ab/320.jpg 320w, https://paper.example/media/u/ab/640.jpg 640w">`},
		// Already absolute, protocol-relative, and text that only looks like an attribute.
		{`<a href="https://else.example/">e</a><a href="//cdn.example/x">c</a>`, `<a href="https://else.example/">e</a><a href="//cdn.example/x">c</a>`},
		{`<p>write href=&#34;/x&#34; in the text</p>`, `<p>write href=&#34;/x&#34; in the text</p>`},
		{`<a href="/">home</a>`, `<a href="https://paper.example/">home</a>`},
	} {
		if got := x.absoluteLinks(tc.in); got != tc.want {
			t.Errorf("absoluteLinks(%q):\ngot  %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
