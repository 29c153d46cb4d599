package importer

import (
	"html"
	"regexp"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"

	"broadsheet/internal/article"
)

// blockComment is a Gutenberg block delimiter: <!-- wp:paragraph -->,
// <!-- /wp:image -->. Every other comment goes with the sanitizer.
var blockComment = regexp.MustCompile(`<!--\s*/?wp:[^>]*?-->`)

// toMarkdown converts sanitized HTML to the paper's Markdown, which is
// GitHub's: tables (a first row of plain cells becomes the header) and
// strikethrough as well as CommonMark.
var toMarkdown = converter.NewConverter(converter.WithPlugins(
	base.NewBasePlugin(),
	commonmark.NewCommonmarkPlugin(),
	strikethrough.NewStrikethroughPlugin(),
	table.NewTablePlugin(table.WithHeaderPromotion(true)),
))

// ToMarkdown turns a source's HTML body into the paper's Markdown: block
// comments out, then the article pages' sanitizer (no script, event
// attribute or javascript: link survives it), figures with captions made
// the paper's titled images, then Markdown. The result is rendered again,
// as every save is, when the article is stored.
func ToMarkdown(s string) (string, error) {
	s = blockComment.ReplaceAllString(s, "")
	// After the sanitizer, whose rule for titles would drop most
	// captions (a colon, a quote): the image's address is the one the
	// sanitizer kept, the title text escaped here.
	clean := captionedFigures(article.SanitizeHTML(s))
	md, err := toMarkdown.ConvertString(clean)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(md), nil
}

// figureRE is a figure of one image and its caption, as Ghost, WordPress's
// image block and the paper itself write them.
var figureRE = regexp.MustCompile(`(?is)<figure\b[^>]*>\s*(<img\b[^>]*>)\s*<figcaption\b[^>]*>(.*?)</figcaption>\s*</figure>`)

// creditRE is the credit part of the paper's own figcaption, and
// hiddenRE the separator only screen readers hear.
var (
	creditRE = regexp.MustCompile(`(?is)<span class="credit">(.*?)</span>`)
	hiddenRE = regexp.MustCompile(`(?is)<span class="visually-hidden">.*?</span>`)
	imgAttrs = regexp.MustCompile(`(?is)(?:^|\s)(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// captionedFigures rewrites each figure of an image and a caption as a
// paragraph of only that image, titled "caption | credit": the Markdown
// the paper draws as a figure with that caption. The caption keeps its
// text, not its markup.
func captionedFigures(s string) string {
	return figureRE.ReplaceAllStringFunc(s, func(fig string) string {
		m := figureRE.FindStringSubmatch(fig)
		attrs := map[string]string{}
		for _, a := range imgAttrs.FindAllStringSubmatch(m[1][len("<img"):], -1) {
			attrs[strings.ToLower(a[1])] = html.UnescapeString(a[2] + a[3] + a[4])
		}
		if attrs["src"] == "" {
			return fig
		}
		caption, credit := m[2], ""
		if c := creditRE.FindStringSubmatch(caption); c != nil {
			credit = c[1]
			caption = creditRE.ReplaceAllString(caption, "")
		}
		caption = hiddenRE.ReplaceAllString(caption, "")
		title := strings.Join(strings.Fields(stripTags(caption)), " ")
		if credit = strings.Join(strings.Fields(stripTags(credit)), " "); credit != "" {
			title += " | " + credit
		}
		return `<p><img src="` + html.EscapeString(attrs["src"]) + `" alt="` + html.EscapeString(strings.Join(strings.Fields(attrs["alt"]), " ")) +
			`" title="` + html.EscapeString(strings.TrimPrefix(title, " | ")) + `"></p>`
	})
}
