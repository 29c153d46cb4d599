package importer

import (
	"regexp"
	"strings"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"

	"broadsheet/internal/article"
)

// blockComment is a Gutenberg block delimiter: <!-- wp:paragraph -->,
// <!-- /wp:image -->. Every other comment goes with the sanitizer.
var blockComment = regexp.MustCompile(`<!--\s*/?wp:[^>]*?-->`)

// ToMarkdown turns a source's HTML body into the paper's Markdown: block
// comments out, then the article pages' sanitizer (no script, event
// attribute or javascript: link survives it), then Markdown. The result
// is rendered again, as every save is, when the article is stored.
func ToMarkdown(html string) (string, error) {
	html = blockComment.ReplaceAllString(html, "")
	clean := article.SanitizeHTML(html)
	md, err := htmltomarkdown.ConvertString(clean)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(md), nil
}
