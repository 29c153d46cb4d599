package article

import (
	"bytes"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders newsroom Markdown. Raw HTML is left out by goldmark's default
// (no html.WithUnsafe), and the output goes through a sanitizer as well, so
// a javascript: link or an event attribute can never reach a page.
// Headings get no generated ids: "## Main" would collide with the page's
// own id="main", which the skip link targets.
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Typographer),
)

var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false) // newsroom links are editorial, not user content
	return p
}()

// RenderMarkdown turns Markdown into sanitized HTML.
func RenderMarkdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return policy.Sanitize(buf.String()), nil
}
